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
from sanctuary.packs.nyc.case import Case, parse_case
from sanctuary.packs.nyc.reports.history import History
from sanctuary.service.audit import ACTION, DECISION, REPORT_INPUT, AuditRecord, canonical

# The label of every report's records_unreadable gap row: what this module could not read.
UNREADABLE_NOTE = (
    "decision records whose case the contract parser rejects, and action records and report inputs that refer to "
    "no decision in the trail; they could not be placed in any row"
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
    recorded_on: dt.date | None = None  # the day the action was recorded (UTC), when the record says
    overridden: bool = False  # recorded over the decision it follows, with an override and its reason (I-50)


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
    actions: list[Action] = field(default_factory=list)  # the actions its history accepts, in order
    refused: list[tuple[Action, str]] = field(default_factory=list)  # ruled out by an impossible history (I-61)
    repeated: list[Action] = field(default_factory=list)  # retries and second descriptions, read once (I-60, I-62)
    retries: int = 0  # decision records read as retries of this one (I-62)
    withheld: str | None = None  # the § 10-178(d) proviso under which the agency withheld it, if any

    def acts(self, *types: str) -> list[Action]:
        return [a for a in self.actions if a.type in types]


@dataclass(frozen=True)
class Scaap:
    """A SCAAP amount recorded for § 9-131(f)(6) (R-24): requested or received, on a day, for an award year."""

    step: str
    amount: int
    date: dt.date
    award_year: int


@dataclass
class Trail:
    requests: list[Request]
    read: int
    unreadable: int
    cutoff: dt.date | None
    last_seq: int = 0  # the last record read: a report regenerated through it reads the same records
    scaap: list[Scaap] = field(default_factory=list)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _day(at: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(at).date()
    except ValueError:
        return None


def read_trail(records: Iterable[AuditRecord]) -> Trail:
    """Decision and action records into requests with their actions; other kinds are read and ignored.
    The cut-off is the last day on which the trail recorded anything (R-2). Each request's actions are read into
    its history (:mod:`~sanctuary.packs.nyc.reports.history`): in order, retries once, impossible ones set apart."""
    decisions: list[AuditRecord] = []
    actions: list[AuditRecord] = []
    read, last_seq = 0, 0
    cutoff: dt.date | None = None
    for record in records:
        read, last_seq = read + 1, max(last_seq, record.seq)
        day = _day(record.at)
        if day is not None and (cutoff is None or day > cutoff):
            cutoff = day
        if record.kind == DECISION:
            decisions.append(record)
        elif record.kind in (ACTION, REPORT_INPUT):
            actions.append(record)
    by_id, unreadable = _requests(decisions)
    inputs = [r for r in actions if r.kind == REPORT_INPUT]
    actions = [r for r in actions if r.kind == ACTION]
    for record in sorted(actions, key=lambda r: r.seq):
        target = by_id.get(record.refers_to or "")
        action = action_of(record)
        if target is None or action is None:
            unreadable += 1
            continue
        target.actions.append(action)
    requests = list({id(q): q for q in by_id.values()}.values())
    for q in requests:
        history = History.of(q.received, q.actions, [a.recorded_on or a.date for a in q.actions])
        q.actions = [a for a in history.accepted if isinstance(a, Action)]  # in the history's order
        q.refused = [(a, why) for a, why in history.refused if isinstance(a, Action)]
        q.repeated = [a for a in history.repeated if isinstance(a, Action)]
    scaap, unplaced = _inputs(inputs, by_id)
    return Trail(requests, read, unreadable + unplaced, cutoff, last_seq, scaap)


def _inputs(records: list[AuditRecord], by_id: dict[str, Request]) -> tuple[list[Scaap], int]:
    """The report inputs: SCAAP amounts, and withholding determinations set on their requests (the latest
    determination of a request stands). Returns the amounts and the number of inputs that could not be read."""
    scaap: list[Scaap] = []
    unreadable = 0
    for record in sorted(records, key=lambda r: r.seq):
        body = record.body
        try:
            if body["input"] == "scaap":
                amount, year = int(body["amount"]), int(body["award_year"])
                scaap.append(Scaap(str(body["step"]), amount, _date(body["date"]), year))
            elif body["input"] == "withholding" and (q := by_id.get(str(body["decision_id"]))) is not None:
                q.withheld = str(body["ground"])
            else:
                unreadable += 1
        except (KeyError, TypeError, ValueError):
            unreadable += 1
    return scaap, unreadable


def _requests(decisions: list[AuditRecord]) -> tuple[dict[str, Request], int]:
    """The decision records read, by id; a retry of an earlier decision record (I-62) maps to the earlier one."""
    by_id: dict[str, Request] = {}
    first: dict[str, Request] = {}
    unreadable = 0
    for record in sorted(decisions, key=lambda r: r.seq):
        try:
            request = _request(record)
        except (CaseError, KeyError, TypeError, ValueError, AttributeError):
            unreadable += 1
            continue
        identity = _retry_identity(record, request)
        if identity is not None and identity in first:
            first[identity].retries += 1
            by_id[request.id] = first[identity]
            continue
        if identity is not None:
            first[identity] = request
        by_id[request.id] = request
    return by_id, unreadable


def _retry_identity(record: AuditRecord, q: Request) -> str | None:
    """What a retry of this decision record repeats (I-62): the same client (API key), the same case, the same
    facts recorded and the same person. A record naming no person and no detainer form has no identity: two such
    records may be two people with the same recorded facts, so they are never merged."""
    if q.person_key is None and q.detainer_ref is None:
        return None
    body = record.body
    return canonical([record.actor, body.get("input"), body.get("record") or {}, q.person_key])


def received_of(record: AuditRecord) -> dt.date:
    """The day a decision record's request was received: as recorded, else the decision date."""
    facts = record.body.get("record") or {}
    if facts.get("received"):
        return _date(facts["received"])
    return _date(record.body["output"]["decision_date"])


def action_of(record: AuditRecord) -> Action | None:
    """An action record, read (``None`` when it cannot be)."""
    try:
        body = record.body
        return Action(
            record.id,
            record.seq,
            str(body["type"]),
            _date(body["date"]),
            tuple(body["information_given"]) if body.get("information_given") is not None else None,
            body.get("reason"),
            _day(record.at),
            bool(body.get("override")),
        )
    except (KeyError, TypeError, ValueError):
        return None


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
