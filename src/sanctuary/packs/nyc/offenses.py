"""Offense lists as data: sections with their subdivision limits, each entry dated and cited.

A statute's list is copied into a TOML file *verbatim* — ``"120.04-a(4)"``, ``"135.65(2)(b)"``,
``"265.02(2) through (8)"`` — and read here into :class:`ListedSection` entries. Keeping the statute's own
words in the data file lets a reviewer compare it with the text line by line; a test compares it with the
statute text too.

Matching a charge against a list answers in three values: a section that is not listed is *false*; a
listed section with no subdivision limit is *true*; a listed section whose subdivision limit the charge
does not state (``PL 265.02`` against ``265.02(2) through (8)``) is *unknown* — never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sanctuary.errors import LawDataError
from sanctuary.facts.truth import Tri
from sanctuary.packs.nyc.charges import ChargeCode

_ENTRY = re.compile(
    r"^(?P<section>\d{1,3}\.\d{2}(?:-[a-z])?)\s*"
    r"(?P<subs>(?:\(\w+\))*)"
    r"(?:\s*through\s*\((?P<through>\d+)\))?$"
)
_SUB = re.compile(r"\((\w+)\)")


class OffenseListError(LawDataError):
    """A malformed entry in an offense-list data file."""


@dataclass(frozen=True, slots=True)
class ListedSection:
    """One listed section. ``subdivisions`` is ``None`` when the whole section is listed, else the listed
    subdivision paths (``{("4",)}`` for ``120.04-a(4)``; ``{("2",), …, ("8",)}`` for ``265.02(2) through (8)``).
    ``since``/``until`` bound the dates on which the entry is part of the list."""

    law: str
    section: str
    subdivisions: frozenset[tuple[str, ...]] | None
    text: str
    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None
    title: str | None = None

    def in_force(self, on: dt.date) -> bool:
        return (self.since is None or on >= self.since) and (self.until is None or on < self.until)

    def match(self, code: ChargeCode) -> tuple[Tri, str]:
        """Whether ``code`` falls within this entry (same law and section assumed), and why."""
        if self.subdivisions is None:
            return Tri.TRUE, f"{self.law} § {self.section} is listed"
        if code.subdivision is None:
            return Tri.UNKNOWN, (
                f"only {self.law} § {self.text} is listed, and the charge does not state its subdivision"
            )
        for listed in self.subdivisions:
            if code.subdivision[: len(listed)] == listed:
                return Tri.TRUE, f"{self.law} § {self.text} is listed"
            if listed[: len(code.subdivision)] == code.subdivision:
                return Tri.UNKNOWN, (
                    f"only {self.law} § {self.text} is listed, and the charge does not state the paragraph"
                )
        return Tri.FALSE, f"only {self.law} § {self.text} is listed, not subdivision {code.subdivision_text}"


def parse_entry(
    text: str,
    *,
    law: str = "PL",
    since: dt.date | None = None,
    until: dt.date | None = None,
    source: str | None = None,
    title: str | None = None,
) -> ListedSection:
    """Read one entry as the statute writes it (``"265.02(2) through (8)"``)."""
    normalized = re.sub(r"\s+", " ", text.strip()).replace(" (", "(")
    normalized = normalized.replace(") through(", ") through (")
    match = _ENTRY.match(normalized)
    if not match:
        raise OffenseListError(f"cannot read list entry {text!r}")
    subs = tuple(_SUB.findall(match["subs"] or ""))
    subdivisions: frozenset[tuple[str, ...]] | None
    if not subs:
        subdivisions = None
    elif match["through"]:
        if len(subs) != 1 or not subs[0].isdigit():
            raise OffenseListError(f"cannot read range in list entry {text!r}")
        subdivisions = frozenset((str(n),) for n in range(int(subs[0]), int(match["through"]) + 1))
    else:
        subdivisions = frozenset({subs})
    return ListedSection(
        law=law,
        section=match["section"],
        subdivisions=subdivisions,
        text=normalized,
        since=since,
        until=until,
        source=source,
        title=title,
    )


@dataclass(frozen=True, slots=True)
class OffenseList:
    """A dated list of sections. ``lookup`` finds the entry for a charge's section in force on a date."""

    id: str
    entries: tuple[ListedSection, ...]

    def __post_init__(self) -> None:
        seen: dict[tuple[str, str], ListedSection] = {}
        for entry in self.entries:
            key = (entry.law, entry.section)
            if key in seen and _overlap(seen[key], entry):
                raise OffenseListError(f"{self.id}: {entry.law} {entry.section} is listed twice")
            seen[key] = entry

    def lookup(self, code: ChargeCode, on: dt.date) -> ListedSection | None:
        for entry in self.entries:
            if entry.law == code.law and entry.section == code.section and entry.in_force(on):
                return entry
        return None

    def sections(self) -> list[str]:
        return [entry.text for entry in self.entries]

    def changes(self) -> set[dt.date]:
        """The days on which an entry joins or leaves the list: ``lookup`` answers alike on every day between
        two of them."""
        return {day for entry in self.entries for day in (entry.since, entry.until) if day is not None}


def _overlap(a: ListedSection, b: ListedSection) -> bool:
    a_end = a.until or dt.date.max
    b_end = b.until or dt.date.max
    return (a.since or dt.date.min) < b_end and (b.since or dt.date.min) < a_end
