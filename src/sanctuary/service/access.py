"""Who may do what: the API key a request presents (``X-API-Key``) and the role it needs.

- ``officer`` — decide, explain, fetch a past decision, record what the agency then did;
- ``analyst`` — reports and aggregates, never a case, a subject or a decision id;
- ``admin`` — manage keys, verify the trail.

The role dependencies are module-level names (``Officer``, ``Analyst``, ``Admin``, ``AnyRole``) because the
routes name them in their annotations, which FastAPI resolves in the route module's globals. They find the
store and the key cache on ``request.app.state``, which :func:`sanctuary.service.app.create_app` sets: so a
route checks its key before it runs, and every refusal (401, 403) is recorded in the audit trail.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from sanctuary.service.audit import ACCESS_DENIED
from sanctuary.service.store import ApiKey, Store, secret_hash

API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key issued by an administrator.")


def deny(request: Request, status: int, reason: str, key: ApiKey | None) -> HTTPException:
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


def role(*allowed: str) -> Callable[..., Awaitable[ApiKey]]:
    """A dependency that admits a known, unrevoked key of one of the ``allowed`` roles, and refuses (and
    records) anything else: 401 for no key, an unknown or a revoked one; 403 for a role that may not."""

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
            raise await run_in_threadpool(deny, request, *refusal, key)
        assert key is not None
        return key

    return check


# The key a route needs, checked (and any refusal recorded) before the route runs.
Officer = Annotated[ApiKey, Depends(role("officer"))]
Analyst = Annotated[ApiKey, Depends(role("analyst", "admin"))]
Admin = Annotated[ApiKey, Depends(role("admin"))]
AnyRole = Annotated[ApiKey, Depends(role("officer", "analyst", "admin"))]
