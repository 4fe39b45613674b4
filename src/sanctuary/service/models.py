"""The service's request bodies, and the receipt it answers with. The case inside each body is the public
contract, validated by the contract's own parser (``parse_case``), so the service accepts exactly what
``sanctuary decide`` accepts; what surrounds it (who the case is about, facts the statutory reports need that
a case does not hold) is optional."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Header
from pydantic import BaseModel, ConfigDict, Field

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


class RecordFacts(_Body):
    """Facts about the request that the statutory reports count and a case does not hold (all optional)."""

    received: dt.date | None = Field(None, description="When the agency received the request (default: decision_date).")
    detainer_reference: str | None = Field(
        None, max_length=200, pattern=NO_CONTROL, description="The detainer form's number."
    )
    detainer_reasons: list[DetainerReason] | None = Field(None, max_length=6)
    requester_agency: str | None = Field(
        None, max_length=200, pattern=NO_CONTROL, description="The requesting agency by name."
    )


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


class ActionRequest(_Body):
    """What the agency did about a decided request."""

    type: ActionType
    date: dt.date
    information_given: list[InformationKind] | None = Field(None, max_length=5)
    reason: HoldEndReason | None = None


class KeyRequest(_Body):
    name: str = Field(
        min_length=1,
        max_length=100,
        # Some printable character, and no control characters (which Python's strip() would also remove).
        pattern=r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$",
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
