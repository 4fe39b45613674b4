"""Signed receipts and heads: what the service acknowledged, in a form anyone can check offline.

A receipt's ``record_hash`` lets a client check later that its record is still in the trail, but only by
asking the service, and it proves nothing to anyone else: the client could have made it up. So the service
signs what it acknowledges with an Ed25519 key of the deployment (the ``cryptography`` library): each receipt
carries a signature over ``{id, recorded_at, record_hash}``, and ``sanctuary audit head --signed`` prints the
chain's head signed the same way, to be kept outside the database. The public key is published at
``GET /v1/signing-key`` (and can be printed with ``sanctuary audit signing-key``); with it alone, anyone can
check a receipt or a head (:func:`verify`, ``sanctuary audit check``), with no access to the service.

The private key is read from ``SANCTUARY_SIGNING_KEY`` (64 hex digits, the key's seed) or from a file beside
the database, created readable by its owner only, like the privacy key.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sanctuary.service.audit import AuditRecord, ChainProblem, canonical

ALGORITHM = "Ed25519"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """The deployment's signing key: signs a statement (a JSON object) and publishes its public half."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key = _b64(raw)
        self.key_id = "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]

    @classmethod
    def ephemeral(cls) -> Signer:
        """A key made for this process only (tests, and a service given none)."""
        return cls(Ed25519PrivateKey.generate())

    def sign(self, statement: dict[str, Any]) -> dict[str, str]:
        """The signature of ``statement`` (its canonical JSON), with what is needed to check it."""
        value = self._private.sign(canonical(statement).encode("utf-8"))
        return {"alg": ALGORITHM, "key_id": self.key_id, "value": _b64(value)}

    def describe(self) -> dict[str, str]:
        return {"alg": ALGORITHM, "key_id": self.key_id, "public_key": self.public_key}


def verify(statement: dict[str, Any], signature: dict[str, Any], public_key: str) -> bool:
    """Whether ``signature`` is the signature of ``statement`` by the key whose public half is ``public_key``
    (as published at ``/v1/signing-key``). Needs nothing but these three."""
    try:
        key = Ed25519PublicKey.from_public_bytes(_unb64(public_key))
        key.verify(_unb64(str(signature["value"])), canonical(statement).encode("utf-8"))
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return False
    return signature.get("alg") == ALGORITHM


def load_signer(path: Path) -> Signer:
    """The deployment's key: from ``SANCTUARY_SIGNING_KEY`` (hex seed) if set, else from ``path``, created
    with a random seed (readable by its owner only) the first time."""
    if text := os.environ.get("SANCTUARY_SIGNING_KEY"):
        try:
            seed = bytes.fromhex(text.strip())
        except ValueError:
            raise ValueError("SANCTUARY_SIGNING_KEY must be 64 hexadecimal digits") from None
        if len(seed) != 32:
            raise ValueError("SANCTUARY_SIGNING_KEY must be 64 hexadecimal digits (a 32-byte Ed25519 seed)")
        return Signer(Ed25519PrivateKey.from_private_bytes(seed))
    if path.exists():
        return Signer(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(path.read_text(encoding="ascii").strip())))
    path.parent.mkdir(parents=True, exist_ok=True)
    seed = os.urandom(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(seed.hex() + "\n")
    return Signer(Ed25519PrivateKey.from_private_bytes(seed))


def receipt_statement(receipt: dict[str, Any]) -> dict[str, Any]:
    """What a receipt's signature covers: the record's id, when it was recorded, and its hash (which covers
    its content, its number and its link)."""
    return {"id": receipt["id"], "recorded_at": receipt["recorded_at"], "record_hash": receipt["record_hash"]}


def head_statement(seq: int, record_hash: str, at: str) -> dict[str, Any]:
    """What a signed head covers: the last record's number and hash, and when the head was read."""
    return {"head_seq": seq, "head_hash": record_hash, "at": at}


def record_statement(record_hash: str) -> dict[str, Any]:
    """What a record's own signature covers: its chain hash (which covers its content, number and link)."""
    return {"record_hash": record_hash}


class RecordSignatures:
    """Checks each record's signature against ``public_key`` as a check of the chain reads past it.

    A record whose signature does not match was written (or re-sealed) without the deployment's key: someone
    with write access to the database but not the key — a forged record appended after the last signed head
    is caught here, not only by the next head. Records written before records were signed carry none: they
    are counted and their range given (:meth:`summary`), not called forged; but an unsigned record *after* a
    signed one is a problem (a forger cannot sign, and dropping a signature is no way around it). The first
    failing record is named, with how many fail after it (a wrong public key fails every record)."""

    def __init__(self, public_key: str) -> None:
        self.public_key = public_key
        self.signed = 0
        self.unsigned: list[int] = []  # the first and last unsigned record before signing began, and a count
        self.unsigned_count = 0
        self.failing: list[ChainProblem] = []
        self.failing_count = 0

    def see(self, record: AuditRecord) -> None:
        if record.signature is None and not self.signed:
            self.unsigned = [self.unsigned[0] if self.unsigned else record.seq, record.seq]
            self.unsigned_count += 1
            return
        if record.signature is None:
            problem = "it has no signature, though records before it are signed: appended without the key (forged)"
        elif not verify(record_statement(record.hash), record.signature, self.public_key):
            problem = "its signature does not match the public key: written without the deployment's key (forged)"
        else:
            self.signed += 1
            return
        self.failing_count += 1
        if not self.failing:
            self.failing.append(ChainProblem(record.seq, record.id, problem))

    def problems(self) -> list[ChainProblem]:
        """The first record whose signature fails, and how many more fail after it."""
        if self.failing_count <= 1:
            return list(self.failing)
        first = self.failing[0]
        more = self.failing_count - 1
        return [ChainProblem(first.seq, first.id, f"{first.problem}; {more:,} more record(s) after it fail too")]

    def summary(self) -> str:
        """How many records are signed, and which were written before records were signed."""
        text = f"{self.signed:,} signed"
        if self.unsigned_count:
            first, last = self.unsigned
            span = f"record {first}" if first == last else f"records {first}–{last}"
            text += f"; {self.unsigned_count:,} unsigned, written before records were signed: {span}"
        return text


def signed_statement(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The statement a saved receipt (a 201 answer) or signed head (``audit head --signed``) makes, and its
    signature. ``KeyError`` or ``TypeError`` if the document is neither."""
    if "head_seq" in document:
        statement = head_statement(int(document["head_seq"]), str(document["head_hash"]), str(document["at"]))
    else:
        statement = receipt_statement(document)
    return statement, dict(document["signature"])
