"""Tests of a person's record: "convicted of a violent or serious crime" — § 9-131(a)(2), (a)(7); § 14-154
(a)(2), (a)(6) — judgment by judgment: the five subparagraphs of the offense definition, the youthful-
offender exclusion, the five-year look-back with its incarceration extension; and example items for
counterfactuals that add a judgment or a charge.

Readings chosen are marked ``I-n`` (``docs/law/nyc/interpretations.md``).
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sanctuary.facts.dates import PartialDate
from sanctuary.facts.truth import Tri, any_of
from sanctuary.law.tree import Change, Clause, Counted, Finding, View, over_days
from sanctuary.packs.nyc.case import Conviction, PendingCharge, charge_code, is_new_york, new_york
from sanctuary.packs.nyc.catalog import CATALOG, ViolentOrSeriousCrimeList
from sanctuary.packs.nyc.charges import ChargeCode
from sanctuary.packs.nyc.offense_classes import INCHOATE_ARTICLES, Level, derive, grade, level_from_class


def _charge_facts(view: View) -> tuple[str, ...]:
    path = view.item_path
    return tuple(f"{path}.{k}" for k in ("charge", "level", "class", "inchoate", "court", "ny_equivalent"))


def _index(path: str) -> int:
    match = re.search(r"\[(\d+)\]", path)
    return int(match.group(1)) if match else 0


def item_name(view: View) -> str:
    """ "Judgment 2 (PL 160.15)" / "Pending charge 1 (PL 160.10)": the item a change is about."""
    match = re.search(r"(convictions|pending_charges)\[(\d+)\]$", view.item_path)
    noun = "Judgment" if match and match.group(1) == "convictions" else "Pending charge"
    number = int(match.group(2)) + 1 if match else 1
    charge = getattr(view.item, "charge", None)
    return f"{noun} {number}" + (f" ({charge})" if charge else "")


def _level_options(view: View, want: bool) -> list[tuple[Change, ...]]:
    """Counterfactual changes of a judgment's level: the one fact that turns most subparagraphs on or off —
    offered only where the law does not already fix the level of the offense as written (I-31)."""
    path, item = view.item_path, view.item
    if derive(item).level is not None:
        return []
    if want:
        if _felony(item, path).level == "felony":
            return []
        return [(Change(f"{path}.level", "felony", f"{item_name(view)} was a felony."),)]
    changes = [Change(f"{path}.level", "misdemeanor", f"{item_name(view)} was a misdemeanor.")]
    if level_from_class(item.class_) == "felony":
        changes.append(Change(f"{path}.class", "A", f"{item_name(view)} was a class A misdemeanor."))
    return [tuple(changes)]


# --- convictions and charges --------------------------------------------------------------------------


def _effective_charge(item: Conviction | PendingCharge, path: str) -> tuple[ChargeCode | None, str, tuple[str, ...]]:
    """The New York charge a judgment or charge stands for: its own charge, or — for a judgment entered
    outside New York — the New York equivalent someone has determined (§ 9-131(a)(2); I-4)."""
    if isinstance(item, Conviction):
        new_york = is_new_york(item)
        if new_york is None:
            return (
                None,
                "the case does not say in which court the judgment was entered",
                (f"{path}.court", f"{path}.charge"),
            )
        if not new_york:
            if item.ny_equivalent is None:
                return (
                    None,
                    (
                        f"the judgment was entered outside New York ({item.court}) and no New York "
                        "equivalent has been stated"
                    ),
                    (f"{path}.ny_equivalent",),
                )
            return charge_code(item, use_equivalent=True), f"its New York equivalent {item.ny_equivalent}", ()
    if item.charge is None:
        return None, "the case does not say the charge", (f"{path}.charge",)
    return charge_code(item), "", ()


@dataclass(frozen=True, slots=True)
class _Felony:
    """Whether an item's offense was a felony: stated by the case, implied by its class, or derived by the
    Penal Law (then ``because`` says how and ``cites`` where; I-31)."""

    value: Tri
    level: Level | None
    missing: tuple[str, ...] = ()
    because: str = ""
    cites: tuple[Clause, ...] = ()

    def finding(self, value: Tri, reason: str, missing: tuple[str, ...] = ()) -> Finding:
        """A finding that rests on this level: the derivation is added to the reason and the citations."""
        if self.because:
            reason = f"{reason.rstrip('.')} ({self.because})."
        return Finding(value, reason, missing, self.cites)


def _felony(item: Conviction | PendingCharge, path: str) -> _Felony:
    graded = grade(item)
    if graded.level is None:
        return _Felony(Tri.UNKNOWN, None, (f"{path}.level",))
    return _Felony(Tri.of(graded.level == "felony"), graded.level, (), graded.because, graded.cites)


def _inchoate(item: Conviction | PendingCharge, code: ChargeCode) -> str | None:
    return item.inchoate or ("attempt" if code.attempt else None)


def _hate(item: Conviction | PendingCharge, code: ChargeCode) -> Tri:
    if code.hate_crime or (code.law == "PL" and code.section == "485.05"):
        return Tri.TRUE
    return Tri.of(item.hate_crime)


def _names_inchoate_without_object(code: ChargeCode) -> bool:
    return code.law == "PL" and code.section.startswith(INCHOATE_ARTICLES)


@dataclass(frozen=True, slots=True)
class ListedFelony:
    """(a)(7)(i) / (a)(6)(i): a felony defined in one of the listed Penal Law sections (with the listed
    subdivision where the list names one). A misdemeanor under a listed section does not count."""

    catalog: ViolentOrSeriousCrimeList = CATALOG

    def __repr__(self) -> str:
        return f"ListedFelony({self.catalog.id})"

    def check(self, view: View) -> Finding:
        return listed_felony(view.item, view.item_path, self.catalog, view.case.decision_date)

    def reads(self, view: View) -> tuple[str, ...]:
        return _charge_facts(view)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return _level_options(view, want)


def listed_felony(
    item: Conviction | PendingCharge, path: str, catalog: ViolentOrSeriousCrimeList, on: dt.date
) -> Finding:
    code, note, missing = _effective_charge(item, path)
    if code is None:
        return Finding(Tri.UNKNOWN, f"Not known whether it is a listed felony: {note}.", missing)
    inchoate = _inchoate(item, code)
    if inchoate is not None:
        return Finding(Tri.FALSE, f"It is an {inchoate} ({code}), not the completed offense; see subparagraph (iii).")
    entry = catalog.felonies.lookup(code, on)
    if entry is None:
        return Finding(Tri.FALSE, f"{code.key} is not among the listed Penal Law sections.")
    listed, why = entry.match(code)
    felony = _felony(item, path)
    value = listed & felony.value
    if value is Tri.TRUE:
        return felony.finding(value, f"{code} is a felony defined in a listed section ({why}).")
    if listed is Tri.FALSE:
        return Finding(value, f"{code}: {why}.")
    if felony.value is Tri.FALSE:
        return felony.finding(value, f"{code.key} is listed, but this was a {felony.level}; only felonies count.")
    miss: tuple[str, ...] = (f"{path}.charge",) if listed is Tri.UNKNOWN else ()
    miss += felony.missing
    what = why if listed is Tri.UNKNOWN else f"{code.key} is listed, but the case does not say whether it was a felony"
    return felony.finding(value, f"{code}: {what}.", miss)


@dataclass(frozen=True, slots=True)
class FelonyHateCrime:
    """(a)(7)(ii) / (a)(6)(ii): a hate crime as defined in PL § 485.05 that constitutes a felony."""

    def check(self, view: View) -> Finding:
        return felony_hate_crime(view.item, view.item_path)

    def reads(self, view: View) -> tuple[str, ...]:
        return (*_charge_facts(view), f"{view.item_path}.hate_crime")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        path = view.item_path
        if want:
            return [
                (
                    Change(f"{path}.hate_crime", True, f"{item_name(view)} was a hate crime (PL § 485.05)."),
                    Change(f"{path}.level", "felony", f"{item_name(view)} was a felony."),
                )
            ]
        not_hate = Change(f"{path}.hate_crime", False, f"{item_name(view)} was not a hate crime.")
        return [(not_hate,), *_level_options(view, False)]


def felony_hate_crime(item: Conviction | PendingCharge, path: str) -> Finding:
    code, note, missing = _effective_charge(item, path)
    if code is None:
        return Finding(Tri.UNKNOWN, f"Not known whether it is a felony hate crime: {note}.", missing)
    hate = _hate(item, code)
    felony = _felony(item, path)
    value = hate & felony.value
    if value is Tri.TRUE:
        return felony.finding(value, f"{code} is a hate crime (PL § 485.05) that constitutes a felony.")
    if hate is Tri.FALSE:
        return Finding(value, f"{code} was not a hate crime.")
    if felony.value is Tri.FALSE:
        return felony.finding(value, f"{code} was a hate crime but not a felony.")
    miss = ((f"{path}.hate_crime",) if hate is Tri.UNKNOWN else ()) + felony.missing
    return Finding(value, f"Not known whether {code} was a felony hate crime.", miss)


@dataclass(frozen=True, slots=True)
class InchoateOfListed:
    """(a)(7)(iii) / (a)(6)(iii): a felony attempt, conspiracy or solicitation to commit, or felony
    facilitation of, a crime specified in subparagraph (i) — not of rule-added crimes (I-5)."""

    catalog: ViolentOrSeriousCrimeList = CATALOG

    def __repr__(self) -> str:
        return f"InchoateOfListed({self.catalog.id})"

    def check(self, view: View) -> Finding:
        return inchoate_of_listed(view.item, view.item_path, self.catalog, view.case.decision_date)

    def reads(self, view: View) -> tuple[str, ...]:
        return _charge_facts(view)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return _level_options(view, want)


def inchoate_of_listed(
    item: Conviction | PendingCharge, path: str, catalog: ViolentOrSeriousCrimeList, on: dt.date
) -> Finding:
    code, note, missing = _effective_charge(item, path)
    if code is None:
        return Finding(
            Tri.UNKNOWN,
            f"Not known whether it is a felony attempt, conspiracy, solicitation or "
            f"facilitation of a listed crime: {note}.",
            missing,
        )
    inchoate = _inchoate(item, code)
    if _names_inchoate_without_object(code):
        # "PL 105.15" (conspiracy 2nd) names the inchoate offense, not the crime it was directed at.
        felony = _felony(item, path)
        if felony.value is Tri.FALSE:
            return felony.finding(Tri.FALSE, f"{code.key} was a {felony.level}, not a felony.")
        return Finding(
            Tri.UNKNOWN,
            f"{code.key} is an inchoate offense and the case does not say the crime it was directed at.",
            (f"{path}.charge",),
        )
    if inchoate is None:
        return Finding(Tri.FALSE, f"{code} is not an attempt, conspiracy, solicitation or facilitation.")
    entry = catalog.felonies.lookup(code, on)
    if entry is None:
        return Finding(
            Tri.FALSE, f"The {inchoate} was directed at {code.key}, which is not listed in subparagraph (i)."
        )
    listed, why = entry.match(code)
    felony = _felony(item, path)
    value = listed & felony.value
    if value is Tri.TRUE:
        return felony.finding(
            value,
            f"A felony {inchoate} to commit {code.key}{code.subdivision_text}, a crime listed in subparagraph (i).",
        )
    if listed is Tri.FALSE:
        return Finding(value, f"The {inchoate} was directed at {code}: {why}.")
    if felony.value is Tri.FALSE:
        return felony.finding(value, f"The {inchoate} of {code.key} was a {felony.level}, not a felony.")
    miss = ((f"{path}.charge",) if listed is Tri.UNKNOWN else ()) + felony.missing
    return felony.finding(
        value, f"Not known whether the {inchoate} of {code} was a felony {inchoate} of a listed crime.", miss
    )


@dataclass(frozen=True, slots=True)
class VehicleAndTrafficLaw600Felony:
    """(a)(7)(iv) / (a)(6)(iv): any felony set forth in Vehicle and Traffic Law § 600."""

    def check(self, view: View) -> Finding:
        return vtl_600_felony(view.item, view.item_path)

    def reads(self, view: View) -> tuple[str, ...]:
        return _charge_facts(view)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return _level_options(view, want)


def vtl_600_felony(item: Conviction | PendingCharge, path: str) -> Finding:
    code, note, missing = _effective_charge(item, path)
    if code is None:
        return Finding(Tri.UNKNOWN, f"Not known whether it is a VTL § 600 felony: {note}.", missing)
    if code.law != "VTL" or code.section != "600" or _inchoate(item, code):
        return Finding(Tri.FALSE, f"{code} is not an offense under VTL § 600.")
    felony = _felony(item, path)
    if felony.value is Tri.TRUE:
        return felony.finding(felony.value, f"{code} is a felony under VTL § 600 (leaving the scene).")
    if felony.value is Tri.FALSE:
        return felony.finding(felony.value, f"{code} was a {felony.level}, not a felony.")
    return Finding(felony.value, f"{code}: the case does not say whether it was a felony.", felony.missing)


@dataclass(frozen=True, slots=True)
class AddedByRule:
    """(a)(7)(v) / (a)(6)(v): a crime the DOC has determined by rule to be a violent or serious crime —
    39 RCNY § 2-01. The rule's effective date is not known exactly; between its proposal and its first
    publication whether it was in force is unknown (I-8)."""

    catalog: ViolentOrSeriousCrimeList = CATALOG

    def __repr__(self) -> str:
        return f"AddedByRule({self.catalog.id})"

    def check(self, view: View) -> Finding:
        return added_by_rule(view.item, view.item_path, self.catalog, view.case.decision_date)

    def reads(self, view: View) -> tuple[str, ...]:
        return _charge_facts(view)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return _level_options(view, want)


def added_by_rule(
    item: Conviction | PendingCharge, path: str, catalog: ViolentOrSeriousCrimeList, on: dt.date
) -> Finding:
    code, note, missing = _effective_charge(item, path)
    if code is None:
        return Finding(Tri.UNKNOWN, f"Not known whether it is a crime added by rule: {note}.", missing)
    addition = catalog.addition(code)
    if addition is None or _inchoate(item, code):
        return Finding(Tri.FALSE, f"{code} is not among the crimes added by 39 RCNY § 2-01.")
    in_force = addition.in_force(on)
    felony = _felony(item, path)
    value = in_force & felony.value
    if value is Tri.TRUE:
        return felony.finding(value, f"{code.key} ({addition.title}) was added by {addition.source}.")
    if in_force is Tri.FALSE:
        return Finding(value, f"{code.key} was added by {addition.source}, which was not yet in force on {on}.")
    if felony.value is Tri.FALSE:
        return felony.finding(value, f"{code.key} was added by {addition.source}, but this was a {felony.level}.")
    if in_force is Tri.UNKNOWN:
        return felony.finding(
            value,
            f"{code.key} was added by {addition.source}, whose effective date is not known "
            f"(between {addition.possibly_since} and {addition.certainly_since}).",
            felony.missing,
        )
    return Finding(
        value,
        f"{code.key} was added by {addition.source}; the case does not say whether it was a felony.",
        felony.missing,
    )


def violent_or_serious(
    item: Conviction | PendingCharge, path: str, catalog: ViolentOrSeriousCrimeList, on: dt.date
) -> tuple[Tri, tuple[str, ...]]:
    """Whether a judgment or charge is for a violent or serious crime — any of subparagraphs (i)–(v) — and,
    if unknown, the facts that would tell.

    The rule trees test each subparagraph as its own leaf (so each is cited); this function combines the
    same five functions for the places that need the answer alone (the look-back's incarceration rule)."""
    findings = (
        listed_felony(item, path, catalog, on),
        felony_hate_crime(item, path),
        inchoate_of_listed(item, path, catalog, on),
        vtl_600_felony(item, path),
        added_by_rule(item, path, catalog, on),
    )
    value = any_of(f.value for f in findings)
    missing = tuple(dict.fromkeys(m for f in findings if f.value is Tri.UNKNOWN for m in f.missing))
    return value, missing if value is Tri.UNKNOWN else ()


@dataclass(frozen=True, slots=True)
class NotYouthfulOrJuvenileAdjudication:
    """(a)(2)(i): a youthful-offender or juvenile-delinquent adjudication (or a comparable status elsewhere)
    is not a conviction. Applied to each adjudication, not to the person as a whole (I-9)."""

    def check(self, view: View) -> Finding:
        item: Conviction = view.item
        yo, jd = Tri.of(item.youthful_offender), Tri.of(item.juvenile_delinquent)
        if yo is Tri.TRUE or jd is Tri.TRUE:
            kind = "a youthful-offender" if yo is Tri.TRUE else "a juvenile-delinquent"
            return Finding(Tri.FALSE, f"It is {kind} adjudication, which is not a conviction.")
        if yo is Tri.FALSE and jd is Tri.FALSE:
            return Finding(
                Tri.TRUE,
                "It is a judgment of conviction (not a youthful-offender or juvenile-delinquent adjudication).",
            )
        miss = tuple(
            f"{view.item_path}.{k}"
            for k, v in (("youthful_offender", yo), ("juvenile_delinquent", jd))
            if v is Tri.UNKNOWN
        )
        return Finding(
            Tri.UNKNOWN, "Not known whether it is a youthful-offender or juvenile-delinquent adjudication.", miss
        )

    def reads(self, view: View) -> tuple[str, ...]:
        return (f"{view.item_path}.youthful_offender", f"{view.item_path}.juvenile_delinquent")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        path = view.item_path
        if want:
            return [
                (
                    Change(f"{path}.youthful_offender", False, f"{item_name(view)} was not a YO adjudication."),
                    Change(f"{path}.juvenile_delinquent", False, f"{item_name(view)} was not a JD adjudication."),
                )
            ]
        return [
            (Change(f"{path}.youthful_offender", True, f"{item_name(view)} was a youthful-offender adjudication."),)
        ]


def _five_years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year - years, day=28)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28) + dt.timedelta(days=1)


def _union_days(periods: list[tuple[dt.date, dt.date]]) -> int:
    total = 0
    end: dt.date | None = None
    for start, stop in sorted(periods):
        if end is not None and start <= end:
            if stop > end:
                total += (stop - end).days
                end = stop
            continue
        total += (stop - start).days + 1
        end = stop
    return total


Extension = tuple[int, int | None, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class CountedJudgment:
    """What the incarceration extension needs of one judgment: whether it is for a violent or serious crime,
    its custody periods (``None``: not known), and the facts that would settle each."""

    violent_or_serious: Tri
    periods: list[tuple[dt.date, dt.date]] | None
    incarceration_path: str = ""
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tested:
    """The judgment whose look-back is extended: its place among the person's judgments (its own custody always
    counts), when its crime was committed (``None``: not known), when it was entered, and where its offense date
    is, to name it when it is missing."""

    index: int
    committed: dt.date | None
    judged: dt.date | None
    offense_path: str = ""


def incarceration_extension(arrest: dt.date, judgments: Sequence[CountedJudgment], tested: Tested) -> Extension:
    """(a)(2)(ii), I-11: the periods the person was incarcerated for a crime that is (or may be) violent or serious,
    between the commission of the tested judgment's crime and the instant arrest (the day before it), overlapping
    periods counted once; custody on the tested case itself counts whole (it cannot precede its own crime). When
    the commission date is not known, the days at least count custody from the judgment on, the days at most all
    custody before the arrest, and the offense date is among the facts that would bound it. Returns the days at
    least, the days at most (``None`` when some such judgment's custody is unknown) and those facts. One
    definition, used by the single-case test and the columnar evaluator."""
    certain: list[tuple[dt.date, dt.date]] = []
    possible: list[tuple[dt.date, dt.date]] = []
    unbounded = False
    unknown_paths: list[str] = []
    last_day = arrest - dt.timedelta(days=1)
    # Custody on other cases counts from the commission; not knowing it, surely from the judgment, maybe all.
    surely_from = tested.committed or tested.judged or dt.date.max
    maybe_from = tested.committed or dt.date.min
    commission_matters = False  # whether custody on another case may fall before the commission
    for index, judgment in enumerate(judgments):
        if judgment.violent_or_serious is Tri.FALSE:
            continue
        own = index == tested.index
        if judgment.periods is None:
            unbounded = True
            unknown_paths.append(judgment.incarceration_path)
            commission_matters |= not own
            continue
        periods = [(start, min(stop, last_day)) for start, stop in judgment.periods if start <= last_day]
        widest = periods if own else _clip(periods, maybe_from)
        possible.extend(widest)
        if judgment.violent_or_serious is Tri.TRUE:
            certain.extend(periods if own else _clip(periods, surely_from))
        elif widest:
            unknown_paths.extend(judgment.missing)
        commission_matters |= not own and any(start < surely_from for start, _ in widest)
    if tested.committed is None and tested.offense_path and commission_matters:
        unknown_paths.append(tested.offense_path)
    high = None if unbounded else _union_days(possible)
    return _union_days(certain), high, tuple(dict.fromkeys(unknown_paths))


def _clip(periods: list[tuple[dt.date, dt.date]], since: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The parts of ``periods`` on or after ``since``."""
    return [(max(start, since), stop) for start, stop in periods if stop >= since]


_YEARS = {5: "five", 10: "ten"}


def within_lookback(
    judged: dt.date | None,
    arrest: dt.date | None,
    decided: dt.date,
    years: int,
    path: str,
    extension: Callable[[], Extension],
) -> Finding:
    """The look-back of (a)(2)(ii) for one judgment, given how to compute the extension (days at least,
    days at most or ``None`` for no bound, and the facts that would bound it). One definition, used by the
    single-case test and by the population evaluator (which computes the extension over whole tables)."""
    missing = tuple(
        p for p, v in (("person.instant_arrest_date", arrest), (f"{path}.judgment_date", judged)) if v is None
    )
    if judged is not None and arrest is None and judged > _five_years_before(decided, years):
        # The instant arrest precedes the decision, so a judgment this recent is within the look-back
        # whatever the arrest date.
        return Finding(
            Tri.TRUE,
            f"The judgment ({judged}) was entered less than {years} years before the "
            f"decision date, and so less than {years} years before the instant arrest.",
        )
    if arrest is None or judged is None:
        return Finding(
            Tri.UNKNOWN,
            f"Not known whether the judgment falls within the {_YEARS.get(years, str(years))}-year look-back: the "
            "case does not give " + " and ".join(missing) + ".",
            missing,
        )
    boundary = _five_years_before(arrest, years)
    if judged > boundary:
        when = "after" if judged > arrest else f"less than {years} years before"
        return Finding(Tri.TRUE, f"The judgment ({judged}) was entered {when} the instant arrest ({arrest}).")
    low, high, unknown_paths = extension()
    if judged > boundary - dt.timedelta(days=low):
        return Finding(
            Tri.TRUE,
            f"The judgment ({judged}) was entered {years} or more years before the instant "
            f"arrest ({arrest}), but the look-back is extended by {low} days of "
            "incarceration for a violent or serious crime, which brings it within.",
        )
    if high is not None and judged <= boundary - dt.timedelta(days=high):
        extra = f", even extended by {high} days of incarceration for a violent or serious crime" if high else ""
        return Finding(
            Tri.FALSE,
            f"The judgment ({judged}) was entered at least {years} years before the instant "
            f"arrest ({arrest}){extra}, so it no longer counts.",
        )
    return Finding(
        Tri.UNKNOWN,
        f"The judgment ({judged}) was entered at least {years} years before the instant "
        f"arrest ({arrest}); whether time incarcerated for a violent or serious crime "
        "extends the look-back far enough is not known.",
        unknown_paths,
    )


@dataclass(frozen=True, slots=True)
class WithinLookback:
    """(a)(2)(ii): the judgment was entered less than five years before the instant arrest, the five years
    being extended by any time the person was incarcerated for a violent or serious crime between its
    commission and the instant arrest (I-10, I-11). With ``ever`` — the last proviso of § 14-154(a)(2)(ii),
    for the NYPD 48-hour exception — a judgment entered at any time counts.

    A :class:`~sanctuary.law.tree.HistoryTest`: the columnar evaluator runs the look-back through
    ``counts``, ``extension`` and ``finding``, which hand over to the same functions ``check`` uses
    (``violent_or_serious``, ``incarceration_extension``, ``within_lookback``)."""

    ever: bool = False
    catalog: ViolentOrSeriousCrimeList = CATALOG
    extended: bool = True  # a reform may drop the incarceration extension (I-77)

    def __repr__(self) -> str:
        if self.catalog is not CATALOG or not self.extended:  # a reform's: say what it changed
            return f"WithinLookback(ever={self.ever}, extended={self.extended}, list={self.catalog.id})"
        return f"WithinLookback(ever={self.ever})"

    def check(self, view: View) -> Finding:
        if self.ever:
            return Finding(Tri.TRUE, "A judgment entered at any time counts for the 48-hour exception.")
        item: Conviction = view.item
        judged = item.judgment_date
        if isinstance(judged, PartialDate):  # a year or a month: every possible day (I-57)
            days = judged.days(since=item.offense_date, until=view.case.decision_date)
            return over_days(
                days, lambda day: self._check_on(view, day), f"{view.item_path}.judgment_date", str(judged)
            )
        return self._check_on(view, judged)

    def _check_on(self, view: View, judged: dt.date | None) -> Finding:
        arrest = new_york(view.case).person.instant_arrest_date
        return within_lookback(
            judged,
            arrest,
            view.case.decision_date,
            int(view.params["lookback_years"]),
            view.item_path,
            lambda: self._extension(view, arrest, judged) if arrest is not None else (0, None, ()),
        )

    def reads(self, view: View) -> tuple[str, ...]:
        return ("person.instant_arrest_date", f"{view.item_path}.judgment_date", f"{view.item_path}.incarceration")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        """Move the judgment date (or learn the arrest date, or learn that there was no incarceration) so that
        the judgment falls inside (``want``) or outside the look-back."""
        if self.ever:
            return []
        item: Conviction = view.item
        path, decided = view.item_path, view.case.decision_date
        arrest, judged = new_york(view.case).person.instant_arrest_date, item.judgment_date
        years = int(view.params["lookback_years"])
        if isinstance(judged, PartialDate):
            return self._partial_options(view, judged, want)
        if judged is None:
            return []
        if arrest is None:
            day = min(decided, judged + dt.timedelta(days=365)) if want else _years_after(judged, years)
            if day > decided:
                return []
            return [(Change("person.instant_arrest_date", day.isoformat(), f"The instant arrest was on {day}."),)]
        boundary = _five_years_before(arrest, years)
        _low, high, unknown = self._extension(view, arrest, judged)
        custody = self._custody_threshold(view, arrest, judged, boundary)
        if want:
            plans: list[tuple[Change, ...]] = []
            day = max(boundary + dt.timedelta(days=1), item.offense_date or dt.date.min)
            if day <= decided:
                says = f"{item_name(view)} was entered on or after {day}, less than {years} years before the arrest."
                plans.append((Change(f"{path}.judgment_date", day.isoformat(), says),))
            if custody is not None:
                plans.append((custody[1],))
            return plans
        plans = []
        fewer = f" (fewer than {custody[0]} days)" if custody is not None else ""
        learn = tuple(
            Change(
                p,
                [],
                f"No custody{fewer if p == f'{path}.incarceration' else ''} on the case of judgment {_index(p) + 1}.",
            )
            for p in unknown
            if p.endswith(".incarceration")
        )
        if learn:
            plans.append(learn)
        if high is not None:
            day = boundary - dt.timedelta(days=high)
            changes = [
                Change(
                    f"{path}.judgment_date",
                    day.isoformat(),
                    f"{item_name(view)} was entered on {day}, {years} years (plus time served for a violent or "
                    "serious crime) before the arrest.",
                )
            ]
            if item.offense_date is not None and item.offense_date > day:
                changes.append(Change(f"{path}.offense_date", day.isoformat(), f"Its offense was on {day}."))
            plans.append(tuple(changes))
        return plans

    def _partial_options(self, view: View, judged: PartialDate, want: bool) -> list[tuple[Change, ...]]:
        """A judgment date known only as a year or a month: the exact day on the look-back's boundary."""
        arrest = new_york(view.case).person.instant_arrest_date
        if arrest is None:
            return []
        years = int(view.params["lookback_years"])
        boundary = _five_years_before(arrest, years)
        if want:
            day = max(boundary + dt.timedelta(days=1), judged.first, view.item.offense_date or dt.date.min)
            says = f"{item_name(view)} was entered on or after {day}, less than {years} years before the arrest."
        else:
            high = self._extension(view, arrest, judged.first)[1]
            if high is None:
                return []
            day = min(boundary - dt.timedelta(days=high), judged.last)
            says = f"{item_name(view)} was entered on or before {day}, outside the {years}-year look-back."
        if day > view.case.decision_date or (view.item.offense_date or dt.date.min) > day:
            return []
        return [(Change(f"{view.item_path}.judgment_date", day.isoformat(), says),)]

    def _custody_threshold(
        self, view: View, arrest: dt.date, judged: dt.date, boundary: dt.date
    ) -> tuple[int, Change] | None:
        """The exact custody on the judgment's own case that brings it within the look-back (I-55): the days
        between the judgment and the five-year boundary, plus one. Offered where the judgment is surely for a
        violent or serious crime (only then does its custody count, (a)(2)(ii)) and its custody is not known,
        or known to be none; the change sets one period of exactly that length, starting at the judgment
        (custody on the case counts whole, I-11), which must end before the arrest."""
        item: Conviction = view.item
        if judged > boundary or item.incarceration not in (None, []):
            return None
        if violent_or_serious(item, view.item_path, self.catalog, view.case.decision_date)[0] is not Tri.TRUE:
            return None
        days = (boundary - judged).days + 1
        start = judged
        stop = start + dt.timedelta(days=days - 1)
        if stop >= arrest:
            return None
        says = (
            f"{item_name(view)}: at least {days} days in custody on its case between the offense and the arrest "
            f"(for example {start} to {stop}), extending the {int(view.params['lookback_years'])}-year look-back to it."
        )
        period = {"from": start.isoformat(), "to": stop.isoformat()}
        return days, Change(f"{view.item_path}.incarceration", [period], says)

    def over_history(self) -> bool:
        return not self.ever

    def years(self, params: Mapping[str, Any]) -> int:
        return int(params["lookback_years"])

    def counts(self, view: View) -> Tri:
        """Whether the judgment is for a violent or serious crime: its custody then extends the look-back."""
        return violent_or_serious(view.item, view.item_path, self.catalog, view.case.decision_date)[0]

    def extension(
        self,
        arrest: dt.date,
        history: Sequence[Counted],
        tested: int,
        committed: dt.date | None,
        judged: dt.date | None,
    ) -> tuple[int, int | None]:
        if not self.extended:
            return 0, 0
        judgments = [CountedJudgment(vsc, periods) for vsc, periods in history]
        low, high, _ = incarceration_extension(arrest, judgments, Tested(tested, committed, judged))
        return low, high

    def finding(
        self,
        judged: dt.date | None,
        arrest: dt.date | None,
        decided: dt.date,
        years: int,
        extension: tuple[int, int | None],
    ) -> Finding:
        # The extension is already computed over the whole history: handed over as it is.
        computed: Extension = (*extension, ())
        return within_lookback(judged, arrest, decided, years, "", lambda: computed)

    def _extension(self, view: View, arrest: dt.date, judged: dt.date | None) -> Extension:
        """The days the look-back of the judgment ``view.item`` is extended: at least ``low``, at most ``high``
        (``None``: no bound), counting custody from the commission of its crime (I-11)."""
        if not self.extended:
            return 0, 0, ()
        judgments, extensions = remembered(view.case, self.catalog)
        item: Conviction = view.item
        tested = Tested(_index(view.item_path), item.offense_date, judged, f"{view.item_path}.offense_date")
        # The check and the counterfactual search ask for the same judgment's extension several times.
        if (arrest, tested) not in extensions:
            extensions[(arrest, tested)] = incarceration_extension(arrest, judgments, tested)
        return extensions[(arrest, tested)]


# The judgments of a case as the extension counts them, computed once per case (the object): each judgment's
# look-back reads every judgment, so computing them per judgment made explaining a case quadratic in its
# convictions (150 took 10 s). Keyed by the case's identity (a case holds lists: it has no hash), the entry
# dropped when the case is; beside the judgments, each judgment's extension once computed.
_COUNTED: dict[
    tuple[int, str], tuple[weakref.ref[Any], list[CountedJudgment], dict[tuple[dt.date, Tested], Extension]]
] = {}


def counted_judgments(case: Any, catalog: ViolentOrSeriousCrimeList) -> list[CountedJudgment]:
    """Every judgment of ``case`` with whether it is violent or serious (under ``catalog`` on the decision
    date) and its custody periods."""
    return remembered(case, catalog)[0]


def remembered(
    case: Any, catalog: ViolentOrSeriousCrimeList
) -> tuple[list[CountedJudgment], dict[tuple[dt.date, Tested], Extension]]:
    """What is kept of ``case`` while it lives: its counted judgments, and the extensions computed so far."""
    key = (id(case), catalog.id)
    cached = _COUNTED.get(key)
    if cached is not None and cached[0]() is case:
        return cached[1], cached[2]
    judgments = []
    on = case.decision_date
    for i, conviction in enumerate(new_york(case).person.convictions or ()):
        cpath = f"person.convictions[{i}]"
        vsc, vsc_missing = violent_or_serious(conviction, cpath, catalog, on)
        periods = None if conviction.incarceration is None else [(p.from_, p.to) for p in conviction.incarceration]
        judgments.append(CountedJudgment(vsc, periods, f"{cpath}.incarceration", vsc_missing))
    extensions: dict[tuple[dt.date, Tested], Extension] = {}
    _COUNTED[key] = (weakref.ref(case, lambda _dead: _COUNTED.pop(key, None)), judgments, extensions)
    return judgments, extensions


# --- example items, for counterfactuals that add one ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConvictionWitness:
    """A judgment for robbery in the first degree (PL 160.15, a listed felony) a year before the arrest."""

    def make(self, view: View) -> tuple[dict[str, Any], str]:
        anchor = new_york(view.case).person.instant_arrest_date or view.case.decision_date
        judged = anchor - dt.timedelta(days=365)
        item = {
            "charge": "PL 160.15",
            "level": "felony",
            "court": "NY",
            "judgment_date": judged.isoformat(),
            "offense_date": (judged - dt.timedelta(days=180)).isoformat(),
            "incarceration": [],
        }
        return item, (
            f"A judgment for a violent or serious crime (for example robbery in the first degree, "
            f"PL 160.15, a felony) entered on {judged}."
        )


@dataclass(frozen=True, slots=True)
class PendingChargeWitness:
    """A pending charge of robbery in the first degree (PL 160.15, a felony)."""

    def make(self, view: View) -> tuple[dict[str, Any], str]:
        return (
            {"charge": "PL 160.15", "level": "felony"},
            "A pending charge for a violent or serious crime (for example robbery in the first degree, PL 160.15).",
        )
