"""Explanations: the evaluated rule tree of each outcome, as a documented, versioned structure.

An explanation shows, for each requested action, every condition the law sets — whether it held, failed or
is unknown, the facts it read, the clause it implements with the statute's words — and marks the conditions
the outcome rests on (``deciding``). It adds the counterfactuals (``would_change_if``) and, for undetermined
outcomes, the questions to ask, most decisive first. The structure is the JSON schema
``sanctuary-explanation`` version 1 (``docs/explanation-format.md``); the terminal, Markdown and HTML views
render it, and the service and web page will show it.
"""

from __future__ import annotations

from typing import Any

from sanctuary.engine.decide import Decision, decide
from sanctuary.engine.evaluate import Trace, deciding, walk_deciding
from sanctuary.engine.questions import questions
from sanctuary.facts.case import Case
from sanctuary.facts.truth import Tri
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.law.regime import Regime
from sanctuary.law.tree import Always, Clause, Leaf, Not, When, outline

SCHEMA = "sanctuary-explanation"
VERSION = 1
VALUES = {"true": "holds", "false": "fails", "unknown": "unknown"}

#: Actions of the contract that disclose the same information by different routes: where their outcomes
#: differ, the explanation says that the law governs them by different clauses (I-56).
SAME_INFORMATION: tuple[tuple[str, str, str], ...] = (("notify_release", "info:release_date", "the release date"),)


def clause_view(jurisdiction: Jurisdiction, regime: Regime, clause: Clause) -> dict[str, Any]:
    """A clause as the explanation and the law browser show it: its citation and the statute's words (``None``
    where the pack holds no text)."""
    return {"cite": str(clause), "words": jurisdiction.statute_words(clause, regime)}


def _node(trace: Trace, deciding: set[int], jurisdiction: Jurisdiction, regime: Regime) -> dict[str, Any]:
    node = trace.node
    out: dict[str, Any] = outline(node) | {"value": trace.value.value, "deciding": id(trace) in deciding}
    if trace.label:
        out["item"] = trace.label
    clauses = [c for c in dict.fromkeys((node.clause, *node.cites, *trace.cites)) if c is not None]
    if clauses:
        out["clauses"] = [clause_view(jurisdiction, regime, c) for c in clauses]
    reason = trace.reason or node.says.get(trace.value)
    if reason:
        out["reason"] = reason
    if isinstance(node, Leaf) and trace.view is not None:
        reads = getattr(node.test, "reads", None)
        if reads is not None:
            out["facts"] = list(reads(trace.view))
    if isinstance(node, Always):
        out["facts"] = []
    if trace.missing:
        out["missing"] = list(trace.missing)
    if trace.children:
        out["children"] = [_node(child, deciding, jurisdiction, regime) for child in trace.children]
    return out


def _rests_on(trace: Trace) -> list[tuple[Trace, str | None]]:
    """The tests (and fixed answers) an outcome turns on, with the item each is about: in the deciding part
    of the trace, the leaves whose value carries the outcome — for a decided outcome, those pointing the
    same way as the result (counting negations), for an undetermined one, the unknown ones. The condition
    of a decided ``When`` only says which branch governs, so it is context, not a reason."""
    found: list[tuple[Trace, str | None]] = []

    def visit(node: Trace, expect: Tri, label: str | None, context: bool) -> None:
        label = node.label or label
        if isinstance(node.node, (Leaf, Always)):
            if not context and (node.value is expect):
                found.append((node, label))
            return
        flip = isinstance(node.node, Not)
        for child in deciding(node):
            is_condition = isinstance(node.node, When) and child is node.children[0]
            known_condition = is_condition and child.value is not Tri.UNKNOWN
            visit(child, ~expect if flip else expect, label, context or known_condition)

    visit(trace, trace.value, None, False)
    return found


def _clause_cites(trace: Trace) -> list[str]:
    clauses = dict.fromkeys(c for c in (trace.node.clause, *trace.node.cites, *trace.cites) if c is not None)
    return [str(c) for c in clauses]


def rests_on(trace: Trace) -> list[dict[str, Any]]:
    """``[{cites, reason, item?}]``: what the outcome turns on, for the short view (``rests_on``)."""
    out = []
    for node, label in _rests_on(trace):
        entry: dict[str, Any] = {"cites": _clause_cites(node), "reason": node.reason or node.node.title}
        if label:
            entry["item"] = label
        out.append(entry)
    return out


def _root_cite(outcome: dict[str, Any]) -> str:
    clauses = outcome["tree"].get("clauses") or [{"cite": outcome["citations"][0] if outcome["citations"] else ""}]
    return str(clauses[0]["cite"])


def divergence_notes(outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where two actions disclosing the same information have different outcomes, a note naming the clause each
    rests on: the difference is the law's own structure, not an inconsistency (I-56)."""
    by_action = {o["action"]: o for o in outcomes}
    notes = []
    for first, second, what in SAME_INFORMATION:
        a, b = by_action.get(first), by_action.get(second)
        if a is None or b is None or a["result"] == b["result"]:
            continue
        cite_a, cite_b = _root_cite(a), _root_cite(b)
        says = (
            f"{first} and {second} both concern {what}, but the law governs them by different clauses: "
            f"{first} is {a['result']} under {cite_a} ({a['tree']['title']}), {second} is {b['result']} under "
            f"{cite_b} ({b['tree']['title']}). Each clause sets its own conditions, so the outcomes may differ; "
            "this is the statute's structure, not an inconsistency."
        )
        notes.append({"actions": [first, second], "clauses": [cite_a, cite_b], "says": says})
    return notes


def explain_decision(case: Case, decision: Decision, jurisdiction: Jurisdiction) -> dict[str, Any]:
    """The explanation of a decision made with ``explain=True``."""
    outcomes = []
    undetermined: dict[str, list[str]] = {}
    for outcome in decision.outcomes:
        assert outcome.trace is not None
        deciding = {id(t) for t, _ in walk_deciding(outcome.trace)}
        entry = outcome.as_dict()
        entry["rests_on"] = rests_on(outcome.trace)
        entry["tree"] = _node(outcome.trace, deciding, jurisdiction, decision.regime)
        outcomes.append(entry)
        for path in outcome.missing:
            undetermined.setdefault(path, []).append(outcome.action)

    def decide_all(changed: Case) -> dict[str, str]:
        return {o.action: o.result for o in decide(changed, jurisdiction).outcomes}

    return {
        "schema": SCHEMA,
        "version": VERSION,
        "regime": {"id": decision.regime.id, "status": decision.regime.status, "title": decision.regime.title},
        "agency": decision.agency,
        "decision_date": decision.decision_date.isoformat(),
        "outcomes": outcomes,
        "questions": [
            q.as_dict() for q in questions(case, undetermined, decide_all, jurisdiction.case_format, _answers(outcomes))
        ],
        "notes": divergence_notes(outcomes),
        "provenance": decision.as_dict()["provenance"],
    }


def _answers(outcomes: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The values the counterfactuals try for each fact — the law's own thresholds (a custody of exactly the
    days that extend the look-back, a judgment on the boundary day) — so the questions try them too."""
    values: dict[str, list[Any]] = {}
    for outcome in outcomes:
        for counterfactual in outcome.get("would_change_if", []):
            for change in counterfactual["changes"]:
                found = values.setdefault(change["path"], [])
                if change["value"] not in found:
                    found.append(change["value"])
    return values


def explain(case: Case, jurisdiction: Jurisdiction) -> dict[str, Any]:
    """Decide ``case`` and explain every outcome."""
    return explain_decision(case, decide(case, jurisdiction, explain=True), jurisdiction)
