"""New York City's case (contract version 1): the core's frame filled with the facts New York's laws read.

This module implements ``CASE_FORMAT.md`` exactly, as a :class:`~sanctuary.facts.case.CaseFormat` the core is
handed through the pack (:data:`CASE_FORMAT`). Three rules shape it:

- **Absent is unknown.** A fact the case does not give is ``None`` here, and ``None`` never means "false"
  or "none": ``convictions: []`` says the person has no judgments, an absent ``convictions`` says nobody
  knows. The only defaults are those the contract states (``purpose``; ``youthful_offender`` and
  ``juvenile_delinquent`` are false unless marked) and the charge qualifiers ``inchoate`` and
  ``hate_crime``, which describe the crime of conviction: a judgment for ``PL 160.15`` with no qualifier is
  a judgment for the completed, non-hate-crime offense (see ``docs/law/nyc/interpretations.md``).
- **Strict.** Unknown keys, unknown values, wrong types and impossible dates are errors naming the field
  path; a typo must never silently become an unknown fact.
- **No law.** Nothing here knows which offenses are listed or what a judicial warrant is: that is the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal, get_args

from pydantic import ConfigDict, Field

from sanctuary.facts import case as frame
from sanctuary.facts.case import EARLIEST_DATE, LATEST_DATE, CaseFormat, FactModel, Problem
from sanctuary.facts.dates import DateOrPartial, PartialDate
from sanctuary.facts.identifiers import identifier_in
from sanctuary.packs.nyc.charges import ChargeCode, ChargeParseError, parse_charge
from sanctuary.packs.nyc.courts import STATES
from sanctuary.packs.nyc.form import FORM
from sanctuary.packs.nyc.questions import candidates, wording

CONTRACT_VERSION = 1

Agency = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_-]{1,15}$", examples=["DOC", "NYPD", "DOP", "HRA"])]
Requester = Literal["ICE", "CBP", "USCIS", "OTHER_DHS", "FBI", "OTHER_FEDERAL"]
DocumentType = Literal[
    "I-247",
    "I-247A",
    "I-247D",
    "I-247X",  # civil immigration detainers
    "I-247N",
    "I-247G",  # requests for notification only
    "I-200",
    "I-205",  # administrative warrants (signed by immigration officers)
    "letter",  # an inquiry by letter, e-mail or phone call
    "warrant",
    "subpoena",
    "court_order",  # judicial process
]
Signer = Literal[
    "article_iii_judge",
    "us_magistrate_judge",
    "immigration_judge",
    "state_judge",
    "immigration_officer",
    "unknown",
]
Action = Literal[
    "hold",
    "transfer",
    "notify_release",
    "info:release_date",
    "info:court_date",
    "info:custody_status",
    "info:citizenship_status",
    "info:other",
    "office_on_premises",
]
ACTIONS: tuple[str, ...] = get_args(Action)
Purpose = Literal["civil_immigration_enforcement", "unrelated_to_immigration_enforcement"]
Level = Literal["felony", "misdemeanor", "violation"]
Inchoate = Literal["attempt", "conspiracy", "solicitation", "facilitation"]
OffenseClass = Literal["A-I", "A-II", "A", "B", "C", "D", "E", "unclassified"]

#: Court codes other than "NY" and "federal": the states, DC and the territories.
STATE_CODES = frozenset(STATES)
DETAINER_TYPES = frozenset({"I-247", "I-247A", "I-247D", "I-247X"})
NOTIFICATION_TYPES = frozenset({"I-247N", "I-247G"})
FELONY_CLASSES = frozenset({"A-I", "A-II", "C", "D", "E"})  # "A" and "B" name misdemeanor classes too


class Period(FactModel):
    """A period of custody, both ends inclusive."""

    from_: dt.date = Field(alias="from")
    to: dt.date


class Document(FactModel):
    """Something the requester presented. What decides a warrant is who signed it and what it authorizes."""

    type: DocumentType
    signer: Signer | None = None
    probable_cause: bool | None = None
    authorizes_immigration_custody: bool | None = None
    presented_with_detainer: bool | None = None


class Request(frame.Request):
    from_: Requester | None = Field(default=None, alias="from")
    immigration_enforcement_duties: bool | None = None
    documents: list[Document] | None = None
    actions: list[Action] = Field(min_length=1)
    purpose: Purpose = "civil_immigration_enforcement"
    mayoral_executive_order: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether an executive order of the mayor in force authorizes the office "
            "asked for by an `office_on_premises` request (Admin. Code § 9-131(h)(2)). Absent = unknown."
        ),
    )


class _Charged(FactModel):
    charge: str | None = None
    level: Level | None = None
    class_: OffenseClass | None = Field(default=None, alias="class")
    inchoate: Inchoate | None = None
    hate_crime: bool | None = False
    relates_to_patronizing: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): for a charge under PL § 240.37, whether it relates to the patronizing of a "
            'prostitute (the 2013 definition of "covered crime", Admin. Code § 9-131(a)(3) and § 14-154(a)(3) '
            "as in force 2013-07-16 to 2014-12-13). Absent = unknown."
        ),
    )


class Conviction(_Charged):
    """A judgment: a conviction *and* the sentence on it (CPL § 1.20(15))."""

    judgment_date: DateOrPartial | None = Field(
        default=None,
        description=(
            "The day the judgment was entered (YYYY-MM-DD). Extension (optional): a year (YYYY) or a year and "
            "month (YYYY-MM) where only that is known — decided where every day of it gives the same answer, "
            "otherwise undetermined with this date missing. Absent = unknown."
        ),
    )
    offense_date: dt.date | None = None
    court: str | None = None
    ny_equivalent: str | None = None
    youthful_offender: bool | None = False
    juvenile_delinquent: bool | None = False
    incarceration: list[Period] | None = None

    def describe(self) -> str:
        """A short label for explanations: ``PL 160.15(4), felony, judgment 2020-05-01``."""
        parts = [f"{self.inchoate} " if self.inchoate else "", self.charge or "charge not stated"]
        if self.court not in (None, "NY"):
            parts.append(f" ({self.court})")
        if self.level:
            parts.append(f", {self.level}")
        if self.judgment_date:
            parts.append(f", judgment {self.judgment_date}")
        return "".join(parts)


class PendingCharge(_Charged):
    arrest_date: dt.date | None = None
    case_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[^\x00-\x1f\x7f]+$",  # a docket or indictment number: printable, short
        description=(
            "Extension (optional): the criminal case (docket or indictment number) the charge is pending in; "
            'charges with the same case_id are one case. Read by the 2013 rule on a defendant "in more than one '
            'case where judgment has not been entered". Absent = unknown.'
        ),
    )
    adjournment_in_contemplation_of_dismissal: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether the case was disposed of with an adjournment in contemplation of "
            "dismissal (CPL § 170.55 or 170.56, or a comparable provision elsewhere). Absent = unknown."
        ),
    )
    conditional_discharge: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether the person has been sentenced to a conditional discharge (CPL § 410.10, "
            "or a comparable provision elsewhere) on this case. Absent = unknown."
        ),
    )
    must_be_youthful_offender: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether, if convicted on this charge, the person must be found by the court "
            "to be a youthful offender (CPL § 720.20(1)(b), or a comparable status elsewhere). Absent = unknown."
        ),
    )
    released_for_failure_to_replace_complaint: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether the court ordered the defendant released for failure to replace the "
            "misdemeanor complaint with an information (CPL § 170.70). Absent = unknown."
        ),
    )
    firearm_or_ammunition: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): for a charge under PL § 265.01, whether it relates to possession of a "
            "firearm, rifle, shotgun, bullet or ammunition. Absent = unknown."
        ),
    )

    def describe(self) -> str:
        parts = [f"{self.inchoate} " if self.inchoate else "", self.charge or "charge not stated"]
        if self.level:
            parts.append(f", {self.level}")
        return "".join(parts)


Disposition = Literal["pending", "convicted", "dismissed", "acquitted", "declined_to_prosecute", "sealed", "unknown"]


class Arrest(FactModel):
    """One arrest of the person (extension, optional): when, for what, and how it ended if known."""

    date: dt.date
    charges: list[str] = Field(
        min_length=1,
        max_length=32,
        description="The charges of the arrest, in the forms a charge takes elsewhere in the case (`PL 160.10`); "
        "the top charge alone when that is all that is known.",
    )
    disposition: Disposition | None = Field(
        default=None, description="How the arrest ended, if known. Absent = unknown."
    )


class Person(FactModel):
    instant_arrest_date: dt.date | None = None
    convictions: list[Conviction] | None = None
    pending_charges: list[PendingCharge] | None = None
    tsdb_possible_match: bool | None = None
    reentered_after_removal: bool | None = None
    gang_database: bool | None = None
    arrest_history: list[Arrest] | None = Field(
        default=None,
        max_length=1000,
        description=(
            "Extension (optional): every arrest of the person that is known, the instant arrest included, each "
            'with its date and charges. Read only by conditions a reform file states ("at least N arrests for '
            'listed crimes within Y years"); no law in force reads it. An empty list says the person has no '
            "arrest; absent = unknown (the pending charges and judgments then show some arrests, never all)."
        ),
    )
    outstanding_criminal_warrant: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether the person has an outstanding criminal warrant in the state of New "
            "York or another jurisdiction in the United States (Admin. Code § 9-131(b)(2)(i)(C), 2012-2014). "
            "Absent = unknown."
        ),
    )
    ncic_known_gang_member: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether the person is identified as a known gang member in the database of "
            "the national crime information center or any similar or successor federal database (§ 9-131(b)(2)"
            "(i)(D), 2012-2014). Not the same fact as gang_database. Absent = unknown."
        ),
    )
    outstanding_removal_warrant: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether the person has an outstanding warrant of removal issued pursuant to "
            "8 C.F.R. 241.2 (§ 9-131(b)(2)(ii)(A), 2012-2014). Absent = unknown."
        ),
    )
    final_order_of_removal: bool | None = Field(
        default=None,
        description=(
            "Extension (optional): whether the person is or has previously been subject to a final order of "
            "removal pursuant to 8 C.F.R. 1241.1 (§ 9-131(b)(2)(ii)(B), 2012-2014). Absent = unknown."
        ),
    )


class Case(frame.Case):
    """One case, as the contract defines it."""

    model_config = ConfigDict(title="sanctuary case (contract version 1)")

    agency: Agency
    decision_date: dt.date
    regime: str | None = None
    request: Request
    person: Person = Field(default_factory=Person)


# --- derived readings of the facts (still no law) -------------------------------------------------------


def is_new_york(conviction: Conviction) -> bool | None:
    """Whether a judgment was entered in a New York court; ``None`` when the case does not say.

    A conviction whose ``court`` is absent but whose charge is written under a New York law (``PL``,
    ``VTL``) is a New York judgment: only New York courts convict under New York's Penal Law.
    """
    if conviction.court is not None:
        return conviction.court == "NY"
    if conviction.charge is None:
        return None
    try:
        parse_charge(conviction.charge)
    except ChargeParseError:
        return None
    return True


def charge_code(charged: _Charged, *, use_equivalent: bool = False) -> ChargeCode | None:
    """The parsed charge (or, for a non-New-York conviction, its stated New York equivalent)."""
    text = charged.ny_equivalent if use_equivalent and isinstance(charged, Conviction) else charged.charge
    return parse_charge(text) if text is not None else None


# --- loading and checking --------------------------------------------------------------------------------


def _check_charge(path: str, charged: _Charged, *, foreign: bool) -> Iterator[Problem]:
    code = None
    clear = [("charge", charged.charge)] + ([("court", charged.court)] if isinstance(charged, Conviction) else [])
    for name, text in clear:  # free text, stored in clear and read into reasons: never a person's identifier
        if text is not None and (found := identifier_in(text)) is not None:
            yield Problem(f"{path}.{name}", f"this looks like {found}: name the offence or court, never the person")
    if charged.charge is not None and not foreign:
        try:
            code = parse_charge(charged.charge)
        except ChargeParseError as exc:
            yield Problem(f"{path}.charge", str(exc))
    if isinstance(charged, Conviction) and charged.ny_equivalent is not None:
        try:
            parse_charge(charged.ny_equivalent)
        except ChargeParseError as exc:
            yield Problem(f"{path}.ny_equivalent", str(exc))
    if code is None:
        return
    if code.attempt and charged.inchoate not in (None, "attempt"):
        yield Problem(
            f"{path}.inchoate",
            f"the charge {charged.charge!r} is an attempt (110-), but inchoate is {charged.inchoate!r}",
        )
    if code.hate_crime and "hate_crime" in charged.model_fields_set and charged.hate_crime is False:
        yield Problem(
            f"{path}.hate_crime", f"the charge {charged.charge!r} is marked as a hate crime, but hate_crime is false"
        )
    if charged.level is not None and charged.class_ in FELONY_CLASSES and charged.level != "felony":
        yield Problem(f"{path}.class", f"class {charged.class_} is a felony class, but level is {charged.level!r}")


def _check_judgment_date(path: str, conviction: Conviction, decided: dt.date) -> list[Problem]:
    """A judgment entered after the decision or before its offense is impossible; a partial date (a year or a
    month) must leave at least one possible day, and is out of range if its whole interval is."""
    judged, offended = conviction.judgment_date, conviction.offense_date
    if judged is None:
        return []
    earliest, latest = (judged.first, judged.last) if isinstance(judged, PartialDate) else (judged, judged)
    if earliest < EARLIEST_DATE or latest > LATEST_DATE:
        return [
            Problem(
                f"{path}.judgment_date",
                f"{judged} is outside the dates a case may carry ({EARLIEST_DATE} to {LATEST_DATE})",
            )
        ]
    if earliest > decided:
        return [Problem(f"{path}.judgment_date", f"{judged} is after the decision_date {decided}")]
    if offended is not None and offended > latest:
        return [Problem(f"{path}.offense_date", f"the offense ({offended}) is after the judgment ({judged})")]
    return []


def new_york(case: frame.Case) -> Case:
    """``case`` as New York's: every case the pack is given was parsed by :data:`CASE_FORMAT`, so this only tells
    the type checker so (and fails loudly on a case from another pack)."""
    if not isinstance(case, Case):
        raise TypeError(f"not a New York case: {type(case).__name__}")
    return case


def check_case(case: frame.Case) -> list[Problem]:
    """Problems the schema cannot see: charges that cannot be read, impossible dates, contradictions (the core has
    already refused dates outside the range a case may carry and an action asked twice)."""
    problems: list[Problem] = []
    decided = case.decision_date
    person = new_york(case).person
    arrest = person.instant_arrest_date
    if arrest is not None and arrest > decided:
        problems.append(Problem("person.instant_arrest_date", f"{arrest} is after the decision_date {decided}"))
    for i, conviction in enumerate(person.convictions or ()):
        path = f"person.convictions[{i}]"
        court = conviction.court
        if court is not None and court not in ("NY", "federal") and court not in STATE_CODES:
            problems.append(
                Problem(
                    f"{path}.court", f"unknown court {court!r} (expected 'NY', 'federal' or a two-letter state code)"
                )
            )
        foreign = court is not None and court != "NY"
        if not foreign and conviction.ny_equivalent is not None:
            problems.append(Problem(f"{path}.ny_equivalent", "ny_equivalent is for convictions outside New York"))
        problems.extend(_check_charge(path, conviction, foreign=foreign))
        problems.extend(_check_judgment_date(path, conviction, decided))
        offended = conviction.offense_date
        for j, period in enumerate(conviction.incarceration or ()):
            ppath = f"{path}.incarceration[{j}]"
            if period.to < period.from_:
                problems.append(
                    Problem(f"{ppath}.to", f"the period ends ({period.to}) before it starts ({period.from_})")
                )
            if offended is not None and period.from_ < offended:
                problems.append(
                    Problem(f"{ppath}.from", f"custody on this case ({period.from_}) before the offense ({offended})")
                )
    problems.extend(_check_arrests(person.arrest_history or (), decided))
    for i, pending in enumerate(person.pending_charges or ()):
        path = f"person.pending_charges[{i}]"
        problems.extend(_check_charge(path, pending, foreign=False))
        if pending.arrest_date is not None and pending.arrest_date > decided:
            problems.append(
                Problem(f"{path}.arrest_date", f"{pending.arrest_date} is after the decision_date {decided}")
            )
    return problems


#: The contract's facts in words, for reports ("what would narrow the range"; a path not listed is shown as written).
FACT_NAMES = {
    "person.convictions": "the person's conviction history",
    "person.pending_charges": "the person's pending charges",
    "person.tsdb_possible_match": "whether the person is a possible match in the terrorist screening database",
    "person.gang_database": "whether the person is listed in a law-enforcement gang database",
    "person.reentered_after_removal": "whether the person re-entered after an order of removal",
    "person.instant_arrest_date": "the date of the arrest",
    "request.documents": "the documents ICE presents",
    "person.convictions[].judgment_date": "the date of a judgment of conviction",
    "person.convictions[].charge": "the offense of a judgment of conviction",
    "person.pending_charges[].charge": "the offense of a pending charge",
}


def _check_arrests(arrests: Iterable[Arrest], decided: dt.date) -> Iterator[Problem]:
    """An arrest after the decision date, or a charge that cannot be read, names its field."""
    for i, arrest in enumerate(arrests):
        path = f"person.arrest_history[{i}]"
        if arrest.date > decided:
            yield Problem(f"{path}.date", f"{arrest.date} is after the decision_date {decided}")
        for j, charge in enumerate(arrest.charges):
            try:
                parse_charge(charge)
            except ChargeParseError as exc:
                yield Problem(f"{path}.charges[{j}]", str(exc))


CASE_FORMAT = CaseFormat(
    model=Case,
    description=(
        "A case: one request from a federal authority to one NYC agency about one person, with the facts "
        "known at the time of decision (contract version 1). An absent fact is unknown, never false."
    ),
    checks=check_case,
    wording=wording,
    candidates=candidates,
    names=FACT_NAMES,
    # What a service decides at most (``sanctuary.engine.budget``); the other lists are capped at 100.
    caps={"request.documents": 20, "person.convictions[].incarceration": 50, "person.arrest_history": 1000},
    form=FORM,  # the workbench's order, groups and words (packs/nyc/form.py)
)


def parse_case(data: str | bytes | dict[str, Any]) -> Case:
    """A New York case from JSON text or an object (:meth:`CaseFormat.parse` typed as the pack's own case)."""
    return new_york(CASE_FORMAT.parse(data))
