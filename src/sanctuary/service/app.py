"""The HTTP service (FastAPI): decisions, explanations, recorded actions, regimes, reports, keys.

Every decision is recorded in the audit trail before it is acknowledged. Every route but ``/healthz`` needs
an API key (``X-API-Key``); its role decides what it may do:

- ``officer`` — decide, explain, fetch a past decision, record what the agency then did;
- ``analyst`` — reports and aggregates, never a case, a subject or a decision id;
- ``admin`` — manage keys, verify the trail.

Refusals (401, 403) are themselves recorded, at a bounded rate. Every error is an RFC 9457 problem document
(``application/problem+json``): bad input gets 422 with the path of each problem; a body over the limit gets
413; a database that cannot answer now, 503 with ``Retry-After``; an unexpected error gets 500 with an error
id, and never a stack trace.

This module only assembles the service; each part lives where its matter does: the routes by area in
``routes/``, the keys and roles in ``access.py``, the error answers and their description in ``errors.py``,
the body limit and the last-resort 500 in ``middleware.py``, and what is not HTTP in ``decisions.py``,
``store.py`` and ``audit.py``.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

import sanctuary
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service import errors
from sanctuary.service.access import Refusals, role
from sanctuary.service.docket import Docket
from sanctuary.service.middleware import BodyLimit, Contain
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.reporting import record_facts
from sanctuary.service.routes.admin import admin_router
from sanctuary.service.routes.decisions import decision_router
from sanctuary.service.routes.docket import docket_router
from sanctuary.service.routes.law import law_router, privacy_router, signing_router
from sanctuary.service.routes.records import record_router
from sanctuary.service.routes.reports import report_router
from sanctuary.service.signing import Signer
from sanctuary.service.store import Store
from sanctuary.web.routes import MAX_UPLOAD_BYTES, STATIC, build_router

MAX_BODY_BYTES = 1_048_576  # 1 MiB: a batch of 1,000 ordinary cases fits

TAGS = [
    {"name": "decisions", "description": "Decide cases and record what was done (officers)."},
    {"name": "law", "description": "The regimes and the case format."},
    {"name": "reports", "description": "Statutory reports and aggregates (analysts)."},
    {"name": "admin", "description": "Keys and the audit trail (administrators)."},
    {"name": "docket", "description": "Requests followed over time, re-decided as facts and law change (officers)."},
]


def prepare(jurisdiction: Jurisdiction) -> None:
    """Build every rule of every regime, agency and action once, so no request pays for it."""
    for regime in jurisdiction.regimes.values():
        jurisdiction.law_hash(regime)
        for agency in jurisdiction.agencies:
            for action in jurisdiction.actions:
                for by_date in (True, False):
                    jurisdiction.rule(regime, agency, action, day=dt.date.today(), by_date=by_date)


def create_app(
    store: Store,
    jurisdiction: Jurisdiction,
    privacy: PrivacyPolicy,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    docket: Docket | None = None,
    signer: Signer | None = None,
) -> FastAPI:
    """The service over ``store``, deciding under ``jurisdiction`` and keeping subjects as ``privacy`` says,
    signing receipts with ``signer`` (a key for this process only when none is given). The rules are built
    here, before the first request, so no request pays for them. ``docket``: the detainer docket over the same
    store (tests pass one with a clock of their own)."""
    signer = signer or Signer.ephemeral()
    prepare(jurisdiction)
    app = FastAPI(
        docs_url=None,  # the framework's API pages load scripts from outside sites; the service serves its own
        redoc_url=None,
        title="sanctuary",
        version=sanctuary.__version__,
        description=(__doc__ or "").split("\n\n")[0],
        openapi_tags=TAGS,
    )
    app.add_middleware(BodyLimit, limit=max_body_bytes, larger={"/v1/compare": MAX_UPLOAD_BYTES})
    app.add_middleware(Contain)  # added last: the outermost of the two
    # What the role dependencies (``access.py``) read on every request: the keys' store.
    app.state.store = store
    if store.signer is None:
        store.signer = signer  # each record signed as it is appended, with the key that signs the receipts
    app.state.refusals = Refusals()

    # Registered through the decorator, whose typing takes a handler of any one exception type.
    errors.handle_project_errors(app)
    app.exception_handler(RequestValidationError)(errors.invalid_body)
    app.exception_handler(StarletteHTTPException)(errors.http_error)

    # The record facts the pack marks as identifying are stored as keyed hashes (privacy.py).
    privacy = privacy.for_record(record_facts(jurisdiction))
    # The order here is the order of the paths in the OpenAPI document (and of matching, where it matters).
    app.include_router(law_router(jurisdiction))
    app.include_router(decision_router(store, jurisdiction, privacy, signer))
    app.include_router(record_router(store, jurisdiction, signer, privacy))
    app.include_router(report_router(store, jurisdiction, signer))
    app.include_router(admin_router(store))
    docket = docket or Docket(store, jurisdiction)
    docket.privacy = docket.privacy or privacy  # the service's policy keeps a matter's facts too (privacy.py)
    app.include_router(docket_router(docket))
    app.include_router(privacy_router(privacy))
    app.include_router(signing_router(signer))
    # The web pages (docs/web.md) and their JSON: the same engine, nothing recorded.
    app.include_router(build_router(jurisdiction, role("analyst", "admin")))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.openapi = partial(errors.openapi, app, jurisdiction.case_format)  # type: ignore[method-assign]
    return app
