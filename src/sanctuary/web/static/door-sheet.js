// A setting's one-page guidance sheet (GET /v1/door/sheet/{setting}): each thing an agent may ask there, the
// answer when nothing is shown, what to say and what would change it. Printable on one page.
import { api, h, showError } from "/static/common.js";

const WORDS = { permitted: "Yes", prohibited: "No", undetermined: "It depends", required: "Required" };

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
        h("p", {}, h("strong", {}, `${WORDS[row.result] || row.result}. `), row.answer, " ", h("span", { class: "muted" }, row.clause)),
        h("p", {}, h("strong", {}, "Say: "), row.say),
        row.would_change_if.length
          ? h("p", { class: "muted" }, "Different with: ", row.would_change_if.map((c) => c.if).join("; "), ".")
          : null,
      ),
    ),
  );
  document.getElementById("sheet-print").addEventListener("click", () => window.print());
}

start();
