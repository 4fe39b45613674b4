// The door page: three questions as big buttons (tap or keyboard), then the answer from POST /v1/door — the
// result in words, one sentence, the clause, what to say, whom to call. The questions and their choices come
// from the jurisdiction (GET /v1/door/form), so this file knows no law.
import { api, clearError, h, showError } from "/static/common.js";

const WORDS = {
  permitted: "Yes — allowed",
  prohibited: "No — not allowed",
  undetermined: "Not yet — it depends",
  required: "Required",
  "not required": "Not required",
};
const state = { form: null, setting: null, ask: null };
const $ = (id) => document.getElementById(id);

function show(step) {
  for (const name of ["setting", "ask", "shown"]) $(`step-${name}`).hidden = name !== step;
  $("door-answer").hidden = step !== "answer";
  const heading = step === "answer" ? $("answer-heading") : $(`step-${step}-heading`);
  heading.focus();
  const chosen = [state.setting, state.ask].filter(Boolean).map((x) => x.label);
  $("door-chosen").textContent = step === "setting" ? "" : chosen.join(" · ");
}

function options(container, items, onChoose) {
  container.removeAttribute("aria-busy");
  container.replaceChildren(
    ...items.map((item) => h("button", { type: "button", class: "door-option", onclick: () => onChoose(item) }, item.label)),
  );
}

function chooseSetting(item) {
  state.setting = item;
  state.ask = null;
  options($("options-ask"), state.form.steps.asks[item.value], chooseAsk);
  show("ask");
}

function chooseAsk(item) {
  state.ask = item;
  const shown = state.form.steps.shown;
  const next = shown[item.facts.ask] || shown["*"];
  if (!next.length) return answer({});
  $("step-shown-heading").textContent =
    item.facts.ask === "ask_status" ? "3. Is the status needed for the service?" : "3. What did they show you?";
  options($("options-shown"), next, (choice) => answer(choice.facts));
  show("shown");
}

async function answer(facts) {
  clearError($("door-error"));
  const question = { ...state.form.steps.fixed, setting: state.setting.value, ...state.ask.facts, ...facts };
  let got;
  try {
    got = await api("POST", "/v1/door", { json: question });
  } catch (err) {
    showError($("door-error"), err);
    return;
  }
  const result = $("answer-result");
  result.textContent = WORDS[got.result] || got.result;
  result.dataset.result = got.result;
  $("answer-sentence").textContent = got.answer;
  $("answer-clause").textContent = got.citations[0];
  $("answer-say").textContent = got.say;
  $("answer-call").textContent = got.call;
  $("answer-duties").replaceChildren(...got.duties.map((d) => h("li", {}, h("strong", {}, "Then: "), d.text)));
  $("answer-reasons").replaceChildren(...got.reasons.map((r) => h("li", {}, r)));
  const changes = got.would_change_if.map((c) => h("li", {}, `${c.if}: ${WORDS[c.result] || c.result}`));
  $("answer-changes").replaceChildren(...(changes.length ? changes : [h("li", {}, "No single change among those tried.")]));
  $("answer-citations").replaceChildren(...got.citations.map((c) => h("li", {}, c)));
  $("answer-warnings").replaceChildren(...got.warnings.map((w) => h("li", {}, h("strong", {}, "Note: "), w)));
  $("answer-sheet").href = `/door/sheet?setting=${encodeURIComponent(state.setting.value)}`;
  show("answer");
}

async function start() {
  try {
    state.form = await api("GET", "/v1/door/form");
  } catch (err) {
    showError($("door-error"), err);
    return;
  }
  options($("options-setting"), state.form.steps.settings, chooseSetting);
  for (const back of document.querySelectorAll("[data-back]")) back.addEventListener("click", () => show(back.dataset.back));
  $("door-restart").addEventListener("click", () => show("setting"));
}

start();
