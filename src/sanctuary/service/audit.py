"""The audit trail's chain: records that nobody can quietly edit, delete or reorder.

Each record carries the hash of the record before it and a hash of its own content together with that link
(SHA-256 over canonical JSON). Editing a record breaks its own hash; deleting one breaks the link of the
next (and leaves a gap in the sequence numbers); moving one breaks both. Removing records from the *end*
leaves a shorter chain that is still consistent in itself, so the store also keeps the head (the last
sequence number and hash) in the same transaction as every append, and :func:`verify` compares the chain
with it; a check against a head kept outside the database (``sanctuary audit head``) covers an attacker
who rewrites both.

This module is pure: it knows records and hashes, not databases or HTTP.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "sha256:" + "0" * 64  # the link of the first record

# What a record is about.
DECISION = "decision"  # an engine decision on one case, with its input and output
ACTION = "action"  # what the agency then did about a decided request
ACCESS_DENIED = "access_denied"  # a request refused for a missing, wrong or insufficient API key
KEY_CHANGE = "key_change"  # an API key created or revoked
REPORT_INPUT = "report_input"  # a figure or determination a statutory report needs that no decision holds
MATTER = "matter"  # an event in the life of a docket matter (opened, facts changed, re-decided, acted, closed)
KINDS = (DECISION, ACTION, ACCESS_DENIED, KEY_CHANGE, REPORT_INPUT, MATTER)


def canonical(value: Any) -> str:
    """The one JSON text of a value that is hashed: sorted keys, no spaces, UTF-8 characters as they are."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One record of the trail. ``body`` is the record's content (for a decision: input, output, subject)."""

    seq: int
    id: str
    kind: str
    at: str  # UTC, ISO 8601 with microseconds
    actor: str  # the API key's id (or ``cli`` for a command run on the server)
    refers_to: str | None  # for an action: the decision it follows
    body: dict[str, Any]
    prev_hash: str
    hash: str
    # The deployment's Ed25519 signature over ``hash`` (``alg``, ``key_id``, ``value``), made as the record was
    # appended; None for a record written before records were signed. Not covered by the hash (it signs it).
    signature: dict[str, str] | None = None

    def content(self) -> dict[str, Any]:
        """Everything the hash covers (all but the hash itself)."""
        return {
            "seq": self.seq,
            "id": self.id,
            "kind": self.kind,
            "at": self.at,
            "actor": self.actor,
            "refers_to": self.refers_to,
            "body": self.body,
            "prev_hash": self.prev_hash,
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.content(), "hash": self.hash}


def record_hash(content: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def seal(
    seq: int, id: str, kind: str, at: str, actor: str, refers_to: str | None, body: dict[str, Any], prev_hash: str
) -> AuditRecord:
    """A new record, linked to ``prev_hash`` and hashed."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit record kind {kind!r}")
    unsealed = AuditRecord(seq, id, kind, at, actor, refers_to, body, prev_hash, "")
    return AuditRecord(seq, id, kind, at, actor, refers_to, body, prev_hash, record_hash(unsealed.content()))


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """One break in the chain: the record where it is seen, and what it means."""

    seq: int | None
    id: str | None
    problem: str

    def __str__(self) -> str:
        where = f"record {self.seq} ({self.id})" if self.seq is not None else "the chain"
        return f"{where}: {self.problem}"


def key_problems(changes: Iterable[AuditRecord], keys: Iterable[tuple[str, str, bool]]) -> list[ChainProblem]:
    """The API keys (``(id, role, revoked)``, as the keys table holds them) that the trail's key changes do
    not explain: a key no record created (inserted behind the store's back), a role other than the one
    created, a key the trail revoked that the table holds active (un-revoked), or one revoked in the table
    with no record of it. The store writes each key change and its record in one transaction."""
    created: dict[str, str] = {}
    revoked: set[str] = set()
    for record in changes:
        key_id, change = str(record.body.get("key")), record.body.get("change")
        if change == "created":
            created[key_id] = str(record.body.get("role"))
        elif change == "revoked":
            revoked.add(key_id)
    problems = []
    for key_id, role, is_revoked in keys:

        def problem(what: str, key_id: str = key_id, role: str = role) -> ChainProblem:
            return ChainProblem(None, None, f"API key {key_id} ({role}): {what}")

        if key_id not in created:
            problems.append(problem("no record of the trail created it: inserted"))
        elif created[key_id] != role:
            problems.append(problem(f"the trail created it as {created[key_id]}: its role was changed"))
        if key_id in revoked and not is_revoked:
            problems.append(problem("the trail revoked it but the keys table holds it active: un-revoked"))
        elif is_revoked and key_id not in revoked:
            problems.append(problem("revoked in the keys table with no record of it in the trail"))
    return problems


def verify(records: Iterable[AuditRecord], head: tuple[int, str] | None) -> tuple[int, list[ChainProblem]]:
    """Check every record, in sequence order, against its hash, its link and its number; then the chain's
    end against ``head`` (the last sequence number and hash the store recorded). Returns the number of
    records read and every problem found, each naming the record where it shows."""
    problems: list[ChainProblem] = []
    expected_seq, previous, count = 1, GENESIS, 0
    last: AuditRecord | None = None
    for record in records:
        count += 1
        if record_hash(record.content()) != record.hash:
            problems.append(ChainProblem(record.seq, record.id, "its content does not match its hash: edited"))
        if record.seq != expected_seq:
            if record.seq > expected_seq:
                missing = f"{expected_seq}" if record.seq == expected_seq + 1 else f"{expected_seq}–{record.seq - 1}"
                problems.append(
                    ChainProblem(record.seq, record.id, f"record(s) {missing} before it are missing: deleted")
                )
            else:
                problems.append(
                    ChainProblem(record.seq, record.id, f"numbered {record.seq} where {expected_seq} was due")
                )
        if record.prev_hash != previous:
            problems.append(
                ChainProblem(
                    record.seq,
                    record.id,
                    "its link does not match the record before it: a record before it was edited, deleted or "
                    "moved, or this one was moved",
                )
            )
        expected_seq, previous, last = record.seq + 1, record.hash, record
    if head is not None:
        head_seq, head_hash = head
        if last is None or last.seq < head_seq:
            have = 0 if last is None else last.seq
            problems.append(
                ChainProblem(None, None, f"the chain ends at record {have} but its head says {head_seq}: deleted")
            )
        elif last.seq > head_seq or last.hash != head_hash:
            problems.append(ChainProblem(last.seq, last.id, "the chain's end does not match its recorded head"))
    elif last is not None:
        problems.append(ChainProblem(None, None, "the store holds records but no head"))
    return count, problems
