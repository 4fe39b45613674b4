"""A report declared as data, and :func:`write`, the one loop that turns a declaration into rows.

Each law's report is a :class:`Declaration`: its parts, each with the date from which the statute asks for it,
and each part's rows in the statute's order. A row is declared by its key (appended to the law's prefix, so
``"(1)"`` under ``"9-131(f)"``), its label in the statute's words, its unit, its kind, and its selector: the
population of records it counts (a function of the :class:`Scope`, computed once per part however many rows
count it) and, where it counts only some of them, a named predicate.

Why data rather than code: the three annual laws ask nearly the same questions in slightly different words, and
written as functions steered by flags a reader had to run the flags to learn which rows a law has and in what
order. Declared, a law's rows can be read beside its table in ``docs/law/nyc/reports.md`` (§ 3.2, § 4.2, § 5.2,
§ 6.3), and the report-wide rules are applied once, here, through :class:`~counting.Builder`: the window's note
on every row (R-16, R-17), persons once each or as a range (R-4), the engine's decision only in detail rows (R-3),
and a statutory count that cannot be computed shown as such, never as 0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Generic, NamedTuple, Protocol, TypeVar, cast

from sanctuary.packs.nyc.reports.classify import Classifier
from sanctuary.packs.nyc.reports.counting import Builder, Item, Window, join_notes, window
from sanctuary.packs.nyc.reports.model import Row
from sanctuary.packs.nyc.reports.periods import LAWS_IN_ORDER, Period
from sanctuary.packs.nyc.reports.trail import Action, Request, Scaap, Trail

T = TypeVar("T")


@dataclass
class Scope:
    """What the selectors of one part read: the law's requests, the classifier (one per report, so each legal
    classification is made once), the part's window, and the populations computed from them, each once."""

    requests: list[Request]
    c: Classifier
    w: Window
    period: Period
    unreadable: int
    include_annual: bool
    scaap: list[Scaap] = field(default_factory=list)
    _memo: dict[object, object] = field(default_factory=dict)

    def of(self, population: Callable[[Scope], T]) -> T:
        """The records ``population`` selects in this scope; several rows count the same records."""
        return self.memo(population, lambda: population(self))

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    @property
    def changes(self) -> list[dt.date]:
        """The days inside the window on which another law came into force (R-19: each event is judged under the
        law of its day, so a statutory row is also shown split at these days)."""
        if self.w.start is None:
            return []
        start = self.w.start
        return [r.in_force_from for r in LAWS_IN_ORDER if r.in_force_from and start < r.in_force_from <= self.w.end]


def dated(record: object) -> dt.date | None:
    """The day of the event a record of a population stands for (R-2): a dated item's, a request's or a
    detainer's day received, an action's day; ``None`` when it has none."""
    if isinstance(record, Item):
        return record.date
    if isinstance(record, Request):
        return record.received
    if isinstance(record, tuple) and record and isinstance(record[-1], Action):
        return record[-1].date
    received = getattr(record, "received", None)
    return received if isinstance(received, dt.date) else None


def segments(s: Scope) -> list[tuple[str, str, Callable[[dt.date | None], bool]]]:
    """The parts of the window between changes of law: each with its key suffix, its words, and a test of a day."""
    out: list[tuple[str, str, Callable[[dt.date | None], bool]]] = []
    for day in s.changes:
        tag = day.isoformat().replace("-", "_")
        out.append((f".before_{tag}", f"events before {day}", partial(_before, day)))
        out.append((f".from_{tag}", f"events from {day}", partial(_from, day)))
    return out


def _before(day: dt.date, d: dt.date | None) -> bool:
    return d is not None and d < day


def _from(day: dt.date, d: dt.date | None) -> bool:
    return d is not None and d >= day


Population = Callable[[Scope], Sequence[T]]
Note = str | Callable[[Scope], str | None] | None  # a callable note depends on the report's options


def every(_s: Scope, _record: object) -> bool:
    """The predicate of a row that counts every record of its population."""
    return True


def _row_id(prefix: str, key: str, kind: str) -> str:
    """A row's identifier: detail rows, which the statute does not ask for, say so in their identifier."""
    return f"{'detail:' if kind == 'detail' else ''}{prefix}{key}"


def _note(note: Note, s: Scope) -> str | None:
    return note(s) if callable(note) else note


class Spec(Protocol):
    """A declared row (or family of rows): it writes itself through the builder, in the scope of its part."""

    def write(self, b: Builder, s: Scope, prefix: str) -> None: ...


@dataclass(frozen=True)
class Count(Generic[T]):
    """A count of records: those of the population ``of`` that ``where`` picks, each once."""

    key: str
    words: str
    unit: str
    of: Population[T]
    where: Callable[[Scope, T], bool] = every
    kind: str = "statutory"
    note: Note = None

    def write(self, b: Builder, s: Scope, prefix: str) -> None:
        row_id = _row_id(prefix, self.key, self.kind)
        counted = [record for record in s.of(self.of) if self.where(s, record)]
        b.count(row_id, self.words, self.unit, len(counted), s.w, kind=self.kind, note=_note(self.note, s))
        if self.kind != "statutory":
            return
        for key, words, holds in segments(s):
            n = sum(1 for record in counted if holds(dated(record)))
            b.count(f"detail:{prefix}{self.key}{key}", f"{self.words}: {words}", self.unit, n, s.w, kind="detail")


@dataclass(frozen=True)
class Total:
    """A number the scope holds already (records that could not be read) or that the trail cannot change."""

    key: str
    words: str
    unit: str
    value: Callable[[Scope], int]
    kind: str = "statutory"
    note: Note = None

    def write(self, b: Builder, s: Scope, prefix: str) -> None:
        row_id = _row_id(prefix, self.key, self.kind)
        b.count(row_id, self.words, self.unit, self.value(s), s.w, kind=self.kind, note=_note(self.note, s))


@dataclass(frozen=True)
class Persons:
    """A count of distinct persons (R-4) among the dated records ``of``: a person is in the row when ``where``
    holds of all their qualifying records together. ``key_gap`` adds the gap row of records with no person key
    (once per population: the rows that split a population share its statutory row's gap)."""

    key: str
    words: str
    of: Population[Item]
    where: Callable[[Scope, list[Item]], bool] = every
    kind: str = "statutory"
    key_gap: bool = True
    note: str | None = None

    def write(self, b: Builder, s: Scope, prefix: str) -> None:
        row_id = _row_id(prefix, self.key, self.kind)
        items = list(s.of(self.of))
        b.persons(
            row_id,
            self.words,
            items,
            s.w,
            lambda g: self.where(s, g),
            kind=self.kind,
            key_gap=self.key_gap,
            note=self.note,
        )
        if self.kind != "statutory":
            return
        for key, words, holds in segments(s):
            part = [i for i in items if holds(i.date)]
            sub_id, sub_words = f"detail:{prefix}{self.key}{key}", f"{self.words}: {words}"
            b.persons(sub_id, sub_words, part, s.w, lambda g: self.where(s, g), kind="detail", key_gap=False)


@dataclass(frozen=True)
class Decisions:
    """The detail rows splitting a row's records by the engine's outcome for ``actions`` (R-3): the decision
    never stands in for the action, it is only shown beside it."""

    key: str
    of: Population[Item]
    actions: Callable[[Item], tuple[str, ...]]

    def write(self, b: Builder, s: Scope, prefix: str) -> None:
        b.decisions(f"{prefix}{self.key}", list(s.of(self.of)), self.actions)


@dataclass(frozen=True)
class NotComputable:
    """A count the statute asks for that the trail cannot give: its value is ``None`` and ``why`` says so, never
    0 and never omitted."""

    key: str
    words: str
    unit: str
    why: str

    def write(self, b: Builder, s: Scope, prefix: str) -> None:
        b.none(_row_id(prefix, self.key, "statutory"), self.words, self.unit, self.why, s.w)


@dataclass(frozen=True)
class Supplied:
    """A figure the agency supplies rather than the trail's events (SCAAP amounts, R-24): ``value`` gives it and its
    note, or ``None`` and why (never 0 for a figure nobody supplied)."""

    key: str
    words: str
    unit: str
    value: Callable[[Scope], tuple[int | None, str]]

    def write(self, b: Builder, s: Scope, prefix: str) -> None:
        value, note = self.value(s)
        if value is None:
            b.none(_row_id(prefix, self.key, "statutory"), self.words, self.unit, note, s.w)
        else:
            b.count(_row_id(prefix, self.key, "statutory"), self.words, self.unit, value, s.w, note=note)


class Member(NamedTuple):
    """One row of a :class:`Family`: its key, label, value and note."""

    key: str
    words: str
    value: int
    note: str | None = None


@dataclass(frozen=True)
class Family:
    """Rows the records themselves name (one per requesting and receiving agency, § 10-178(d)): their number and
    keys are known only once the trail is read, so the selector yields them, in the order printed."""

    unit: str
    members: Callable[[Scope], Iterable[Member]]
    kind: str = "statutory"

    def write(self, b: Builder, s: Scope, prefix: str) -> None:
        for m in self.members(s):
            b.count(_row_id(prefix, m.key, self.kind), m.words, self.unit, m.value, s.w, kind=self.kind, note=m.note)


@dataclass(frozen=True)
class Part:
    """Rows that apply from the same day: ``since`` is that day and why (R-16, R-17); ``None``, the whole period."""

    since: tuple[dt.date, str] | None
    rows: tuple[Spec, ...]


@dataclass(frozen=True)
class Declaration:
    """A law's report: the prefix of its row identifiers, the agency whose requests it counts (``None``: every
    agency), and its parts in the statute's order."""

    prefix: str
    agency: str | None
    parts: tuple[Part, ...]


def write(d: Declaration, trail: Trail, c: Classifier, period: Period, *, include_annual: bool = False) -> list[Row]:
    """The one loop: every row of every part of ``d``, in order, each counted in its part's window; each label in
    plain words, the reading it applies named in its note."""
    requests = [q for q in trail.requests if d.agency is None or q.agency == d.agency]
    b = Builder()
    for part in d.parts:
        w = window(period, *part.since) if part.since else Window(period.start, period.end, None)
        s = Scope(requests, c, w, period, trail.unreadable, include_annual, trail.scaap)
        for spec in part.rows:
            spec.write(b, s, d.prefix)
    for row in b.rows:
        row.label, codes = plain(row.label)
        if codes:
            row.note = join_notes(row.note, f"reading {', '.join(codes)} of docs/law/nyc/reports.md")
    return b.rows


# A reading's code in a label: "(R-11)", "(…; R-13)", "(R-15; …)".
_CODES = re.compile(r"R-\d+")
_ALONE = re.compile(r"\s*\((?:R-\d+(?:,\s*)?)+\)")
_AFTER = re.compile(r";\s*(?:R-\d+(?:,\s*)?)+\)")
_BEFORE = re.compile(r"\((?:R-\d+(?:,\s*)?)+;\s*")


def plain(label: str) -> tuple[str, list[str]]:
    """A label without the codes of the readings it applies (those belong in notes, not in what a reader reads),
    and the codes taken out."""
    codes = _CODES.findall(label)
    if not codes:
        return label, []
    text = _BEFORE.sub("(", _AFTER.sub(")", _ALONE.sub("", label)))
    return text, [c for c in dict.fromkeys(codes) if c not in _CODES.findall(text)]
