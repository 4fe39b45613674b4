"""The vocabulary in which the law is written: rule trees.

A legal rule here is a *value*: a small tree of conditions built from a handful of node kinds —
:class:`All`, :class:`AnyOf`, :class:`Not`, :class:`When`, :class:`ForSome` and :class:`Leaf` — each node
carrying the clause it implements. Nothing in this module evaluates a tree: the engine does
(``sanctuary.engine``), and so will the columnar evaluator, the explanation, the counterfactuals and the
regime diff. Writing the rule once and letting every use read it is what keeps them from drifting apart.
The content hash, the explanation and the pages name a node by its :func:`kind` ("All", "Any", …), a name
that stays when a class is renamed.

A :class:`Leaf` holds a :class:`Test`: the one place where a condition meets the facts of a case (for
example "a judicial warrant was presented with the detainer"). A test answers with a :class:`Finding`:
true, false or unknown, a sentence saying why, and — when unknown — the paths of the facts that are
missing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any as AnyType
from typing import Protocol, runtime_checkable

from sanctuary.facts.case import Case
from sanctuary.facts.truth import Tri


@dataclass(frozen=True, slots=True)
class Clause:
    """A citable unit of law: ``NYC Admin. Code § 9-131(b)(1)(i)``.

    ``code`` names the body of law, ``section`` the section and ``path`` the subdivisions below it, as the
    text numbers them.
    """

    code: str
    section: str = ""
    path: tuple[str, ...] = ()

    def __str__(self) -> str:
        sub = "".join(f"({p})" for p in self.path)
        if not self.section:
            return f"{self.code}{sub}"
        return f"{self.code} § {self.section}{sub}"

    def below(self, *path: str) -> Clause:
        """The clause further down.

        >>> str(Clause("NYC Admin. Code", "9-131", ("b",)).below("1", "i"))
        'NYC Admin. Code § 9-131(b)(1)(i)'
        """
        return Clause(self.code, self.section, self.path + path)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a test found: the truth value, why, which unknown facts would settle it, and the clauses of law
    (beyond its node's own) that the finding applied — e.g. PL § 110.05(4) for the class of an attempt."""

    value: Tri
    reason: str
    missing: tuple[str, ...] = ()
    cites: tuple[Clause, ...] = ()  # further clauses the finding rests on (a class the Penal Law derives)


_HOLDS = {Tri.TRUE: "the condition holds", Tri.FALSE: "it does not hold", Tri.UNKNOWN: "it is not known"}


def over_days(days: Iterable[dt.date], finding_on: Callable[[dt.date], Finding], path: str, known_as: str) -> Finding:
    """A test of a date known only as an interval (a year or a month, ``sanctuary.facts.dates.PartialDate``):
    the test on every possible day. The same value on every day is that value (the law decides whatever the
    day); values that differ leave it unknown, the date missing, and the reason names the days on which each
    value holds — the exact thresholds. Kleene's logic keeps this sound: an outcome decided over such a leaf is
    the outcome on every day of the interval (I-57)."""
    runs: list[tuple[dt.date, dt.date, Finding]] = []
    for day in days:
        found = finding_on(day)
        if runs and runs[-1][2].value is found.value:
            runs[-1] = (runs[-1][0], day, runs[-1][2])
        else:
            runs.append((day, day, found))
    if not runs:
        return Finding(Tri.UNKNOWN, f"No day of {known_as} is possible for this date.", (path,))
    if len(runs) == 1:
        start, end, found = runs[0]
        reason = (
            f"The date is known only as {known_as}; on every possible day ({start} to {end}) the answer is the "
            f"same. On {start}: {found.reason}"
        )
        return Finding(found.value, reason, found.missing, found.cites)
    ranges = "; ".join(
        f"entered {start}" + (f" to {end}" if end != start else "") + f", {_HOLDS[found.value]}"
        for start, end, found in runs
    )
    missing = dict.fromkeys((path, *(m for *_, found in runs for m in found.missing)))
    return Finding(Tri.UNKNOWN, f"The date is known only as {known_as}, and the day decides: {ranges}.", tuple(missing))


@dataclass(frozen=True, slots=True, eq=False)
class Change:
    """One change to the facts of a case, for counterfactuals: set ``path`` to ``value``.

    A path ending in ``[+]`` appends ``value`` to the list (``request.documents[+]``). ``says`` is the change
    in words ("ICE presents a judicial warrant signed by a federal magistrate judge with the detainer").
    ``value`` is plain JSON data, as in a case file.
    """

    path: str
    value: AnyType
    says: str

    @property
    def key(self) -> tuple[str, str]:
        return self.path, json.dumps(self.value, sort_keys=True, default=str)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Change) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def as_dict(self) -> dict[str, AnyType]:
        return {"path": self.path, "value": self.value, "says": self.says}


Plan = frozenset[Change]


@dataclass(frozen=True, slots=True)
class Limits:
    """A limit the law puts on a permission, e.g. 48 hours excluding weekends and holidays."""

    max_hours: int
    excluding: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, AnyType]:
        return {"max_hours": self.max_hours, "excluding": list(self.excluding)}


class View(Protocol):
    """What a test may look at: the case, the regime's parameters, and (inside :class:`ForSome`) the item."""

    @property
    def case(self) -> Case: ...

    @property
    def params(self) -> Mapping[str, AnyType]: ...

    @property
    def item(self) -> AnyType: ...

    @property
    def item_path(self) -> str: ...


class Test(Protocol):
    """A condition on the facts of a case. Implementations are small frozen dataclasses (values, too).

    Besides ``check``, a test may offer ``reads(view)`` — the fact paths it looks at, for explanations —
    and ``options(view, want)`` — small changes of facts that would make it ``want``, for counterfactuals —
    and set ``whole_case = True`` when it reads beyond its own item and the record's own facts (another item of a
    list, the arrest date inside a judgment), so that an evaluator deciding items apart knows not to run it.
    """

    def check(self, view: View) -> Finding: ...


# What a history-dependent test reads of one judgment of the history: whether it counts (true, false or unknown,
# as ``HistoryTest.counts`` says) and its custody periods, first and last day (``None``: not known).
Counted = tuple[Tri, list[tuple[dt.date, dt.date]] | None]


@runtime_checkable
class HistoryTest(Protocol):
    """A test of one judgment whose value depends on the person's whole history, as a look-back extended by
    time served does: what an evaluator deciding whole tables needs to run it once per distinct history instead
    of once per case. The columnar evaluator recognises such a leaf by this interface, not by its class, so the
    pack keeps the one definition of each rule; every method only hands over to it.

    The value for a judgment is ``finding(judged, arrest, decided, years, low, high)``, where ``(low, high)`` is
    ``extension(...)`` over the person's judgments (``history``: whether each ``counts``, and its custody)."""

    def over_history(self) -> bool:
        """Whether the value depends on the history at all (a variant that counts a judgment at any time does not,
        and is evaluated item by item like any other test)."""
        ...

    def years(self, params: Mapping[str, AnyType]) -> int:
        """The years of the look-back under a regime's parameters."""
        ...

    def counts(self, view: View) -> Tri:
        """Whether the judgment ``view.item`` (decided as in ``view.case``) counts for the history, its custody
        extending the look-back."""
        ...

    def extension(
        self,
        arrest: dt.date,
        history: Sequence[Counted],
        tested: int,
        committed: dt.date | None,
        judged: dt.date | None,
    ) -> tuple[int, int | None]:
        """The days the look-back of judgment ``tested`` (its place in ``history``, ``-1`` if not there; its
        commission and judgment dates) is extended: at least, and at most (``None``: no bound)."""
        ...

    def finding(
        self,
        judged: dt.date | None,
        arrest: dt.date | None,
        decided: dt.date,
        years: int,
        extension: tuple[int, int | None],
    ) -> Finding:
        """The look-back for a judgment, given its extension (days at least, at most) already computed."""
        ...


class Witness(Protocol):
    """Makes an example item for a :class:`ForSome` list ("a judgment for a violent or serious crime within
    the look-back"), for counterfactuals that add an item."""

    def make(self, view: View) -> tuple[dict[str, AnyType], str]: ...


@dataclass(frozen=True, slots=True)
class Says:
    """Sentences a node contributes to the reasons when it is true, false or unknown."""

    true: str | None = None
    false: str | None = None
    unknown: str | None = None

    def get(self, value: Tri) -> str | None:
        return self.true if value is Tri.TRUE else self.false if value is Tri.FALSE else self.unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Common to every node: an id unique within a rule set, a title in words, and the clause it implements."""

    id: str
    title: str
    clause: Clause | None = None
    says: Says = field(default_factory=Says)
    limits: Limits | None = None
    cites: tuple[Clause, ...] = ()  # further clauses the node rests on (a rule that fills in a definition)

    def children(self) -> tuple[Node, ...]:
        return ()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(frozen=True, slots=True, kw_only=True)
class All(Node):
    """Every condition must hold (Kleene *and*)."""

    of: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.of


@dataclass(frozen=True, slots=True, kw_only=True)
class AnyOf(Node):
    """At least one condition must hold (Kleene *or*). Order matters only for the explanation: the first
    condition that holds is the one the decision rests on. Its :func:`kind` is ``"Any"``."""

    of: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.of


@dataclass(frozen=True, slots=True, kw_only=True)
class Not(Node):
    """The condition must not hold."""

    of: Node

    def children(self) -> tuple[Node, ...]:
        return (self.of,)


@dataclass(frozen=True, slots=True, kw_only=True)
class When(Node):
    """``then`` if ``condition`` holds, else ``otherwise``; when the condition is unknown, the answer is known
    only if both branches agree."""

    condition: Node
    then: Node
    otherwise: Node

    def children(self) -> tuple[Node, ...]:
        return (self.condition, self.then, self.otherwise)


@dataclass(frozen=True, slots=True, kw_only=True)
class ForSome(Node):
    """Some item of a list in the case satisfies ``condition`` ("some judgment such that …").

    ``collection`` is a dotted path into the case (``person.convictions``); an absent list is unknown.
    """

    collection: str
    noun: str
    condition: Node
    witness: Witness | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.condition,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Leaf(Node):
    """A condition on the facts, decided by a :class:`Test`."""

    test: Test


@dataclass(frozen=True, slots=True, kw_only=True)
class Always(Node):
    """A constant: used where the law gives one answer whatever the facts (e.g. no city law applies)."""

    value: bool
    reason: str


@dataclass(frozen=True, slots=True)
class RuleWarning:
    """A warning attached to a rule: shown when the outcome is not ``prohibited`` and ``when`` may hold."""

    when: Node
    text: str
    citations: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """The law on one action for one agency under one regime: the root of a tree whose truth means
    *permitted*, with the clause the permission or prohibition rests on, and its warnings."""

    action: str
    clause: Clause | None
    root: Node
    warnings: tuple[RuleWarning, ...] = ()

    def nodes(self) -> Iterator[Node]:
        yield from self.root.walk()
        for warning in self.warnings:
            yield from warning.when.walk()


def replace_where(node: Node, replacement: Callable[[Node], Node | None]) -> Node:
    """A copy of ``node`` in which every node for which ``replacement`` returns a tree is replaced by it.

    This is how a regime overrides a rule: by recognising the node it changes (say, every node whose id
    ends in ``.record``, the "convicted or possible database match" test) and giving the tree that takes
    its place. The original tree is not changed.
    """
    new = replacement(node)
    if new is not None:
        return new
    if isinstance(node, All | AnyOf):
        return _replace(node, of=tuple(replace_where(c, replacement) for c in node.of))
    if isinstance(node, Not):
        return _replace(node, of=replace_where(node.of, replacement))
    if isinstance(node, When):
        parts = [replace_where(n, replacement) for n in (node.condition, node.then, node.otherwise)]
        return _replace(node, condition=parts[0], then=parts[1], otherwise=parts[2])
    if isinstance(node, ForSome):
        return _replace(node, condition=replace_where(node.condition, replacement))
    return node


def _replace(node: Node, **changes: AnyType) -> Node:
    import dataclasses

    return dataclasses.replace(node, **changes)


#: The name each node class goes by outside Python: in the content hash (so in every regime's law hash), the
#: explanation (``schema/explanation.schema.json``) and the pages. A class may be renamed in the code — ``AnyOf``
#: was ``Any`` until that shadowed ``typing.Any`` — without changing a hash or the public format.
KINDS: dict[type[Node], str] = {
    All: "All",
    AnyOf: "Any",
    Not: "Not",
    When: "When",
    ForSome: "ForSome",
    Leaf: "Leaf",
    Always: "Always",
}


def kind(node: Node) -> str:
    """The stable name of the node's kind (see :data:`KINDS`); a class not listed goes by its own name."""
    return KINDS.get(type(node), type(node).__name__)


def outline(node: Node) -> dict[str, AnyType]:
    """What every view of a node shows — its id, its kind, its title, the list it ranges over (a for-some) and its
    limit — so that the content hash, the explanation and the law browser describe a node one way and each adds
    only what is its own (the statute's words, the values a case gave)."""
    out: dict[str, AnyType] = {"id": node.id, "kind": kind(node), "title": node.title}
    if isinstance(node, ForSome):
        out["collection"] = node.collection
    if node.limits is not None:
        out["limits"] = node.limits.as_dict()
    return out


def describe(node: Node) -> AnyType:
    """A plain-data description of a tree (no functions): used for content hashes and regime diffs — the
    :func:`outline` of each node, with its clauses as citations, its test and its constant value."""
    out = outline(node)
    if node.clause is not None:
        out["clause"] = str(node.clause)
    if node.cites:
        out["cites"] = [str(c) for c in node.cites]
    if isinstance(node, Leaf):
        out["test"] = repr(node.test)
    if isinstance(node, Always):
        out["value"] = node.value
    children = node.children()
    if children:
        out["children"] = [describe(c) for c in children]
    return out
