"""Answers at the door: a jurisdiction's door rules (its :class:`DoorGuide`, from ``door()``) evaluated by the
same three-valued evaluator and read the same way as a decision — the result, the clauses, the reasons, what is
missing — plus what the pack says to say and whom to call, the duties that follow, and which single change of facts
would change the answer.

A door question is not a case of the contract: the pack's tests read it as the view's *item* (the thing under test,
as a for-some's test reads its item); the view's case is an empty placeholder no door test reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from sanctuary.engine.decide import RESULTS, read_outcome
from sanctuary.engine.evaluate import CaseView, evaluate
from sanctuary.errors import NotFoundError
from sanctuary.facts.case import Case, Request
from sanctuary.facts.truth import Tri
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.law.tree import Rule


class DoorGuide(Protocol):
    """The jurisdiction's answers for the worker at the door (a shelter, a school, a courthouse …): rules other than
    the case contract's detainer and information rules, over a question of the pack's own small format (where the
    worker is, what is asked, the few facts the exceptions turn on). The core evaluates the pack's trees with the
    question as the view's item; the question, its words and its advice are the pack's."""

    def form(self) -> dict[str, Any]:
        """The choices of the question, in the pack's words (for the page and the command's help)."""
        ...

    def parse(self, data: Any, *, today: dt.date) -> Any:
        """A question from plain data; raises :class:`~sanctuary.errors.InvalidInputError` naming the field."""
        ...

    def facts(self, question: Any) -> dict[str, Any]:
        """The question back as plain data, every fact given (``None``: unknown), to return with the answer."""
        ...

    def rule(self, question: Any) -> Rule:
        """The rule on what is asked (truth: permitted, or for a duty, required)."""
        ...

    def duties(self, question: Any, result: str) -> Sequence[Rule]:
        """The duties that may follow the answer ``result`` (each tree's truth: the duty applies)."""
        ...

    def is_duty(self, question: Any) -> bool:
        """Whether the answer to ``question`` is a duty (required / not required) rather than a permission."""
        ...

    def variations(self, question: Any) -> Sequence[tuple[Any, str]]:
        """Changed questions worth trying, each with the change in words, for what would change the answer."""
        ...

    def advice(self, question: Any, result: str) -> dict[str, str]:
        """What to say (``say``) and whom to call (``call``) for the answer ``result``."""
        ...

    def warnings(self, question: Any, citations: Sequence[str]) -> list[str]:
        """Warnings for the answer: every cited instrument known only by description, not by its text, and what
        another layer of law (federal law over the city's) may say."""
        ...

    def instruments(self, citations: Sequence[str]) -> list[dict[str, Any]]:
        """The instruments the citations belong to: name, date in force, how their words are known, source."""
        ...

    def sheet(self, setting: str) -> dict[str, Any]:
        """The one-page guidance sheet of a setting: ``title``, ``call`` and ``questions`` (each a ``label`` and the
        ``question`` as plain data, which the core answers); raises :class:`~sanctuary.errors.InvalidInputError`
        (field ``setting``) for a setting the pack does not know."""
        ...


@runtime_checkable
class Door(Protocol):
    """A pack with answers for the worker at the door. Optional: a pack without them does not provide ``door``."""

    def door(self) -> DoorGuide: ...


def door_guide(jurisdiction: Jurisdiction) -> DoorGuide:
    """The pack's door guide; :class:`NotFoundError` (field ``jurisdiction``) for a pack that has none."""
    if not isinstance(jurisdiction, Door):
        raise NotFoundError(f"the {jurisdiction.name} pack has no rules for the door", "jurisdiction")
    return jurisdiction.door()


DUTY_RESULTS = {Tri.TRUE: "required", Tri.FALSE: "not required", Tri.UNKNOWN: "undetermined"}
_NO_CASE = Case.model_construct(
    agency="OTHER", decision_date=dt.date(1900, 1, 1), request=Request.model_construct(actions=[])
)


def _view(question: Any) -> CaseView:
    return CaseView(_NO_CASE, {}, question, "")


def _result(guide: DoorGuide, question: Any, rule: Rule) -> tuple[str, Any]:
    trace = evaluate(rule.root, _view(question))
    words = DUTY_RESULTS if guide.is_duty(question) else RESULTS
    return words[trace.value], trace


def answer_question(guide: DoorGuide, question: Any) -> dict[str, Any]:
    """The answer to a parsed question (see :func:`answer`)."""
    rule = guide.rule(question)
    result, trace = _result(guide, question, rule)
    outcome = read_outcome(rule, trace, _view(question), [])
    sentence = rule.root.says.get(trace.value) or (outcome.reasons[0] if outcome.reasons else result)
    duties = []
    for duty in guide.duties(question, result):
        value = evaluate(duty.root, _view(question)).value
        text = duty.root.says.get(value)
        if value is not Tri.FALSE and text:
            duties.append(
                {"duty": duty.action, "result": DUTY_RESULTS[value], "text": text, "clause": str(duty.clause)}
            )
    changes = []
    for changed, words in guide.variations(question):
        other, _ = _result(guide, changed, guide.rule(changed))
        if other != result:
            changes.append({"if": words, "result": other})
    return {
        "question": guide.facts(question),
        "result": result,
        "answer": sentence,
        "citations": outcome.citations,
        "reasons": outcome.reasons,
        "missing": outcome.missing,
        "duties": duties,
        **guide.advice(question, result),
        "warnings": outcome.warnings + guide.warnings(question, outcome.citations),
        "would_change_if": changes,
        "instruments": guide.instruments(outcome.citations),
    }


def answer(data: Any, jurisdiction: Jurisdiction, *, today: dt.date) -> dict[str, Any]:
    """Answer a door question given as plain data (a JSON object, a form): ``result`` (permitted, prohibited or
    undetermined; for a duty, required or not required), ``answer`` (one sentence), ``citations``, ``reasons``,
    ``missing``, ``duties``, ``say``, ``call``, ``warnings`` (including every instrument known only by description),
    ``would_change_if`` and ``instruments``. Raises :class:`~sanctuary.errors.InvalidInputError` naming the field."""
    guide = door_guide(jurisdiction)
    return answer_question(guide, guide.parse(data, today=today))


def sheet(jurisdiction: Jurisdiction, setting: str, *, today: dt.date) -> dict[str, Any]:
    """A setting's one-page guidance sheet: each thing that may be asked there, answered as if nothing were shown and
    no one were in danger, with its clause, what to say and what would change the answer; and whom to call."""
    guide = door_guide(jurisdiction)
    page = guide.sheet(setting)
    rows = []
    for item in page["questions"]:
        got = answer_question(guide, guide.parse(item["question"], today=today))
        keep = ("result", "answer", "say", "would_change_if", "warnings", "duties")
        rows.append({"label": item["label"], "clause": got["citations"][0], **{k: got[k] for k in keep}})
    return {"setting": setting, "title": page["title"], "call": page["call"], "date": today.isoformat(), "rows": rows}
