"""Deciding and recording: what a decision record holds, and replaying one with today's engine.

Shared by the HTTP service and the ``sanctuary audit`` commands; knows nothing of HTTP.
"""

from __future__ import annotations

from typing import Any

from sanctuary.engine import decide
from sanctuary.errors import InvalidInputError
from sanctuary.facts.case import Case, CaseError, Problem, parse_case, parse_case_at
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.audit import DECISION, AuditRecord
from sanctuary.service.models import DecisionRequest
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import Store


def decision_body(
    request: DecisionRequest, case: Case, jurisdiction: Jurisdiction, privacy: PrivacyPolicy
) -> dict[str, Any]:
    """What is stored of one decision: the input as given, the output, the subject as the policy allows,
    the facts for the reports, and what produced the output (engine version, regime, law hash)."""
    output = decide(case, jurisdiction).as_dict()
    return {
        "input": request.case,
        "output": output,
        "subject": privacy.subject(request.subject.model_dump(exclude_none=True) if request.subject else None),
        "record": request.record.model_dump(mode="json", exclude_none=True) if request.record else {},
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
) -> list[AuditRecord]:
    """Validate every request first (nothing is recorded if any is invalid), decide each, then record them
    all in one transaction. Raises :class:`CaseError` listing every problem of every request, placed where the
    case stands in the request's body (``case``, or ``items[i].case`` for a ``batch``)."""
    cases: list[Case] = []
    problems: list[Problem] = []
    for i, request in enumerate(requests):
        prefix = f"items[{i}].case" if batch else "case"  # where the case stands in the request's body
        try:
            cases.append(parse_case_at(request.case, prefix))
        except CaseError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CaseError(problems)
    bodies = [
        decision_body(r, c, jurisdiction, privacy) | ({"explained": True} if explained else {})
        for r, c in zip(requests, cases, strict=True)
    ]
    return store.append_many([(DECISION, actor, body, None) for body in bodies])


def replay(record: AuditRecord, jurisdiction: Jurisdiction) -> dict[str, Any]:
    """Re-run a stored decision with today's engine and law: whether the outcomes agree, and what differs."""
    if record.kind != DECISION:
        raise InvalidInputError(f"record {record.id} is a {record.kind} record, not a decision", "decision_id")
    then = record.body["output"]
    now = decide(parse_case(record.body["input"]), jurisdiction).as_dict()
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
