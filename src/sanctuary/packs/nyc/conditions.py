"""The tests a reform file's new conditions are built from — only facts the case contract knows: a pending charge
for a listed crime, at least N arrests for listed crimes within Y years, a conviction of any felony (the gang-
database listing is :class:`~sanctuary.packs.nyc.requests.FactIsTrue` on ``person.gang_database``).

"Listed crimes" here are the reform's own list (PL sections with subdivision limits, written as the statute
writes them), not the "violent or serious crime" definition, which the reform reaches through the rules' own
tree (``detainers.violent_or_serious_crime``). Readings: I-70 to I-75 (``docs/law/nyc/interpretations.md``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sanctuary.facts.dates import PartialDate
from sanctuary.facts.truth import Tri, any_of
from sanctuary.law.tree import Change, Finding, View
from sanctuary.packs.nyc.case import Arrest, Conviction, PendingCharge, new_york
from sanctuary.packs.nyc.charges import ChargeCode, ChargeParseError, parse_charge
from sanctuary.packs.nyc.convictions import _five_years_before as years_before  # the look-back's own calendar
from sanctuary.packs.nyc.offense_classes import grade
from sanctuary.packs.nyc.offenses import OffenseList


def crime_listed(code: ChargeCode, crimes: OffenseList, attempts: bool, on: dt.date, inchoate: str | None) -> Tri:
    """Whether a charge is for one of ``crimes`` (an attempt counting only with ``attempts``; any other inchoate
    offense never): unknown where a listed section's subdivision limit is not stated by the charge."""
    attempt = code.attempt or inchoate == "attempt"
    if (attempt and not attempts) or (inchoate not in (None, "attempt")):
        return Tri.FALSE
    entry = crimes.lookup(code, on)
    if entry is None:
        return Tri.FALSE
    return entry.match(code)[0]


def _words(crimes: OffenseList) -> str:
    return ", ".join(f"PL {text}" for text in crimes.sections())


@dataclass(frozen=True, slots=True)
class PendingChargeFor:
    """A pending charge for a listed crime (the reform's list), item by item inside a ``ForSome``."""

    crimes: OffenseList
    attempts: bool = False

    def __repr__(self) -> str:
        return f"PendingChargeFor({', '.join(self.crimes.sections())}; attempts={self.attempts})"

    def check(self, view: View) -> Finding:
        item: PendingCharge = view.item
        if item.charge is None:
            return Finding(Tri.UNKNOWN, "The case does not say the charge.", (f"{view.item_path}.charge",))
        code = parse_charge(item.charge)
        value = crime_listed(code, self.crimes, self.attempts, view.case.decision_date, item.inchoate)
        if value is Tri.TRUE:
            return Finding(value, f"{code} is among the crimes the proposal lists ({_words(self.crimes)}).")
        if value is Tri.FALSE:
            return Finding(value, f"{code} is not among the crimes the proposal lists ({_words(self.crimes)}).")
        return Finding(
            value,
            f"{code}: the proposal lists only some subdivisions of the section, and the charge does not say which.",
            (f"{view.item_path}.charge",),
        )

    def reads(self, view: View) -> tuple[str, ...]:
        return (f"{view.item_path}.charge", f"{view.item_path}.inchoate")


@dataclass(frozen=True, slots=True)
class PendingChargeExample:
    """A pending charge under the first listed section, for counterfactuals that add one."""

    crimes: OffenseList

    def make(self, view: View) -> tuple[dict[str, Any], str]:
        charge = f"PL {self.crimes.entries[0].section}"
        return {"charge": charge}, f"A pending charge under {charge}."


@dataclass(frozen=True, slots=True)
class ArrestsFor:
    """At least ``at_least`` arrests for listed crimes within ``years`` years before the decision date (I-71,
    I-72). An arrest counts once however many listed charges it carries. With ``person.arrest_history`` given,
    it is read alone (the complete list, the instant arrest included); without it, the pending charges show a
    lower bound (distinct arrest dates of pending listed charges), enough to say *true*, never *false*."""

    crimes: OffenseList
    attempts: bool
    at_least: int
    years: int
    whole_case = True  # reads the whole history, not one item: populations decide it case by case

    def __repr__(self) -> str:
        return (
            f"ArrestsFor({self.at_least} in {self.years} years; {', '.join(self.crimes.sections())}; "
            f"attempts={self.attempts})"
        )

    def check(self, view: View) -> Finding:
        decided = view.case.decision_date
        since = years_before(decided, self.years)
        history = new_york(view.case).person.arrest_history
        if history is None:
            return self._lower_bound(view, since)
        certain: list[dt.date] = []
        possible: list[str] = []
        for i, arrest in enumerate(history):
            if arrest.date <= since:
                continue
            value = self._arrest(arrest, decided)
            if value is Tri.TRUE:
                certain.append(arrest.date)
            elif value is Tri.UNKNOWN:
                possible.append(f"person.arrest_history[{i}].charges")
        window = f"within {self.years} years before {decided} (after {since})"
        crimes = _words(self.crimes)
        if len(certain) >= self.at_least:
            days = ", ".join(d.isoformat() for d in sorted(certain))
            return Finding(Tri.TRUE, f"{len(certain)} arrests for {crimes} {window}: on {days}.")
        if len(certain) + len(possible) < self.at_least:
            return Finding(
                Tri.FALSE, f"{len(certain)} arrests for {crimes} {window}; the proposal asks for {self.at_least}."
            )
        return Finding(
            Tri.UNKNOWN,
            f"{len(certain)} arrests for {crimes} {window}, and {len(possible)} whose charge does not say "
            f"whether it is listed; the proposal asks for {self.at_least}.",
            tuple(possible),
        )

    def _arrest(self, arrest: Arrest, decided: dt.date) -> Tri:
        values = []
        for charge in arrest.charges:
            try:
                values.append(crime_listed(parse_charge(charge), self.crimes, self.attempts, decided, None))
            except ChargeParseError:  # validated with the case; unreachable for a parsed case
                values.append(Tri.UNKNOWN)
        return any_of(values)

    def _lower_bound(self, view: View, since: dt.date) -> Finding:
        decided = view.case.decision_date
        dates = set()
        for pending in new_york(view.case).person.pending_charges or ():
            if pending.charge is None or pending.arrest_date is None or pending.arrest_date <= since:
                continue
            code = parse_charge(pending.charge)
            if crime_listed(code, self.crimes, self.attempts, decided, pending.inchoate) is Tri.TRUE:
                dates.add(pending.arrest_date)
        crimes = _words(self.crimes)
        if len(dates) >= self.at_least:
            return Finding(
                Tri.TRUE,
                f"The pending charges alone show {len(dates)} arrests for {crimes} on different days within "
                f"{self.years} years ({', '.join(d.isoformat() for d in sorted(dates))}).",
            )
        return Finding(
            Tri.UNKNOWN,
            f"The case gives no arrest history; its pending charges show {len(dates)} arrests for {crimes} within "
            f"{self.years} years, and the proposal asks for {self.at_least}. Arrests that ended without a "
            "pending charge or a judgment are not in the case.",
            ("person.arrest_history",),
        )

    def reads(self, view: View) -> tuple[str, ...]:
        return ("person.arrest_history", "person.pending_charges")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        """Learn the history: ``want`` — enough listed arrests in the window; otherwise none at all."""
        if not want:
            return [(Change("person.arrest_history", [], "The person has no arrest."),)]
        decided = view.case.decision_date
        charge = f"PL {self.crimes.entries[0].section}"
        arrests = [
            {"date": (decided - dt.timedelta(days=30 * (n + 1))).isoformat(), "charges": [charge]}
            for n in range(self.at_least)
        ]
        says = f"The person was arrested {self.at_least} times for {charge} in the last {self.years} years."
        return [(Change("person.arrest_history", arrests, says),)]


@dataclass(frozen=True, slots=True)
class FelonyConviction:
    """A judgment of conviction of any felony (not a youthful-offender or juvenile-delinquent adjudication),
    entered within ``years`` years before the decision date when the reform gives a window (I-73)."""

    years: int | None = None

    def __repr__(self) -> str:
        return f"FelonyConviction(years={self.years})"

    @property
    def whole_case(self) -> bool:
        """With a window, the answer turns on the decision date itself, not only on the law's dated lists: an
        evaluator deciding items once per period between those dates must decide it case by case."""
        return self.years is not None

    def check(self, view: View) -> Finding:
        item: Conviction = view.item
        path = view.item_path
        parts: list[tuple[Tri, str, tuple[str, ...]]] = []
        level = grade(item).level
        parts.append((Tri.UNKNOWN if level is None else Tri.of(level == "felony"), "a felony", (f"{path}.level",)))
        adjudication = Tri.of(item.youthful_offender) | Tri.of(item.juvenile_delinquent)
        parts.append((~adjudication, "a conviction (not a YO or JD adjudication)", (f"{path}.youthful_offender",)))
        if self.years is not None:
            since = years_before(view.case.decision_date, self.years)
            judged = item.judgment_date
            if isinstance(judged, PartialDate):  # a year or a month: within only if every day of it is (I-57)
                within = Tri.TRUE if judged.first > since else Tri.FALSE if judged.last <= since else Tri.UNKNOWN
            else:
                within = Tri.UNKNOWN if judged is None else Tri.of(judged > since)
            parts.append((within, f"entered within {self.years} years", (f"{path}.judgment_date",)))
        if all(v is Tri.TRUE for v, _, _ in parts):
            return Finding(Tri.TRUE, f"{item.describe()}: " + ", ".join(w for _, w, _ in parts) + ".")
        failed = [w for v, w, _ in parts if v is Tri.FALSE]
        if failed:
            return Finding(Tri.FALSE, f"{item.describe()}: not " + "; not ".join(failed) + ".")
        missing = tuple(m for v, _, ms in parts if v is Tri.UNKNOWN for m in ms)
        unknown = [w for v, w, _ in parts if v is Tri.UNKNOWN]
        return Finding(Tri.UNKNOWN, f"{item.describe()}: not known whether " + " and ".join(unknown) + ".", missing)

    def reads(self, view: View) -> tuple[str, ...]:
        path = view.item_path
        return (f"{path}.level", f"{path}.class", f"{path}.youthful_offender", f"{path}.judgment_date")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        path = view.item_path
        level = "felony" if want else "misdemeanor"
        return [(Change(f"{path}.level", level, f"The judgment was a {level}."),)]


@dataclass(frozen=True, slots=True)
class FelonyJudgmentExample:
    """A felony judgment a year before the decision, for counterfactuals that add one."""

    def make(self, view: View) -> tuple[dict[str, Any], str]:
        judged = view.case.decision_date - dt.timedelta(days=365)
        item = {"charge": "PL 140.25", "level": "felony", "court": "NY", "judgment_date": judged.isoformat()}
        return item, f"A felony judgment (for example burglary, PL 140.25) entered on {judged}."
