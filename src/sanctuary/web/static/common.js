// Shared helpers for the three pages: building elements, calling the service, showing its errors, and
// drawing a node of a rule tree (the law browser's unevaluated tree and the workbench's evaluated one).
// No framework: every element is built with h() below, which sets text with textContent, so nothing the
// service or a loaded file says is ever parsed as HTML (the only exception is the comparison's charts,
// inserted on purpose in compare.js).

/** Build an element: h("p", {class: "x"}, "text", otherElement). Attributes starting with "on" are
 * listeners; `false`/`null` attributes and children are skipped, so conditions can be written inline. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name in el && typeof value !== "string") el[name] = value; // e.g. checked, selected, value
    else el.setAttribute(name, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === false || child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** An error from the service, with its problems as a list of {path, message}. */
export class ApiError extends Error {
  constructor(status, problems) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; "));
    this.status = status;
    this.problems = problems;
  }
}

/** Call the service and return the parsed JSON. Errors become an ApiError whose problems always have the
 * same shape, whatever went wrong (a problem document's field problems or its words, or a network failure). */
export async function api(method, url, { json, body, headers = {} } = {}) {
  const init = { method, headers: { Accept: "application/json, application/problem+json", ...headers } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
    init.headers["Content-Type"] = "application/octet-stream";
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new ApiError(0, [{ path: "", message: `The service could not be reached (${err.message}).` }]);
  }
  if (response.ok) return response.json().catch(() => null);
  throw await errorOf(response);
}

/** The ApiError of a failed answer. The service answers every error with an RFC 9457 problem document
 * (application/problem+json, docs/service.md): its field problems are in `errors` (bad input: each with its
 * path), its words in `detail`. Anything else (a proxy's error page) gets words by status. */
export async function errorOf(response) {
  let data = null;
  try {
    data = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's error page): fall through with data = null.
  }
  return new ApiError(response.status, problemsOf(response.status, data));
}

function problemsOf(status, data) {
  if (data && Array.isArray(data.errors) && data.errors.length) {
    return data.errors.map((p) => ({ path: p.path ?? "", message: p.message ?? JSON.stringify(p) }));
  }
  const words = {
    401: "An API key is needed (analyst or admin).",
    403: "This API key may not do this (an analyst or admin key is needed).",
    404: "Not found.",
    413: "The file is too large.",
  };
  let message = words[status] || `The service answered ${status}.`;
  const detail = data && typeof data.detail === "string" ? data.detail : "";
  if (detail) message = status === 401 || status === 403 ? `${message} The service says: ${detail}` : detail;
  return [{ path: "", message }];
}

/** Show an error in a container (a role="alert" element): a list of problems, each with its path. */
export function showError(container, error) {
  container.replaceChildren();
  container.hidden = false;
  const problems = error instanceof ApiError ? error.problems : [{ path: "", message: String(error.message || error) }];
  const status = error instanceof ApiError && error.status ? ` (HTTP ${error.status})` : "";
  container.append(
    h("p", {}, h("strong", {}, problems.length > 1 ? `${problems.length} problems${status}:` : `Problem${status}:`)),
    h("ul", {}, problems.map((p) => h("li", {}, p.path ? h("code", {}, p.path) : null, p.path ? " — " : null, p.message))),
  );
}

export function clearError(container) {
  container.replaceChildren();
  container.hidden = true;
}

// Words, not colour alone: every result is also written out.
export const RESULT_WORDS = {
  permitted: "Permitted",
  prohibited: "Prohibited",
  undetermined: "Undetermined",
  invalid: "Invalid",
};
const RESULT_MARKS = { permitted: "✓", prohibited: "✕", undetermined: "?", invalid: "!" };

export function resultBadge(result) {
  return h(
    "span",
    { class: `badge r-${result}` },
    h("span", { "aria-hidden": "true" }, RESULT_MARKS[result] || ""),
    " ",
    RESULT_WORDS[result] || result,
  );
}

// The explanation and the law browser name node kinds (All, Any, ...; law/tree.py KINDS): in words here.
const KIND_WORDS = { All: "all of", Any: "any of", Not: "not", When: "when", ForSome: "for some", Leaf: "test", Always: "always" };
export const kindWords = (kind) => KIND_WORDS[kind] || kind || "";

const VALUE_WORDS = { true: "holds", false: "does not hold", unknown: "not known" };

/** A clause: its citation as the summary; the statute's words on demand. Clauses without words (federal
 * law, proposals) are shown as a plain citation. */
export function clauseElement(clause) {
  if (!clause.words) return h("p", { class: "clause cite" }, clause.cite, h("span", { class: "muted" }, " (no text held)"));
  return h(
    "details",
    { class: "clause" },
    h("summary", {}, clause.cite),
    h("blockquote", {}, clause.words),
  );
}

/** One node of a rule tree and its children, as nested list items. With `evaluated`, the node's value
 * (holds / does not hold / not known) is shown, with the reason and the facts read or missing. The
 * statute's words sit in a second column on wide screens (see .node in style.css). */
export function treeNode(node, { evaluated = false } = {}) {
  const value = evaluated ? String(node.value) : null;
  const rule = h(
    "div",
    { class: "rule" },
    h("span", { class: "kind" }, kindWords(node.kind)),
    " ",
    node.item ? h("span", { class: "item" }, `${node.item} — `) : null,
    h(node.deciding ? "strong" : "span", { class: "title" }, node.title),
    value ? h("span", { class: `value v-${value}` }, ` — ${VALUE_WORDS[value] || value}`) : null,
    node.deciding && evaluated ? h("span", { class: "visually-hidden" }, " (the outcome rests on this)") : null,
    node.reason && (node.kind === "Leaf" || node.kind === "Always") ? h("div", { class: "reason" }, node.reason) : null,
    node.facts && node.facts.length ? h("div", { class: "facts muted" }, "Facts read: ", node.facts.join(", ")) : null,
    node.missing && node.missing.length ? h("div", { class: "missing" }, "Missing: ", node.missing.join(", ")) : null,
    node.collection && !evaluated ? h("div", { class: "muted" }, "Over each item of ", h("code", {}, node.collection)) : null,
    node.limits ? h("div", { class: "limits" }, "Limit: ", limitsText(node.limits)) : null,
  );
  const clauses = h("div", { class: "clauses" }, (node.clauses || []).map(clauseElement));
  const children = node.children && node.children.length
    ? h("ul", { class: "tree" }, node.children.map((child) => treeNode(child, { evaluated })))
    : null;
  const classes = ["node", value ? `v-${value}` : "", node.deciding ? "deciding" : ""].filter(Boolean).join(" ");
  return h("li", { class: classes, dataset: { id: node.id || "" } }, h("div", { class: "node-row" }, rule, clauses), children);
}

/** A limit in words: {"max_hours": 48, "excluding": ["saturday", ...]} → "at most 48 hours, excluding ...". */
export function limitsText(limits) {
  if (!limits || typeof limits !== "object") return String(limits ?? "");
  const parts = [];
  if (limits.max_hours !== undefined) parts.push(`at most ${limits.max_hours} hours`);
  if (limits.excluding && limits.excluding.length) parts.push(`not counting ${limits.excluding.join(", ")}`);
  for (const [key, value] of Object.entries(limits)) {
    if (key !== "max_hours" && key !== "excluding") parts.push(`${key.replace(/_/g, " ")}: ${JSON.stringify(value)}`);
  }
  return parts.join(", ");
}

/** A warning may be a sentence (explanation) or {title, clauses} (law browser). */
export function warningElement(warning) {
  if (typeof warning === "string") return h("li", {}, warning);
  return h("li", {}, warning.title || warning.text || JSON.stringify(warning), (warning.clauses || []).map(clauseElement));
}

/** Fill a <select> with options [{id, name}], keeping the current choice when it still exists. */
export function fillSelect(select, items, { label = (x) => `${x.id} — ${x.name}` } = {}) {
  const current = select.value;
  select.replaceChildren(...items.map((x) => h("option", { value: x.id }, label(x))));
  if (items.some((x) => x.id === current)) select.value = current;
}

/** A simple table from a header and rows; cells that are numbers are right-aligned. */
export function table(header, rows, { caption } = {}) {
  const cell = (value, tag) => {
    const numeric = typeof value === "number" || /^[\d,]+( \/ [\d,]+)?$/.test(String(value));
    return h(tag, { class: numeric && tag === "td" ? "n" : null, scope: tag === "th" ? "col" : null }, typeof value === "number" ? value.toLocaleString("en-US") : value);
  };
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, header.map((x) => cell(x, "th")))),
      h("tbody", {}, rows.map((row) => h("tr", {}, row.map((x) => cell(x, "td"))))),
    ),
  );
}

/** Wait until `ms` have passed without another call, then run `fn` (for live previews while typing). */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
