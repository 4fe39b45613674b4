"""The law as the service states it — whether it is up, the regimes, the case format — and the personal-data
policy of the deployment. None of these routes records anything; all but ``/healthz`` need a key of any role,
so an agency's systems can read the law they are decided under."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from sanctuary.errors import NotFoundError
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.access import AnyRole
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.signing import Signer
from sanctuary.service.store import Store


def law_router(jurisdiction: Jurisdiction) -> APIRouter:
    """Health, the regimes (each with the hash of its law data) and the case format's JSON Schema."""
    router = APIRouter()

    @router.get("/healthz", tags=["law"], response_class=PlainTextResponse)
    def health(request: Request) -> PlainTextResponse:
        """``ok`` when the service can record decisions; when its database cannot answer now (it asks it), 503
        with ``Retry-After`` (a problem document, as every error)."""
        store: Store = request.app.state.store
        store.ping()  # a StoreUnavailableError is answered by the one handler of project errors
        return PlainTextResponse("ok")

    @router.get("/v1/regimes", tags=["law"])
    def regimes(key: AnyRole) -> list[dict[str, Any]]:
        """Every regime and proposal, with its dates, sources and the hash of its law data."""
        return [r.describe() | {"law_hash": jurisdiction.law_hash(r)} for r in jurisdiction.regimes.values()]

    @router.get("/v1/regimes/{regime_id}", tags=["law"])
    def regime(regime_id: str, key: AnyRole) -> dict[str, Any]:
        found = jurisdiction.regimes.get(regime_id)
        if found is None:
            raise NotFoundError(f"no regime {regime_id!r} (known: {', '.join(jurisdiction.regimes)})", "regime_id")
        return found.describe() | {"law_hash": jurisdiction.law_hash(found)}

    @router.get("/v1/schema/case", tags=["law"])
    def case_schema(key: AnyRole) -> dict[str, Any]:
        """The JSON Schema of the jurisdiction's case format."""
        return jurisdiction.case_format.json_schema()

    return router


def signing_router(signer: Signer) -> APIRouter:
    """The deployment's public signing key: what anyone needs to check a receipt or a signed head offline. No
    key needed (it is public, and an auditor has none)."""
    router = APIRouter()

    @router.get("/v1/signing-key", tags=["law"])
    def signing_key() -> dict[str, str]:
        """The Ed25519 public key (base64url, raw 32 bytes) that signs receipts and heads, and its id."""
        return signer.describe()

    return router


def privacy_router(privacy: PrivacyPolicy) -> APIRouter:
    """The deployment's personal-data policy. A router of its own, apart from the law's, because it states
    how this deployment is configured, not what the law says; it keeps the ``law`` tag its clients know."""
    router = APIRouter()

    @router.get("/v1/privacy", tags=["law"])
    def privacy_policy(key: AnyRole) -> dict[str, Any]:
        """The personal-data policy this deployment runs under."""
        return privacy.describe()

    return router
