"""A recorded decision read back, and what the agency then did about it, recorded on it (officers). The
checks of an action against its decision live in :func:`sanctuary.service.decisions.record_action`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from sanctuary.errors import NotFoundError
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service import decisions
from sanctuary.service.access import Officer
from sanctuary.service.audit import DECISION
from sanctuary.service.bodies import bodies, takes
from sanctuary.service.models import RECEIPT, ActionRequest, IdempotencyKey, Receipt
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.signing import Signer
from sanctuary.service.store import Store


def record_router(store: Store, jurisdiction: Jurisdiction, signer: Signer, privacy: PrivacyPolicy) -> APIRouter:
    """Fetch a decision with its actions; record an action on a decision."""
    router = APIRouter()

    @router.get("/v1/decisions", tags=["decisions"])
    def list_decisions(
        key: Officer,
        since: Annotated[dt.date | None, Query(alias="from")] = None,
        until: Annotated[dt.date | None, Query(alias="to")] = None,
        agency: Annotated[str | None, Query(max_length=40)] = None,
        action: Annotated[str | None, Query(max_length=80)] = None,
        result: Annotated[str | None, Query(max_length=40)] = None,
        detainer_reference: Annotated[str | None, Query(max_length=200)] = None,
        after: Annotated[int, Query(ge=0, le=2**63 - 1, description="The `next` of the page before.")] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        """The recorded decisions, oldest first, filtered by decision date, agency, an outcome's action or
        result, the detainer's reference; a page at a time (``next`` → ``after``). Each summarised: its id,
        when recorded, agency, regime, date, outcomes and detainer reference (fetch one for the rest)."""
        if detainer_reference is not None:  # stored as a keyed hash (privacy.py): compare like with like
            detainer_reference = privacy.record({"detainer_reference": detainer_reference})["detainer_reference"]
        keep = decisions.DecisionFilter(since, until, agency, action, result, detainer_reference)
        return decisions.listing(store.records((DECISION,), after=after), keep, limit)

    @router.get("/v1/decisions/{decision_id}", tags=["decisions"])
    def fetch(decision_id: str, key: Officer) -> dict[str, Any]:
        """A past decision as recorded (input, output, subject as the privacy policy stored it) and the
        actions recorded on it since."""
        record = decisions.find_decision(store, decision_id)
        if record is None:
            raise NotFoundError(f"no decision {decision_id!r}", "decision_id")
        return {**record.as_dict(), "actions": [a.as_dict() for a in store.following(decision_id)]}

    @router.post(
        "/v1/decisions/{decision_id}/actions", tags=["decisions"], status_code=201, response_model=None,
        responses={
            **RECEIPT,
            200: {"model": Receipt, "description": "Already recorded (a retry): the first receipt."},
            409: {"description": "The decision does not permit the action (field `type`, the results and the clauses "
                                 "they rest on): send it again with an `override` and its reason to record it."},
        },
    )  # fmt: skip
    @takes(bodies(jurisdiction).action)  # the core's day and override, with the pack's ``type`` and its fields
    def record_action(
        decision_id: str, body: ActionRequest, key: Officer, idempotency_key: IdempotencyKey = None
    ) -> JSONResponse:
        """Record what the agency did about a decided request (held, transferred, released, answered, …). An
        action that cannot have happened (dated after today or before the request was received, or ruled out by
        the actions recorded before it) is refused with 422 naming the field; the same action sent again (a
        retry, with or without an idempotency key) is not recorded twice: the answer is the first receipt, with 200.
        An action the decision does not permit — a hold after a ``prohibited`` or ``undetermined`` hold, an answer
        giving information the decision prohibits or was not asked for — is refused with 409 (field ``type``, the
        results and the clauses they rest on), or recorded with an ``override`` and its reason, which the statutory
        reports count apart (I-50, I-51); declining (a release without honoring, a refusal) is never refused."""
        decided = decisions.find_decision(store, decision_id)
        if decided is None:
            raise NotFoundError(f"no decision {decision_id!r}", "decision_id")
        retry = decisions.once(key.id, idempotency_key, f"actions/{decision_id}", body)
        recorded, new = decisions.record_action(store, key.id, decided, body, jurisdiction, retry)
        # Where the action can be read: with its decision (actions have no route of their own).
        return JSONResponse(
            decisions.receipt(recorded, signer), status_code=201 if new else 200, headers=decisions.located(decided.id)
        )

    return router
