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
from sanctuary.engine.evaluate import Trace, walk_deciding
from sanctuary.engine.questions import questions
from sanctuary.facts.case import Case
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.law.regime import Regime
from sanctuary.law.tree import Always, Clause, Leaf, outline

SCHEMA = "sanctuary-explanation"
VERSION = 1
VALUES = {"true": "holds", "false": "fails", "unknown": "unknown"}


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


def explain_decision(case: Case, decision: Decision, jurisdiction: Jurisdiction) -> dict[str, Any]:
    """The explanation of a decision made with ``explain=True``."""
    outcomes = []
    undetermined: dict[str, list[str]] = {}
    for outcome in decision.outcomes:
        assert outcome.trace is not None
        deciding = {id(t) for t, _ in walk_deciding(outcome.trace)}
        entry = outcome.as_dict()
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
        "questions": [q.as_dict() for q in questions(case, undetermined, decide_all, jurisdiction.case_format)],
        "provenance": decision.as_dict()["provenance"],
    }


def explain(case: Case, jurisdiction: Jurisdiction) -> dict[str, Any]:
    """Decide ``case`` and explain every outcome."""
    return explain_decision(case, decide(case, jurisdiction, explain=True), jurisdiction)
