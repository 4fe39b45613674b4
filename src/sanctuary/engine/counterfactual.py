"""Counterfactuals: the smallest changes of facts that would change an outcome — read from the rule tree.

For an outcome, the tree says what it would take to flip it: to make a false all-of true, every false
child must become true (a *product* of their plans); to make a false any-of true, any one child will do
(a *union*); a leaf's test offers the fact changes that would flip it (``options``), and a for-some list
can gain a new item (its ``witness``). This gives a small set of candidate plans without any random
search. Each candidate is then *applied to the case and decided again*: only plans that really produce the
other result are kept, and only if no smaller subset does (minimality), smallest first.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sanctuary.engine.evaluate import CaseView, Trace, evaluate
from sanctuary.facts.case import Case, CaseError
from sanctuary.facts.paths import with_changes
from sanctuary.facts.truth import Tri
from sanctuary.law.tree import All, Always, AnyOf, Change, ForSome, Leaf, Not, Plan, Rule, When

RESULT_OF = {Tri.TRUE: "permitted", Tri.FALSE: "prohibited", Tri.UNKNOWN: "undetermined"}
MAX_CHANGES = 3  # larger plans are not offered: they are rarely "what would change it"
MAX_PLANS = 48  # candidates kept at each step of the search, smallest first


@dataclass(frozen=True, slots=True)
class Counterfactual:
    """Had these facts been so, the outcome would have been ``result``."""

    changes: tuple[Change, ...]
    result: str

    def as_dict(self) -> dict[str, Any]:
        return {"changes": [c.as_dict() for c in self.changes], "result": self.result}


def _smallest(plans: Iterable[Plan]) -> list[Plan]:
    unique = {tuple(sorted(c.key for c in plan)): plan for plan in plans if len(plan) <= MAX_CHANGES}
    return [unique[k] for k in sorted(unique, key=lambda k: (len(k), k))][:MAX_PLANS]


def _consistent(plan: Plan) -> bool:
    paths = [c.path for c in plan if not c.path.endswith("[+]")]
    return len(paths) == len(set(paths))


def _product(groups: Sequence[list[Plan]]) -> list[Plan]:
    combined: list[Plan] = [frozenset()]
    for group in groups:
        if not group:
            return []
        combined = _smallest(
            merged for merged in (a | b for a, b in itertools.product(combined, group)) if _consistent(merged)
        )
    return combined


def _union(groups: Iterable[list[Plan]]) -> list[Plan]:
    return _smallest(plan for group in groups for plan in group)


def plans(trace: Trace, want: bool) -> list[Plan]:
    """Candidate fact changes that would make ``trace``'s node evaluate to ``want``."""
    target = Tri.TRUE if want else Tri.FALSE
    if trace.value is target:
        return [frozenset()]
    node, children = trace.node, trace.children
    if isinstance(node, Leaf):
        options = getattr(node.test, "options", None)
        if options is None or trace.view is None:
            return []
        return _smallest(frozenset(option) for option in options(trace.view, want))
    if isinstance(node, Always):
        return []
    if isinstance(node, Not):
        return plans(children[0], not want)
    if isinstance(node, All):
        if want:
            return _product([plans(c, True) for c in children if c.value is not Tri.TRUE])
        return _union(plans(c, False) for c in children if c.value is not Tri.FALSE)
    if isinstance(node, AnyOf):
        if want:
            return _union(plans(c, True) for c in children if c.value is not Tri.TRUE)
        return _product([plans(c, False) for c in children if c.value is not Tri.FALSE])
    if isinstance(node, When):
        condition, then, otherwise = children
        return _union(
            [
                _product([plans(condition, True), plans(then, want)]),
                _product([plans(condition, False), plans(otherwise, want)]),
            ]
        )
    if isinstance(node, ForSome):
        return _for_some(trace, want)
    return []


def _for_some(trace: Trace, want: bool) -> list[Plan]:
    node = trace.node
    assert isinstance(node, ForSome)
    absent = not trace.children and trace.value is Tri.UNKNOWN
    if not want:
        if absent:
            return [frozenset({Change(node.collection, [], f"There are no {node.noun}s.")})]
        return _product([plans(c, False) for c in trace.children if c.value is not Tri.FALSE])
    found = [plans(c, True) for c in trace.children if c.value is not Tri.TRUE]
    if node.witness is not None and trace.view is not None:
        item, says = node.witness.make(trace.view)
        path = node.collection if absent else f"{node.collection}[+]"
        found.append([frozenset({Change(path, [item] if absent else item, says)})])
    return _union(found)


def _decide_rule(data: dict[str, Any], rule_for: Any, params: Any, parse: Callable[[str], Case]) -> Tri | None:
    try:
        case = parse(json.dumps(data))
        rule: Rule = rule_for(case)
    except CaseError:
        return None  # the change would make an impossible case (e.g. a judgment before its offense)
    return evaluate(rule.root, CaseView(case, params)).value


def counterfactuals(
    case: Case, trace: Trace, rule_for: Any, params: Any, parse: Callable[[str], Case]
) -> list[Counterfactual]:
    """The minimal changes that flip an outcome, verified, smallest first.

    ``parse`` reads a changed case as the jurisdiction's case format does (:class:`CaseError` if it is invalid);
    ``rule_for(case)`` gives the rule to re-decide a changed case with (the same regime and action), raising
    :class:`CaseError` for a changed case the jurisdiction's law rules out;
    ``params`` the regime's parameters. For an undetermined outcome, changes towards both results are given.
    """
    data = json.loads(case.model_dump_json(by_alias=True, exclude_unset=True))
    targets = {Tri.TRUE: [False], Tri.FALSE: [True], Tri.UNKNOWN: [True, False]}[trace.value]
    found: list[Counterfactual] = []
    cache: dict[frozenset[tuple[str, str]], Tri | None] = {}

    def outcome(plan: Plan) -> Tri | None:
        key = frozenset(c.key for c in plan)
        if key not in cache:
            cache[key] = _decide_rule(with_changes(data, [(c.path, c.value) for c in plan]), rule_for, params, parse)
        return cache[key]

    for want in targets:
        goal = Tri.TRUE if want else Tri.FALSE
        kept: list[Plan] = []
        for plan in plans(trace, want):
            if not plan or any(k <= plan for k in kept):
                continue
            if outcome(plan) is not goal:
                continue
            smaller = [frozenset(s) for size in range(1, len(plan)) for s in itertools.combinations(plan, size)]
            flipping = [s for s in smaller if outcome(s) is goal]
            if flipping:  # a proper subset already flips it: offer that instead, if it is not offered yet
                best = min(flipping, key=len)
                if not any(k <= best for k in kept):
                    kept.append(best)
                continue
            kept.append(plan)
        for plan in sorted(kept, key=lambda p: (len(p), sorted(c.key for c in p))):
            ordered = tuple(sorted(plan, key=lambda c: c.path))
            found.append(Counterfactual(ordered, RESULT_OF[goal]))
    return sorted(found, key=lambda c: len(c.changes))
