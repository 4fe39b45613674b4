// The law browser: every regime with its dates and sources; one rule at a time as a tree, with the
// statute's words beside each condition; and the differences between two regimes.

import { h, api, showError, clearError, treeNode, warningElement, fillSelect, table, kindWords } from "./common.js";

const $ = (selector) => document.querySelector(selector);
let law = null; // GET /v1/law

function dates(regime) {
  if (regime.status === "proposal" || (!regime.in_force_from && regime.introduced)) {
    return `Introduced ${regime.introduced || "(date not given)"}${regime.base ? `; amends ${regime.base}` : ""}`;
  }
  const until = regime.in_force_until ? `until ${regime.in_force_until}` : "and still in force";
  return `In force from ${regime.in_force_from || "(date not given)"} ${until}`;
}

function regimeCard(regime) {
  return h("li", { id: `regime-${regime.id}` },
    h("h3", {}, regime.id, " ", h("span", { class: "status" }, regime.status)),
    h("p", {}, h("strong", {}, regime.title)),
    h("p", {}, dates(regime), "."),
    regime.summary ? h("p", {}, regime.summary) : null,
    regime.sources?.length ? [h("p", { class: "muted" }, "Sources:"), h("ul", {}, regime.sources.map((s) =>
      h("li", {}, s.url ? h("a", { href: s.url, rel: "noopener" }, s.title || s.url) : s.title, s.date ? ` (${s.date})` : "")))] : null,
    regime.law_hash ? h("p", { class: "provenance" }, "Law hash: ", h("code", {}, regime.law_hash)) : null,
  );
}

async function showRule() {
  const [regime, agency, action] = [$("#law-regime").value, $("#law-agency").value, $("#law-action").value];
  if (!regime || !agency || !action) return;
  const out = $("#rule");
  out.setAttribute("aria-busy", "true");
  try {
    const rule = await api("GET", `/v1/law/${encodeURIComponent(regime)}/${encodeURIComponent(agency)}/${encodeURIComponent(action)}`);
    clearError($("#rule-error"));
    const agencyName = law.agencies.find((a) => a.id === agency)?.name || agency;
    const actionName = law.actions.find((a) => a.id === action)?.name || action;
    out.replaceChildren(...[
      h("h3", {}, `${agencyName}: may it ${actionName}? — under ${regime}`),
      rule.clause ? h("div", { class: "note" }, h("p", {}, "The rule rests on ", h("strong", {}, rule.clause.cite), ":"),
        rule.clause.words ? h("blockquote", {}, rule.clause.words) : h("p", { class: "muted" }, "(no text held)")) : null,
      rule.warnings?.length ? [h("h4", {}, "Warnings"), h("ul", {}, rule.warnings.map(warningElement))] : null,
      h("div", { class: "law-tree" },
        h("div", { class: "node-row head muted", "aria-hidden": "true" }, h("strong", {}, "The condition"), h("strong", {}, "The clause it implements")),
        h("ul", { class: "tree" }, treeNode(rule.tree))),
    ].flat().filter(Boolean)); // replaceChildren would write an absent part as the text "null"
  } catch (error) {
    out.replaceChildren();
    showError($("#rule-error"), error);
  } finally {
    out.removeAttribute("aria-busy");
  }
}

function nodeItem(node) {
  const cites = [node.clause, ...(node.cites || [])].filter(Boolean);
  return h("li", {}, node.kind ? [h("span", { class: "kind" }, kindWords(node.kind)), " "] : null, node.title || node.id,
    cites.length ? h("span", { class: "cites" }, ` — ${cites.join("; ")}`) : null,
    h("span", { class: "muted" }, " (", h("code", {}, node.id), ")"));
}

function changedItem(node) {
  const changes = Object.entries(node.changes || {});
  return h("li", {}, h("code", {}, node.id), node.clause ? h("span", { class: "cites" }, ` — ${node.clause}`) : null,
    h("ul", {}, changes.map(([field, { old, new: now }]) => h("li", {}, `${field}: `, h("del", {}, show(old)), " → ", h("ins", {}, show(now))))));
}

const show = (value) => (value === null || value === undefined ? "(none)" : Array.isArray(value) ? value.join("; ") : typeof value === "object" ? JSON.stringify(value) : String(value));

async function showDiff(event) {
  event?.preventDefault();
  const [old, now] = [$("#diff-old").value, $("#diff-new").value];
  const out = $("#diff");
  out.setAttribute("aria-busy", "true");
  $("#diff-run").disabled = true;
  try {
    const diff = await api("GET", `/v1/law/diff?old=${encodeURIComponent(old)}&new=${encodeURIComponent(now)}`);
    clearError($("#diff-error"));
    const parts = [h("p", {}, `What ${diff.new?.id || now} (${diff.new?.status || ""}) changes against ${diff.old?.id || old} (${diff.old?.status || ""}).`)];
    if (diff.summary?.length) parts.push(h("h3", {}, "In short"), h("ul", { class: "diff-summary" }, diff.summary.slice(1).map((s) => h("li", {}, s))));
    if (diff.provisions?.length) {
      parts.push(h("h3", {}, "Provisions"), table(["provision", old, now], diff.provisions.map((p) => [p.provision, show(p.old), show(p.new)])));
    }
    if (diff.parameters?.length) {
      parts.push(h("h3", {}, "Parameters"), table(["parameter", old, now], diff.parameters.map((p) => [p.parameter, show(p.old), show(p.new)])));
    }
    const overrides = diff.overrides || {};
    if (overrides.added?.length || overrides.removed?.length) {
      parts.push(h("h3", {}, "Overrides"), h("p", {}, overrides.added?.length ? `Added: ${overrides.added.join(", ")}. ` : "", overrides.removed?.length ? `Removed: ${overrides.removed.join(", ")}.` : ""));
    }
    parts.push(h("h3", {}, "Rules"));
    if (!diff.rules?.length) parts.push(h("p", {}, "No rule differs."));
    for (const rule of diff.rules || []) {
      const clause = rule.rule_clause || {};
      parts.push(h("details", { class: "diff-rule" },
        h("summary", {}, `${rule.agency} — ${rule.action}: `, `${rule.added.length} added, ${rule.removed.length} removed, ${rule.changed.length} changed`),
        clause.old !== clause.new ? h("p", {}, "Rule clause: ", show(clause.old), " → ", show(clause.new)) : clause.new ? h("p", { class: "cites" }, `Rule clause: ${clause.new}`) : null,
        rule.added.length ? [h("h4", { class: "diff-added" }, "Added"), h("ul", {}, rule.added.map(nodeItem))] : null,
        rule.removed.length ? [h("h4", { class: "diff-removed" }, "Removed"), h("ul", {}, rule.removed.map(nodeItem))] : null,
        rule.changed.length ? [h("h4", { class: "diff-changed" }, "Changed"), h("ul", {}, rule.changed.map(changedItem))] : null,
      ));
    }
    out.replaceChildren(...parts);
  } catch (error) {
    out.replaceChildren();
    showError($("#diff-error"), error);
  } finally {
    out.removeAttribute("aria-busy");
    $("#diff-run").disabled = false;
  }
}

async function start() {
  try {
    law = await api("GET", "/v1/law");
  } catch (error) {
    showError($("#law-error"), error);
    $("#regimes").replaceChildren();
    return;
  }
  $("#regimes").replaceChildren(...law.regimes.map(regimeCard));
  $("#regimes").removeAttribute("aria-busy");
  const label = (r) => `${r.id} (${r.status})`;
  for (const id of ["#law-regime", "#diff-old", "#diff-new"]) fillSelect($(id), law.regimes, { label });
  fillSelect($("#law-agency"), law.agencies);
  fillSelect($("#law-action"), law.actions);
  // The law in force today (the server says which), else the last law: the natural first choice.
  $("#law-regime").value = law.in_force_today || law.regimes.filter((r) => r.status === "law").at(-1)?.id || law.regimes[0].id;
  // The first pair to compare: a proposal against the law it amends, else the last two laws.
  const proposal = law.regimes.find((r) => r.status === "proposal" && r.base);
  const laws = law.regimes.filter((r) => r.status === "law");
  $("#diff-old").value = proposal ? proposal.base : laws.at(-2)?.id || law.regimes[0].id;
  $("#diff-new").value = proposal ? proposal.id : laws.at(-1)?.id || law.regimes[0].id;
  $("#rule-form").addEventListener("change", showRule);
  $("#rule-form").addEventListener("submit", (e) => { e.preventDefault(); showRule(); });
  $("#diff-form").addEventListener("submit", showDiff);
  showRule();
}

start();
