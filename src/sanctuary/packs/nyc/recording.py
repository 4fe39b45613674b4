"""New York's recording vocabulary: what the service's bodies say that is New York's law — the facts about a
request the statutory reports count (:class:`RecordFacts`: the detainer's reasons of § 9-131(f)(1)(i)–(iv), the
requesting agency of § 10-178(d)), what an agency records doing (:class:`ActionFields`), and the figures and
determinations the reports need that no decision holds (:data:`ReportInput`: § 9-131(f)(6)'s SCAAP amounts,
§ 10-178(d)'s withholdings). The core's bodies (``service/models.py``) take them through
:class:`~sanctuary.service.reporting.StatutoryReports` (``record_facts``, ``action_fields``, ``report_inputs``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from sanctuary.facts.identifiers import identifier_in
from sanctuary.service.models import NO_CONTROL, Body, Clear
from sanctuary.service.privacy import KEYED_HASH
from sanctuary.service.reporting import HoldActions

# What the federal authority said was its reason for a detainer: § 9-131(f)(1)(i)–(iv), or another, or unknown.
DetainerReason = Literal["i", "ii", "iii", "iv", "other", "unknown"]
# The kinds of information § 14-154(f)(5) and § 9-131(f)(9) count (and Probation's appointment dates).
InformationKind = Literal[
    "incarceration_status", "release_date", "court_appearance_date", "appointment_date_or_time", "other"
]
ActionType = Literal[
    "held_beyond_release",  # held past the time of release, on a detainer
    "hold_ended",  # the hold ended (``reason`` says why)
    "transferred_to_federal_custody",  # custody passed to federal immigration authorities
    "released_without_honoring",  # custody ended, the detainer in effect and not honored
    "notified_of_release",  # federal immigration authorities told of the release
    "information_answered",  # an information request answered (``information_given`` says with what)
    "information_refused",  # an information request refused
    "detainer_withdrawn",  # the federal authority withdrew the detainer
    "access_granted",  # access to a person or premises allowed
    "access_refused",
]
# A hold's clock in the docket (I-100): begun by a hold beyond release, ended by its end, a transfer or a release
# without honoring; the decided ``hold`` carries the limit (NYPD's 48 hours, § 14-154(b)(2)).
HOLDS = HoldActions(
    decided="hold",
    starts="held_beyond_release",
    ends=("hold_ended", "transferred_to_federal_custody", "released_without_honoring"),
    ends_only_a_hold=("hold_ended",),
    transfers=("transferred_to_federal_custody",),
)
HoldEndReason = Literal[
    "transferred",
    "hold_period_expired",
    "federal_disavowed_custody",
    "no_judicial_warrant_within_48_hours",
    "other",
    "unknown",
]


# The requesting agencies a request can name (§ 10-178(d) is disaggregated "by the requesting non-local law
# enforcement agency"): one code per agency, so that one agency is never two cells; any other is "other: <name>".
REQUESTING_AGENCIES: dict[str, str] = {
    "ICE": "U.S. Immigration and Customs Enforcement",
    "CBP": "U.S. Customs and Border Protection",
    "USCIS": "U.S. Citizenship and Immigration Services",
    "OTHER_DHS": "another component of the U.S. Department of Homeland Security",
    "FBI": "Federal Bureau of Investigation",
    "USMS": "U.S. Marshals Service",
    "DEA": "Drug Enforcement Administration",
    "ATF": "Bureau of Alcohol, Tobacco, Firearms and Explosives",
    "OTHER_FEDERAL": "another federal agency",
    "NYSP": "New York State Police",
}
OTHER_AGENCY = "other: "  # followed by the agency's name, for an agency not in the list


# Words an agency's name is made of; a short name of capitalised words with none of them reads as a person's.
AGENCY_WORDS = frozenset(
    [
        "administration",
        "agency",
        "attorney",
        "authority",
        "board",
        "border",
        "bureau",
        "coast",
        "command",
        "commission",
        "consulate",
        "correction",
        "corrections",
        "county",
        "court",
        "courts",
        "customs",
        "department",
        "dept",
        "district",
        "division",
        "embassy",
        "enforcement",
        "federal",
        "force",
        "government",
        "guard",
        "homeland",
        "housing",
        "immigration",
        "intelligence",
        "interpol",
        "investigation",
        "investigations",
        "marshal",
        "marshals",
        "military",
        "ministry",
        "national",
        "navy",
        "new",
        "office",
        "parole",
        "patrol",
        "police",
        "port",
        "probation",
        "prosecutor",
        "regional",
        "security",
        "service",
        "services",
        "sheriff",
        "state",
        "states",
        "task",
        "transit",
        "trooper",
        "troopers",
        "u.s.",
        "unit",
        "united",
        "york",
    ]
)
_NAME_WORD = re.compile(r"^(?:[A-Z][A-Za-z'’-]*[a-z]|[A-Z]\.)$")  # Smith, O'Brien, McDonald, J. (not NYPD)


def looks_like_a_name(name: str) -> bool:
    """Two or three capitalised words, none of an agency's vocabulary (``John Smith``, ``Mary J. Jones``): where an
    agency's name is expected, most likely a person's.

    >>> looks_like_a_name("John Smith"), looks_like_a_name("Nassau County Police"), looks_like_a_name("Interpol")
    (True, False, False)
    """
    words = name.split()
    return 2 <= len(words) <= 3 and all(_NAME_WORD.match(w) and w.casefold() not in AGENCY_WORDS for w in words)


def requesting_agency(value: str) -> str:
    """A requesting agency as recorded: a code of :data:`REQUESTING_AGENCIES`, or ``other: <name>`` (the name's
    spaces tidied). Raises ``ValueError`` saying what is accepted. The name is printed in clear in § 10-178(d)'s
    report (one cell per agency), so a name shaped like a person's identifier, or like a person's name, is refused
    (``service/privacy.py``)."""
    if value in REQUESTING_AGENCIES:
        return value
    if value.lower().startswith(OTHER_AGENCY) and (name := " ".join(value[len(OTHER_AGENCY) :].split())):
        if (found := identifier_in(name)) is not None:
            raise ValueError(f"the agency's name looks like {found}: name the agency, never a person")
        if looks_like_a_name(name):
            raise ValueError(
                "the agency's name reads as a person's name (capitalised words, none naming an agency): give the "
                "agency's full name (e.g. 'other: Nassau County Police Department'), never a person's"
            )
        return OTHER_AGENCY + name
    raise ValueError(f"one of {', '.join(REQUESTING_AGENCIES)}, or 'other: <the agency's name>'")


class RecordFacts(Body):
    """Facts about the request that the statutory reports count and a case does not hold (all optional)."""

    received: dt.date | None = Field(None, description="When the agency received the request (default: decision_date).")
    detainer_reference: str | None = Field(
        None,
        max_length=200,
        pattern=NO_CONTROL,
        description="The detainer form's number (it may be the person's A-number): stored as a keyed hash unless the "
        "deployment keeps identifiers; the reports need only whether two records name the same form.",
        json_schema_extra=KEYED_HASH,
    )
    detainer_reasons: list[DetainerReason] | None = Field(None, max_length=6)
    requester_agency: str | None = Field(
        None,
        max_length=200,
        pattern=NO_CONTROL,
        description="The requesting agency: "
        + ", ".join(f"{k} ({v})" for k, v in REQUESTING_AGENCIES.items())
        + "; or 'other: <the agency's name>'.",
    )

    @field_validator("requester_agency")
    @classmethod
    def _listed(cls, value: str | None) -> str | None:
        return None if value is None else requesting_agency(value)


class ActionFields(Body):
    """What an agency did about a request, in New York's words: the service's action bodies (``POST
    /v1/decisions/{id}/actions``, the docket's) are the core's (day, override) with these fields."""

    type: ActionType
    information_given: list[InformationKind] | None = Field(None, max_length=5, validate_default=True)
    reason: HoldEndReason | None = Field(None, validate_default=True)

    @field_validator("information_given")
    @classmethod
    def _given(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if info.data.get("type") == "information_answered" and not value:
            raise PydanticCustomError("information_given", "say which information was given")
        return value

    @field_validator("reason")
    @classmethod
    def _why_ended(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and "type" in info.data and info.data["type"] != "hold_ended":
            raise PydanticCustomError("reason", "a reason is recorded only when a hold ended")
        return value


class ScaapAmount(Body):
    """§ 9-131(f)(6): an amount of State Criminal Alien Assistance Program funding DOC requested or received from the
    federal government, dated the day it was requested or received, with the federal award year it relates to."""

    input: Literal["scaap"]
    step: Literal["requested", "received"]
    amount: int = Field(ge=0, le=10**12, description="In whole U.S. dollars.")
    date: dt.date = Field(description="The day the amount was requested (application) or received (payment).")
    award_year: int = Field(ge=1995, le=2100, description="The federal award (fiscal) year the amount relates to.")
    source: Clear | None = Field(
        None, min_length=1, max_length=200, pattern=NO_CONTROL, description="Where the figure comes from."
    )


class Withholding(Body):
    """§ 10-178(d) proviso: the agency's determination that a recorded request is not disclosed in the quarterly
    report, and on which ground: (i) disclosure would interfere with law enforcement investigations; (ii) it is
    related to actions under clause (i) of subdivision e and would compromise public safety."""

    input: Literal["withholding"]
    decision_id: str = Field(min_length=1, max_length=100, description="The recorded request (its decision id).")
    ground: Literal["interference", "public_safety"]
    date: dt.date = Field(description="The day the determination was made.")


# A figure or determination a statutory report needs and no decision holds; recorded in the audit trail, so that a
# report is computed from the trail alone.
ReportInput = Annotated[ScaapAmount | Withholding, Field(discriminator="input")]
