"""Deciding and recording: what a decision record holds, the actions recorded on it, the aggregates over
both, and replaying a decision with today's engine.

Shared by the HTTP service and the ``sanctuary audit`` commands; knows nothing of HTTP: a route turns what
these return into an answer, and the :class:`CaseError` they raise into a 422.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic import BaseModel

from sanctuary.engine import decide
from sanctuary.engine.budget import validate_within_budget
from sanctuary.errors import InvalidInputError
from sanctuary.facts.case import Case, CaseError, Problem
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.audit import ACTION, DECISION, AuditRecord, canonical
from sanctuary.service.models import ActionRequest, DecisionRequest
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.reporting import check_action, follows_decision
from sanctuary.service.signing import Signer, receipt_statement
from sanctuary.service.store import Once, Store


def decision_body(
    request: DecisionRequest, case: Case, jurisdiction: Jurisdiction, privacy: PrivacyPolicy
) -> dict[str, Any]:
    """What is stored of one decision: the input as given, the output, the subject as the policy allows,
    the facts for the reports, and what produced the output (engine version, regime, law hash)."""
    output = decide(case, jurisdiction).as_dict()
    facts: BaseModel | None = getattr(request, "record", None)  # the pack's, where it has one (``bodies.py``)
    return {
        "input": request.case,
        "output": output,
        "subject": privacy.subject(request.subject.model_dump(exclude_none=True) if request.subject else None),
        "record": privacy.record(facts.model_dump(mode="json", exclude_none=True)) if facts is not None else {},
        "engine": output["provenance"]["engine"],
        "regime": output["regime"],
        "law_hash": output["provenance"]["law_hash"],
    }


def record_decisions(
    store: Store,
    jurisdiction: Jurisdiction,
    privacy: PrivacyPolicy,
    actor: str,
    requests: list[DecisionRequest],
    *,
    explained: bool = False,
    batch: bool = False,
    once: Once | None = None,
) -> list[AuditRecord]:
    """Validate every request first (nothing is recorded if any is invalid), decide each, then record them
    all in one transaction. Raises :class:`CaseError` listing every problem of every request, placed where the
    case stands in the request's body (``case``, or ``items[i].case`` for a ``batch``)."""
    cases: list[Case] = []
    problems: list[Problem] = []
    for i, request in enumerate(requests):
        check = partial(validate_within_budget, jurisdiction=jurisdiction)
        prefix = f"items[{i}].case" if batch else "case"  # where the case stands in the request's body
        try:
            cases.append(jurisdiction.case_format.parse_at(request.case, prefix, check))
        except CaseError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CaseError(problems)
    bodies = [
        decision_body(r, c, jurisdiction, privacy) | ({"explained": True} if explained else {})
        for r, c in zip(requests, cases, strict=True)
    ]
    return store.append_many([(DECISION, actor, body, None) for body in bodies], once)


def find_decision(store: Store, decision_id: str) -> AuditRecord | None:
    """The decision record with this id, or ``None`` — also for the id of a record of another kind, so an
    action's or a refusal's id is never taken for a decision."""
    record = store.get(decision_id)
    return record if record is not None and record.kind == DECISION else None


def record_action(
    store: Store,
    actor: str,
    decided: AuditRecord,
    action: ActionRequest,
    jurisdiction: Jurisdiction,
    once: Once | None = None,
) -> tuple[AuditRecord, bool]:
    """Check what the agency says it did against the decision and what was recorded on it before, then record it,
    referring to the decision. Returns the record and whether it is new: an action identical to one already
    recorded on the decision (a retried request) is not recorded again, and its first record is returned. Raises
    :class:`CaseError` naming the first field that does not fit (the checks pydantic cannot make: they read one
    field against another, or against the decision), and the jurisdiction's
    :class:`~sanctuary.errors.InvalidInputError` when the history it would make cannot have happened (dated after
    today, before the request was received, or ruled out by the actions recorded before). ``once``: the
    idempotency key's record, so that a retry with the same key answers with the first record. An action the
    decision does not permit (by the pack's law: a hold after a prohibited or undetermined ``hold``) is refused with
    :class:`~sanctuary.errors.ConflictError` unless it carries an override, which is recorded with the results it
    goes over (I-50, I-51); every action is recorded with the results it was checked against (``checked``)."""
    decision_date = dt.date.fromisoformat(decided.body["output"]["decision_date"])
    if action.date < decision_date - dt.timedelta(days=366):
        raise CaseError([Problem("date", f"{action.date} is more than a year before the decision ({decision_date})")])
    body = action.model_dump(mode="json", exclude_none=True, exclude={"override"})
    earlier = [r for r in store.following(decided.id) if r.kind == ACTION]
    today = dt.datetime.now(dt.UTC).date()  # the day the record will carry (``AuditRecord.at`` is UTC)
    repeated = check_action(jurisdiction, decided, earlier, body, today)
    if repeated is not None:
        return repeated, False  # the same act, already recorded (and checked against the decision then)
    reason = action.override.reason if action.override else None
    body |= follows_decision(jurisdiction, decided.body["output"], body, reason)
    return store.append(ACTION, actor, body, refers_to=decided.id, once=once), True


def located(decision_id: str) -> dict[str, str]:
    """The ``Location`` header of a 201: where the recorded decision (and the actions on it) can be read."""
    return {"Location": f"/v1/decisions/{decision_id}"}


def once(actor: str, key: str | None, route: str, body: BaseModel) -> Once | None:
    """The idempotency of a request sent with an ``Idempotency-Key`` (none without): the key, scoped to the
    API key that sent it, and a hash of the route and the body, so a retry is recognised and the same key
    with another request is refused."""
    if key is None:
        return None
    request = canonical({"route": route, "body": body.model_dump(mode="json")})
    return Once(actor, key, hashlib.sha256(request.encode("utf-8")).hexdigest())


def receipt(record: AuditRecord, signer: Signer) -> dict[str, Any]:
    """What the caller gets back: the decision (or action) id, when it was recorded, the record's hash (a
    receipt that ``sanctuary audit verify --receipt`` can check later), the deployment's signature of those
    three (anyone can check it offline with the published key: ``signing.py``) and, for a decision, the
    output."""
    answer: dict[str, Any] = {"id": record.id, "recorded_at": record.at, "record_hash": record.hash}
    answer["signature"] = signer.sign(receipt_statement(answer))
    if record.kind == DECISION:
        answer["decision"] = record.body["output"]
    return answer


LIST_SCAN = 10_000  # decisions looked at for one page of a listing, at most (the next page goes on from there)


@dataclass(frozen=True, slots=True)
class DecisionFilter:
    """What a listing of decisions keeps: the decision date in ``since``..``until`` (both included), the agency,
    an outcome with this action and/or result, the detainer's reference as recorded."""

    since: dt.date | None = None
    until: dt.date | None = None
    agency: str | None = None
    action: str | None = None
    result: str | None = None
    detainer_reference: str | None = None

    def keeps(self, record: AuditRecord) -> bool:
        output, facts = record.body.get("output"), record.body.get("record") or {}
        if not isinstance(output, dict):
            return False  # not a readable decision (the chain's check names such a record)
        day = dt.date.fromisoformat(output["decision_date"])
        outcomes = [(o["action"], o["result"]) for o in output["outcomes"]]
        return not (
            (self.since and day < self.since)
            or (self.until and day > self.until)
            or (self.agency and output["agency"] != self.agency)
            or (self.detainer_reference and facts.get("detainer_reference") != self.detainer_reference)
            or not any((self.action in (None, a)) and (self.result in (None, r)) for a, r in outcomes)
        )


def listing(records: Iterable[AuditRecord], keep: DecisionFilter, limit: int) -> dict[str, Any]:
    """A page of the decisions ``keep`` keeps, oldest first, at most ``limit``, each summarised (no case, no
    subject); ``next``: the cursor to pass as ``after`` for the next page (None: no more). At most
    :data:`LIST_SCAN` decisions are looked at for one page, so a filter that keeps few costs a bounded amount
    per request (a page may then be short, or empty, with a ``next``)."""
    found: list[dict[str, Any]] = []
    for looked, record in enumerate(records, start=1):
        if keep.keeps(record):
            output = record.body["output"]
            found.append({
                "id": record.id,
                "recorded_at": record.at,
                "agency": output["agency"],
                "regime": output["regime"],
                "decision_date": output["decision_date"],
                "outcomes": [{"action": o["action"], "result": o["result"]} for o in output["outcomes"]],
                "detainer_reference": (record.body.get("record") or {}).get("detainer_reference"),
            })  # fmt: skip
        if len(found) == limit or looked == LIST_SCAN:
            return {"decisions": found, "next": str(record.seq)}
    return {"decisions": found, "next": None}


def statistics(records: Iterable[AuditRecord], since: dt.date | None, until: dt.date | None) -> dict[str, Any]:
    """Aggregates only — decisions by agency, regime, action and result, and actions by type — for the
    decision dates (or action dates) from ``since`` to ``until``, both included. Counts, never a case, a
    subject or a record id: what an analyst may see."""
    outcomes: Counter[tuple[str, str, str, str]] = Counter()
    actions: Counter[str] = Counter()
    for record in records:
        if record.kind == DECISION:
            output = record.body["output"]
            day = dt.date.fromisoformat(output["decision_date"])
            if (since and day < since) or (until and day > until):
                continue
            for outcome in output["outcomes"]:
                outcomes[(output["agency"], output["regime"], outcome["action"], outcome["result"])] += 1
        elif record.kind == ACTION:
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


def replay(record: AuditRecord, jurisdiction: Jurisdiction) -> dict[str, Any]:
    """Re-run a stored decision with today's engine and law: whether the outcomes agree, and what differs."""
    if record.kind != DECISION:
        raise InvalidInputError(f"record {record.id} is a {record.kind} record, not a decision", "decision_id")
    then = record.body["output"]
    now = decide(jurisdiction.case_format.parse(record.body["input"]), jurisdiction).as_dict()
    differences = []
    for field in ("regime", "agency", "decision_date"):
        if then.get(field) != now.get(field):
            differences.append({"field": field, "then": then.get(field), "now": now.get(field)})
    before = {o["action"]: o for o in then["outcomes"]}
    after = {o["action"]: o for o in now["outcomes"]}
    for action in sorted(set(before) | set(after)):
        old, new = before.get(action), after.get(action)
        for field in ("result", "citations", "limits", "missing"):
            if (old or {}).get(field) != (new or {}).get(field):
                differences.append(
                    {"field": f"{action}.{field}", "then": (old or {}).get(field), "now": (new or {}).get(field)}
                )
    results_agree = all(not d["field"].endswith(".result") and d["field"] != "regime" for d in differences)
    return {
        "decision_id": record.id,
        "recorded_at": record.at,
        "agrees": not differences,
        "results_agree": results_agree,
        "engine": {"then": record.body.get("engine"), "now": now["provenance"]["engine"]},
        "law_hash": {"then": record.body.get("law_hash"), "now": now["provenance"]["law_hash"]},
        "differences": differences,
    }
