"""Regimes side by side: one case under several regimes, and what one regime changes against another.

:func:`compare_case` decides a case under each regime and, where outcomes differ from the first regime,
says which clauses make the difference: the clauses the outcome rests on under one regime and not the
other. :func:`diff_regimes` compares two regimes clause by clause: their provisions and dates, parameters
and overrides, and — for every agency and action — the rule trees node by node (conditions added, removed
or changed, with their citations).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sanctuary.engine.decide import Decision, decide
from sanctuary.engine.diffwords import group_changes, summary
from sanctuary.errors import InvalidInputError
from sanctuary.facts.case import Case, CaseError, Problem
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.law.regime import Regime
from sanctuary.law.tree import describe


@dataclass(slots=True)
class Difference:
    action: str
    regime: str
    result: str
    baseline_result: str
    clauses_only_here: list[str]
    clauses_only_in_baseline: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "regime": self.regime,
            "result": self.result,
            "baseline_result": self.baseline_result,
            "clauses_only_here": self.clauses_only_here,
            "clauses_only_in_baseline": self.clauses_only_in_baseline,
        }


def compare_case(case: Case, jurisdiction: Jurisdiction, regime_ids: list[str]) -> dict[str, Any]:
    """Decide ``case`` under each regime in turn; the first is the baseline differences are measured from."""
    unknown = [r for r in regime_ids if r not in jurisdiction.regimes]
    if unknown or not regime_ids:
        raise CaseError(
            [Problem("--regimes", f"unknown regime(s) {unknown} (known: {', '.join(jurisdiction.regimes)})")]
        )
    decisions: list[Decision] = [decide(case.model_copy(update={"regime": r}), jurisdiction) for r in regime_ids]
    baseline = decisions[0]
    differences = []
    for decision in decisions[1:]:
        for ours, theirs in zip(decision.outcomes, baseline.outcomes, strict=True):
            if ours.result == theirs.result:
                continue
            differences.append(
                Difference(
                    action=ours.action,
                    regime=decision.regime.id,
                    result=ours.result,
                    baseline_result=theirs.result,
                    clauses_only_here=[c for c in ours.citations if c not in theirs.citations],
                    clauses_only_in_baseline=[c for c in theirs.citations if c not in ours.citations],
                )
            )
    return {
        "regimes": [{"id": d.regime.id, "status": d.regime.status} for d in decisions],
        "agency": case.agency,
        "decision_date": case.decision_date.isoformat(),
        "outcomes": [
            {"action": action, "results": {d.regime.id: d.outcomes[i].result for d in decisions}}
            for i, action in enumerate(case.request.actions)
        ],
        "differences": [d.as_dict() for d in differences],
        "decisions": [d.as_dict() for d in decisions],
    }


def _flatten(tree: dict[str, Any], out: dict[str, dict[str, Any]]) -> None:
    node = {k: v for k, v in tree.items() if k != "children"}
    node["children"] = [c["id"] for c in tree.get("children", [])]
    out[tree["id"]] = node
    for child in tree.get("children", []):
        _flatten(child, out)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def diff_regimes(jurisdiction: Jurisdiction, old_id: str, new_id: str) -> dict[str, Any]:
    """What ``new_id`` changes relative to ``old_id``, clause by clause. An unknown regime is invalid input
    naming the argument (``old`` or ``new``)."""
    for argument, rid in (("old", old_id), ("new", new_id)):
        if rid not in jurisdiction.regimes:
            raise InvalidInputError(f"unknown regime {rid!r} (known: {', '.join(jurisdiction.regimes)})", argument)
    old, new = jurisdiction.regimes[old_id], jurisdiction.regimes[new_id]
    provisions = []
    for name in sorted(set(old.provisions) | set(new.provisions)):
        before, after = old.provisions.get(name, "absent"), new.provisions.get(name, "absent")
        if before != after:
            provisions.append({"provision": name, "old": _show(before), "new": _show(after)})
    params = [
        {"parameter": k, "old": old.params.get(k), "new": new.params.get(k)}
        for k in sorted(set(old.params) | set(new.params))
        if old.params.get(k) != new.params.get(k)
    ]
    overrides = {
        "added": [o for o in new.overrides if o not in old.overrides],
        "removed": [o for o in old.overrides if o not in new.overrides],
    }
    rules = []
    for agency in jurisdiction.agencies:  # the agencies the pack's rules tell apart (the last: every other one)
        for action in jurisdiction.actions:
            change = _rule_diff(jurisdiction, old, new, agency, action)
            if change:
                rules.append({"agency": agency, "action": action, **change})
    out: dict[str, Any] = {
        "old": _summary(old),
        "new": _summary(new),
        "provisions": provisions,
        "parameters": params,
        "overrides": overrides,
        "rules": rules,
        "law_hash": {"old": jurisdiction.law_hash(old), "new": jurisdiction.law_hash(new)},
        "actions": list(jurisdiction.actions),  # every action the jurisdiction decides, for "every action but …"
    }
    groups = group_changes(rules)
    out["summary"] = summary(out, groups)
    out["changes"] = [g | {"where": [{"agency": a, "action": b} for a, b in g["where"]]} for g in groups]
    return out


def _show(value: Any) -> Any:
    if value == "absent":
        return "not part of the regime"
    if value is None:
        return "in effect"
    return f"in effect from {value}" if isinstance(value, dt.date) else value


def _summary(regime: Regime) -> dict[str, Any]:
    return {
        "id": regime.id,
        "status": regime.status,
        "title": regime.title,
        "in_force_from": _iso(regime.in_force_from),
        "in_force_until": _iso(regime.in_force_until),
        "introduced": _iso(regime.introduced),
    }


def _rule_diff(jurisdiction: Jurisdiction, old: Regime, new: Regime, agency: str, action: str) -> dict[str, Any]:
    day = dt.date(2100, 1, 1)
    before = jurisdiction.rule(old, agency, action, day=day, by_date=False)
    after = jurisdiction.rule(new, agency, action, day=day, by_date=False)
    old_nodes: dict[str, dict[str, Any]] = {}
    new_nodes: dict[str, dict[str, Any]] = {}
    _flatten(describe(before.root), old_nodes)
    _flatten(describe(after.root), new_nodes)
    if old_nodes == new_nodes and before.clause == after.clause:
        return {}
    added = _placed([i for i in new_nodes if i not in old_nodes], new_nodes)
    removed = _placed([i for i in old_nodes if i not in new_nodes], old_nodes)
    changed = []
    for node_id in old_nodes.keys() & new_nodes.keys():
        a, b = old_nodes[node_id], new_nodes[node_id]
        fields = [k for k in sorted(set(a) | set(b)) if k != "children" and a.get(k) != b.get(k)]
        if fields:
            changed.append(
                {
                    "id": node_id,
                    "clause": b.get("clause") or a.get("clause"),
                    "changes": {k: {"old": a.get(k), "new": b.get(k)} for k in fields},
                }
            )
    return {
        "rule_clause": {
            "old": str(before.clause) if before.clause else None,
            "new": str(after.clause) if after.clause else None,
        },
        "added": added,
        "removed": removed,
        "changed": sorted(changed, key=lambda c: c["id"]),
    }


def _placed(ids: list[str], nodes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The nodes added (or removed), each with ``depth`` and ``root``: the topmost added node above it (its own id
    for a root), so a view names a new subtree once and lists its conditions beneath it."""
    parent = {child: pid for pid, node in nodes.items() for child in node["children"]}
    chosen = set(ids)
    out = []
    for node_id in ids:
        top, depth = node_id, 0
        while parent.get(top) in chosen:
            top, depth = parent[top], depth + 1
        out.append(_brief(nodes[node_id]) | {"depth": depth, "root": top})
    return out


def _brief(node: dict[str, Any]) -> dict[str, Any]:
    return {k: node[k] for k in ("id", "kind", "title", "clause", "cites") if k in node}
