// The docket page: the queue (holds past their limit, holds running, releases due, undetermined matters,
// overrides) and one matter at a time (its decision, its clock, what to check next, its timeline), over the
// service's /v1/requests routes with an officer key. Every element is built with h(): nothing the service
// says is parsed as HTML.
import { api, clearError, h, limitsText, resultBadge, showError } from "/static/common.js";

const KEY = "sanctuary.officerKey"; // sessionStorage only: gone when the tab closes
const $ = (selector) => document.querySelector(selector);
const SECTIONS = [
  ["overdue", "Holds past their limit"],
  ["holds", "Holds running"],
  ["due", "Releases due"],
  ["undetermined", "Undetermined: facts missing"],
  ["overrides", "Recorded over the decision (overrides)"],
];
const CLOCK_WORDS = {
  running: "Running",
  warning: "Running — limit near",
  overdue: "PAST THE LIMIT",
  ended: "Ended within the limit",
  ended_past_limit: "Ended PAST the limit",
};
let current = null;

const headers = () => ({ "X-API-Key": $("#officer-key").value.trim() });
const when = (iso) => (iso ? iso.replace("T", " ").slice(0, 16) : "—");

function clockText(clock) {
  if (!clock || !clock.status) return "No hold recorded";
  const words = CLOCK_WORDS[clock.status] || clock.status;
  if (!clock.limit) return `${words} (no limit of hours in the law in force)`;
  const left = clock.hours_left >= 0 ? `${clock.hours_left} h left` : `${-clock.hours_left} h over`;
  return `${words}: ${left}, limit ${when(clock.deadline)} (${clock.zone} time)${clock.holidays_known ? "" : "; holidays not configured: every weekday counted"}`;
}

function queueItem(item) {
  const results = Object.entries(item.results).map(([action, result]) => h("span", {}, `${action} `, resultBadge(result), " "));
  return h(
    "li",
    { class: `matter-item clock-${item.clock.status || "none"}` },
    h("button", { type: "button", class: "link", onclick: () => showMatter(item.id) }, `${item.id} — ${item.agency}`),
    h("div", {}, results),
    h("div", { class: "muted" }, `Release ${when(item.release_at)} · ${item.state} · ${clockText(item.clock)}`),
  );
}

async function loadQueue(event) {
  if (event) event.preventDefault();
  sessionStorage.setItem(KEY, $("#officer-key").value.trim());
  clearError($("#docket-error"));
  try {
    const queue = await api("GET", "/v1/requests/queue", { headers: headers() });
    $("#queue").replaceChildren(
      ...SECTIONS.map(([name, title]) =>
        h(
          "section",
          { class: "queue-part", "aria-label": title },
          h("h3", {}, `${title} (${queue[name].length})`),
          queue[name].length ? h("ul", { class: "matters" }, queue[name].map(queueItem)) : h("p", { class: "muted" }, "None."),
        ),
      ),
    );
  } catch (err) {
    showError($("#docket-error"), err);
  }
}

function timelineEntry(event) {
  const details = [];
  if (event.changes && event.event === "amended") {
    for (const c of event.changes) details.push(h("li", {}, h("code", {}, c.path), `: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`));
  } else if (event.changes) {
    for (const c of event.changes) {
      if (c.action) details.push(h("li", {}, `${c.action}: ${c.from ?? "—"} → ${c.to}`, c.citations && c.citations.length ? ` (${c.citations[0]}${c.citations.length > 1 ? ", …" : ""})` : ""));
      else details.push(h("li", {}, JSON.stringify(c)));
    }
  }
  const what = event.event === "acted" ? `acted: ${event.type}${event.override ? " — OVERRIDE: " + event.override.reason : ""}` : event.event;
  return h(
    "li",
    {},
    h("strong", {}, what),
    " ",
    h("span", { class: "muted" }, `${when(event.recorded_at)} UTC by ${event.actor}`),
    event.note ? h("div", {}, `Note: ${event.note}`) : null,
    event.decision_date ? h("div", {}, `Decided under ${event.regime} for ${event.decision_date}`) : null,
    details.length ? h("ul", {}, details) : null,
  );
}

function renderMatter(matter) {
  const output = matter.decision.output;
  const outcomes = output.outcomes.map((o) =>
    h("li", {}, h("strong", {}, o.action), " ", resultBadge(o.result), o.limits ? ` — ${limitsText(o.limits)}` : "", h("div", { class: "muted" }, o.citations.join("; "))),
  );
  const questions = (matter.questions || []).map((q) => h("li", {}, q.question, " ", h("code", {}, q.path)));
  $("#matter").replaceChildren(
    h("p", {}, `${matter.id} · ${output.agency} · state: ${matter.state} · release: ${when(matter.schedule.release_at)}`),
    h("h3", {}, `Decision in force (${output.regime}, ${output.decision_date})`),
    h("ul", {}, outcomes),
    h("h3", {}, "Clock"),
    h("p", { class: `clock clock-${(matter.clock && matter.clock.status) || "none"}` }, clockText(matter.clock)),
    h("h3", {}, "What to check next"),
    questions.length ? h("ol", {}, questions) : h("p", { class: "muted" }, "Nothing: every requested action is decided."),
    h("h3", {}, "Timeline"),
    h("ol", { class: "timeline" }, matter.timeline.map(timelineEntry)),
  );
}

async function showMatter(id) {
  clearError($("#docket-error"));
  try {
    current = await api("GET", `/v1/requests/${encodeURIComponent(id)}`, { headers: headers() });
    renderMatter(current);
    $("#matter-section").hidden = false;
    $("#matter-heading").textContent = `Matter ${current.id}`;
    $("#matter-heading").focus();
  } catch (err) {
    showError($("#docket-error"), err);
  }
}

async function recordAction(event) {
  event.preventDefault();
  clearError($("#action-error"));
  if (!current) return;
  const body = { type: $("#action-type").value };
  const override = $("#action-override").value.trim();
  if (override) body.override = { reason: override };
  try {
    await api("POST", `/v1/requests/${encodeURIComponent(current.id)}/actions`, { json: body, headers: headers() });
    await showMatter(current.id);
    await loadQueue();
  } catch (err) {
    showError($("#action-error"), err);
  }
}

async function openMatter(event) {
  event.preventDefault();
  clearError($("#open-error"));
  let theCase;
  try {
    theCase = JSON.parse($("#new-case").value);
  } catch {
    showError($("#open-error"), { message: "The case is not valid JSON." });
    return;
  }
  const body = { case: theCase };
  const release = $("#new-release").value.trim();
  if (release) body.schedule = { release_at: release };
  // One key per filled form: a retried submission (a lost answer) opens the same matter, not a second one.
  const form = $("#open-form");
  form.dataset.key = form.dataset.key || Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  try {
    const matter = await api("POST", "/v1/requests", { json: body, headers: { ...headers(), "Idempotency-Key": form.dataset.key } });
    delete form.dataset.key;
    await showMatter(matter.id);
    await loadQueue();
  } catch (err) {
    showError($("#open-error"), err);
  }
}

/** A case handed over by the workbench: shown for the officer to open, without the date the docket sets. */
function takeFromWorkbench() {
  const handed = sessionStorage.getItem("sanctuary.docketCase");
  if (!handed) return;
  sessionStorage.removeItem("sanctuary.docketCase");
  const theCase = JSON.parse(handed);
  delete theCase.decision_date;
  delete theCase.regime;
  $("#new-case").value = JSON.stringify(theCase, null, 2);
  $("#open-heading").focus();
}

$("#officer-key").value = sessionStorage.getItem(KEY) || "";
$("#open-form").addEventListener("submit", openMatter);
$("#new-case").addEventListener("input", () => delete $("#open-form").dataset.key);
takeFromWorkbench();
$("#key-form").addEventListener("submit", loadQueue);
$("#action-form").addEventListener("submit", recordAction);
if ($("#officer-key").value) loadQueue();
