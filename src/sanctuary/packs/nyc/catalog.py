"""The "violent or serious crime" list of § 9-131(a)(7) / § 14-154(a)(6), loaded from its data file.

The data file ``violent_or_serious_crime.toml`` holds the statute's own words; this module reads it once,
checks it, and offers the two look-ups the definitions need: the Penal Law sections of subparagraph (i)
and the crimes added by DOC rule under subparagraph (v), each addition with the dates between which it
may and certainly did take effect.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sanctuary.facts.truth import Tri
from sanctuary.packs.nyc.charges import ChargeCode
from sanctuary.packs.nyc.offenses import OffenseList, OffenseListError, parse_entry

DATA_FILE = "violent_or_serious_crime.toml"


@dataclass(frozen=True, slots=True)
class Addition:
    """A crime added by rule (subparagraph (v)), in force from a date known only within a range."""

    section: str
    title: str
    source: str
    possibly_since: dt.date
    certainly_since: dt.date

    def in_force(self, on: dt.date) -> Tri:
        if on >= self.certainly_since:
            return Tri.TRUE
        if on < self.possibly_since:
            return Tri.FALSE
        return Tri.UNKNOWN


@dataclass(frozen=True, slots=True)
class ViolentOrSeriousCrimeList:
    id: str
    felonies: OffenseList
    additions: tuple[Addition, ...]
    raw: dict[str, Any]

    def addition(self, code: ChargeCode) -> Addition | None:
        if code.law != "PL":
            return None
        for addition in self.additions:
            if addition.section == code.section:
                return addition
        return None

    def changes(self) -> set[dt.date]:
        """The days on which the list's answer for some crime may change (an entry's dates, and the dates
        between which an addition may and certainly did take effect): every look-up on a date answers alike
        on every day between two of them, so a population is decided once per period, not once per day."""
        return self.felonies.changes() | {d for a in self.additions for d in (a.possibly_since, a.certainly_since)}

    def describe(self) -> dict[str, Any]:
        """Plain data for content hashes and regime diffs."""
        return self.raw


def load_catalog(text: str | None = None) -> ViolentOrSeriousCrimeList:
    if text is None:
        text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    unknown = set(raw) - {"id", "title", "penal_law_felonies", "added_by_rule"}
    if unknown:
        raise OffenseListError(f"{DATA_FILE}: unknown keys {sorted(unknown)}")
    felonies = raw["penal_law_felonies"]
    entries = tuple(
        parse_entry(token, law="PL")
        for token in (t.strip() for t in felonies["sections"].replace("\n", " ").split(","))
        if token
    )
    additions = []
    for item in raw.get("added_by_rule", []):
        if set(item) != {"section", "title", "source", "possibly_since", "certainly_since"}:
            raise OffenseListError(
                f"{DATA_FILE}: an addition needs exactly section, title, source, "
                f"possibly_since, certainly_since: {item!r}"
            )
        if item["certainly_since"] < item["possibly_since"]:
            raise OffenseListError(f"{DATA_FILE}: {item['section']}: certainly_since before possibly_since")
        additions.append(Addition(**item))
    return ViolentOrSeriousCrimeList(
        id=raw["id"], felonies=OffenseList(raw["id"], entries), additions=tuple(additions), raw=raw
    )


CATALOG = load_catalog()
