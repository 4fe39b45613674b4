"""Who may do what: the API key a request presents (``X-API-Key``) and the role it needs.

- ``officer`` — decide, explain, fetch a past decision, record what the agency then did;
- ``analyst`` — reports and aggregates, never a case, a subject or a decision id;
- ``admin`` — manage keys, verify the trail.

The role dependencies are module-level names (``Officer``, ``Analyst``, ``Admin``, ``AnyRole``) because the
routes name them in their annotations, which FastAPI resolves in the route module's globals. They find the
store and the refusals' rate on ``request.app.state``, which
:func:`sanctuary.service.app.create_app` sets: so a route checks its key before it runs, and refusals (401,
403) are recorded in the audit trail, at a bounded rate (:class:`Refusals`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from sanctuary.service.audit import ACCESS_DENIED
from sanctuary.service.middleware import printable
from sanctuary.service.store import ApiKey, Store

API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key issued by an administrator.")


def deny(request: Request, status: int, reason: str, key: ApiKey | None) -> HTTPException:
    """Record the refusal in the audit trail (never the secret presented; at a bounded rate, see
    :class:`Refusals`), and the error to raise."""
    refusals: Refusals = request.app.state.refusals
    refusals.record(request.app.state.store, key.id if key else "anonymous", request.method, request.url.path,
                    status, reason)  # fmt: skip
    return HTTPException(status, reason, headers={"WWW-Authenticate": "ApiKey"} if status == 401 else None)


class Refusals:
    """Refusals are recorded at a bounded rate: at most one record per ``window`` seconds for each kind (who
    was refused — the key's id, or ``anonymous`` — with which status and reason), carrying how many refusals
    of that kind were not recorded since the kind's record before (``unrecorded_before``), and the path cut
    to 200 characters. Every refusal used to be a permanent record with the whole path (up to ~65 KB): a
    client without a key could grow the trail by gigabytes an hour. The kinds are few (the keys, plus
    ``anonymous``, times the handful of reasons), so the trail grows by a bounded number of records a minute
    whatever arrives. Refusals not yet recorded when the service stops are lost: only their count was kept."""

    def __init__(self, window: float = 60.0) -> None:
        self.window = window
        self._lock = threading.Lock()
        self._kinds: dict[tuple[str, int, str], tuple[float, int]] = {}  # kind: (last recorded at, unrecorded)

    def record(self, store: Store, actor: str, method: str, path: str, status: int, reason: str) -> None:
        kind, at = (actor, status, reason), time.monotonic()
        with self._lock:
            last, unrecorded = self._kinds.get(kind, (-self.window, 0))
            if at - last < self.window:
                self._kinds[kind] = (last, unrecorded + 1)
                return
            self._kinds[kind] = (at, 0)
        body = {"method": printable(method, 20), "path": printable(path), "status": status, "reason": reason}
        store.append(ACCESS_DENIED, actor, {**body, "unrecorded_before": unrecorded})


def role(*allowed: str) -> Callable[..., Awaitable[ApiKey]]:
    """A dependency that admits a known, unrevoked key of one of the ``allowed`` roles, and refuses (and
    records) anything else: 401 for no key, an unknown or a revoked one; 403 for a role that may not."""

    async def check(request: Request, secret: Annotated[str | None, Depends(API_KEY)]) -> ApiKey:
        store: Store = request.app.state.store
        # Looked up on every request (one indexed read): a key revoked by any process — the service, another
        # instance on the same database, `sanctuary keys revoke` — is refused at its next request. (Officer
        # and analyst keys were cached for 5 s; a revocation elsewhere took up to that long.)
        key = await run_in_threadpool(store.find_key, secret) if secret else None
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
            raise await run_in_threadpool(deny, request, *refusal, key)
        assert key is not None
        return key

    return check


# The key a route needs, checked (and any refusal recorded) before the route runs.
Officer = Annotated[ApiKey, Depends(role("officer"))]
Analyst = Annotated[ApiKey, Depends(role("analyst", "admin"))]
Admin = Annotated[ApiKey, Depends(role("admin"))]
AnyRole = Annotated[ApiKey, Depends(role("officer", "analyst", "admin"))]
