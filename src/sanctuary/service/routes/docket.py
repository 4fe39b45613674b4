"""The detainer docket over HTTP (officers): matters opened, their facts changed, what was done, closed; the
queue; a re-decision of every open matter when the law changes; and the ``/docket`` page. What each route
decides or checks is in :mod:`sanctuary.service.docket`; a refusal there (a ``DocketConflictError``, which is a
``ConflictError``) is a 409 problem, by the one table of statuses."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from sanctuary.service.access import Officer
from sanctuary.service.bodies import bodies, takes
from sanctuary.service.docket import MAX_LIST, STATES, Docket
from sanctuary.service.docket_models import MatterAction, MatterChange, MatterClose, MatterRequest
from sanctuary.web.routes import STATIC

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$"),
]


# The refusals of the docket's own checks, described here; :func:`sanctuary.service.errors.openapi` gives every
# error answer the problem document's schema (a conflict names its field in ``errors``).
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "Not allowed in the matter's state or by the decision in force, or a key reused."}
}
UNKNOWN_REGIME: dict[int | str, dict[str, Any]] = {404: {"description": "No such regime."}}


def docket_router(docket: Docket) -> APIRouter:
    """The docket's routes, over ``docket`` (its store, jurisdiction and clock)."""
    router = APIRouter()
    built = bodies(docket.jurisdiction)  # the bodies with the pack's ``record`` and action fields

    @router.get("/docket", include_in_schema=False, response_class=HTMLResponse)
    def page() -> FileResponse:
        return FileResponse(STATIC / "docket.html", media_type="text/html")

    @router.post("/v1/requests", tags=["docket"], status_code=201, response_model=None, responses=CONFLICT)
    @takes(built.matter)
    def open_matter(body: MatterRequest, key: Officer, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """Open a matter and decide it. The same ``Idempotency-Key`` with the same body answers the matter it
        opened (200); with another body, 409."""
        matter, created = docket.open(key.id, body, idempotency_key)
        return JSONResponse(docket.view(matter), status_code=201 if created else 200)

    @router.get("/v1/requests", tags=["docket"])
    def list_matters(
        key: Officer,
        state: Annotated[str | None, Query(pattern="^(" + "|".join(STATES) + ")$")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        return {"matters": docket.matters(state, limit, offset)}

    @router.get("/v1/requests/queue", tags=["docket"])
    def queue(key: Officer, due_days: Annotated[int, Query(ge=0, le=366)] = 7) -> dict[str, Any]:
        """Holds past their limit, holds running, releases due, undetermined matters, overrides."""
        return docket.queue(due_days)

    @router.get("/v1/requests/what-if", tags=["docket"], responses=UNKNOWN_REGIME)
    def what_if(key: Officer, regime: str, date: dt.date) -> dict[str, Any]:
        """The open matters whose answer would change were ``regime`` the law from ``date``; nothing recorded."""
        return {"regime": regime, "date": date.isoformat(), "changes": docket.what_if(regime, date)}

    @router.post("/v1/requests/redecide", tags=["docket"], responses=CONFLICT)
    def redecide(key: Officer) -> dict[str, Any]:
        """Re-decide every open matter under the law in force now: how many were re-recorded, and the matters
        whose results or limits changed, with the clauses now cited."""
        return docket.redecide_open(key.id)

    @router.get("/v1/requests/{matter_id}", tags=["docket"])
    def fetch(matter_id: str, key: Officer) -> dict[str, Any]:
        """The matter, its clock, the facts to check next (most decisive first), and its timeline."""
        return docket.get(matter_id)

    @router.patch("/v1/requests/{matter_id}", tags=["docket"], responses=CONFLICT)
    @takes(built.matter_change)
    def change(matter_id: str, body: MatterChange, key: Officer) -> dict[str, Any]:
        """Add or correct facts (a JSON merge patch of the case); re-decided at once."""
        return docket.change(key.id, matter_id, body)

    @router.post("/v1/requests/{matter_id}/actions", tags=["docket"], status_code=201, responses=CONFLICT)
    @takes(built.matter_action)
    def act(matter_id: str, body: MatterAction, key: Officer) -> dict[str, Any]:
        """Record what was done; 409 if the decision in force does not permit it and no override is given."""
        return docket.act(key.id, matter_id, body)

    @router.post("/v1/requests/{matter_id}/close", tags=["docket"], responses=CONFLICT)
    def close(matter_id: str, body: MatterClose, key: Officer) -> dict[str, Any]:
        return docket.close(key.id, matter_id, body)

    return router
