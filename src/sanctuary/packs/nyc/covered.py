"""Tests of the person's record under the detainer laws of 2012 and 2013: "convicted of a crime" and "pending
criminal case" (Admin. Code § 9-131(a)(2), (a)(5) as enacted by L.L. 2011/62), and "convicted of a covered
crime", "covered crime", "covered criminal case" and "pending covered criminal case" (§ 9-131(a)(2)-(4), (a)(7)
as amended by L.L. 2013/22; § 14-154(a)(2)-(4), (a)(6) as enacted by L.L. 2013/21).

Each class decides one condition those texts define, in three values, judgment by judgment or charge by
charge, and says why. Whether a judgment or charge was a felony or a misdemeanor is read through one helper,
:func:`_level`, so that how a level is derived is decided in one place. Readings chosen are marked ``I-n``
(``docs/law/nyc/interpretations.md``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sanctuary.facts.dates import PartialDate
from sanctuary.facts.truth import Tri, all_of
from sanctuary.law.tree import Change, Finding, View, over_days
from sanctuary.packs.nyc.case import Conviction, Level, PendingCharge, charge_code, is_new_york, new_york
from sanctuary.packs.nyc.charges import ChargeCode, ChargeParseError
from sanctuary.packs.nyc.convictions import item_name as _name
from sanctuary.packs.nyc.offense_classes import derive, grade

Charged = Conviction | PendingCharge


def _level(item: Charged, path: str) -> tuple[Level | None, tuple[str, ...]]:
    """The level of a judgment or charge (felony, misdemeanor, violation) — stated, or derived from the Penal Law
    as for the later laws (I-31) — and the facts that would tell when it is not known. The one place the
    2011/2013 tests read a level."""
    level = grade(item).level
    return level, (() if level is not None else (f"{path}.level",))


def _level_change(view: View, level: str) -> Change:
    return Change(f"{view.item_path}.level", level, f"{_name(view)} was a {level}.")


def _felony_or_not(view: View, want: bool) -> list[tuple[Change, ...]]:
    """Counterfactual: the item was a felony (or a violation) — offered only where the Penal Law does not already
    fix the level of the offense as written (I-31)."""
    if derive(view.item).level is not None:
        return []
    return [(_level_change(view, "felony" if want else "violation"),)]


# --- the level: "a misdemeanor or felony charge" ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelIs:
    """The judgment or charge was at one of ``levels`` — "a final judgment of guilt entered on a misdemeanor
    or felony charge" (2011 (a)(2)), "a misdemeanor or felony charge is pending" (2011 (a)(5)), "a final
    judgment of guilt … on a felony" (2013 (a)(2)(ii)). The level is that of the crime of conviction or of
    the charge (I-13, I-37)."""

    levels: tuple[Level, ...]
    words: str

    def check(self, view: View) -> Finding:
        graded = grade(view.item)
        if graded.level is None:
            missing = (f"{view.item_path}.level",)
            return Finding(Tri.UNKNOWN, f"The case does not say whether it was {self.words}.", missing)
        how = f" ({graded.because})" if graded.because else ""
        if graded.level in self.levels:
            return Finding(Tri.TRUE, f"It was a {graded.level}{how}.", cites=graded.cites)
        return Finding(Tri.FALSE, f"It was a {graded.level}, not {self.words}{how}.", cites=graded.cites)

    def reads(self, view: View) -> tuple[str, ...]:
        return (f"{view.item_path}.level", f"{view.item_path}.class")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        if derive(view.item).level is not None:
            return []  # the Penal Law fixes the level of the offense as written (I-31)
        wanted = (
            self.levels if want else tuple(x for x in ("felony", "misdemeanor", "violation") if x not in self.levels)
        )
        return [(_level_change(view, wanted[0]),)] if wanted else []


# --- facts of one item, read as they are -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemFactIs:
    """A yes/no fact of one judgment or charge must be ``want`` (absent = unknown): e.g. the case was *not*
    disposed of with an adjournment in contemplation of dismissal."""

    field: str
    want: bool
    if_holds: str
    if_not: str
    if_unknown: str

    def check(self, view: View) -> Finding:
        value = Tri.of(getattr(view.item, self.field))
        if value is Tri.UNKNOWN:
            return Finding(Tri.UNKNOWN, self.if_unknown, (f"{view.item_path}.{self.field}",))
        holds = (value is Tri.TRUE) == self.want
        return Finding(Tri.of(holds), self.if_holds if holds else self.if_not)

    def reads(self, view: View) -> tuple[str, ...]:
        return (f"{view.item_path}.{self.field}",)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        value = self.want if want else not self.want
        return [
            (
                Change(
                    f"{view.item_path}.{self.field}",
                    value,
                    f"{_name(view)}: {self.field.replace('_', ' ')} is {str(value).lower()}.",
                ),
            )
        ]


# --- "covered crime" (2013 (a)(3)) ----------------------------------------------------------------------------


def _new_york_code(item: Charged, path: str) -> tuple[ChargeCode | None, tuple[str, ...]]:
    """The New York charge an item stands for (a judgment elsewhere: its stated New York equivalent, as the
    "comparable provision" of the definition; I-4, I-38), or ``None`` and the facts that would tell."""
    try:
        if isinstance(item, Conviction):
            new_york = is_new_york(item)
            if new_york is None:
                return None, (f"{path}.court", f"{path}.charge")
            if not new_york:
                if item.ny_equivalent is None:
                    return None, (f"{path}.ny_equivalent",)
                return charge_code(item, use_equivalent=True), ()
        if item.charge is None:
            return None, (f"{path}.charge",)
        return charge_code(item), ()
    except ChargeParseError:
        return None, (f"{path}.charge",)


def _excluded(item: Charged, code: ChargeCode, path: str) -> tuple[Tri, str, tuple[str, ...]]:
    """The exclusions of the 2013 "covered crime": PL 230.00; PL 240.37 unless the charge relates to the
    patronizing of a prostitute; VTL 511(1) and 511(2)(a)(i) and (iv)."""
    if code.law == "PL" and code.section == "230.00":
        return Tri.TRUE, f"{code.key} (prostitution) is excluded from the covered crimes", ()
    if code.law == "PL" and code.section == "240.37":
        patronizing = Tri.of(item.relates_to_patronizing)
        if patronizing is Tri.TRUE:
            return Tri.FALSE, f"{code.key} relates to the patronizing of a prostitute, which is not excluded", ()
        if patronizing is Tri.FALSE:
            return Tri.TRUE, f"{code.key} (loitering for prostitution) is excluded from the covered crimes", ()
        return (
            Tri.UNKNOWN,
            f"{code.key} is excluded unless it relates to the patronizing of a prostitute, which the case does not say",
            (f"{path}.relates_to_patronizing",),
        )
    if code.law == "VTL" and code.section == "511":
        sub = code.subdivision
        if sub is None or (sub[:1] == ("2",) and len(sub) < 3):
            return (
                Tri.UNKNOWN,
                f"{code}: the subdivision of VTL § 511 decides the exclusion and is not stated",
                (f"{path}.charge",),
            )
        if sub[:1] == ("1",) or (sub[:2] == ("2", "a") and sub[2:3] in (("i",), ("iv",))):
            return Tri.TRUE, f"{code} (aggravated unlicensed operation) is excluded from the covered crimes", ()
    return Tri.FALSE, f"{code.key} is not among the charges excluded from the covered crimes", ()


def covered_crime(item: Charged, path: str) -> Finding:
    """2013 (a)(3): a misdemeanor or felony charge, not excluded."""
    level, level_missing = _level(item, path)
    if level == "violation":
        return Finding(Tri.FALSE, "It was a violation, not a misdemeanor or felony: not a covered crime.")
    code, code_missing = _new_york_code(item, path)
    if code is None:
        return Finding(
            Tri.UNKNOWN,
            "Whether it is a covered crime is not known: the charge cannot be placed.",
            code_missing + level_missing,
        )
    excluded, why, excluded_missing = _excluded(item, code, path)
    crime = Tri.UNKNOWN if level is None else Tri.TRUE
    value = all_of((crime, ~excluded))
    if value is Tri.TRUE:
        return Finding(value, f"A {level} charge ({code}) is a covered crime: {why}.")
    if value is Tri.FALSE:
        return Finding(value, f"Not a covered crime: {why}.")
    missing = (excluded_missing if excluded is Tri.UNKNOWN else ()) + level_missing
    return Finding(
        value,
        f"Whether {code} is a covered crime is not known: {why if excluded_missing else 'its level is not stated'}.",
        missing,
    )


@dataclass(frozen=True, slots=True)
class CoveredCrime:
    """2013 § 9-131(a)(3) / § 14-154(a)(3): "a misdemeanor or felony charge …, provided, however, that a
    charge brought pursuant to section 230.00 of the penal law, section 240.37 … except when such charge
    relates to the patronizing of a prostitute, or subdivision one or subparagraph (i) or (iv) of paragraph (a)
    of subdivision two of section five hundred eleven of the vehicle and traffic law … shall not be deemed a
    covered crime"."""

    def check(self, view: View) -> Finding:
        return covered_crime(view.item, view.item_path)

    def reads(self, view: View) -> tuple[str, ...]:
        p = view.item_path
        return (
            f"{p}.charge",
            f"{p}.level",
            f"{p}.class",
            f"{p}.court",
            f"{p}.ny_equivalent",
            f"{p}.relates_to_patronizing",
        )

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return _felony_or_not(view, want)


# --- "covered criminal case" (2013 (a)(4)) -------------------------------------------------------------------

_ARTICLE_31 = re.compile(r"^119\d(-[a-z])?$")  # VTL article 31: §§ 1190-1199 (I-40)


def _listed_misdemeanor(item: PendingCharge, code: ChargeCode, path: str) -> tuple[Tri, str, tuple[str, ...]]:
    """(a)(4)(A)-(E): the misdemeanors that make a case a covered criminal case, with their provisos."""
    released = Tri.of(item.released_for_failure_to_replace_complaint)
    released_path = (f"{path}.released_for_failure_to_replace_complaint",)
    if code.law == "PL" and code.section in ("120.00", "215.50"):
        which = "A" if code.section == "120.00" else "D"
        if released is Tri.UNKNOWN:
            return (
                Tri.UNKNOWN,
                f"{code.key} ((a)(4)({which})) counts unless the defendant was ordered released "
                "under CPL § 170.70, which the case does not say",
                released_path,
            )
        if released is Tri.TRUE:
            return (
                Tri.FALSE,
                f"{code.key} ((a)(4)({which})), but the defendant was ordered released under CPL § 170.70",
                (),
            )
        return Tri.TRUE, f"a misdemeanor under {code.key} ((a)(4)({which}))", ()
    if code.law == "PL" and code.section.startswith("130."):
        return Tri.TRUE, "a misdemeanor under PL article 130 ((a)(4)(B))", ()
    if code.law == "PL" and code.section == "265.01":
        firearm = Tri.of(item.firearm_or_ammunition)
        if firearm is Tri.UNKNOWN:
            return (
                Tri.UNKNOWN,
                "PL 265.01 counts only if the charge relates to possession of a firearm, rifle, "
                "shotgun, bullet or ammunition ((a)(4)(C)), which the case does not say",
                (f"{path}.firearm_or_ammunition",),
            )
        if firearm is Tri.FALSE:
            return Tri.FALSE, "PL 265.01, not relating to a firearm or ammunition ((a)(4)(C))", ()
        return Tri.TRUE, "a misdemeanor under PL 265.01 relating to a firearm or ammunition ((a)(4)(C))", ()
    if code.law == "VTL" and _ARTICLE_31.match(code.section):
        return Tri.TRUE, f"a misdemeanor under VTL article 31 ({code.key}; (a)(4)(E))", ()
    return Tri.FALSE, f"{code.key} is not among the misdemeanors listed in (a)(4)", ()


def covered_case_charge(item: PendingCharge, path: str) -> Finding:
    level, level_missing = _level(item, path)
    if level == "felony":
        return Finding(Tri.TRUE, "A felony charge is pending: a covered criminal case.")
    if level == "violation":
        return Finding(Tri.FALSE, "Only a violation is charged: not a covered criminal case.")
    code, code_missing = _new_york_code(item, path)
    if code is None:
        return Finding(
            Tri.UNKNOWN, "Whether the case is a covered criminal case is not known.", code_missing + level_missing
        )
    listed, why, listed_missing = _listed_misdemeanor(item, code, path)
    if level == "misdemeanor":
        if listed is Tri.UNKNOWN:
            return Finding(listed, f"Not known whether this is a covered criminal case: {why}.", listed_missing)
        return Finding(
            listed, f"{'A covered criminal case' if listed is Tri.TRUE else 'Not a covered criminal case'}: {why}."
        )
    # Level unknown: a felony counts, a listed misdemeanor counts, a violation or infraction does not (VTL
    # 1192(1) is a traffic infraction): the level decides (I-40).
    return Finding(
        Tri.UNKNOWN,
        f"The case does not say whether {code} is a felony, a misdemeanor or a lesser offense (a felony always "
        f"counts; for a misdemeanor: {why}).",
        level_missing + (listed_missing if listed is Tri.UNKNOWN else ()),
    )


@dataclass(frozen=True, slots=True)
class CoveredCriminalCaseCharge:
    """2013 § 9-131(a)(4) / § 14-154(a)(4): the pending charge makes its case a "covered criminal case" — any
    felony, or a misdemeanor under PL 120.00 or 215.50 (unless released under CPL § 170.70), PL article 130,
    PL 265.01 relating to a firearm or ammunition, or VTL article 31."""

    def check(self, view: View) -> Finding:
        return covered_case_charge(view.item, view.item_path)

    def reads(self, view: View) -> tuple[str, ...]:
        p = view.item_path
        return (
            f"{p}.charge",
            f"{p}.level",
            f"{p}.class",
            f"{p}.released_for_failure_to_replace_complaint",
            f"{p}.firearm_or_ammunition",
        )

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return _felony_or_not(view, want)


# --- "more than one case" (2013 (a)(7)(ii) / (a)(6)(ii)) -----------------------------------------------------

_NOT_EXCLUDED = (
    ("adjournment_in_contemplation_of_dismissal", "disposed of with an adjournment in contemplation of dismissal"),
    ("conditional_discharge", "sentenced to a conditional discharge"),
    ("must_be_youthful_offender", "if convicted, must be found a youthful offender"),
)


def _counts(item: PendingCharge, path: str) -> tuple[Tri, tuple[str, ...]]:
    """Whether one pending charge is "a case … where a covered crime is charged" that counts for (ii): a covered
    crime, in a case not excluded by (iii), (iv) or (v) (I-39)."""
    covered = covered_crime(item, path)
    values = [covered.value] + [~Tri.of(getattr(item, f)) for f, _ in _NOT_EXCLUDED]
    value = all_of(values)
    if value is not Tri.UNKNOWN:
        return value, ()
    missing = covered.missing if covered.value is Tri.UNKNOWN else ()
    missing += tuple(f"{path}.{f}" for f, _ in _NOT_EXCLUDED if getattr(item, f) is None)
    return value, missing


@dataclass(frozen=True, slots=True)
class MoreThanOneCase:
    """2013 § 9-131(a)(7)(ii) / § 14-154(a)(6)(ii): "any person who is a defendant in more than one case where
    judgment has not been entered and where a covered crime is charged, shall be deemed to be a defendant in a
    pending covered criminal case". Cases are told apart by ``case_id`` (I-39)."""

    whole_case = True  # it reads every pending charge, not one item

    def check(self, view: View) -> Finding:
        charges = new_york(view.case).person.pending_charges
        if charges is None:
            return Finding(Tri.UNKNOWN, "The case does not say what charges are pending.", ("person.pending_charges",))
        certain: set[str] = set()
        possible: set[str] = set()
        unnamed_certain = unnamed_possible = 0
        missing: list[str] = []
        for i, item in enumerate(charges):
            path = f"person.pending_charges[{i}]"
            value, miss = _counts(item, path)
            if value is Tri.FALSE:
                continue
            missing.extend(miss)
            if item.case_id is None:
                unnamed_possible += 1
                unnamed_certain += value is Tri.TRUE
                missing.append(f"{path}.case_id")
            else:
                possible.add(item.case_id)
                if value is Tri.TRUE:
                    certain.add(item.case_id)
        if len(certain) >= 2:
            return Finding(
                Tri.TRUE,
                f"The person is a defendant in {len(certain)} cases in which a covered crime is "
                "charged and judgment has not been entered.",
            )
        if len(possible) + unnamed_possible < 2:
            return Finding(
                Tri.FALSE, "The person is not a defendant in more than one case in which a covered crime is charged."
            )
        return Finding(
            Tri.UNKNOWN,
            "Whether the person is a defendant in more than one case in which a covered crime is charged is not known.",
            tuple(dict.fromkeys(missing)),
        )

    def reads(self, view: View) -> tuple[str, ...]:
        return ("person.pending_charges",)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return []


# --- the ten-year rule of 2013 (a)(2)(ii) --------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True, slots=True)
class WithinTenYears:
    """2013 (a)(2)(ii): the judgment was entered less than ten years before the date of the instant arrest
    (exactly ten years no longer counts; a judgment after the arrest counts; I-10's conventions, I-38). The
    years are the regime's ``lookback_years``. There is no incarceration extension in this text."""

    whole_case = True  # a test of one judgment that reads the person's instant arrest date

    def check(self, view: View) -> Finding:
        judged = view.item.judgment_date
        if isinstance(judged, PartialDate):  # a year or a month: every possible day (I-57)
            days = judged.days(since=view.item.offense_date, until=view.case.decision_date)
            return over_days(
                days, lambda day: self._check_on(view, day), f"{view.item_path}.judgment_date", str(judged)
            )
        return self._check_on(view, judged)

    def _check_on(self, view: View, judged: dt.date | None) -> Finding:
        years = int(view.params["lookback_years"])
        arrest = new_york(view.case).person.instant_arrest_date
        decided = view.case.decision_date
        if judged is not None and arrest is None and judged > _years_before(decided, years):
            return Finding(
                Tri.TRUE,
                f"The judgment ({judged}) was entered less than {years} years before the decision "
                "date, and so less than that before the instant arrest.",
            )
        missing = tuple(
            p
            for p, v in (("person.instant_arrest_date", arrest), (f"{view.item_path}.judgment_date", judged))
            if v is None
        )
        if arrest is None or judged is None:
            return Finding(
                Tri.UNKNOWN,
                f"Not known whether the judgment was entered within {years} years before the instant arrest.",
                missing,
            )
        if judged > _years_before(arrest, years):
            return Finding(
                Tri.TRUE,
                f"The judgment ({judged}) was entered less than {years} years before the instant arrest ({arrest}).",
            )
        return Finding(
            Tri.FALSE,
            f"The judgment ({judged}) was entered at least {years} years before the instant arrest ({arrest}).",
        )

    def reads(self, view: View) -> tuple[str, ...]:
        return ("person.instant_arrest_date", f"{view.item_path}.judgment_date")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        anchor = new_york(view.case).person.instant_arrest_date or view.case.decision_date
        years = int(view.params["lookback_years"])
        day = anchor - dt.timedelta(days=365) if want else _years_before(anchor, years)
        return [(Change(f"{view.item_path}.judgment_date", day.isoformat(), f"{_name(view)} was entered on {day}."),)]


# --- example items, for counterfactuals that add one ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FelonyJudgmentWitness:
    """A felony judgment (grand larceny in the fourth degree, PL 155.30) a year before the arrest."""

    def make(self, view: View) -> tuple[dict[str, Any], str]:
        anchor = new_york(view.case).person.instant_arrest_date or view.case.decision_date
        judged = anchor - dt.timedelta(days=365)
        item = {"charge": "PL 155.30", "level": "felony", "court": "NY", "judgment_date": judged.isoformat()}
        return item, f"A felony judgment (for example PL 155.30, grand larceny 4th) entered on {judged}."


@dataclass(frozen=True, slots=True)
class FelonyChargeWitness:
    """A pending felony charge, not disposed of and not a mandatory youthful-offender case."""

    def make(self, view: View) -> tuple[dict[str, Any], str]:
        item = {
            "charge": "PL 155.30",
            "level": "felony",
            "adjournment_in_contemplation_of_dismissal": False,
            "conditional_discharge": False,
            "must_be_youthful_offender": False,
        }
        return item, "A pending felony charge (for example PL 155.30, grand larceny 4th)."
