"""The HTTP service (FastAPI): decisions, explanations, recorded actions, regimes, reports, keys.

Every decision is recorded in the audit trail before it is acknowledged. Every route but ``/healthz`` needs
an API key (``X-API-Key``); its role decides what it may do:

- ``officer`` — decide, explain, fetch a past decision, record what the agency then did;
- ``analyst`` — reports and aggregates, never a case, a subject or a decision id;
- ``admin`` — manage keys, verify the trail.

Every refusal (401, 403) is itself recorded. Bad input gets 422 with the path of each problem; a body over
the limit gets 413; an unexpected error gets 500 with an error id, and never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.security import APIKeyHeader
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import sanctuary
from sanctuary.engine.explain import explain
from sanctuary.errors import BODY, HTTP_INTERNAL, HTTP_STATUSES, NotFoundError, SanctuaryError, http_status
from sanctuary.facts.case import ACTIONS, CaseError, Problem, case_json_schema, format_path, parse_case_at
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.audit import ACCESS_DENIED, ACTION, DECISION, KEY_CHANGE, AuditRecord, verify
from sanctuary.service.decisions import record_decisions
from sanctuary.service.models import ActionRequest, BatchRequest, DecisionRequest, ExplainRequest, KeyRequest
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import ApiKey, Store, secret_hash
from sanctuary.web.routes import MAX_UPLOAD_BYTES, STATIC, build_router

log = logging.getLogger("sanctuary.service")

MAX_BODY_BYTES = 1_048_576  # 1 MiB: a batch of 1,000 ordinary cases fits


def prepare(jurisdiction: Jurisdiction) -> None:
    """Build every rule of every regime, agency and action once, so no request pays for it."""
    for regime in jurisdiction.regimes.values():
        jurisdiction.law_hash(regime)
        for agency in jurisdiction.agencies:
            for action in ACTIONS:
                for by_date in (True, False):
                    jurisdiction.rule(regime, agency, action, day=dt.date.today(), by_date=by_date)


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413, whether or not it declares its length."""

    def __init__(self, app: ASGIApp, limit: int, larger: dict[str, int] | None = None) -> None:
        self.app, self.default, self.larger = app, limit, larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.default)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        if declared is None:
            # No declared length (a chunked body): read it here, up to the limit, then hand it on whole.
            messages: list[Message] = []
            seen = 0
            while True:
                message = await receive()
                messages.append(message)
                seen += len(message.get("body", b""))
                if seen > limit:
                    await _too_large(limit)(scope, receive, send)
                    return
                if message["type"] != "http.request" or not message.get("more_body", False):
                    break
            replay = iter(messages)

            async def replayed() -> Message:
                return next(replay, None) or await receive()

            await self.app(scope, replayed, send)
            return
        await self.app(scope, receive, send)


class Contain:
    """The outermost guard: an error no handler took becomes a 500 with an error id. The log gets the id, the
    error's type and where it happened — never its message, which may quote the request — and the error goes
    no further (the server would otherwise log it whole)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            error_id = uuid.uuid4().hex[:12]
            where = "".join(traceback.format_tb(exc.__traceback__)[-3:])
            log.error("error %s: %s in %s %s\n%s", error_id, type(exc).__name__, scope["method"], scope["path"], where)
            if not started:
                answer = JSONResponse({"detail": "internal error", "error_id": error_id}, status_code=500)
                await answer(scope, receive, send)


async def _project_error(request: Request, exc: Exception) -> JSONResponse:
    """The answer to a project error (:data:`sanctuary.errors.HTTP_STATUSES`): 422 with every problem and its
    path (a case's problems, or the one field), 404 with the message."""
    assert isinstance(exc, SanctuaryError)
    status = http_status(exc)
    if status != 422:
        return JSONResponse({"detail": str(exc)}, status_code=status)
    problems = exc.problems if isinstance(exc, CaseError) else [Problem(exc.field or BODY, str(exc))]
    return JSONResponse({"detail": [{"path": p.path, "message": p.message} for p in problems]}, status_code=422)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": f"the request body is over the limit of {limit:,} bytes"}, status_code=413)


API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key issued by an administrator.")


def _deny(request: Request, status: int, reason: str, key: ApiKey | None) -> HTTPException:
    """Record the refusal in the audit trail (never the secret presented), and the error to raise."""
    store: Store = request.app.state.store
    store.append(
        ACCESS_DENIED,
        key.id if key else "anonymous",
        {"method": request.method, "path": request.url.path, "status": status, "reason": reason},
    )
    return HTTPException(status, reason, headers={"WWW-Authenticate": "ApiKey"} if status == 401 else None)


class KeyCache:
    """Keys looked up recently, by the hash of their secret, for ``ttl`` seconds: most requests then check
    their key without touching the database. A key revoked through the service is dropped at once; one
    revoked with ``sanctuary keys revoke`` (another process) stops working within ``ttl`` seconds."""

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._keys: dict[str, tuple[ApiKey, float]] = {}

    def get(self, secret: str) -> ApiKey | None:
        found = self._keys.get(secret_hash(secret))
        return found[0] if found and found[1] > time.monotonic() else None

    def put(self, secret: str, key: ApiKey) -> None:
        self._keys[secret_hash(secret)] = (key, time.monotonic() + self.ttl)

    def drop(self, key_id: str) -> None:
        self._keys = {h: entry for h, entry in self._keys.items() if entry[0].id != key_id}


def _role(*allowed: str) -> Callable[..., Awaitable[ApiKey]]:
    async def check(request: Request, secret: Annotated[str | None, Depends(API_KEY)]) -> ApiKey:
        store: Store = request.app.state.store
        cache: KeyCache = request.app.state.keys
        key: ApiKey | None = None
        if secret:
            key = cache.get(secret)
            if key is None:
                key = await run_in_threadpool(store.find_key, secret)
                if key is not None and not key.revoked:
                    cache.put(secret, key)
        refusal: tuple[int, str] | None = None
        if not secret:
            refusal = (401, "an API key is required (header X-API-Key)")
        elif key is None:
            refusal = (401, "unknown API key")
        elif key.revoked:
            refusal = (401, "this API key has been revoked")
        elif key.role not in allowed:
            refusal = (403, f"the {key.role} role may not do this (needs {' or '.join(allowed)})")
        if refusal is not None:
            raise await run_in_threadpool(_deny, request, *refusal, key)
        assert key is not None
        return key

    return check


# The key a route needs, checked (and any refusal recorded) before the route runs.
Officer = Annotated[ApiKey, Depends(_role("officer"))]
Analyst = Annotated[ApiKey, Depends(_role("analyst", "admin"))]
Admin = Annotated[ApiKey, Depends(_role("admin"))]
AnyRole = Annotated[ApiKey, Depends(_role("officer", "analyst", "admin"))]


def create_app(
    store: Store, jurisdiction: Jurisdiction, privacy: PrivacyPolicy, *, max_body_bytes: int = MAX_BODY_BYTES
) -> FastAPI:
    prepare(jurisdiction)
    app = FastAPI(
        docs_url=None,  # the framework's API pages load scripts from outside sites; the service serves its own
        redoc_url=None,
        title="sanctuary",
        version=sanctuary.__version__,
        description=(__doc__ or "").split("\n\n")[0],
        openapi_tags=[
            {"name": "decisions", "description": "Decide cases and record what was done (officers)."},
            {"name": "law", "description": "The regimes and the case format."},
            {"name": "reports", "description": "Statutory reports and aggregates (analysts)."},
            {"name": "admin", "description": "Keys and the audit trail (administrators)."},
        ],
    )
    app.add_middleware(BodyLimit, limit=max_body_bytes, larger={"/v1/compare": MAX_UPLOAD_BYTES})
    app.add_middleware(Contain)  # added last: the outermost of the two
    app.state.store = store
    app.state.keys = KeyCache()

    # --- errors -----------------------------------------------------------------------------------------

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            if error.get("type") == "json_invalid":
                problems.append({"path": "(body)", "message": "the body is not valid JSON"})
                continue
            loc = tuple(p for p in error.get("loc", ()) if p != "body")
            problems.append({"path": format_path(loc) or "(body)", "message": str(error.get("msg", "invalid"))})
        return JSONResponse({"detail": problems}, status_code=422)

    for error_class, status in HTTP_STATUSES.items():  # the project's errors, by the one table
        if status < HTTP_INTERNAL:  # the rest are the service's own defects: contained, a 500 with an error id
            app.add_exception_handler(error_class, _project_error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:  # a body the framework could not read (not UTF-8, say): bad input, like the rest
            return JSONResponse({"detail": [{"path": "(body)", "message": "the body cannot be read as JSON"}]}, 422)
        return await http_exception_handler(request, exc)

    # --- routes -----------------------------------------------------------------------------------------

    @app.get("/healthz", tags=["law"], response_class=PlainTextResponse)
    def health() -> str:
        return "ok"

    @app.get("/v1/regimes", tags=["law"])
    def regimes(key: AnyRole) -> list[dict[str, Any]]:
        """Every regime and proposal, with its dates, sources and the hash of its law data."""
        return [r.describe() | {"law_hash": jurisdiction.law_hash(r)} for r in jurisdiction.regimes.values()]

    @app.get("/v1/regimes/{regime_id}", tags=["law"])
    def regime(regime_id: str, key: AnyRole) -> dict[str, Any]:
        found = jurisdiction.regimes.get(regime_id)
        if found is None:
            raise NotFoundError(f"no regime {regime_id!r} (known: {', '.join(jurisdiction.regimes)})", "regime_id")
        return found.describe() | {"law_hash": jurisdiction.law_hash(found)}

    @app.get("/v1/schema/case", tags=["law"])
    def case_schema(key: AnyRole) -> dict[str, Any]:
        """The JSON Schema of the case format (contract version 1)."""
        return case_json_schema()

    @app.post("/v1/decisions", tags=["decisions"], status_code=201, response_model=None, responses=RECEIPT)
    def decide_one(body: DecisionRequest, key: Officer) -> JSONResponse:
        """Decide one case and record the decision; the answer comes once the record is durable."""
        (record,) = record_decisions(store, jurisdiction, privacy, key.id, [body])
        return JSONResponse(_receipt(record), status_code=201)

    @app.post("/v1/decisions/batch", tags=["decisions"], status_code=201)
    def decide_batch(body: BatchRequest, key: Officer) -> dict[str, Any]:
        """Decide up to 1,000 cases, recorded together: all, or (if any case is invalid) none."""
        records = record_decisions(store, jurisdiction, privacy, key.id, body.items, batch=True)
        return {"decisions": [_receipt(r) for r in records]}

    @app.post("/v1/explain", tags=["decisions"], status_code=201)
    def explain_one(body: ExplainRequest, key: Officer) -> dict[str, Any]:
        """Decide one case, record the decision, and explain every outcome (the explanation format)."""
        request = DecisionRequest(case=body.case)
        case = parse_case_at(body.case, "case")
        (record,) = record_decisions(store, jurisdiction, privacy, key.id, [request], explained=True)
        return {**_receipt(record), "explanation": explain(case, jurisdiction)}

    @app.get("/v1/decisions/{decision_id}", tags=["decisions"])
    def fetch(decision_id: str, key: Officer) -> dict[str, Any]:
        """A past decision as recorded (input, output, subject as the privacy policy stored it) and the
        actions recorded on it since."""
        record = store.get(decision_id)
        if record is None or record.kind != DECISION:
            raise NotFoundError(f"no decision {decision_id!r}", "decision_id")
        return {**record.as_dict(), "actions": [a.as_dict() for a in store.following(decision_id)]}

    @app.post(
        "/v1/decisions/{decision_id}/actions", tags=["decisions"], status_code=201, response_model=None,
        responses=RECEIPT,
    )  # fmt: skip
    def record_action(decision_id: str, body: ActionRequest, key: Officer) -> JSONResponse:
        """Record what the agency did about a decided request (held, transferred, released, answered, …)."""
        decided = store.get(decision_id)
        if decided is None or decided.kind != DECISION:
            raise NotFoundError(f"no decision {decision_id!r}", "decision_id")
        if body.type == "information_answered" and not body.information_given:
            raise CaseError([Problem("information_given", "say which information was given")])
        if body.type != "hold_ended" and body.reason is not None:
            raise CaseError([Problem("reason", "a reason is recorded only when a hold ended")])
        decision_date = dt.date.fromisoformat(decided.body["output"]["decision_date"])
        if body.date < decision_date - dt.timedelta(days=366):
            raise CaseError([Problem("date", f"{body.date} is more than a year before the decision ({decision_date})")])
        record = store.append(ACTION, key.id, body.model_dump(mode="json", exclude_none=True), refers_to=decision_id)
        return JSONResponse(_receipt(record), status_code=201)

    @app.get("/v1/stats", tags=["reports"])
    def stats(
        key: Analyst,
        since: Annotated[dt.date | None, Query(alias="from")] = None,
        until: Annotated[dt.date | None, Query(alias="to")] = None,
    ) -> dict[str, Any]:
        """Aggregates only: decisions by agency, regime, action and result, and actions by type, for the
        decision dates (or action dates) in the period."""
        outcomes: Counter[tuple[str, str, str, str]] = Counter()
        actions: Counter[str] = Counter()
        for record in store.records((DECISION, ACTION)):
            if record.kind == DECISION:
                output = record.body["output"]
                day = dt.date.fromisoformat(output["decision_date"])
                if (since and day < since) or (until and day > until):
                    continue
                for outcome in output["outcomes"]:
                    outcomes[(output["agency"], output["regime"], outcome["action"], outcome["result"])] += 1
            else:
                day = dt.date.fromisoformat(record.body["date"])
                if (since and day < since) or (until and day > until):
                    continue
                actions[record.body["type"]] += 1
        return {
            "from": since.isoformat() if since else None,
            "to": until.isoformat() if until else None,
            "outcomes": [
                {"agency": a, "regime": r, "action": act, "result": res, "count": n}
                for (a, r, act, res), n in sorted(outcomes.items())
            ],
            "actions": [{"type": t, "count": n} for t, n in sorted(actions.items())],
        }

    @app.get("/v1/reports/{law}", tags=["reports"], response_model=None)
    def report(
        law: str,
        key: Analyst,
        year: int | None = None,
        quarter: str | None = None,
        format: Literal["json", "csv", "html"] = "json",
    ) -> dict[str, Any] | Response:
        """A statutory report (§ 9-131(f), § 14-154(f), § 9-205(f): ``year``; § 10-178(d): ``quarter``, e.g.
        2025Q3), computed from the recorded decisions and actions."""
        from sanctuary.service.reports import compute_report, period_for

        period = period_for(law, year=year, quarter=quarter)
        computed = compute_report(store.records(), law, period)
        if format == "csv":
            return PlainTextResponse(computed.to_csv(), media_type="text/csv")
        if format == "html":
            return HTMLResponse(computed.to_html())
        return computed.as_dict()

    @app.get("/v1/keys", tags=["admin"])
    def list_keys(key: Admin) -> list[dict[str, Any]]:
        return [
            {"id": k.id, "name": k.name, "role": k.role, "created": k.created, "revoked": k.revoked}
            for k in store.api_keys()
        ]

    @app.post("/v1/keys", tags=["admin"], status_code=201)
    def create_key(body: KeyRequest, key: Admin) -> dict[str, Any]:
        """A new key. The secret is in this answer only; the service keeps a hash of it."""
        created, secret = store.create_key(body.name, body.role)
        store.append(KEY_CHANGE, key.id, {"change": "created", "key": created.id, "role": created.role})
        return {"id": created.id, "name": created.name, "role": created.role, "secret": secret}

    @app.delete("/v1/keys/{key_id}", tags=["admin"])
    def revoke_key(key_id: str, key: Admin) -> dict[str, Any]:
        if not store.revoke_key(key_id):
            raise NotFoundError(f"no active key {key_id!r}", "key_id")
        app.state.keys.drop(key_id)
        store.append(KEY_CHANGE, key.id, {"change": "revoked", "key": key_id})
        return {"id": key_id, "revoked": True}

    @app.get("/v1/audit/verify", tags=["admin"])
    def verify_trail(key: Admin) -> dict[str, Any]:
        """Check the whole chain: every record's hash, link and number, and the recorded head."""
        with store.snapshot() as (head, records):
            count, problems = verify(records, head)
        return {"records": count, "intact": not problems, "problems": [str(p) for p in problems]}

    @app.get("/v1/privacy", tags=["law"])
    def privacy_policy(key: AnyRole) -> dict[str, Any]:
        """The personal-data policy this deployment runs under."""
        return privacy.describe()

    # The web pages (docs/web.md) and their JSON: the same engine, nothing recorded.
    app.include_router(build_router(jurisdiction, _role("analyst", "admin")))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.openapi = partial(_openapi, app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI description, saying what the service really answers: its own 422 shape (a list of
    problems with paths), and 401, 403, 404 and 413 where they can happen."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                         tags=app.openapi_tags)  # fmt: skip
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Problem"] = {
        "type": "object",
        "required": ["path", "message"],
        "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
    }
    schemas["Problems"] = {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}},
    }
    schemas["Error"] = {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}, "error_id": {"type": "string"}},
    }

    def answer(description: str, name: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }

    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if operation.get("security"):
                responses["401"] = answer("No API key, an unknown one, or a revoked one (recorded).", "Error")
                responses["403"] = answer("The key's role may not do this (recorded).", "Error")
            if path != "/healthz":
                responses["422"] = answer("Invalid input: every problem, with its path.", "Problems")
            if "{" in path:
                responses["404"] = answer("No such decision, regime or key.", "Error")
            if method in ("post", "put", "patch"):
                responses["413"] = answer("The body is over the size limit.", "Error")
            responses["500"] = answer("An unexpected error, with an id for the server's log.", "Error")
    app.openapi_schema = schema
    return schema


class Receipt(BaseModel):
    """The answer to a recorded decision (or action): keep ``record_hash`` to check the trail later."""

    id: str
    recorded_at: str
    record_hash: str
    decision: dict[str, Any] | None = None


RECEIPT: dict[int | str, dict[str, Any]] = {201: {"model": Receipt, "description": "Recorded, durably."}}


def _receipt(record: AuditRecord) -> dict[str, Any]:
    """What the caller gets back: the decision (or action) id, when it was recorded, the record's hash (a
    receipt that ``sanctuary audit verify --receipt`` can check later) and, for a decision, the output."""
    receipt: dict[str, Any] = {"id": record.id, "recorded_at": record.at, "record_hash": record.hash}
    if record.kind == DECISION:
        receipt["decision"] = record.body["output"]
    return receipt
