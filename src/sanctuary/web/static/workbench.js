// The case workbench. One object, `theCase`, holds the case in the contract's format (CASE_FORMAT.md) and
// is the only truth: the form at the top and the question editors below write into it, and it is what is
// previewed, saved and printed. An absent field is an unknown fact, so "not known" in any control deletes
// the field rather than writing false or an empty value.

import {
  h, api, showError, clearError, resultBadge, RESULT_WORDS,
  treeNode, limitsText, warningElement, debounce,
} from "./common.js";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// The document types ticked in the form; any other document (from a loaded file) is kept as it is.
const FORM_DOCUMENTS = ["I-247A", "I-247D", "I-247N", "I-247X", "I-200", "I-205"];
// Facts the form at the top asks for: a question about one of them points there instead of asking again;
// an answer about a document's details (its signer …) is shown in the form, not under "Facts given".
const FORM_FIELD = /^(agency|decision_date|regime|request\.from|request\.actions|request\.documents)$/;
const FORM_PART = /^(agency|decision_date|regime|request\.(from|actions|documents))\b/;
const BOOLEAN_FACTS = new Set([
  "tsdb_possible_match", "reentered_after_removal", "gang_database", "immigration_enforcement_duties",
  "mayoral_executive_order", "probable_cause", "authorizes_immigration_custody", "presented_with_detainer",
  "youthful_offender", "juvenile_delinquent", "hate_crime",
]);
const LABELS = {
  "person.instant_arrest_date": "Arrest date on the current case",
  "person.convictions": "Judgments of conviction",
  "person.pending_charges": "Pending charges",
  "person.tsdb_possible_match": "Possible match in the terrorist screening database",
  "person.reentered_after_removal": "Illegal re-entry after a previous removal or return",
  "person.gang_database": "Listed in a law-enforcement gang database",
  "request.immigration_enforcement_duties": "Requester's duties include immigration enforcement",
  "request.purpose": "Purpose of the request",
  "request.mayoral_executive_order": "A mayoral executive order authorizes the office",
};
// The words of each fact, by the last part of its path, for labels (never the raw path).
const FACT_WORDS = {
  instant_arrest_date: "Arrest date on the current case",
  judgment_date: "Date of the judgment",
  offense_date: "Date of the offense",
  arrest_date: "Arrest date",
  level: "Felony, misdemeanor or violation",
  signer: "Who signed it",
  purpose: "Purpose of the request",
  charge: "Charge (law and section)",
  court: "Court of the judgment",
  ny_equivalent: "New York equivalent of the charge",
  incarceration: "Custody on the case",
  class: "Class of the offense",
  case_id: "Docket or indictment number",
};
const ORDINAL = (n) => Number(n) + 1;
/** A fact's name in words: "Date of the judgment (judgment 1)", "Who signed it (document 2)". */
function factWords(path) {
  if (LABELS[path]) return LABELS[path];
  const name = parsePath(path).at(-1);
  const item = path.match(/(convictions|pending_charges|documents)\[(\d+)\]/);
  const noun = item ? { convictions: "judgment", pending_charges: "pending charge", documents: "document" }[item[1]] : "";
  const base = FACT_WORDS[name] || capital(name.replace(/_/g, " "));
  return item ? `${base} (${noun} ${ORDINAL(item[2])})` : base;
}
// Facts that can be given at any time ("Add a fact"), not only once a question asks for them.
const ADDABLE = [
  "person.instant_arrest_date", "person.convictions", "person.pending_charges", "person.tsdb_possible_match",
  "person.reentered_after_removal", "person.gang_database", "request.immigration_enforcement_duties",
  "request.purpose", "request.mayoral_executive_order",
];
const COURTS = { NY: "New York (NY)", federal: "Federal court" };
const STATES = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
  "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
  "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP"];
for (const code of STATES) COURTS[code] = `A court of ${code}`;
const PURPOSES = {
  civil_immigration_enforcement: "Civil immigration enforcement",
  unrelated_to_immigration_enforcement: "Unrelated to immigration enforcement",
};
// The signers a warrant may have, as the form's own "Signed by" list names them (one list in the page).
const SIGNERS = Object.fromEntries([...document.querySelectorAll("#warrant-signer option")]
  .filter((o) => o.value).map((o) => [o.value, o.textContent]));
const LEVELS = { felony: "Felony", misdemeanor: "Misdemeanor", violation: "Violation" };

let theCase = newCase();
let given = [];            // paths answered below the form, in the order given: the "Facts given" section
let opened = new Set();    // facts added with "Add a fact" and not answered yet: their editor is shown empty
let editing = "";
let shownQuestions = [];   // the questions on screen, in order
let redrawing = false;     // true while the questions and facts are being redrawn          // the question whose input has the focus: it stays in place until the focus leaves
let explanation = null;    // the last preview's answer
let questionPaths = "";    // the questions last shown, to re-draw only when they change
let sequence = 0;          // previews may return out of order; only the latest is shown
let actionNames = {};      // the actions in words, as the server names them (GET /v1/law)
const periodWanted = new WeakSet(); // judgments whose "one period" is chosen but its dates not yet complete

function newCase() {
  return { agency: "", decision_date: new Date().toISOString().slice(0, 10), request: { actions: [] } };
}

// ---------------------------------------------------------------- paths ("person.convictions[0].level")

function parsePath(path) {
  return path.replace(/\[(\d+)\]/g, ".$1").replace(/\[\+\]/g, "").split(".");
}
function getPath(object, path) {
  return parsePath(path).reduce((node, key) => (node == null ? undefined : node[key]), object);
}
function setPath(object, path, value) {
  const keys = parsePath(path);
  let node = object;
  keys.slice(0, -1).forEach((key, i) => {
    if (node[key] == null) node[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key];
  });
  node[keys.at(-1)] = value;
}
function deletePath(object, path) {
  const keys = parsePath(path);
  const parent = getPath(object, keys.slice(0, -1).join("."));
  if (parent && typeof parent === "object") delete parent[keys.at(-1)];
}
const slug = (text) => text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
const isFormPath = (path) => FORM_PART.test(path);

/** The case as sent and saved: a copy without empty containers (an empty `person` says nothing). */
function caseForService() {
  const copy = structuredClone(theCase);
  if (copy.person && Object.keys(copy.person).length === 0) delete copy.person;
  if (!copy.regime) delete copy.regime;
  return copy;
}

// ---------------------------------------------------------------- the form at the top

/** Read the form into the case. Documents keep their position and any field the form does not show. */
function readForm() {
  const agency = $("#agency").value;
  $("#agency-other-field").hidden = agency !== "other";
  theCase.agency = agency === "other" ? $("#agency-other").value.trim().toUpperCase() : agency;
  theCase.decision_date = $("#decision-date").value;
  const regime = $("#regime").value;
  if (regime) theCase.regime = regime;
  else delete theCase.regime;
  const request = theCase.request;
  if ($("#requester").value) request.from = $("#requester").value;
  else delete request.from;
  request.actions = $$('input[name="action"]:checked').map((box) => box.value);
  readDocuments(request);
}

function readDocuments(request) {
  const old = request.documents || [];
  $("#warrant-details").hidden = !$("#warrant").checked;
  if ($("#documents-none").checked) {
    request.documents = [];
    return;
  }
  const ticked = new Set($$('input[name="document"]:checked').map((box) => box.value));
  const warrantIndex = old.findIndex((d) => d.type === "warrant");
  const documents = [];
  old.forEach((doc, i) => {
    if (FORM_DOCUMENTS.includes(doc.type)) {
      if (ticked.delete(doc.type)) documents.push(doc); // still ticked: keep it, with its other fields
    } else if (i === warrantIndex) {
      if ($("#warrant").checked) documents.push(readWarrant(doc));
    } else {
      documents.push(doc); // a type the form does not show (letter, subpoena, a second warrant …): kept
    }
  });
  for (const type of ticked) documents.push({ type });
  if ($("#warrant").checked && warrantIndex < 0) documents.push(readWarrant({ type: "warrant" }));
  if (documents.length) request.documents = documents;
  else delete request.documents; // nothing ticked: not known what was presented
}

function readWarrant(doc) {
  const tri = { yes: true, no: false };
  const fields = {
    signer: $("#warrant-signer").value || undefined,
    probable_cause: tri[$("#warrant-probable-cause").value],
    authorizes_immigration_custody: tri[$("#warrant-custody").value],
    presented_with_detainer: tri[$("#warrant-with-detainer").value],
  };
  const out = { ...doc };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** Put the case's values into the form (after loading a file, or after a question set a document field). */
function fillForm() {
  const known = ["", "DOC", "NYPD", "DOP"];
  // "Another agency" stays chosen while its code is still being typed.
  const other = !known.includes(theCase.agency || "") || ($("#agency").value === "other" && !theCase.agency);
  $("#agency").value = other ? "other" : theCase.agency || "";
  $("#agency-other").value = other ? theCase.agency || "" : "";
  $("#agency-other-field").hidden = $("#agency").value !== "other";
  $("#decision-date").value = theCase.decision_date || "";
  ensureOption($("#regime"), theCase.regime);
  $("#regime").value = theCase.regime || "";
  const request = theCase.request;
  $("#requester").value = request.from || "";
  const actions = new Set(request.actions || []);
  $$('input[name="action"]').forEach((box) => { box.checked = actions.has(box.value); });
  const documents = request.documents;
  const types = new Set((documents || []).map((d) => d.type));
  $$('input[name="document"]').forEach((box) => { box.checked = types.has(box.value); });
  $("#documents-none").checked = Array.isArray(documents) && documents.length === 0;
  const warrant = (documents || []).find((d) => d.type === "warrant");
  $("#warrant").checked = Boolean(warrant);
  $("#warrant-details").hidden = !warrant;
  const tri = (value) => (value === true ? "yes" : value === false ? "no" : "");
  $("#warrant-signer").value = warrant?.signer || "";
  $("#warrant-probable-cause").value = tri(warrant?.probable_cause);
  $("#warrant-custody").value = tri(warrant?.authorizes_immigration_custody);
  $("#warrant-with-detainer").value = tri(warrant?.presented_with_detainer);
  // Documents the form has no box for are listed, so the reader knows they are part of the case.
  const others = (documents || []).filter((d, i) => !FORM_DOCUMENTS.includes(d.type) && !(d.type === "warrant" && d === warrant));
  $("#other-documents").replaceChildren(
    others.length ? h("p", { class: "hint" }, "Also in the case (from the loaded file): ", others.map(describeDocument).join("; "), ".") : "",
  );
}

function ensureOption(select, value) {
  if (value && ![...select.options].some((o) => o.value === value)) select.append(h("option", { value }, value));
}

function describeDocument(doc) {
  const parts = [doc.type];
  if (doc.signer) parts.push(`signed by ${(SIGNERS[doc.signer] || doc.signer).replace(/^A/, "a").replace(/^Signer cannot/, "a signer who cannot")}`);
  if (doc.probable_cause !== undefined) parts.push(doc.probable_cause ? "on probable cause" : "not on probable cause");
  if (doc.authorizes_immigration_custody !== undefined) parts.push(doc.authorizes_immigration_custody ? "authorizing immigration custody" : "not authorizing immigration custody");
  if (doc.presented_with_detainer !== undefined) parts.push(doc.presented_with_detainer ? "presented with the detainer" : "not presented with the detainer");
  return parts.join(", ");
}

// ---------------------------------------------------------------- questions and the facts given

/** Record an answer (undefined = not known) and move its question to "Facts given". */
function answer(path, value, { redraw = true } = {}) {
  if (value === undefined) deletePath(theCase, path);
  else setPath(theCase, path, value);
  const covered = given.some((g) => path === g || path.startsWith(`${g}[`) || path.startsWith(`${g}.`));
  if (!covered && !isFormPath(path)) given.push(path);
  if (value !== undefined) opened.delete(path);
  if (isFormPath(path)) fillForm();
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

/** The editor for one fact: a fieldset whose legend is the question (or the fact's name), with an input
 * suited to the path. `prefix` keeps ids unique between the two sections. */
function editor(path, prefix, question = null) {
  const id = `${prefix}-${slug(path)}`;
  const name = parsePath(path).at(-1);
  const legend = question ? question.question : factWords(path);
  const words = factWords(path);
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
  if (FORM_FIELD.test(path)) {
    // Asked for by the form at the top: send the reader there instead of asking twice.
    const target = { "request.documents": 'input[name="document"]', "request.from": "#requester", "request.actions": 'input[name="action"]', decision_date: "#decision-date", regime: "#regime" }[path] || "#agency";
    box.append(h("button", { type: "button", class: "secondary", id: `${id}-go`, onclick: () => $(target)?.focus() }, "Answer in the form above"));
    return box;
  }
  const value = getPath(theCase, path);
  if (BOOLEAN_FACTS.has(name)) box.append(yesNoUnknown(id, value, (v) => answer(path, v, { redraw: !question })));
  else if (name === "convictions" || name === "pending_charges") box.append(...listEditor(path, id, name));
  else if (name === "incarceration") box.append(incarcerationEditor(getPath(theCase, path.replace(/\.incarceration$/, "")) || {}, id, () => answer(path, getPath(theCase, path))));
  else if (/_date$/.test(name)) box.append(dateInput(id, words, value, (v) => answer(path, v, { redraw: false })));
  else if (name === "purpose") box.append(selectInput(id, words, PURPOSES, value, (v) => answer(path, v, { redraw: !question })));
  else if (name === "signer") box.append(selectInput(id, words, SIGNERS, value, (v) => answer(path, v, { redraw: !question })));
  else if (name === "level") box.append(selectInput(id, words, LEVELS, value, (v) => answer(path, v, { redraw: !question })));
  else if (name === "court") box.append(selectInput(id, words, COURTS, value, (v) => answer(path, v, { redraw: !question })));
  else box.append(textInput(id, words, value, (v) => answer(path, v, { redraw: false })));
  if (!question) {
    box.append(h("p", {}, h("button", { type: "button", class: "secondary", id: `${id}-forget`, onclick: () => forget(path) }, "Make this fact unknown")));
  }
  return box;
}

function yesNoUnknown(id, value, onChange) {
  const current = value === true ? "yes" : value === false ? "no" : "unknown";
  const choice = (v, text) => h("label", {}, h("input", {
    type: "radio", name: id, id: `${id}-${v}`, value: v, checked: current === v,
    onchange: () => onChange(v === "yes" ? true : v === "no" ? false : undefined),
  }), text);
  return h("div", { class: "choices" }, choice("yes", "Yes"), choice("no", "No"), choice("unknown", "Not known"));
}

function dateInput(id, label, value, onChange) {
  return h("div", { class: "field" }, h("label", { for: `${id}-date` }, label),
    h("input", { type: "date", id: `${id}-date`, value: value || "", onchange: (e) => onChange(e.target.value || undefined) }));
}

// A judgment date: a full date, or only a year or a year and month (the contract's partial dates).
function partialDateInput(id, label, value, onChange) {
  return textInput(id, label, value, onChange, { hint: "YYYY-MM-DD, or only YYYY or YYYY-MM if that is all that is known", pattern: "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?" });
}

/** "Add a fact": any fact of the case, at any time, not only once a question asks for it. */
function drawAddFact() {
  const select = $("#add-fact-path");
  if (!select) return;
  const shown = new Set([...given, ...(explanation?.questions || []).map((q) => q.path)]);
  const choices = ADDABLE.filter((path) => !shown.has(path) && getPath(theCase, path) === undefined);
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

function textInput(id, label, value, onChange, { hint, list, pattern } = {}) {
  return h("div", { class: "field" }, h("label", { for: `${id}-text` }, label),
    h("input", { type: "text", id: `${id}-text`, value: value || "", list: list || null, pattern: pattern || null, "aria-describedby": hint ? `${id}-hint` : null,
      oninput: (e) => onChange(e.target.value.trim() || undefined) }),
    hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null);
}

function selectInput(id, label, options, value, onChange) {
  return h("div", { class: "field" }, h("label", { for: `${id}-select` }, label),
    h("select", { id: `${id}-select`, onchange: (e) => onChange(e.target.value || undefined) },
      h("option", { value: "" }, "Not known"),
      Object.entries(options).map(([v, text]) => h("option", { value: v, selected: v === value }, text))));
}

// A list of judgments or pending charges. "No judgments" sets [] (known: none), which is not the same as
// leaving the list unknown. Each item's fields are edited in place; only adding or removing redraws.
function listEditor(path, id, name) {
  const list = getPath(theCase, path);
  const noun = name === "convictions" ? "judgment" : "pending charge";
  const parts = [];
  if (Array.isArray(list) && list.length === 0) parts.push(h("p", {}, name === "convictions" ? "No judgments of conviction." : "No pending charges."));
  (list || []).forEach((item, i) => parts.push(itemEditor(path, `${id}-${i}`, name, item, i)));
  const buttons = h("div", { class: "toolbar" });
  if (list === undefined) {
    buttons.append(h("button", { type: "button", class: "secondary", id: `${id}-none`, onclick: () => answer(path, []) }, name === "convictions" ? "No judgments" : "No pending charges"));
  }
  buttons.append(h("button", {
    type: "button", class: "secondary", id: `${id}-add`,
    onclick: () => {
      answer(path, [...(getPath(theCase, path) || []), {}]);
      // Straight to the new item's first field.
      const n = getPath(theCase, path).length - 1;
      (document.getElementById(`${id}-${n}-charge-text`) || document.getElementById(`f-${slug(path)}-${n}-charge-text`))?.focus();
    },
  }, `Add a ${noun}`));
  parts.push(buttons);
  return parts;
}

function itemEditor(path, id, name, item, index) {
  const change = () => answer(path, getPath(theCase, path), { redraw: false });
  const set = (key) => (value) => { if (value === undefined) delete item[key]; else item[key] = value; change(); };
  const title = name === "convictions" ? `Judgment ${index + 1}` : `Pending charge ${index + 1}`;
  const card = h("fieldset", { class: "item-card" }, h("legend", {}, title),
    h("div", { class: "row" },
      textInput(`${id}-charge`, "Charge (law and section)", item.charge, set("charge"), { hint: "e.g. PL 160.15 or PL 265.02(3)" }),
      selectInput(`${id}-level`, "Felony, misdemeanor or violation", LEVELS, item.level, set("level")),
    ));
  if (name === "convictions") {
    card.append(h("div", { class: "row" },
      partialDateInput(`${id}-judgment`, "Date of the judgment", item.judgment_date, set("judgment_date")),
      selectInput(`${id}-court`, "Court of the judgment", COURTS, item.court, set("court")),
    ));
    card.append(incarcerationEditor(item, `${id}-inc`, change));
  } else {
    card.append(dateInput(`${id}-arrest`, "Arrest date on this charge", item.arrest_date, set("arrest_date")));
  }
  // Fields this editor does not show (from a loaded file) are kept, and listed so they are not a surprise.
  const shown = new Set(["charge", "level", "judgment_date", "court", "incarceration", "arrest_date"]);
  const extra = Object.entries(item).filter(([key]) => !shown.has(key));
  if (extra.length) card.append(h("p", { class: "hint" }, "Also given: ", extra.map(([k, v]) => `${k.replace(/_/g, " ")}: ${JSON.stringify(v)}`).join("; ")));
  card.append(h("button", {
    type: "button", class: "secondary", id: `${id}-remove`,
    onclick: () => { getPath(theCase, path).splice(index, 1); answer(path, getPath(theCase, path)); },
  }, `Remove ${title.toLowerCase()}`));
  return card;
}

// Custody on the case of a judgment: none ([]), not known (absent), or one period from–to. A period is
// written into the case only once both dates are given (the format requires both).
function incarcerationEditor(item, id, change) {
  const periods = item.incarceration;
  const mode = Array.isArray(periods) ? (periods.length ? "period" : "none") : periodWanted.has(item) ? "period" : "unknown";
  const first = (periods && periods[0]) || {};
  const from = h("input", { type: "date", id: `${id}-from`, value: first.from || "" });
  const to = h("input", { type: "date", id: `${id}-to`, value: first.to || "" });
  const dates = h("div", { class: "row sub", hidden: mode !== "period" },
    h("div", { class: "field" }, h("label", { for: `${id}-from` }, "From"), from),
    h("div", { class: "field" }, h("label", { for: `${id}-to` }, "To"), to));
  const update = () => {
    const chosen = $(`input[name="${id}"]:checked`, group)?.value;
    dates.hidden = chosen !== "period";
    if (chosen === "period") periodWanted.add(item);
    else periodWanted.delete(item);
    if (chosen === "none") item.incarceration = [];
    else if (chosen === "period" && from.value && to.value) item.incarceration = [{ from: from.value, to: to.value }, ...((periods || []).slice(1))];
    else delete item.incarceration;
    change();
  };
  from.addEventListener("change", update);
  to.addEventListener("change", update);
  const choice = (v, text) => h("label", {}, h("input", { type: "radio", name: id, id: `${id}-${v}`, value: v, checked: mode === v, onchange: update }), text);
  const group = h("fieldset", { class: "item-card" }, h("legend", {}, "Custody on this case (before and after judgment)"),
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
    markInvalid(error.problems || []);
    setStatus("The case has a problem; see the list beside the form. The outcomes shown are from before it.");
  } finally {
    if (mine === sequence) $("#outcomes-section").removeAttribute("aria-busy");
  }
}

/** Mark the inputs a 422 names, so the problem is found next to the field as well as in the list. */
function markInvalid(problems) {
  $$("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const fields = { agency: "#agency", decision_date: "#decision-date", regime: "#regime", "request.from": "#requester", "request.actions": "#actions", "request.documents": "#documents" };
  for (const { path } of problems) {
    const bare = (path || "").replace(/^case\.?/, "");
    const key = Object.keys(fields).find((k) => bare === k || bare.startsWith(`${k}[`) || bare.startsWith(`${k}.`));
    let el = key ? $(fields[key]) : null;
    if (!el) el = $$("#facts [data-path], #questions [data-path]").find((box) => bare.startsWith(box.dataset.path));
    if (key === "agency" && $("#agency").value === "other") el = $("#agency-other");
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
  const adds = (c) => c.changes.filter((x) => x.path.endsWith("[+]") || /(convictions|pending_charges)$/.test(x.path)).length;
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

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

// ---------------------------------------------------------------- the memo (printed)

function drawMemo() {
  const c = theCase;
  const yes = (v) => (v === true ? "yes" : v === false ? "no" : "not known");
  const list = (items, say) => (items === undefined ? "not known" : items.length ? items.map(say).join("; ") : "none");
  const judgment = (j) => [j.charge, j.level, j.judgment_date && `judgment ${j.judgment_date}`, j.court && `court ${j.court}`,
    j.incarceration === undefined ? "custody not known" : j.incarceration.length ? `custody ${j.incarceration.map((p) => `${p.from}–${p.to}`).join(", ")}` : "no custody"].filter(Boolean).join(", ");
  const charge = (x) => [x.charge, x.level, x.arrest_date && `arrested ${x.arrest_date}`].filter(Boolean).join(", ");
  const p = c.person || {};
  const rows = [
    ["Agency", c.agency], ["Decision date", c.decision_date], ["Law applied", explanation?.regime ? `${explanation.regime.id} (${explanation.regime.status})` : c.regime || "in force on the decision date"],
    ["Requested by", c.request.from || "not known"],
    ["Presented", list(c.request.documents, describeDocument)],
    ["Asked for", (c.request.actions || []).join(", ")],
    ["Arrest date (current case)", p.instant_arrest_date || "not known"],
    ["Judgments of conviction", list(p.convictions, judgment)],
    ["Pending charges", list(p.pending_charges, charge)],
    ["Terrorist screening database match", yes(p.tsdb_possible_match)],
    ["Re-entry after removal", yes(p.reentered_after_removal)],
    ["Gang database", yes(p.gang_database)],
  ];
  if (c.request.immigration_enforcement_duties !== undefined) rows.push(["Requester's duties include immigration enforcement", yes(c.request.immigration_enforcement_duties)]);
  if (c.request.purpose) rows.push(["Purpose", PURPOSES[c.request.purpose] || c.request.purpose]);
  $("#memo-title").textContent = `Memo: ${c.agency || "agency"} — request of ${c.decision_date || "(no date)"}`;
  $("#memo-facts").replaceChildren(h("h2", {}, "The facts"), h("dl", {}, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])), h("h2", {}, "The outcomes"));
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
    ...["immigration_enforcement_duties", "purpose", "mayoral_executive_order"].filter((k) => k in theCase.request).map((k) => `request.${k}`),
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
  $("#outcomes").replaceChildren();
  $("#provenance").textContent = "";
  $("#regime-applied").textContent = "";
  clearError($("#problems"));
  drawFacts();
  preview();
  $("#agency").focus();
}

// ---------------------------------------------------------------- start

function start() {
  const form = $("#case-form");
  form.addEventListener("submit", (e) => e.preventDefault());
  // "Nothing was presented" and the document boxes exclude each other.
  form.addEventListener("change", (e) => {
    if (e.target.id === "documents-none" && e.target.checked) {
      $$('input[name="document"], #warrant').forEach((box) => { box.checked = false; });
      theCase.request.documents = [];
    } else if ((e.target.name === "document" || e.target.id === "warrant") && e.target.checked) {
      $("#documents-none").checked = false;
    }
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
  // The regimes for "Law applied": optional, so the page works without them.
  api("GET", "/v1/law").then((law) => {
    actionNames = Object.fromEntries((law.actions || []).map((a) => [a.id, a.name]));
    if (explanation) drawOutcomes(explanation);
    for (const r of law.regimes || []) {
      if (![...$("#regime").options].some((o) => o.value === r.id)) $("#regime").append(h("option", { value: r.id }, `${r.id} (${r.status}) — ${r.title}`));
    }
    $("#regime").value = theCase.regime || "";
  }).catch(() => {});
  fillForm();
  readForm();
  drawFacts();
  preview();
}

start();
