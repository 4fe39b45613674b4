"""Deciding cases over HTTP: one, a batch, or one explained. Every decision is recorded in the audit trail
before it is answered (:func:`sanctuary.service.decisions.record_decisions`), so the 201 is a receipt."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from sanctuary.engine.budget import validate_within_budget
from sanctuary.engine.explain import explain
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.access import Officer
from sanctuary.service.bodies import bodies, takes
from sanctuary.service.decisions import located, once, receipt, record_decisions
from sanctuary.service.models import RECEIPT, BatchRequest, DecisionRequest, ExplainRequest, IdempotencyKey
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.signing import Signer
from sanctuary.service.store import Store


def decision_router(store: Store, jurisdiction: Jurisdiction, privacy: PrivacyPolicy, signer: Signer) -> APIRouter:
    """The officers' routes that decide: each validates with the contract's parser, decides and records."""
    router = APIRouter()
    built = bodies(jurisdiction)  # the bodies with the pack's ``record``

    @router.post("/v1/decisions", tags=["decisions"], status_code=201, response_model=None, responses=RECEIPT)
    @takes(built.decision)
    def decide_one(body: DecisionRequest, key: Officer, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """Decide one case and record the decision; the answer comes once the record is durable."""
        retry = once(key.id, idempotency_key, "decisions", body)
        (record,) = record_decisions(store, jurisdiction, privacy, key.id, [body], once=retry)
        return JSONResponse(receipt(record, signer), status_code=201, headers=located(record.id))

    @router.post("/v1/decisions/batch", tags=["decisions"], status_code=201)
    @takes(built.batch)
    def decide_batch(body: BatchRequest, key: Officer, idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
        """Decide up to 1,000 cases, recorded together: all, or (if any case is invalid) none."""
        retry = once(key.id, idempotency_key, "batch", body)
        records = record_decisions(store, jurisdiction, privacy, key.id, body.items, batch=True, once=retry)
        return {"decisions": [receipt(r, signer) for r in records]}

    @router.post("/v1/explain", tags=["decisions"], status_code=201)
    @takes(built.explain)
    def explain_one(
        body: ExplainRequest, key: Officer, response: Response, idempotency_key: IdempotencyKey = None
    ) -> dict[str, Any]:
        """Decide one case, record the decision, and explain every outcome (the explanation format)."""
        request = built.decision.model_construct(**dict(body))  # the same fields, already validated
        case = jurisdiction.case_format.parse_at(
            body.case, "case", partial(validate_within_budget, jurisdiction=jurisdiction)
        )
        retry = once(key.id, idempotency_key, "explain", body)
        (record,) = record_decisions(store, jurisdiction, privacy, key.id, [request], explained=True, once=retry)
        response.headers.update(located(record.id))
        return {**receipt(record, signer), "explanation": explain(case, jurisdiction)}

    return router
