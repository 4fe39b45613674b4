"""The three-valued evaluator: walks a rule tree over one case and records a trace.

The trace *is* the explanation: every node evaluated, its value (true, false, unknown), the reason its test
gave, and the facts that were missing. Nothing is short-circuited, so the trace shows every condition the
law sets, not only the first that failed. :func:`deciding` then picks, from the trace, the nodes an outcome
rests on — the part of the tree that fixed the value — from which citations, reasons and missing facts
are read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any as AnyType

from sanctuary.facts.case import Case
from sanctuary.facts.truth import Tri, all_of, any_of
from sanctuary.law.tree import All, Always, AnyOf, Clause, ForSome, Leaf, Node, Not, When


@dataclass(frozen=True, slots=True)
class CaseView:
    """What a test sees: the case, the regime's parameters, and the current item of a :class:`ForSome`."""

    case: Case
    params: Mapping[str, AnyType]
    item: AnyType = None
    item_path: str = ""


@dataclass(slots=True)
class Trace:
    """One evaluated node. ``label`` names the item (``judgment 1 (PL 160.15(4), …)``) inside a ForSome."""

    node: Node
    value: Tri
    reason: str | None = None
    missing: tuple[str, ...] = ()
    children: list[Trace] = field(default_factory=list)
    label: str | None = None
    view: CaseView | None = None  # what the node saw (the case, and the item inside a ForSome)
    cites: tuple[Clause, ...] = ()  # clauses the leaf's finding applied, beyond the node's own


def evaluate(node: Node, view: CaseView) -> Trace:
    """Evaluate ``node`` over the case in ``view`` (Kleene logic), returning the full trace."""
    trace: Trace = _EVALUATORS[type(node)](node, view)
    trace.view = view
    return trace


def _leaf(node: AnyType, view: CaseView) -> Trace:
    finding = node.test.check(view)
    return Trace(node, finding.value, finding.reason, finding.missing, view=view, cites=finding.cites)


def _always(node: AnyType, view: CaseView) -> Trace:
    return Trace(node, Tri.of(node.value), node.reason)


def _all(node: AnyType, view: CaseView) -> Trace:
    children = [evaluate(child, view) for child in node.of]
    return Trace(node, all_of(c.value for c in children), children=children)


def _any(node: AnyType, view: CaseView) -> Trace:
    children = [evaluate(child, view) for child in node.of]
    return Trace(node, any_of(c.value for c in children), children=children)


def _not(node: AnyType, view: CaseView) -> Trace:
    child = evaluate(node.of, view)
    return Trace(node, ~child.value, children=[child])


def _when(node: AnyType, view: CaseView) -> Trace:
    condition = evaluate(node.condition, view)
    then = evaluate(node.then, view)
    otherwise = evaluate(node.otherwise, view)
    if condition.value is Tri.TRUE:
        value = then.value
    elif condition.value is Tri.FALSE:
        value = otherwise.value
    else:
        value = then.value if then.value is otherwise.value else Tri.UNKNOWN
    return Trace(node, value, children=[condition, then, otherwise])


def _for_some(node: AnyType, view: CaseView) -> Trace:
    items: AnyType = view.case
    for part in node.collection.split("."):
        items = getattr(items, part)
    if items is None:
        reason = node.says.unknown or f"The case does not give {node.collection}."
        return Trace(
            node,
            Tri.UNKNOWN,
            f"The case does not give {node.collection}; {reason[0].lower()}{reason[1:]}",
            (node.collection,),
        )
    children = []
    for index, item in enumerate(items):
        path = f"{node.collection}[{index}]"
        trace = evaluate(node.condition, CaseView(view.case, view.params, item, path))
        describe = getattr(item, "describe", None)
        trace.label = f"{node.noun.capitalize()} {index + 1}" + (f" ({describe()})" if describe else "")
        children.append(trace)
    if not children:
        return Trace(node, Tri.FALSE, f"The case lists no {node.noun}s.")
    return Trace(node, any_of(c.value for c in children), children=children)


_EVALUATORS: dict[type, AnyType] = {
    Leaf: _leaf,
    Always: _always,
    All: _all,
    AnyOf: _any,
    Not: _not,
    When: _when,
    ForSome: _for_some,
}


def deciding(trace: Trace) -> list[Trace]:
    """The children of ``trace`` that its value rests on.

    - all-of: if true, every child; if false, the false children; if unknown, the unknown children;
    - any-of: if true, the first true child; otherwise every child (none holds);
    - when: the condition and the branch it selects; if the condition is unknown, the condition and both
      branches (or only the branches, if they agree);
    - for-some: like any-of, over the items.

    Missing facts are read only from the unknown nodes among these, so they stay exactly the facts that
    would decide.
    """
    node, value, children = trace.node, trace.value, trace.children
    if not children:
        return []
    if isinstance(node, Not):
        return children
    if isinstance(node, When):
        condition, then, otherwise = children
        if condition.value is Tri.TRUE:
            return [condition, then]
        if condition.value is Tri.FALSE:
            return [condition, otherwise]
        if value is not Tri.UNKNOWN:
            return [then, otherwise]
        return [condition] + [c for c in (then, otherwise) if c.value is Tri.UNKNOWN]
    if isinstance(node, All):
        return children if value is Tri.TRUE else [c for c in children if c.value is value]
    # AnyOf and ForSome: when unknown, no child holds, so the false children are part of why (NYPD's (b)(1)
    # fails for want of a warrant *and* (b)(2) turns on an unknown fact).
    if value is Tri.TRUE:
        return [next(c for c in children if c.value is Tri.TRUE)]
    return children


def walk_deciding(trace: Trace) -> Iterator[tuple[Trace, tuple[str, ...]]]:
    """Depth-first over the deciding part of a trace, with the labels of the items it passes through."""
    stack: list[tuple[Trace, tuple[str, ...]]] = [(trace, ())]
    while stack:
        current, labels = stack.pop()
        if current.label is not None:
            labels = (*labels, current.label)
        yield current, labels
        for child in reversed(deciding(current)):
            stack.append((child, labels))
