"""The service's request bodies, and the receipt it answers with. The case inside each body is the public
contract, validated by the contract's own parser (``parse_case``), so the service accepts exactly what
``sanctuary decide`` accepts; what surrounds it (who the case is about, facts the statutory reports need that
a case does not hold) is optional.

What a body says that is a jurisdiction's law — the facts its reports count, the actions its agencies record, the
inputs its reports take — is the pack's (:class:`~sanctuary.service.reporting.StatutoryReports`); the bodies here
are the generic part, completed per jurisdiction by :func:`sanctuary.service.bodies.bodies`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Header
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from sanctuary.facts.identifiers import refuse_identifiers
from sanctuary.service.store import Role

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


class Body(BaseModel):
    """A request body, or a part of one: a field it does not declare is refused (422 naming it)."""

    model_config = ConfigDict(extra="forbid")


class Subject(Body):
    """Who the case is about. Stored only as keyed hashes unless the deployment keeps identifiers."""

    person_id: str | None = Field(
        None, min_length=1, max_length=200, pattern=NO_CONTROL, description="e.g. NYSID or book-and-case no."
    )
    name: str | None = Field(None, min_length=1, max_length=200, pattern=NO_CONTROL)


# A case to decide and record. The facts the jurisdiction's statutory reports count (``record``) are the pack's:
# the body the service takes is this one with the pack's ``record`` added (``service/bodies.py``).
class DecisionRequest(Body):
    case: dict[str, Any] = Field(description="A case in the contract format (GET /v1/schema/case).")
    subject: Subject | None = None


class BatchRequest(Body):
    items: list[DecisionRequest] = Field(min_length=1, max_length=1000)


class ExplainRequest(Body):
    """The body of ``/v1/explain``, as of ``/v1/decisions``: the explained decision is recorded like any
    other, with its subject and facts."""

    case: dict[str, Any] = Field(description="A case in the contract format (GET /v1/schema/case).")
    subject: Subject | None = None


class Override(Body):
    """Why an action the decision does not permit was taken anyway: recorded with the action and the results it
    went over, and counted apart in the statutory reports (I-50, I-101)."""

    reason: Clear = Field(
        min_length=1,
        max_length=500,
        pattern=SOME_TEXT,
        description="Why the decision is not followed (who ordered it, on what authority). Recorded in clear: no "
        "identifier of the person (refused with 422).",
    )


# What is generic in an action body: its day and an override. What was done (``type`` and the fields that say more)
# is the pack's vocabulary, added per jurisdiction (``service/bodies.py``).
class ActionRequest(Body):
    """What the agency did about a decided request."""

    date: dt.date
    override: Override | None = Field(
        None,
        description="Record an action the decision does not permit (its outcome prohibited or undetermined, or not "
        "decided): refused with 409 without it.",
    )


class KeyRequest(Body):
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
