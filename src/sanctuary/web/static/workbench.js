// The case workbench. One object, `theCase`, holds the case in the jurisdiction's case format and is the only
// truth: the form at the top and the question editors below write into it, and it is what is previewed, saved and
// printed. An absent field is an unknown fact, so "not known" in any control deletes the field rather than writing
// false or an empty value. The form itself — its fields, groups, words and values — is the jurisdiction's, built by
// case-form.js from GET /v1/form/case: nothing here knows one jurisdiction's case.

import {
  h, api, showError, clearError, resultBadge, RESULT_WORDS,
  treeNode, limitsText, warningElement, debounce,
} from "./common.js";
import {
  buildForm, readForm as readFormInto, fillForm as fillFormFrom, loadForm, describedForm, fieldOf, factWords,
  isTopField, isTopPart, topPaths, topTarget, exclusive, ensureOption, input, valueWords,
  getPath, setPath, deletePath, parsePath, generic, slug, capital,
} from "./case-form.js";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

let theCase = newCase();
let given = [];            // paths answered below the form, in the order given: the "Facts given" section
let opened = new Set();    // facts added with "Add a fact" and not answered yet: their editor is shown empty
let editing = "";          // the question whose input has the focus: it stays in place until the focus leaves
let shownQuestions = [];   // the questions on screen, in order
let redrawing = false;     // true while the questions and facts are being redrawn
let explanation = null;    // the last preview's answer
let questionPaths = "";    // the questions last shown, to re-draw only when they change
let sequence = 0;          // previews may return out of order; only the latest is shown
let actionNames = {};      // the actions in words, as the server names them (GET /v1/law)
let ready = false;         // the form is built (GET /v1/form/case answered)
const periodWanted = new WeakSet(); // items whose "one period" is chosen but its dates not yet complete

function newCase() {
  return { decision_date: new Date().toISOString().slice(0, 10), request: { actions: [] } };
}

/** The problems an error from the service names, each {path, message}: the one place this page reads an error's
 * body (common.js's api() has already put it in this shape). */
const problemsOf = (error) => error?.problems || [];

/** The case as sent and saved: a copy without empty containers (an empty `person` says nothing). */
function caseForService() {
  const copy = structuredClone(theCase);
  if (copy.person && Object.keys(copy.person).length === 0) delete copy.person;
  if (!copy.regime) delete copy.regime;
  return copy;
}

// ---------------------------------------------------------------- the form at the top

function readForm() {
  if (!ready) return;
  readFormInto(theCase);
  theCase.request = theCase.request || { actions: [] };
}

function fillForm() {
  if (ready) fillFormFrom(theCase);
}

// ---------------------------------------------------------------- questions and the facts given

/** Record an answer (undefined = not known) and move its question to "Facts given". */
function answer(path, value, { redraw = true } = {}) {
  if (value === undefined) deletePath(theCase, path);
  else setPath(theCase, path, value);
  const covered = given.some((g) => path === g || path.startsWith(`${g}[`) || path.startsWith(`${g}.`));
  if (!covered && !isTopPart(path)) given.push(path);
  if (value !== undefined) opened.delete(path);
  if (isTopPart(path)) fillForm();
  if (redraw) drawFacts();
  schedulePreview();
}

/** Forget a fact: it becomes unknown again, and is asked again if an outcome depends on it. */
function forget(path) {
  deletePath(theCase, path);
  given = given.filter((g) => g !== path);
  opened.delete(path);
  drawFacts();
  schedulePreview();
}

/** Draw the questions and the facts given. Keeps the keyboard focus on the same control, even when its
 * question has just moved to "Facts given" (ids differ only by their q-/f- prefix). */
function drawFacts() {
  redrawing = true;
  try {
    redraw();
  } finally {
    redrawing = false;
  }
}

function redraw() {
  const focused = document.activeElement?.id || "";
  const caret = document.activeElement?.selectionStart;
  const questions = (explanation?.questions || []).filter((q) => getPath(theCase, q.path) === undefined || q.path === editing);
  const kept = editing && !questions.some((q) => q.path === editing) ? shownQuestions.find((q) => q.path === editing) : null;
  if (kept) questions.splice(Math.min(shownQuestions.indexOf(kept), questions.length), 0, kept); // the one being answered stays put
  shownQuestions = questions;
  $("#questions").replaceChildren(
    ...(questions.length
      ? questions.map((q) => editor(q.path, "q", q))
      : [h("p", { class: "muted" }, explanation ? "No question: every outcome is decided on the facts given." : "The questions appear once the request is given.")]),
  );
  const asked = new Set(questions.map((q) => q.path));
  const facts = given.filter((path) => (getPath(theCase, path) !== undefined || opened.has(path)) && !asked.has(path));
  $("#facts").replaceChildren(
    ...(facts.length ? facts.map((path) => editor(path, "f")) : [h("p", { class: "muted" }, "None yet, beyond the request above.")]),
  );
  questionPaths = explanation ? questions.map((q) => q.path).join(" ") : null; // null: redraw after the next preview
  drawAddFact();
  drawMemo();
  if (!focused) return;
  const target = document.getElementById(focused) || document.getElementById(focused.replace(/^q-/, "f-"));
  if (target && target !== document.activeElement) {
    target.focus();
    if (typeof caret === "number" && "setSelectionRange" in target && target.type === "text") target.setSelectionRange(caret, caret);
  }
}

/** The editor for one fact: a fieldset whose legend is the question (or the fact's name), with the input its
 * field's control calls for. `prefix` keeps ids unique between the two sections. */
function editor(path, prefix, question = null) {
  const id = `${prefix}-${slug(path)}`;
  // The pack's question, or the fact's name where the pack has no words of its own for it ("What is person.x?").
  const legend = question && question.question !== `What is ${path}?` ? question.question : factWords(path);
  const box = h("fieldset", { class: question ? "question" : "fact", dataset: { path }, id }, h("legend", {}, legend));
  if (question) {
    const bears = question.outcomes?.length ? `Bears on: ${question.outcomes.map((a) => actionNames[a] || a).join("; ")}.` : "";
    if (bears) box.append(h("p", { class: "why" }, bears));
  }
  // While an input of a question has the focus, the question stays where it is (no jump as the answer is typed).
  box.addEventListener("focusin", () => { if (question) editing = path; });
  box.addEventListener("focusout", (e) => {
    // A blur caused by the redraw itself (the box being replaced) is not the reader leaving the question.
    if (redrawing || !question || box.contains(e.relatedTarget)) return;
    editing = "";
    setTimeout(drawFacts, 0); // once the focus has moved, the answered question goes to "Facts given"
  });
  if (isTopField(path)) {
    // Asked for by the form at the top: send the reader there instead of asking twice.
    box.append(h("button", { type: "button", class: "secondary", id: `${id}-go`, onclick: () => topTarget(path)?.focus() }, "Answer in the form above"));
    return box;
  }
  box.append(...factInput(path, id, question));
  if (!question) {
    box.append(h("p", {}, h("button", { type: "button", class: "secondary", id: `${id}-forget`, onclick: () => forget(path) }, "Make this fact unknown")));
  }
  return box;
}

function factInput(path, id, question) {
  const described = fieldOf(path);
  const value = getPath(theCase, path);
  const words = factWords(path);
  if (described?.control === "list") return listEditor(path, id, described);
  if (described?.control === "periods") {
    const parent = path.replace(/\.[^.]+$/, "");
    return [periodsEditor(getPath(theCase, parent) || {}, parsePath(path).at(-1), described, id, () => answer(path, getPath(theCase, path)))];
  }
  const live = described?.control === "text" || described?.control === "strings" || described?.control === "partial_date" || described?.control === "date" || !described;
  return [input(described, id, words, value, (v) => answer(path, v, { redraw: live ? false : !question }))];
}

/** "Add a fact": any fact of the case, at any time, not only once a question asks for it. */
function drawAddFact() {
  const select = $("#add-fact-path");
  if (!select) return;
  const shown = new Set([...given, ...(explanation?.questions || []).map((q) => q.path)]);
  const choices = describedForm().facts.filter((path) => !shown.has(path) && getPath(theCase, path) === undefined);
  select.replaceChildren(h("option", { value: "" }, "Choose a fact…"), ...choices.map((path) => h("option", { value: path }, factWords(path))));
  $("#add-fact").disabled = !choices.length;
}

function addFact() {
  const path = $("#add-fact-path").value;
  if (!path) return;
  if (!given.includes(path)) given.push(path);
  opened.add(path);
  drawFacts();
  document.getElementById(`f-${slug(path)}`)?.querySelector("input, select, button")?.focus();
}

// A list of items (judgments, pending charges …), one card per item. "None" sets [] (known: none), which is not
// the same as leaving the list unknown. Each item's fields are edited in place; only adding or removing redraws.
function listEditor(path, id, described) {
  const list = getPath(theCase, path);
  const parts = [];
  if (Array.isArray(list) && list.length === 0) parts.push(h("p", {}, described.none));
  (list || []).forEach((item, i) => parts.push(itemEditor(path, `${id}-${i}`, described, item, i)));
  const buttons = h("div", { class: "toolbar" });
  if (list === undefined) {
    buttons.append(h("button", { type: "button", class: "secondary", id: `${id}-none`, onclick: () => answer(path, []) }, described.none_button));
  }
  buttons.append(h("button", {
    type: "button", class: "secondary", id: `${id}-add`,
    onclick: () => {
      answer(path, [...(getPath(theCase, path) || []), {}]);
      // Straight to the new item's first field.
      const n = getPath(theCase, path).length - 1;
      const card = document.getElementById(`${id}-${n}`) || document.getElementById(`f-${slug(path)}-${n}`);
      card?.querySelector("input, select")?.focus();
    },
  }, `Add a ${described.noun}`));
  parts.push(buttons);
  return parts;
}

function itemEditor(path, id, described, item, index) {
  const change = () => answer(path, getPath(theCase, path), { redraw: false });
  const set = (key) => (value) => { if (value === undefined) delete item[key]; else item[key] = value; change(); };
  const title = `${capital(described.noun)} ${index + 1}`;
  const card = h("fieldset", { class: "item-card", id }, h("legend", {}, title));
  const rows = described.rows || [];
  for (const row of rows) {
    const controls = row.map((name) => {
      const sub = fieldOf(`${generic(path)}[].${name}`);
      const subId = `${id}-${slug(name)}`;
      if (sub?.control === "periods") return periodsEditor(item, name, sub, subId, change);
      if (sub?.control === "list") return null; // a list inside an item: kept as loaded, listed below
      return input(sub, subId, sub?.label || capital(name.replace(/_/g, " ")), item[name], set(name));
    });
    card.append(...(row.length > 1 ? [h("div", { class: "row" }, controls)] : controls.filter(Boolean)));
  }
  // Fields this editor does not show (from a loaded file) are kept, and listed so they are not a surprise.
  const shown = new Set(rows.flat().filter((name) => fieldOf(`${generic(path)}[].${name}`)?.control !== "list"));
  const extra = Object.entries(item).filter(([key]) => !shown.has(key));
  if (extra.length) card.append(h("p", { class: "hint" }, "Also given: ", extra.map(([k, v]) => `${k.replace(/_/g, " ")}: ${JSON.stringify(v)}`).join("; ")));
  card.append(h("button", {
    type: "button", class: "secondary", id: `${id}-remove`,
    onclick: () => { getPath(theCase, path).splice(index, 1); answer(path, getPath(theCase, path)); },
  }, `Remove ${title.toLowerCase()}`));
  return card;
}

// Periods (custody on a case): none ([]), not known (absent), or one period from–to. A period is written into the
// case only once both dates are given (the format requires both); further periods from a loaded file are kept.
function periodsEditor(item, name, described, id, change) {
  const periods = item[name];
  const mode = Array.isArray(periods) ? (periods.length ? "period" : "none") : periodWanted.has(item) ? "period" : "unknown";
  const [startName, endName] = described.rows?.length >= 2 ? [described.rows[0][0], described.rows[1][0]] : ["from", "to"];
  const words = (n) => fieldOf(`${generic(described.path)}[].${n}`)?.label || capital(n);
  const first = (periods && periods[0]) || {};
  const from = h("input", { type: "date", id: `${id}-from`, value: first[startName] || "" });
  const to = h("input", { type: "date", id: `${id}-to`, value: first[endName] || "" });
  const dates = h("div", { class: "row sub", hidden: mode !== "period" },
    h("div", { class: "field" }, h("label", { for: `${id}-from` }, words(startName)), from),
    h("div", { class: "field" }, h("label", { for: `${id}-to` }, words(endName)), to));
  const update = () => {
    const chosen = $(`input[name="${id}"]:checked`, group)?.value;
    dates.hidden = chosen !== "period";
    if (chosen === "period") periodWanted.add(item);
    else periodWanted.delete(item);
    if (chosen === "none") item[name] = [];
    else if (chosen === "period" && from.value && to.value) item[name] = [{ [startName]: from.value, [endName]: to.value }, ...((periods || []).slice(1))];
    else delete item[name];
    change();
  };
  from.addEventListener("change", update);
  to.addEventListener("change", update);
  const choice = (v, text) => h("label", {}, h("input", { type: "radio", name: id, id: `${id}-${v}`, value: v, checked: mode === v, onchange: update }), text);
  const group = h("fieldset", { class: "item-card" }, h("legend", {}, described.label),
    h("div", { class: "choices" }, choice("none", "None"), choice("unknown", "Not known"), choice("period", "One period")),
    dates,
    periods && periods.length > 1 ? h("p", { class: "hint" }, `${periods.length - 1} further period(s) from the loaded file are kept.`) : null);
  return group;
}

// ---------------------------------------------------------------- the preview

const schedulePreview = debounce(preview, 250);

async function preview() {
  drawMemo();
  const problems = $("#problems");
  const missing = [];
  if (!theCase.agency) missing.push("the agency");
  if (!theCase.decision_date) missing.push("the decision date");
  if (!theCase.request.actions?.length) missing.push("at least one action");
  if (missing.length) {
    // Nothing to decide yet; earlier outcomes would no longer match the form, so they go.
    const list = missing.length > 1 ? `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}` : missing[0];
    setStatus(`Give ${list} to see the outcomes.`);
    $("#outcomes").replaceChildren();
    $("#provenance").textContent = "";
    $("#regime-applied").textContent = "";
    sequence++; // and a preview still on its way is not shown
    return;
  }
  const mine = ++sequence;
  $("#outcomes-section").setAttribute("aria-busy", "true");
  try {
    const result = await api("POST", "/v1/preview", { json: { case: caseForService() } });
    if (mine !== sequence) return; // a later change is already on its way
    clearError(problems);
    markInvalid([]);
    explanation = result;
    drawOutcomes(result);
    const paths = (result.questions || []).map((q) => q.path).join(" ");
    if (paths !== questionPaths) drawFacts();
    else drawMemo();
  } catch (error) {
    if (mine !== sequence) return;
    showError(problems, error);
    markInvalid(problemsOf(error));
    setStatus("The case has a problem; see the list beside the form. The outcomes shown are from before it.");
  } finally {
    if (mine === sequence) $("#outcomes-section").removeAttribute("aria-busy");
  }
}

/** Mark the inputs a 422 names, so the problem is found next to the field as well as in the list. */
function markInvalid(problems) {
  $$("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  for (const { path } of problems) {
    const bare = (path || "").replace(/^case\.?/, "");
    const top = topPaths().find((k) => bare === k || bare.startsWith(`${k}[`) || bare.startsWith(`${k}.`));
    let el = top ? topTarget(top) : null;
    if (el && el.type === "checkbox") el = el.closest("fieldset"); // a list to tick: its fieldset
    if (!el) el = $$("#facts [data-path], #questions [data-path]").find((box) => bare.startsWith(box.dataset.path));
    el?.setAttribute("aria-invalid", "true");
  }
}

let lastStatus = "";
function setStatus(text) {
  // Only a change is announced, so screen readers are not read the same results after every keystroke.
  if (text !== lastStatus) $("#outcomes-status").textContent = text;
  lastStatus = text;
}

function drawOutcomes(answer) {
  const regime = answer.regime || {};
  $("#regime-applied").textContent = `Law applied: ${regime.id} (${regime.status}) — ${regime.title}.`;
  const questionText = Object.fromEntries((answer.questions || []).map((q) => [q.path, q.question]));
  $("#outcomes").replaceChildren(...answer.outcomes.map((outcome) => outcomeElement(outcome, questionText)),
    ...(answer.notes || []).map((note) => h("p", { class: "note" }, h("strong", {}, "Note: "), note.says)));
  setStatus(answer.outcomes.map((o) => `${o.action}: ${RESULT_WORDS[o.result] || o.result}`).join(". ") + ".");
  // On a phone the outcomes come after the form: a bar at the top says them at once and leads there.
  $("#summary-bar").replaceChildren(...answer.outcomes.map((o) => h("a", { href: `#outcome-${slug(o.action)}` }, `${o.action} `, resultBadge(o.result))));
  const p = answer.provenance || {};
  $("#provenance").textContent = `Prepared ${new Date().toISOString().slice(0, 10)} with ${p.engine || "sanctuary"}; law ${p.law_hash || "(hash not given)"}.`;
}

const changeItem = (c) => h("li", {}, resultBadge(c.result), " if: ", c.changes.map((x) => x.says).join(" And: "));

function outcomeElement(outcome, questionText) {
  const id = `outcome-${slug(outcome.action)}`;
  // A change of the facts given before one that adds a hypothetical new item (a new judgment).
  const adds = (c) => c.changes.filter((x) => x.path.endsWith("[+]") || fieldOf(x.path)?.control === "list").length;
  const changes = [...(outcome.would_change_if || [])].sort((a, b) => a.changes.length - b.changes.length || adds(a) - adds(b));
  // The smallest one or two changes towards each other result first; the rest on demand.
  const count = {};
  const first = changes.filter((c) => (count[c.result] = (count[c.result] || 0) + 1) <= 2);
  const rest = changes.filter((c) => !first.includes(c));
  return h("article", { class: "outcome", id, dataset: { action: outcome.action, result: outcome.result }, "aria-labelledby": `${id}-h` },
    h("h3", { id: `${id}-h` }, h("span", {}, actionNames[outcome.action] ? `${capital(actionNames[outcome.action])} (${outcome.action})` : outcome.action), resultBadge(outcome.result)),
    outcome.limits ? h("p", { class: "limits" }, "Limit: ", limitsText(outcome.limits), ".") : null,
    outcome.reasons?.length ? [h("h4", {}, "Why"), h("ul", {}, outcome.reasons.map((r) => h("li", {}, r)))] : null,
    outcome.citations?.length ? h("p", { class: "cites" }, "Rests on: ", outcome.citations.join("; "), ".") : null,
    outcome.warnings?.length ? [h("h4", {}, "Warnings"), h("ul", {}, outcome.warnings.map(warningElement))] : null,
    outcome.missing?.length ? h("div", { class: "missing-list" }, h("h4", {}, "Facts that would decide it"),
      h("ul", {}, outcome.missing.map((path) => h("li", { title: path }, questionText[path] || factWords(path))))) : null,
    changes.length ? h("div", { class: "counterfactuals" }, h("h4", {}, "Would change if"),
      h("ul", {}, first.map(changeItem)),
      rest.length ? h("details", { class: "more-changes" }, h("summary", {}, `${rest.length} more`), h("ul", {}, rest.map(changeItem))) : null) : null,
    outcome.tree ? h("details", {}, h("summary", {}, "The rule, condition by condition"), h("ul", { class: "tree" }, treeNode(outcome.tree, { evaluated: true }))) : null,
  );
}


// ---------------------------------------------------------------- the memo (printed)

/** The facts relied on, in the form's words: the pack's memo rows always (a fact not given is "not known"),
 * then any other fact given. */
function drawMemo() {
  const c = theCase;
  const form = describedForm();
  const always = form.memo;
  const others = [...topPaths(), ...form.facts, ...given].filter((p, i, all) => !always.includes(p) && all.indexOf(p) === i && getPath(c, p) !== undefined);
  const rows = [...always, ...others].map((path) => [memoLabel(path), memoValue(path)]);
  $("#memo-title").textContent = `Memo: ${c.agency || "agency"} — request of ${c.decision_date || "(no date)"}`;
  $("#memo-facts").replaceChildren(h("h2", {}, "The facts"), h("dl", {}, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])), h("h2", {}, "The outcomes"));
}

function memoLabel(path) {
  const described = fieldOf(path);
  return described?.memo || factWords(path);
}

function memoValue(path) {
  if (path === "regime") {
    return explanation?.regime ? `${explanation.regime.id} (${explanation.regime.status})` : theCase.regime || "in force on the decision date";
  }
  return valueWords(path, getPath(theCase, path));
}

// ---------------------------------------------------------------- save, load, print, reset

/** The letter to the agency (.docx), made by the service from the case as it stands. */
async function letter() {
  const problems = $("#problems");
  try {
    const response = await fetch("/v1/documents/letter", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ case: caseForService() }),
    });
    if (!response.ok) throw new Error(`The letter could not be made (${response.status}): give the agency, the date and an action.`);
    const url = URL.createObjectURL(await response.blob());
    const link = h("a", { href: url, download: `letter-${theCase.agency || "agency"}-${theCase.decision_date || "undated"}.docx` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    clearError(problems);
  } catch (error) {
    showError(problems, error);
  }
}

function save() {
  const text = JSON.stringify(caseForService(), null, 2) + "\n";
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = h("a", { href: url, download: `case-${theCase.agency || "agency"}-${theCase.decision_date || "undated"}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function load(file) {
  const problems = $("#problems");
  try {
    const text = await file.text();
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      data = JSON.parse(text.split("\n").find((line) => line.trim())); // a .jsonl file: its first case
    }
    if (data && data.case) data = data.case; // a saved preview body {"case": …} is accepted too
    if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("The file does not hold a case (a JSON object).");
    data.request = data.request || { actions: [] };
    theCase = data;
  } catch (error) {
    showError(problems, new Error(`Could not read ${file.name}: ${error.message}`));
    return;
  }
  clearError(problems);
  // Every fact the file gives below the request is listed under "Facts given"; absent ones stay unknown.
  given = [
    ...Object.keys(theCase.person || {}).map((k) => `person.${k}`),
    ...Object.keys(theCase.request).map((k) => `request.${k}`).filter((p) => !isTopPart(p)),
  ];
  explanation = null;
  fillForm();
  drawFacts();
  preview();
}

function reset() {
  theCase = newCase();
  given = [];
  opened = new Set();
  explanation = null;
  fillForm();
  readForm(); // fields the form keeps while "not known" (an empty list of actions) are written back
  $("#outcomes").replaceChildren();
  $("#provenance").textContent = "";
  $("#regime-applied").textContent = "";
  clearError($("#problems"));
  drawFacts();
  preview();
  topTarget(topPaths()[0] || "agency")?.focus();
}

// ---------------------------------------------------------------- start

function listen() {
  const form = $("#case-form");
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("change", (e) => {
    exclusive(e.target); // a list's "none" and its boxes exclude each other
    readForm();
    fillForm();
    schedulePreview();
  });
  form.addEventListener("input", (e) => {
    if (e.target.type === "text" || e.target.type === "date") {
      readForm();
      schedulePreview();
    }
  });
  $("#save").addEventListener("click", save);
  $("#add-fact").addEventListener("click", addFact);
  $("#letter").addEventListener("click", letter);
  $("#to-docket").addEventListener("click", () => {
    // Handed to the docket page in this tab's session storage; the docket records it only when the officer opens it.
    sessionStorage.setItem("sanctuary.docketCase", JSON.stringify(caseForService()));
    location.href = "/docket#open-heading";
  });
  $("#print").addEventListener("click", () => { drawMemo(); window.print(); });
  $("#reset").addEventListener("click", reset);
  $("#load").addEventListener("change", (e) => {
    if (e.target.files[0]) load(e.target.files[0]);
    e.target.value = ""; // the same file can be loaded again
  });
}

/** The regimes for "Law applied" and the actions' names: optional, so the page works without them. */
function loadLaw() {
  api("GET", "/v1/law").then((law) => {
    actionNames = Object.fromEntries((law.actions || []).map((a) => [a.id, a.name]));
    if (explanation) drawOutcomes(explanation);
    const select = $("#regime");
    if (!select) return;
    for (const r of law.regimes || []) {
      if (![...select.options].some((o) => o.value === r.id)) select.append(h("option", { value: r.id }, `${r.id} (${r.status}) — ${r.title}`));
    }
    ensureOption(select, theCase.regime);
    select.value = theCase.regime || "";
  }).catch(() => {});
}

async function start() {
  listen();
  try {
    await loadForm(api);
  } catch (error) {
    showError($("#problems"), error); // without its form the page cannot ask anything
    return;
  }
  buildForm($("#case-form"));
  ready = true;
  loadLaw();
  fillForm();
  readForm();
  drawFacts();
  preview();
}

start();
