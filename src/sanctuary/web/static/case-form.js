// The case form, built from the jurisdiction's case format (GET /v1/form/case): no field, word or value of any
// jurisdiction is written here. The service describes every field of the case by path (a list's item written
// "person.convictions[].charge") with its control — a select for a closed list, a date input for a date, three
// choices for a yes-or-no fact (not known, yes, no: never a guess), a repeatable group for a list of items — and
// its words; the pack's hint orders them into the groups at the top. This module draws those controls, reads the
// case out of them and puts the case back into them; workbench.js does the rest.

import { h } from "./common.js";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export const slug = (text) => text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
export const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const TRI = { yes: true, no: false };
const triValue = (value) => (value === true ? "yes" : value === false ? "no" : "");

// ---------------------------------------------------------------- paths ("person.convictions[0].level")

export function parsePath(path) {
  return path.replace(/\[(\d+)\]/g, ".$1").replace(/\[\+\]/g, "").split(".");
}
export function getPath(object, path) {
  return parsePath(path).reduce((node, key) => (node == null ? undefined : node[key]), object);
}
export function setPath(object, path, value) {
  const keys = parsePath(path);
  let node = object;
  keys.slice(0, -1).forEach((key, i) => {
    if (node[key] == null) node[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key];
  });
  node[keys.at(-1)] = value;
}
export function deletePath(object, path) {
  const keys = parsePath(path);
  const parent = keys.length > 1 ? getPath(object, keys.slice(0, -1).join(".")) : object;
  if (parent && typeof parent === "object") delete parent[keys.at(-1)];
}
/** A path with its list indexes written [] (how the form names a field): person.convictions[0].level → …[].level */
export const generic = (path) => path.replace(/\[(\d+|\+)\]/g, "[]");

// ---------------------------------------------------------------- the form's description

let form = { fields: {}, groups: [], facts: [], memo: [] };

export async function loadForm(api) {
  form = await api("GET", "/v1/form/case");
  return form;
}
export const describedForm = () => form;
/** A field's description, for any path (an item's included); null for a path the case format has not. */
export const fieldOf = (path) => form.fields[generic(path)] || null;
/** The fields of the form at the top, in order. */
export const topPaths = () => form.groups.flatMap((g) => g.rows.flat());
/** Whether a path is a field of the form at the top (asked there, not below). */
export const isTopField = (path) => topPaths().includes(path);
/** Whether a path is a field of the form at the top or a part of one (a document's signer). */
export const isTopPart = (path) => topPaths().some((p) => path === p || path.startsWith(`${p}[`) || path.startsWith(`${p}.`));
/** The list a path of an item belongs to, and the item's index: "person.convictions[1].level" → [convictions, 1]. */
function itemOf(path) {
  const match = path.match(/^(.*)\[(\d+)\][^[\]]*$/);
  return match ? [match[1], Number(match[2])] : null;
}

/** A fact's name in words: "Date of the judgment (judgment 1)". */
export function factWords(path) {
  const described = fieldOf(path);
  const name = parsePath(path).at(-1);
  const base = described?.label || capital(name.replace(/_/g, " "));
  const item = itemOf(path);
  if (!item || generic(path) === generic(item[0])) return base;
  const noun = fieldOf(item[0])?.noun || "item";
  return `${base} (${noun} ${item[1] + 1})`;
}

/** The words of a value of a closed list, or the value itself. */
export function choiceWords(described, value) {
  return described?.choices?.find((c) => c.value === value)?.words ?? String(value);
}
const lower = (text) => (/^[A-Z]([a-z ]|$)/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);

/** One value inside a sentence, as the pack says it ("judgment 2019-05-01", "signed by a state judge"). */
function sayValue(described, value) {
  if (typeof value === "boolean") {
    const said = value ? described.say_yes : described.say_no;
    return said || `${lower(described.label)}: ${value ? "yes" : "no"}`;
  }
  let text = String(value);
  if (described.control === "periods") {
    text = value === undefined ? "not known" : value.length ? value.map((p) => `${p.from}–${p.to}`).join(", ") : null;
    if (text === null) return described.none || "none";
  } else if (Array.isArray(value)) {
    text = value.join(", ");
  }
  if (!described.say) return text;
  return described.say.replace("{words}", lower(choiceWords(described, value))).replace("{}", text);
}

/** An item of a list in one line: its fields in the form's order, each as the pack says it. */
export function describeItem(listPath, item) {
  const list = fieldOf(listPath);
  const names = [...new Set([...(list?.rows || []).flat(), ...Object.keys(item)])];
  const parts = [];
  for (const name of names) {
    const described = fieldOf(`${generic(listPath)}[].${name}`) || { label: name.replace(/_/g, " ") };
    if (item[name] === undefined && described.control !== "periods") continue; // unknown: said only of custody
    parts.push(sayValue(described, item[name]));
  }
  return parts.join(", ");
}

/** A fact's value in words, for the memo. */
export function valueWords(path, value) {
  const described = fieldOf(path) || {};
  if (value === undefined) return "not known";
  if (described.say) return sayValue(described, value); // the pack's way of saying it ("DOC", not its full name)
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (described.control === "checkboxes") return value.join(", ");
  if (Array.isArray(value)) return value.length ? value.map((item) => (typeof item === "object" ? describeItem(path, item) : String(item))).join("; ") : "none";
  return described.choices?.length ? choiceWords(described, value) : String(value);
}

// ---------------------------------------------------------------- inputs (each labelled with the fact's words)

export function textInput(id, label, value, onChange, { hint, pattern, strings = false } = {}) {
  const shown = Array.isArray(value) ? value.join(", ") : value || "";
  const read = (text) => {
    const trimmed = text.trim();
    if (!trimmed) return undefined;
    return strings ? trimmed.split(",").map((s) => s.trim()).filter(Boolean) : trimmed;
  };
  return h("div", { class: "field" }, h("label", { for: `${id}-text` }, label),
    h("input", { type: "text", id: `${id}-text`, value: shown, pattern: pattern || null, "aria-describedby": hint ? `${id}-hint` : null,
      oninput: (e) => onChange(read(e.target.value)) }),
    hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null);
}

export function selectInput(id, label, choices, value, onChange, { none = "Not known", hint } = {}) {
  return h("div", { class: "field" }, h("label", { for: `${id}-select` }, label),
    h("select", { id: `${id}-select`, "aria-describedby": hint ? `${id}-hint` : null, onchange: (e) => onChange(e.target.value || undefined) },
      h("option", { value: "" }, none),
      choices.map((c) => h("option", { value: c.value, selected: c.value === value }, c.words))),
    hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null);
}

export function dateInput(id, label, value, onChange, { hint } = {}) {
  return h("div", { class: "field" }, h("label", { for: `${id}-date` }, label),
    h("input", { type: "date", id: `${id}-date`, value: value || "", "aria-describedby": hint ? `${id}-hint` : null,
      onchange: (e) => onChange(e.target.value || undefined) }),
    hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null);
}

/** Yes, no or not known: "not known" removes the fact (an absent fact is unknown, never false). */
export function yesNoUnknown(id, value, onChange) {
  const current = value === true ? "yes" : value === false ? "no" : "unknown";
  const choice = (v, text) => h("label", {}, h("input", {
    type: "radio", name: id, id: `${id}-${v}`, value: v, checked: current === v,
    onchange: () => onChange(v === "yes" ? true : v === "no" ? false : undefined),
  }), text);
  return h("div", { class: "choices" }, choice("yes", "Yes"), choice("no", "No"), choice("unknown", "Not known"));
}

/** The input a field's control calls for, inside an editor below the form (questions, facts, items). */
export function input(described, id, label, value, onChange) {
  const hint = described?.hint;
  switch (described?.control) {
    case "tristate": return yesNoUnknown(id, value, onChange);
    case "date": return dateInput(id, label, value, onChange, { hint });
    case "partial_date": return textInput(id, label, value, onChange, { hint, pattern: described.pattern });
    case "select": return selectInput(id, label, described.choices, value, onChange, { none: described.none, hint });
    case "strings": return textInput(id, label, value, onChange, { hint: hint || "Separated by commas", strings: true });
    default: return textInput(id, label, value, onChange, { hint, pattern: described?.pattern });
  }
}

// ---------------------------------------------------------------- the form at the top

/** Draw the groups at the top from the description, in the pack's order and words. */
export function buildForm(container) {
  container.replaceChildren(...form.groups.map((group, i) => {
    const hintId = group.hint ? `group-${i}-hint` : null;
    const alone = group.rows.length === 1 && group.rows[0].length === 1;
    return h("fieldset", { id: `group-${i}` }, h("legend", {}, group.legend),
      group.hint ? h("p", { class: "hint", id: hintId }, group.hint) : null,
      group.rows.map((row) => {
        const parts = row.map((path) => topControl(path, { alone, hintId }));
        return row.length > 1 ? h("div", { class: "row" }, parts) : parts;
      }));
  }));
  container.removeAttribute("aria-busy");
}

function topControl(path, { alone, hintId }) {
  const described = fieldOf(path);
  const id = slug(path);
  if (!described) return null;
  const hint = described.hint;
  const helped = { "aria-describedby": hint ? `${id}-hint` : null };
  const help = hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null;
  const labelled = (control) => [h("div", { class: "field" }, h("label", { for: id }, described.label), control, help)];
  switch (described.control) {
    case "checkboxes":
    case "checklist": {
      const boxes = checkboxes(path, described, id, hintId);
      return [alone ? null : h("p", {}, described.label), ...boxes];
    }
    case "date":
    case "partial_date":
      return labelled(h("input", { type: described.control === "date" ? "date" : "text", id, name: path, pattern: described.control === "date" ? null : described.pattern, ...helped }));
    case "text":
    case "strings":
      return labelled(h("input", { type: "text", id, name: path, pattern: described.pattern || null, ...helped }));
    case "tristate":
      return labelled(triSelect(id, path, helped));
    case "regime":
      return labelled(h("select", { id, name: path, ...helped }, h("option", { value: "" }, described.none || "The law in force on the decision date")));
    default:
      return selectControl(path, described, id, helped, help);
  }
}

function triSelect(id, name, attrs = {}) {
  return h("select", { id, name, ...attrs }, h("option", { value: "" }, "Not known"), h("option", { value: "yes" }, "Yes"), h("option", { value: "no" }, "No"));
}

function selectControl(path, described, id, helped, help) {
  const none = described.none || (described.required ? "Choose…" : "Not known");
  const select = h("select", { id, name: path, required: described.required, ...helped }, h("option", { value: "" }, none),
    described.choices.map((c) => h("option", { value: c.value }, c.words)),
    described.other ? h("option", { value: "other" }, described.other) : null);
  const parts = [h("div", { class: "field" }, h("label", { for: id }, described.label), select, help)];
  if (described.other) {
    const otherHint = described.other_hint ? h("span", { class: "hint", id: `${id}-other-hint` }, described.other_hint) : null;
    parts.push(h("div", { class: "field", id: `${id}-other-field`, hidden: true },
      h("label", { for: `${id}-other` }, described.other_label || "Code"),
      h("input", { type: "text", id: `${id}-other`, name: `${path}-other`, autocapitalize: "characters", size: "10",
        pattern: described.pattern || null, "aria-describedby": otherHint ? `${id}-other-hint` : null }), otherHint));
    return [h("div", { class: "row" }, parts)]; // the code's input beside the list, where it appears
  }
  return parts;
}

/** A closed list to tick (the actions), or a list of items told apart by one field (the documents presented):
 * one box per value; a ticked value with details asks them below it; "none" says the list is known to be empty. */
function checkboxes(path, described, id, hintId) {
  const boxes = described.choices.map((c) => {
    const details = described.details?.[c.value];
    const boxId = `${id}-${slug(c.value)}`;
    return h("label", {}, h("input", { type: "checkbox", id: boxId, name: path, value: c.value,
      "aria-controls": details ? `${boxId}-details` : null }), ` ${c.words}`);
  });
  const parts = [h("div", { class: "stack", "aria-describedby": hintId }, boxes)];
  if (described.control !== "checklist") return parts;
  for (const [value, names] of Object.entries(described.details || {})) {
    const boxId = `${id}-${slug(value)}`;
    parts.push(h("div", { class: "sub", id: `${boxId}-details`, hidden: true }, names.map((name) => detailControl(path, `${boxId}-${slug(name)}`, name))));
  }
  parts.push(h("div", { class: "stack" }, h("label", {}, h("input", { type: "checkbox", id: `${id}-none`, name: `${path}-none` }), ` ${described.none_button}`)));
  parts.push(h("div", { id: `${id}-others` }));
  return parts;
}

function detailControl(listPath, id, name) {
  const described = fieldOf(`${listPath}[].${name}`) || { label: name, control: "text" };
  const control = described.control === "tristate" ? triSelect(id, name)
    : described.control === "select" ? h("select", { id, name }, h("option", { value: "" }, described.none || "Not known"), described.choices.map((c) => h("option", { value: c.value }, c.words)))
      : h("input", { type: described.control === "date" ? "date" : "text", id, name });
  return h("div", { class: "field" }, h("label", { for: id }, described.label), control);
}

/** The key that tells a checklist's items apart: its item's first field ("type"). */
const keyOf = (described) => described.rows?.[0]?.[0] || "type";

/** Read the form into the case. A list's items keep their position and any field the form does not show. */
export function readForm(theCase) {
  for (const path of topPaths()) {
    const described = fieldOf(path);
    if (!described) continue;
    const id = slug(path);
    if (described.control === "checkboxes") {
      const ticked = $$(`input[type=checkbox][name="${path}"]:checked`).map((box) => box.value);
      if (ticked.length || described.required) setPath(theCase, path, ticked);
      else deletePath(theCase, path);
    } else if (described.control === "checklist") {
      readChecklist(theCase, path, described, id);
    } else {
      const value = readScalar(described, id);
      if (value === undefined) deletePath(theCase, path);
      else setPath(theCase, path, value);
    }
  }
}

function readScalar(described, id) {
  const el = document.getElementById(id);
  if (!el) return undefined;
  if (described.other) {
    $(`#${id}-other-field`).hidden = el.value !== "other";
    if (el.value === "other") return $(`#${id}-other`).value.trim().toUpperCase() || undefined;
  }
  if (described.control === "tristate") return TRI[el.value];
  if (described.control === "strings") return el.value.trim() ? el.value.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
  return el.value.trim() || undefined;
}

function readChecklist(theCase, path, described, id) {
  const key = keyOf(described);
  const shown = new Set(described.choices.map((c) => c.value));
  const old = getPath(theCase, path) || [];
  for (const value of Object.keys(described.details || {})) {
    const details = $(`#${id}-${slug(value)}-details`);
    if (details) details.hidden = !$(`#${id}-${slug(value)}`)?.checked;
  }
  if ($(`#${id}-none`).checked) {
    setPath(theCase, path, []);
    return;
  }
  const ticked = new Set($$(`input[type=checkbox][name="${path}"]:checked`).map((box) => box.value));
  const items = [];
  const detailed = new Set();
  for (const item of old) {
    const value = item[key];
    if (!shown.has(value)) items.push(item); // a value the form has no box for (from a loaded file): kept
    else if (described.details?.[value] && !detailed.has(value)) {
      detailed.add(value); // the first item of a detailed value is the one the form edits; any further one is kept
      if (ticked.delete(value)) items.push(readDetails(path, described, id, item));
    } else if (described.details?.[value]) items.push(item);
    else if (ticked.delete(value)) items.push(item); // still ticked: kept, with its other fields
  }
  for (const value of described.choices.map((c) => c.value)) {
    if (ticked.has(value)) items.push(described.details?.[value] ? readDetails(path, described, id, { [key]: value }) : { [key]: value });
  }
  if (items.length) setPath(theCase, path, items);
  else deletePath(theCase, path); // nothing ticked: not known
}

function readDetails(path, described, id, item) {
  const out = { ...item };
  for (const name of described.details[item[keyOf(described)]]) {
    const sub = fieldOf(`${path}[].${name}`) || {};
    const el = document.getElementById(`${id}-${slug(item[keyOf(described)])}-${slug(name)}`);
    if (!el) continue;
    const value = sub.control === "tristate" ? TRI[el.value] : el.value || undefined;
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** Put the case's values into the form (after loading a file, or after a question set a part of it). */
export function fillForm(theCase) {
  for (const path of topPaths()) {
    const described = fieldOf(path);
    if (!described) continue;
    const id = slug(path);
    const value = getPath(theCase, path);
    if (described.control === "checkboxes") {
      const values = new Set(value || []);
      $$(`input[type=checkbox][name="${path}"]`).forEach((box) => { box.checked = values.has(box.value); });
    } else if (described.control === "checklist") {
      fillChecklist(path, described, id, value);
    } else {
      fillScalar(described, id, value);
    }
  }
}

function fillScalar(described, id, value) {
  const el = document.getElementById(id);
  if (!el) return;
  if (described.other) {
    const known = ["", ...described.choices.map((c) => c.value)];
    // "Another …" stays chosen while its code is still being typed.
    const other = !known.includes(value || "") || (el.value === "other" && !value);
    setValue(el, other ? "other" : value || "");
    setValue($(`#${id}-other`), other ? value || "" : "");
    $(`#${id}-other-field`).hidden = !other;
    return;
  }
  if (el.tagName === "SELECT") ensureOption(el, described.control === "tristate" ? "" : value);
  setValue(el, described.control === "tristate" ? triValue(value) : Array.isArray(value) ? value.join(", ") : value || "");
}

/** Set a control's value where it differs. A date input half typed reads as "" and is cleared (as the case holds
 * no date), so what is typed next starts a new date rather than editing a stale one. */
function setValue(el, value) {
  if (el.value !== value || value === "") el.value = value;
}

export function ensureOption(select, value) {
  if (value && ![...select.options].some((o) => o.value === value)) select.append(h("option", { value }, value));
}

function fillChecklist(path, described, id, items) {
  const key = keyOf(described);
  const values = new Set((items || []).map((d) => d[key]));
  $$(`input[type=checkbox][name="${path}"]`).forEach((box) => { box.checked = values.has(box.value); });
  $(`#${id}-none`).checked = Array.isArray(items) && items.length === 0;
  const edited = new Set();
  for (const [value, names] of Object.entries(described.details || {})) {
    const item = (items || []).find((d) => d[key] === value);
    if (item) edited.add(item);
    $(`#${id}-${slug(value)}-details`).hidden = !item;
    for (const name of names) {
      const sub = fieldOf(`${path}[].${name}`) || {};
      const el = document.getElementById(`${id}-${slug(value)}-${slug(name)}`);
      if (el.tagName === "SELECT" && sub.control !== "tristate") ensureOption(el, item?.[name]);
      setValue(el, sub.control === "tristate" ? triValue(item?.[name]) : item?.[name] || "");
    }
  }
  // Items the form has no box for are listed, so the reader knows they are part of the case.
  const shown = new Set(described.choices.map((c) => c.value));
  const others = (items || []).filter((d) => !shown.has(d[key]) || (described.details?.[d[key]] && !edited.has(d)));
  $(`#${id}-others`).replaceChildren(
    others.length ? h("p", { class: "hint" }, "Also in the case (from the loaded file): ", others.map((d) => describeItem(path, d)).join("; "), ".") : "",
  );
}

/** The control to focus for a field of the form at the top (its first box for a list to tick). */
export function topTarget(path) {
  const id = slug(path);
  if (fieldOf(path)?.other && $(`#${id}`)?.value === "other") return $(`#${id}-other`);
  return document.getElementById(id) || $(`input[name="${path}"]`);
}

/** What the form's "change" does before reading: a checklist's "none" and its boxes exclude each other. */
export function exclusive(target) {
  for (const path of topPaths()) {
    if (fieldOf(path)?.control !== "checklist") continue;
    const id = slug(path);
    if (target.id === `${id}-none` && target.checked) {
      $$(`input[type=checkbox][name="${path}"]`).forEach((box) => { box.checked = false; });
    } else if (target.name === path && target.checked) {
      $(`#${id}-none`).checked = false;
    }
  }
}
