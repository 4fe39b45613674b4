"""The service's request bodies, and the receipt it answers with. The case inside each body is the public
contract, validated by the contract's own parser (``parse_case``), so the service accepts exactly what
``sanctuary decide`` accepts; what surrounds it (who the case is about, facts the statutory reports need that
a case does not hold) is optional."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from fastapi import Header
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from sanctuary.facts.identifiers import identifier_in, refuse_identifiers
from sanctuary.service.store import Role

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
HoldEndReason = Literal[
    "transferred",
    "hold_period_expired",
    "federal_disavowed_custody",
    "no_judicial_warrant_within_48_hours",
    "other",
    "unknown",
]


# Free text of a request: no control characters (a NUL cannot be stored in PostgreSQL's text, and a line break
# or an escape sequence would travel into whatever later shows the record).
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
# … and some printable character (a reason of blanks says nothing).
SOME_TEXT = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"


# Free text recorded in clear (a reason, a note, a source): refused when it holds something shaped like a person's
# identifier (``facts/identifiers.py``; the policy: ``service/privacy.py``).
Clear = Annotated[str, AfterValidator(refuse_identifiers)]


# A client's key for one request: a retry with the same key (and the same request) is answered as the first
# time and recorded once (the store's ``Once``).
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Any printable ASCII, unique per request: a retry with the same key is recorded once.",
    ),
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Subject(_Body):
    """Who the case is about. Stored only as keyed hashes unless the deployment keeps identifiers."""

    person_id: str | None = Field(
        None, min_length=1, max_length=200, pattern=NO_CONTROL, description="e.g. NYSID or book-and-case no."
    )
    name: str | None = Field(None, min_length=1, max_length=200, pattern=NO_CONTROL)


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


class RecordFacts(_Body):
    """Facts about the request that the statutory reports count and a case does not hold (all optional)."""

    received: dt.date | None = Field(None, description="When the agency received the request (default: decision_date).")
    detainer_reference: str | None = Field(
        None,
        max_length=200,
        pattern=NO_CONTROL,
        description="The detainer form's number (it may be the person's A-number): stored as a keyed hash unless the "
        "deployment keeps identifiers; the reports need only whether two records name the same form.",
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


class DecisionRequest(_Body):
    case: dict[str, Any] = Field(description="A case in the contract format (GET /v1/schema/case).")
    subject: Subject | None = None
    record: RecordFacts | None = None


class BatchRequest(_Body):
    items: list[DecisionRequest] = Field(min_length=1, max_length=1000)


class ExplainRequest(_Body):
    """The body of ``/v1/explain``, as of ``/v1/decisions``: the explained decision is recorded like any
    other, with its subject and facts."""

    case: dict[str, Any] = Field(description="A case in the contract format (GET /v1/schema/case).")
    subject: Subject | None = None
    record: RecordFacts | None = None


class Override(_Body):
    """Why an action the decision does not permit was taken anyway: recorded with the action and the results it
    went over, and counted apart in the statutory reports (I-50, I-101)."""

    reason: Clear = Field(
        min_length=1,
        max_length=500,
        pattern=SOME_TEXT,
        description="Why the decision is not followed (who ordered it, on what authority). Recorded in clear: no "
        "identifier of the person (refused with 422).",
    )


class ActionRequest(_Body):
    """What the agency did about a decided request."""

    type: ActionType
    date: dt.date
    information_given: list[InformationKind] | None = Field(None, max_length=5)
    reason: HoldEndReason | None = None
    override: Override | None = Field(
        None,
        description="Record an action the decision does not permit (its outcome prohibited or undetermined, or not "
        "decided): refused with 409 without it.",
    )


class ScaapAmount(_Body):
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


class Withholding(_Body):
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


class KeyRequest(_Body):
    name: str = Field(
        min_length=1,
        max_length=100,
        pattern=SOME_TEXT,  # some printable character, and no control characters
        description="Who or what system holds it.",
    )
    role: Role


class Receipt(BaseModel):
    """The answer to a recorded decision (or action): keep ``record_hash`` to check the trail later."""

    id: str
    recorded_at: str
    record_hash: str
    signature: dict[str, str] = Field(
        description="Ed25519 signature of {id, recorded_at, record_hash} (canonical JSON): GET /v1/signing-key."
    )
    decision: dict[str, Any] | None = None


# The documented 201 answer of the routes that record one decision or action (the body is built by
# ``decisions.receipt``; the model is only its description in the OpenAPI document).
RECEIPT: dict[int | str, dict[str, Any]] = {201: {"model": Receipt, "description": "Recorded, durably."}}
