"""API keys and the audit trail's check (administrators). Every change of a key is itself recorded in the
trail, with the administrator's key id as its actor."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sanctuary.errors import NotFoundError
from sanctuary.service.access import Admin
from sanctuary.service.models import KeyRequest
from sanctuary.service.signing import RecordSignatures
from sanctuary.service.store import Store


def admin_router(store: Store) -> APIRouter:
    """List, create and revoke keys; verify the whole chain."""
    router = APIRouter()

    @router.get("/v1/keys", tags=["admin"])
    def list_keys(key: Admin) -> list[dict[str, Any]]:
        return [k.as_dict() for k in store.api_keys()]

    @router.post("/v1/keys", tags=["admin"], status_code=201)
    def create_key(body: KeyRequest, key: Admin) -> dict[str, Any]:
        """A new key. The secret is in this answer only; the service keeps a hash of it."""
        created, secret = store.create_key(body.name, body.role, key.id)  # recorded with it, in one transaction
        return {"id": created.id, "name": created.name, "role": created.role, "secret": secret}

    @router.delete("/v1/keys/{key_id}", tags=["admin"])
    def revoke_key(key_id: str, key: Admin) -> dict[str, Any]:
        # Keys are looked up on every request (access.py): the key is refused, by every process, from the
        # moment its revocation is committed.
        if not store.revoke_key(key_id, key.id):  # recorded with it, in one transaction
            raise NotFoundError(f"no active key {key_id!r}", "key_id")
        return {"id": key_id, "revoked": True}

    @router.get("/v1/audit/verify", tags=["admin"])
    def verify_trail(key: Admin) -> dict[str, Any]:
        """Check the whole chain: every record's hash, link and number, the recorded head, and every record's
        signature with the service's public key (`signatures`: how many are signed, and the unsigned ones
        written before records were signed)."""
        signatures = RecordSignatures(store.signer.public_key) if store.signer else None
        count, problems = store.check_chain(signatures.see if signatures else None)
        problems += signatures.problems() if signatures else []
        return {
            "records": count,
            "intact": not problems,
            "problems": [str(p) for p in problems],
            "signatures": signatures.summary() if signatures else None,
        }

    return router
