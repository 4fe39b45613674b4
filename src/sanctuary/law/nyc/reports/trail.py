"""The audit trail, read: decision records become requests, action records the actions taken on them.

Reading is separate from counting so that one rule is applied in one place: a record that cannot be read (a
case the contract parser rejects, an action referring to no decision) is counted as unreadable, never guessed
at or dropped. The cut-off — the last day the trail recorded anything — is found here too (R-2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sanctuary.facts.case import CaseError
from sanctuary.law.nyc.case import Case, parse_case
from sanctuary.service.audit import ACTION, DECISION, AuditRecord

# The label of every report's records_unreadable gap row: what this module could not read.
UNREADABLE_NOTE = (
    "decision records whose case the contract parser rejects, and action records that refer to no decision in "
    "the trail; they could not be placed in any row"
)


@dataclass
class Action:
    """An action record, read: what the agency did, on which day, and (if stated) what it disclosed or why."""

    id: str
    seq: int
    type: str
    date: dt.date
    given: tuple[str, ...] | None
    reason: str | None


@dataclass
class Request:
    """A decision record, read: the request as recorded, the case decided, and the actions taken on it."""

    id: str
    seq: int
    agency: str
    received: dt.date
    case: Case
    raw_request: dict[str, Any]
    person_key: str | None
    detainer_ref: str | None
    reasons: frozenset[str]  # what the record states; empty: nothing recorded
    requester_agency: str | None
    results: dict[str, str]  # contract action -> the engine's result
    law_hash: str | None
    actions: list[Action] = field(default_factory=list)

    def acts(self, *types: str) -> list[Action]:
        return [a for a in self.actions if a.type in types]


@dataclass
class Trail:
    requests: list[Request]
    read: int
    unreadable: int
    cutoff: dt.date | None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def read_trail(records: Iterable[AuditRecord]) -> Trail:
    """Decision and action records into requests with their actions; other kinds are read and ignored.
    The cut-off is the last day on which the trail recorded anything (R-2)."""
    decisions: list[AuditRecord] = []
    actions: list[AuditRecord] = []
    read = 0
    cutoff: dt.date | None = None
    for record in records:
        read += 1
        try:
            day = dt.datetime.fromisoformat(record.at).date()
            cutoff = day if cutoff is None or day > cutoff else cutoff
        except ValueError:
            pass
        if record.kind == DECISION:
            decisions.append(record)
        elif record.kind == ACTION:
            actions.append(record)
    unreadable = 0
    by_id: dict[str, Request] = {}
    for record in sorted(decisions, key=lambda r: r.seq):
        try:
            request = _request(record)
        except (CaseError, KeyError, TypeError, ValueError, AttributeError):
            unreadable += 1
            continue
        by_id[request.id] = request
    for record in sorted(actions, key=lambda r: r.seq):
        target = by_id.get(record.refers_to or "")
        try:
            body = record.body
            action = Action(
                record.id,
                record.seq,
                str(body["type"]),
                _date(body["date"]),
                tuple(body["information_given"]) if body.get("information_given") is not None else None,
                body.get("reason"),
            )
        except (KeyError, TypeError, ValueError):
            target = None
        if target is None:
            unreadable += 1
            continue
        target.actions.append(action)
    return Trail(list(by_id.values()), read, unreadable, cutoff)


def _request(record: AuditRecord) -> Request:
    body = record.body
    case = parse_case(body["input"])
    facts = body.get("record") or {}
    subject = body.get("subject") or {}
    output = body.get("output") or {}
    return Request(
        id=record.id,
        seq=record.seq,
        agency=case.agency,
        received=_date(facts["received"]) if facts.get("received") else case.decision_date,
        case=case,
        raw_request=dict(body["input"].get("request") or {}),
        person_key=subject.get("person_key") or None,
        detainer_ref=facts.get("detainer_reference") or None,
        reasons=frozenset(facts.get("detainer_reasons") or ()),
        requester_agency=facts.get("requester_agency") or None,
        results={o["action"]: o["result"] for o in output.get("outcomes", ())},
        law_hash=body.get("law_hash"),
    )
