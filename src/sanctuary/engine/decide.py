"""Decisions: for each action a case asks about, an outcome read from the evaluated rule tree.

An outcome is ``permitted`` (the law allows it — a discretion, not a duty), ``prohibited`` (the law
forbids it) or ``undetermined`` (the facts given cannot decide it). Its citations, reasons, missing facts
and limits are all read from the deciding part of the trace (:func:`~sanctuary.engine.evaluate.deciding`):
the explanation is the evaluation, never a second description of the law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sanctuary
from sanctuary.engine.counterfactual import Counterfactual, counterfactuals
from sanctuary.engine.evaluate import CaseView, Trace, evaluate, walk_deciding
from sanctuary.facts.case import Case, CaseError, Problem
from sanctuary.facts.truth import Tri
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.law.regime import Regime
from sanctuary.law.tree import Rule

RESULTS = {Tri.TRUE: "permitted", Tri.FALSE: "prohibited", Tri.UNKNOWN: "undetermined"}


@dataclass(slots=True)
class Outcome:
    """The answer for one action (the contract's ``outcomes[]`` entry), with the trace it was read from."""

    action: str
    result: str
    citations: list[str]
    reasons: list[str]
    missing: list[str]
    warnings: list[str]
    limits: dict[str, Any] | None = None
    would_change_if: list[Counterfactual] | None = None
    trace: Trace | None = field(default=None, repr=False)
    rule: Rule | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "result": self.result}
        if self.limits is not None:
            out["limits"] = self.limits
        out.update(citations=self.citations, reasons=self.reasons, missing=self.missing, warnings=self.warnings)
        if self.would_change_if is not None:
            out["would_change_if"] = [c.as_dict() for c in self.would_change_if]
        return out


@dataclass(slots=True)
class Decision:
    """The answer for one case (the contract's output object)."""

    regime: Regime
    agency: str
    decision_date: dt.date
    outcomes: list[Outcome]
    law_hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "regime": self.regime.id,
            "agency": self.agency,
            "decision_date": self.decision_date.isoformat(),
            "outcomes": [o.as_dict() for o in self.outcomes],
            # Optional extension of the contract: what produced this decision, for audit and replay.
            "provenance": {
                "engine": f"sanctuary {sanctuary.__version__}",
                "regime_status": self.regime.status,
                "law_hash": self.law_hash,
            },
        }


def validate(case: Case, jurisdiction: Jurisdiction) -> list[Problem]:
    """What makes a case the contract accepts impossible under the jurisdiction: a regime it does not know, or
    what its own law rules out (``problems``: a class the Penal Law contradicts). Each with its field path."""
    problems = list(jurisdiction.problems(case))
    if case.regime is not None and case.regime not in jurisdiction.regimes:
        known = ", ".join(jurisdiction.regimes)
        problems.insert(0, Problem("regime", f"unknown regime {case.regime!r} (known: {known})"))
    return problems


def choose_regime(case: Case, jurisdiction: Jurisdiction) -> tuple[Regime, bool]:
    """The regime a case names, or else the law in force on its decision date; ``True`` if chosen by date.

    A pack covers the days before its first law with a regime of its own (for New York City, ``nyc-before-2012``:
    no city law, discretion under state and federal law); a date no regime covers is an error in the input. Raises
    :class:`CaseError` for a case the jurisdiction's law says is impossible (``problems``)."""
    problems = validate(case, jurisdiction)
    if problems:
        raise CaseError(problems)
    if case.regime is not None:
        return jurisdiction.regimes[case.regime], False
    regime = jurisdiction.regime_in_force(case.decision_date)
    if regime is None:
        first = min((r.in_force_from for r in jurisdiction.regimes.values() if r.in_force_from), default=None)
        raise CaseError(
            [
                Problem(
                    "decision_date",
                    (
                        f"no law of {jurisdiction.name} is encoded for {case.decision_date}: the earliest regime "
                        f'begins {first}; name a regime with "regime" to apply one anyway'
                    ),
                )
            ]
        )
    return regime, True


def _regime_warnings(case: Case, regime: Regime, by_date: bool, jurisdiction: Jurisdiction) -> list[str]:
    warnings = []
    if regime.status == "proposal":
        warnings.append(
            f"{regime.id} is a proposal, not law: {regime.title}. This answer says what the proposal "
            "would allow; it is not the law in force."
        )
    elif not by_date and not regime.in_force_on(case.decision_date):
        in_force = jurisdiction.regime_in_force(case.decision_date)
        now = f" (the law in force then is {in_force.id})" if in_force else ""
        warnings.append(
            f"{regime.id} was not the law in force on {case.decision_date}{now}; it is applied as requested."
        )
    return warnings


def read_outcome(rule: Rule, trace: Trace, view: CaseView, extra_warnings: list[str]) -> Outcome:
    """The outcome of ``rule`` read off its ``trace``: the result, the citations, reasons, missing facts, limits and
    warnings of the part that decided it (shared by decisions and the answers at the door)."""
    result = RESULTS[trace.value]
    citations: list[str] = [str(rule.clause)] if rule.clause is not None else []
    summary: list[str] = []  # what the composite conditions say, outermost first
    details: list[str] = []  # what the tests found, in the order of the tree
    missing: list[str] = []
    limits = None
    for step, labels in walk_deciding(trace):
        node = step.node
        for clause in (node.clause, *node.cites, *step.cites):
            if clause is not None and str(clause) not in citations:
                citations.append(str(clause))
        if step.reason:
            text = f"{labels[-1]}: {step.reason}" if labels else step.reason
            if text not in details:
                details.append(text)
        elif (sentence := node.says.get(step.value)) and sentence not in summary:
            summary.append(sentence)
        if step.value is Tri.UNKNOWN:
            missing.extend(m for m in step.missing if m not in missing)
        if limits is None and node.limits is not None and step.value is Tri.TRUE:
            limits = node.limits.as_dict()
    warnings = list(extra_warnings)
    if trace.value is not Tri.FALSE:
        for warning in rule.warnings:
            if evaluate(warning.when, view).value is not Tri.FALSE:
                warnings.append(warning.text)
    return Outcome(
        action=rule.action,
        result=result,
        citations=citations,
        reasons=summary + details,
        missing=missing if trace.value is Tri.UNKNOWN else [],
        warnings=warnings,
        limits=limits if trace.value is Tri.TRUE else None,
        trace=trace,
        rule=rule,
    )


def decide(case: Case, jurisdiction: Jurisdiction, *, explain: bool = False) -> Decision:
    """Decide every action a case asks about; with ``explain``, add to each outcome the smallest changes
    of facts that would change it (``would_change_if``). Raises :class:`CaseError` for an unknown regime or
    a date no regime covers (both are problems with the input)."""
    regime, by_date = choose_regime(case, jurisdiction)
    view = CaseView(case, regime.params)
    extra = _regime_warnings(case, regime, by_date, jurisdiction)
    outcomes = []
    for action in case.request.actions:
        rule = jurisdiction.rule(regime, case.agency, action, day=case.decision_date, by_date=by_date)
        outcome = read_outcome(rule, evaluate(rule.root, view), view, extra)
        if explain and outcome.trace is not None:

            def rule_for(changed: Case, action: str = action) -> Rule:
                if jurisdiction.problems(changed):
                    raise CaseError(jurisdiction.problems(changed))
                return jurisdiction.rule(regime, changed.agency, action, day=changed.decision_date, by_date=by_date)

            outcome.would_change_if = counterfactuals(
                case, outcome.trace, rule_for, regime.params, jurisdiction.case_format.parse
            )
        outcomes.append(outcome)
    return Decision(regime, case.agency, case.decision_date, outcomes, jurisdiction.law_hash(regime))


def decide_results(case: Case, jurisdiction: Jurisdiction) -> list[tuple[str, str, list[str]]]:
    """Only the result and, when undetermined, the missing facts of each action — the same evaluation as
    :func:`decide`, without composing reasons and citations (for populations)."""
    regime, by_date = choose_regime(case, jurisdiction)
    view = CaseView(case, regime.params)
    out: list[tuple[str, str, list[str]]] = []
    for action in case.request.actions:
        rule = jurisdiction.rule(regime, case.agency, action, day=case.decision_date, by_date=by_date)
        trace = evaluate(rule.root, view)
        missing: list[str] = []
        if trace.value is Tri.UNKNOWN:
            for step, _ in walk_deciding(trace):
                if step.value is Tri.UNKNOWN:
                    missing.extend(m for m in step.missing if m not in missing)
        out.append((action, RESULTS[trace.value], missing))
    return out
