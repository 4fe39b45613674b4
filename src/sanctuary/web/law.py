"""The law as the law browser shows it: every rule tree with, beside each condition, the clause it
implements and the statute's words. Read from the same trees the engine evaluates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanctuary.engine.explain import clause_view
from sanctuary.errors import NotFoundError
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.law.regime import Regime
from sanctuary.law.tree import Clause, Node, outline
from sanctuary.population.assumptions import presets
from sanctuary.population.pack import request_scenarios


def overview(jurisdiction: Jurisdiction) -> dict[str, Any]:
    return {
        "regimes": [r.describe() | {"law_hash": jurisdiction.law_hash(r)} for r in jurisdiction.regimes.values()],
        "agencies": [{"id": k, "name": v} for k, v in jurisdiction.agencies.items()],
        "actions": [{"id": a, "name": jurisdiction.actions.get(a, a)} for a in jurisdiction.actions],
        "in_force_today": (regime.id if (regime := jurisdiction.regime_in_force(dt.date.today())) else None),
        # The named scenario assumptions of ``--assume`` (the comparison page offers them), in their words.
        "assumptions": [{"id": p.id, "words": p.words} for p in presets(jurisdiction).values()],
        # The requests a comparison may suppose (the jurisdiction's, the default first), in words.
        "requests": [
            {"id": r.id, "name": r.name, "words": r.words, "actions": list(r.actions)}
            for r in request_scenarios(jurisdiction)
        ],
    }


def _clauses(jurisdiction: Jurisdiction, regime: Regime, clauses: list[Clause]) -> list[dict[str, Any]]:
    return [clause_view(jurisdiction, regime, c) for c in clauses]


def _node(jurisdiction: Jurisdiction, regime: Regime, node: Node) -> dict[str, Any]:
    clauses = ([node.clause] if node.clause else []) + list(node.cites)
    # The node as every view shows it (its kind is put in words by the page), with the statute's words.
    out: dict[str, Any] = outline(node) | {"clauses": _clauses(jurisdiction, regime, clauses)}
    children = node.children()
    if children:
        out["children"] = [_node(jurisdiction, regime, child) for child in children]
    return out


def rule_view(jurisdiction: Jurisdiction, regime_id: str, agency: str, action: str) -> dict[str, Any]:
    """One rule: its clause and words, its tree with clauses and words at every node, and its warnings.
    Raises :class:`~sanctuary.errors.NotFoundError` naming what is unknown."""
    regime = jurisdiction.regimes.get(regime_id)
    if regime is None:
        raise NotFoundError(f"regime: no regime {regime_id!r} (known: {', '.join(jurisdiction.regimes)})", "regime")
    if agency not in jurisdiction.agencies:
        raise NotFoundError(f"agency: {agency!r} is not one of {', '.join(jurisdiction.agencies)}", "agency")
    if action not in jurisdiction.actions:
        raise NotFoundError(f"action: {action!r} is not one of {', '.join(jurisdiction.actions)}", "action")
    rule = jurisdiction.rule(regime, agency, action, day=dt.date.max, by_date=False)  # every provision applies
    return {
        "regime": regime.describe() | {"law_hash": jurisdiction.law_hash(regime)},
        "agency": agency,
        "action": action,
        "clause": _clauses(jurisdiction, regime, [rule.clause])[0] if rule.clause else None,
        "tree": _node(jurisdiction, regime, rule.root),
        "warnings": [
            {"title": w.text, "clauses": _clauses(jurisdiction, regime, list(w.citations))} for w in rule.warnings
        ],
    }
