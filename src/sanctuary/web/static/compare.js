// Compare regimes over a population: the same summary, tables and charts as the population report
// (src/sanctuary/population/report.py), with the assumptions stated first.

import { h, api, ApiError, showError, clearError, fillSelect, table } from "./common.js";

const $ = (selector) => document.querySelector(selector);
const $$ = (selector) => [...document.querySelectorAll(selector)];
const KEY = "sanctuary.apiKey"; // sessionStorage only: gone when the tab closes
const RESULTS = ["permitted", "prohibited", "undetermined", "invalid"];
const num = (n) => Number(n || 0).toLocaleString("en-US");

function checkedRegimes() {
  return $$('input[name="regime"]:checked').map((box) => box.value);
}

/** The baseline select offers the ticked regimes; the first ticked is the default. */
function updateBaseline() {
  const ticked = checkedRegimes();
  const select = $("#baseline");
  const current = select.value;
  select.replaceChildren(...ticked.map((id) => h("option", { value: id }, id)));
  select.value = ticked.includes(current) ? current : ticked[0] || "";
}

async function start() {
  const key = $("#api-key");
  key.value = sessionStorage.getItem(KEY) || "";
  key.addEventListener("input", () => sessionStorage.setItem(KEY, key.value.trim()));
  // Choosing a file means comparing that file.
  $("#file").addEventListener("change", () => { if ($("#file").files.length) $("#dataset-upload").checked = true; });
  $("#compare-form").addEventListener("submit", run);
  try {
    const law = await api("GET", "/v1/law");
    // First ticked: a proposal's base and the proposal, else the last two laws (the usual question).
    const proposal = law.regimes.find((r) => r.status === "proposal" && r.base);
    const laws = law.regimes.filter((r) => r.status === "law").map((r) => r.id);
    const ticked = proposal ? [proposal.base, proposal.id] : laws.slice(-2);
    $("#regime-choices").replaceChildren(...law.regimes.map((r) => h("label", {},
      h("input", { type: "checkbox", name: "regime", value: r.id, checked: ticked.includes(r.id) }),
      `${r.id} (${r.status}) — ${r.title}`)));
    $("#regime-choices").addEventListener("change", updateBaseline);
    updateBaseline();
    if (proposal) $("#baseline").value = proposal.base;
    fillSelect($("#action"), law.actions);
    $("#action").prepend(h("option", { value: "" }, "every action the request asks for"));
    $("#action").value = "";
    const requests = law.requests || [];
    $("#request").replaceChildren(...requests.map((r) => h("option", { value: r.id }, r.name)));
    const describe = () => { $("#request-words").textContent = requests.find((r) => r.id === $("#request").value)?.words || ""; };
    $("#request").addEventListener("change", describe);
    describe();
    $("#assumption-choices").replaceChildren(...law.assumptions.map((a) => h("label", {},
      h("input", { type: "checkbox", name: "assume", value: a.id }), ` ${a.words}`)));
  } catch (error) {
    showError($("#error"), error);
  }
}

async function run(event) {
  event.preventDefault();
  const error = $("#error");
  clearError(error);
  const baseline = $("#baseline").value;
  const regimes = [baseline, ...checkedRegimes().filter((id) => id !== baseline)].filter(Boolean);
  const upload = $("#dataset-upload").checked;
  const file = $("#file").files[0];
  const problems = [];
  if (!regimes.length) problems.push({ path: "regimes", message: "Tick at least one regime (two or more to compare)." });
  if (upload && !file) problems.push({ path: "file", message: "Choose a file, or use the bundled sample." });
  if (!$("#api-key").value.trim()) problems.push({ path: "api-key", message: "An analyst or admin API key is needed." });
  if (problems.length) {
    showError(error, new ApiError(0, problems));
    return;
  }
  const query = new URLSearchParams({ regimes: regimes.join(","), dataset: upload ? "upload" : "sample" });
  if ($("#action").value) query.set("action", $("#action").value);
  // The default request is not sent by name, so that an assumption may change it (as on the command line).
  if ($("#request").selectedIndex > 0) query.set("request", $("#request").value);
  for (const box of $$('input[name="assume"]:checked')) query.append("assume", box.value);
  if ($("#assume-other").value.trim()) query.append("assume", $("#assume-other").value.trim());
  if (upload) query.set("filename", file.name);

  const button = $("#run");
  button.disabled = true;
  $("#result").replaceChildren(); // a failed run must not leave an earlier answer looking current
  $("#result").setAttribute("aria-busy", "true");
  $("#busy").textContent = upload ? `Deciding every record of ${file.name}…` : "Deciding the 5,000 sample records…";
  try {
    const answer = await api("POST", `/v1/compare?${query}`, {
      headers: { "X-API-Key": $("#api-key").value.trim() },
      body: upload ? file : undefined,
    });
    drawResult(answer);
    $("#busy").textContent = `Done: ${num(answer.summary.records)} records compared.`;
    $("#result-heading").focus();
  } catch (err) {
    $("#busy").textContent = "";
    showError(error, err);
  } finally {
    button.disabled = false;
    $("#result").removeAttribute("aria-busy");
  }
}

function drawResult({ summary, headline, charts, transitions_csv }) {
  const scenario = summary.scenario;
  const regimes = scenario.regimes;
  const base = regimes[0];
  const assumptions = scenario.assumptions_in_words?.length
    ? scenario.assumptions_in_words
    : scenario.assumptions?.length ? scenario.assumptions.map((a) => `${a.path} = ${JSON.stringify(a.value)}`) : [];
  const words = (a) => scenario.action_words?.[a] || a;
  const parts = [
    h("h2", { id: "result-heading", tabindex: "-1" }, `What the law allows: ${regimes.join(" vs ")}`),
    h("div", { class: "note", id: "assumptions" },
      h("h3", {}, "What is supposed"),
      h("p", {}, (headline || [])[0] || ""),
      h("p", {}, `Actions asked: ${scenario.actions.map(words).join(", ")}.`),
      assumptions.length ? h("ul", {}, assumptions.map((a) => h("li", {}, a))) : h("p", {}, "Nothing else is assumed."),
      h("h4", {}, "Source files"),
      table(["file", "dates", "records"], summary.sources.map((s) => [s.path, s.label || "", num(s.records)])),
      h("h4", {}, "What the data cannot say"),
      h("ul", { id: "cannot-say" }, (scenario.data_cannot_say || []).map((c) => h("li", {}, c))),
      h("p", {}, "A decision that turns on a fact the data does not give is ", h("em", {}, "undetermined"), "; the ranges run from the records certainly permitted to those permitted or undetermined.")),
  ];
  if (summary.synthetic) {
    parts.push(h("p", { class: "note", id: "synthetic" }, h("strong", {}, "Synthetic data. "), "These records were generated, not observed."));
  }
  parts.push(h("div", { class: "headline", id: "headline" }, (headline || []).slice(1).map((line) => h("p", {}, line))));

  parts.push(h("h3", {}, "Regimes"), table(["regime", "status", "what it is"],
    Object.entries(summary.regimes || {}).map(([id, r]) => [id, r.status, r.title])));

  for (const action of scenario.actions) parts.push(...actionSection(summary, action, words(action)));

  parts.push(h("h3", {}, "Outcomes"), h("p", {}, `${num(summary.records)} records from ${summary.sources.length} source(s). Decided by the columnar evaluator: ${num(summary.evaluated_by?.columnar)}; by the pattern evaluator (cases as written, validated one by one): ${num(summary.evaluated_by?.pattern)}.`));
  parts.push(table(["regime", "action", ...RESULTS],
    scenario.actions.flatMap((a) => regimes.map((r) => [r, a, ...RESULTS.map((x) => num(summary.outcomes[r]?.[a]?.[x]))]))));

  // The charts are SVG written by our own service (matplotlib), inserted as markup on purpose.
  for (const [name, svg] of Object.entries(charts || {})) {
    const figure = h("figure", { class: "chart" }, h("figcaption", {}, `Chart: ${name.replace(/_/g, " ")} (the numbers are in the tables)`));
    const holder = h("div", {});
    holder.innerHTML = svg;
    figure.append(holder);
    parts.push(figure);
  }

  parts.push(...transitions(summary, regimes, base));
  if (transitions_csv != null) {
    const link = h("a", { id: "download-transitions", download: "transitions.csv",
      href: URL.createObjectURL(new Blob([transitions_csv], { type: "text/csv" })) }, "Download every changed record (transitions.csv)");
    parts.push(h("p", {}, link));
  }
  parts.push(...breakdowns(summary, regimes, scenario.actions[0]));

  const problems = Object.entries(summary.data_problems || {});
  parts.push(h("h3", {}, "Data problems"), h("p", {}, "Counted, never dropped: these records are still decided on what the data does say."),
    problems.length
      ? table(["problem", "records", "values"], problems.map(([kind, e]) => [kind, num(e.records),
        Object.entries(e.values || {}).slice(0, 8).map(([v, n]) => `${v} (${num(n)})`).join(", ")]))
      : h("p", {}, "None."));
  parts.push(h("p", { class: "muted" }, "The tool states what the law allows under each regime; it takes no position on any of them."));
  $("#result").replaceChildren(...parts);
}

/** "between 12 and 5,335 of 6,423", or "12 of 6,423" when the data settles every record. */
function range(permitted, undetermined, records) {
  const low = Number(permitted || 0), high = low + Number(undetermined || 0);
  return low === high ? `${num(low)} of ${num(records)}` : `between ${num(low)} and ${num(high)} of ${num(records)}`;
}

/** One action the request asks for: each regime's range; one row per file when there are several; the facts
 *  that would narrow the range. */
function actionSection(summary, action, words) {
  const regimes = summary.scenario.regimes;
  const out = [h("h3", { id: `action-${action}` }, `To ${words} (${action})`),
    table(["regime", ...RESULTS, "permitted for"], regimes.map((r) => {
      const o = summary.outcomes[r]?.[action] || {};
      return [r, ...RESULTS.map((x) => num(o[x])), range(o.permitted, o.undetermined, summary.records)];
    }))];
  if (summary.series.length > 1) {
    out.push(table(["file (date)", "records", ...regimes], summary.series.map((s) => [s.source, num(s.records),
      ...regimes.map((r) => range(s[`${r}|${action}|permitted`], s[`${r}|${action}|undetermined`], s.records))]),
    { caption: "File by file: one figure per date, never pooled" }));
  }
  const because = regimes.flatMap((r) => Object.entries(summary.undetermined_because?.[`${r}|${action}`] || {}).slice(0, 6)
    .map(([path, n]) => [r, path, num(n)]));
  if (because.length) {
    out.push(table(["regime", "missing fact", "records lacking it"], because,
      { caption: "What would narrow the range (a record may lack several facts)" + (summary.undetermined_because_sample ? `; counted in a sample of ${num(summary.undetermined_because_sample)} undetermined records` : "") }));
  }
  return out;
}

function transitions(summary, regimes, base) {
  const changed = summary.transitions.filter((t) => t.from_result !== t.to_result);
  const out = [h("h3", {}, `Transitions from ${base}`)];
  out.push(changed.length
    ? table(["action", "regime", "from", "to", "records", "examples (record ids)"], changed.map((t) => [t.action, t.to_regime, t.from_result, t.to_result, num(t.records),
      t.record_ids.slice(0, 5).join(", ") + (t.record_ids.length > 5 ? " …" : "")]))
    : h("p", {}, "No record changes."));
  // The full from × to table for each regime and action, unchanged records included.
  for (const regime of regimes.slice(1)) {
    for (const action of summary.scenario.actions) {
      const cells = summary.transitions.filter((t) => t.to_regime === regime && t.action === action);
      if (!cells.length) continue;
      const count = (from, to) => cells.filter((t) => t.from_result === from && t.to_result === to).reduce((n, t) => n + t.records, 0);
      const rows = RESULTS.filter((from) => cells.some((t) => t.from_result === from));
      const columns = RESULTS.filter((to) => cells.some((t) => t.to_result === to));
      out.push(table([`${base} ↓ / ${regime} →`, ...columns], rows.map((from) => [from, ...columns.map((to) => num(count(from, to)))]),
        { caption: `'${action}': records by result under ${base} (rows) and ${regime} (columns)` }));
    }
  }
  if (summary.changed_records) out.push(h("p", { class: "muted" }, `${num(summary.changed_records)} records change in all. The examples above are the first few; the command-line report (sanctuary compare) lists every one.`));
  return out;
}

// As in the report: for each breakdown, "permitted / undetermined" for the first action under each regime;
// the charge groups limited to the fifteen largest under the baseline.
function breakdowns(summary, regimes, action) {
  const out = [];
  const known = ["custody_status", "gang_flag", "age_group", "charge_group"];
  const dimensions = [...known, ...Object.keys(summary.breakdowns || {}).filter((d) => !known.includes(d))];
  for (const dimension of dimensions) {
    const entries = summary.breakdowns?.[dimension] || [];
    if (!entries.length) continue;
    const lookup = new Map(entries.map((x) => [`${x.value}|${x.regime}|${x.action}|${x.result}`, x.records]));
    let values = [...new Set(entries.map((x) => x.value))].sort();
    if (dimension === "charge_group") {
      const totals = {};
      for (const x of entries) if (x.regime === regimes[0] && x.action === action) totals[x.value] = (totals[x.value] || 0) + x.records;
      values = Object.keys(totals).sort((a, b) => totals[b] - totals[a]).slice(0, 15);
    }
    const cell = (v, r) => `${num(lookup.get(`${v}|${r}|${action}|permitted`))} / ${num(lookup.get(`${v}|${r}|${action}|undetermined`))}`;
    const title = dimension.replace(/_/g, " ");
    out.push(h("h3", {}, `By ${title} ('${action}': permitted / undetermined)`),
      table([title, ...regimes], values.map((v) => [v, ...regimes.map((r) => cell(v, r))])));
  }
  return out;
}

start();
