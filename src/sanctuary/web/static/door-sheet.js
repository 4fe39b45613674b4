// A setting's one-page guidance sheet (GET /v1/door/sheet/{setting}): each thing an agent may ask there, the
// answer when nothing is shown, what to say and what would change it. Printable on one page.
import { api, h, showError } from "/static/common.js";

const WORDS = { permitted: "yes", prohibited: "no", undetermined: "it depends", required: "required", "not required": "not required" };

async function start() {
  const setting = new URLSearchParams(location.search).get("setting") || "shelter";
  let sheet;
  try {
    sheet = await api("GET", `/v1/door/sheet/${encodeURIComponent(setting)}`);
  } catch (err) {
    showError(document.getElementById("sheet-error"), err);
    return;
  }
  document.title = `${sheet.title} — guidance sheet`;
  document.getElementById("sheet-title").textContent = `${sheet.title}: if an immigration agent comes`;
  document.getElementById("sheet-call").textContent = sheet.call;
  document.getElementById("sheet-date").textContent = `The law as of ${sheet.date}.`;
  const rows = document.getElementById("sheet-rows");
  rows.removeAttribute("aria-busy");
  rows.replaceChildren(
    ...sheet.rows.map((row) =>
      h(
        "section",
        { class: "sheet-row", dataset: { result: row.result } },
        h("h2", {}, row.label),
        h("p", {}, h("strong", {}, row.answer), " ", h("span", { class: "muted" }, row.clause)),
        h("p", {}, h("strong", {}, "Say: "), row.say),
        row.would_change_if.length
          ? h("p", { class: "muted" }, "Different with: ", row.would_change_if.map((c) => `${c.if} (${WORDS[c.result] || c.result})`).join("; "), ".")
          : null,
      ),
    ),
  );
  // The warnings once each (an order known only by description, the federal overlay), under the rows.
  const notes = [...new Set(sheet.rows.flatMap((row) => row.warnings))];
  if (notes.length) rows.append(h("section", { class: "sheet-notes" }, h("h2", {}, "Notes"), h("ul", {}, notes.map((n) => h("li", {}, n)))));
  document.getElementById("sheet-print").addEventListener("click", () => window.print());
}

start();
