"""The detainer docket: each request followed from arrival to release, re-decided as its facts and the law change.

A *matter* is one request about one person. It is opened with the facts as known; facts are added or corrected
later; every change re-decides the request under the law in force on the day that matters (the expected release,
or today while no release is scheduled) and, when the answer moves, records the new decision with what changed
and why. What the agency then does is checked against the decision in force: an action the law does not permit
on the known facts is refused unless an override, with its reason, is given — and an override is recorded and
shown on the matter and in the queue. A hold the law limits runs a clock from the time of release (I-100).

Every event is a record of the audit trail (kind ``matter``, referring to the matter's id): the timeline is the
trail. The ``matters`` table holds each matter's current state, written in the same transaction as its records,
with a version number so that two changes made at once cannot silently overwrite each other.

The decisions are the engine's: the docket builds the case, calls :func:`sanctuary.engine.decide`, and records.
It knows nothing of HTTP.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from pydantic import BaseModel

from sanctuary.engine import decide, validate
from sanctuary.engine.explain import explain
from sanctuary.errors import ConflictError, NotFoundError
from sanctuary.facts.case import Case, CaseError, Problem
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.audit import ACTION, DECISION, MATTER, AuditRecord, canonical
from sanctuary.service.clock import Calendar, Clock, counted_hours, deadline, deployment_calendar, system_clock
from sanctuary.service.docket_models import MatterAction, MatterChange, MatterClose, MatterRequest
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.reporting import HoldActions, follows_decision, hold_actions
from sanctuary.service.store import Store

OPEN, DECIDED, ACTED, CLOSED = "open", "decided", "acted", "closed"
STATES = (OPEN, DECIDED, ACTED, CLOSED)
SET_BY_DOCKET = ("decision_date", "regime")  # the docket chooses the day, and so the law in force
MAX_LIST = 1_000
MAX_ACTIONS = 100  # actions recorded on one matter: its state is read whole on every change
REDECIDE_BATCH = 500  # matters re-decided per transaction on a law change

# A matter to write: its new state, the version it was read at (``None``: new), and the events to record.
Saved = tuple[dict[str, Any], int | None, list[dict[str, Any]]]


class DocketConflictError(ConflictError):
    """A change the matter's state or the decision in force does not allow (HTTP 409), or an idempotency key
    reused for another request."""


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge, ``null`` removes a member, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def _flatten(value: Any, path: str, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            _flatten(inner, f"{path}.{key}" if path else key, out)
    else:
        out[path] = value
    return out


def fact_changes(before: dict[str, Any], after: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """Each fact path whose value differs (a list compared whole), with its value before and after."""
    old, new = _flatten(before, prefix, {}), _flatten(after, prefix, {})
    return [
        {"path": p, "from": old.get(p), "to": new.get(p)}
        for p in sorted(set(old) | set(new))
        if old.get(p) != new.get(p)
    ]


def outcome_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """What moved between two decisions: the regime, and each action's result, citations and limits."""
    if before is None:
        return [
            {"action": o["action"], "from": None, "to": o["result"], "citations": o["citations"]}
            for o in after["outcomes"]
        ]
    changes: list[dict[str, Any]] = []
    if before["regime"] != after["regime"]:
        changes.append({"regime": {"from": before["regime"], "to": after["regime"]}})
    old = {o["action"]: o for o in before["outcomes"]}
    for outcome in after["outcomes"]:
        was = old.get(outcome["action"], {})
        if any(was.get(f) != outcome.get(f) for f in ("result", "citations", "limits")):
            changes.append(
                {
                    "action": outcome["action"],
                    "from": was.get("result"),
                    "to": outcome["result"],
                    "citations": outcome["citations"],
                    "limits": outcome.get("limits"),
                    "limits_changed": was.get("limits") != outcome.get("limits"),
                }
            )
    return changes


class Docket:
    """The matters of one store, decided under one jurisdiction, on a clock the caller may replace."""

    def __init__(
        self,
        store: Store,
        jurisdiction: Jurisdiction,
        *,
        clock: Clock = system_clock,
        calendar: Calendar | None = None,
        warn_hours: float = 12.0,
        privacy: PrivacyPolicy | None = None,
    ) -> None:
        self.store = store
        # How a matter's report facts are stored (the detainer form's number as a keyed hash); none: as given.
        self.privacy = privacy
        self.jurisdiction = jurisdiction
        self.clock = clock
        # The pack's time zone (where a day begins), else UTC; the holidays from SANCTUARY_HOLIDAYS (I-100).
        self.calendar = calendar or deployment_calendar(getattr(jurisdiction, "time_zone", "UTC"))
        self.warn_hours = warn_hours
        # Which recorded actions start, end and transfer a hold: the pack's words (none: no clock is kept).
        self.holds = hold_actions(jurisdiction)

    # --- deciding ----------------------------------------------------------------------------------------

    def _now(self) -> dt.datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the docket's clock must give aware moments")
        return moment

    def decision_day(self, matter: dict[str, Any]) -> dt.date:
        """The day whose law decides: the expected release's local day, else today's (local)."""
        release = matter["schedule"].get("release_at")
        moment = dt.datetime.fromisoformat(release) if release else self._now()
        return moment.astimezone(self.calendar.tz()).date()

    def _case(self, matter: dict[str, Any], regime: str | None = None, day: dt.date | None = None) -> Case:
        given = matter["case"]
        problems = [
            Problem(f"case.{f}", f"the docket sets {f}: the expected release day's law (or today's) decides")
            for f in SET_BY_DOCKET
            if f in given
        ]
        if problems:
            raise CaseError(problems)
        data = {**given, "decision_date": (day or self.decision_day(matter)).isoformat()}
        if regime is not None:
            data["regime"] = regime
        return self.jurisdiction.case_format.parse_at(data, "case", partial(validate, jurisdiction=self.jurisdiction))

    def decide(self, matter: dict[str, Any]) -> dict[str, Any]:
        """The engine's decision on the matter's facts, under the law in force on its decision day."""
        return decide(self._case(matter), self.jurisdiction).as_dict()

    # --- reading -----------------------------------------------------------------------------------------

    def _load(self, matter_id: str) -> tuple[dict[str, Any], int]:
        rows = self.store.select("SELECT body, version FROM matters WHERE id = ?", (matter_id,))
        if not rows:
            raise NotFoundError(f"no matter {matter_id!r}", "matter_id")
        return json.loads(rows[0][0]), int(rows[0][1])

    def get(self, matter_id: str, *, questions: bool = True) -> dict[str, Any]:
        """The matter as it stands, its clock, what to check next, and its timeline from the audit trail."""
        matter, _ = self._load(matter_id)
        view = self.view(matter)
        if questions and matter["state"] != CLOSED:
            view["questions"] = explain(self._case(matter), self.jurisdiction)["questions"]
        view["timeline"] = [_event(r) for r in self.store.following(matter_id)]
        return view

    def view(self, matter: dict[str, Any]) -> dict[str, Any]:
        """The matter with its clock as of now (computed, never stored: the clock moves)."""
        shown = {k: v for k, v in matter.items() if k != "fingerprint"}  # the idempotency check's, not the desk's
        return {**shown, "clock": self.clock_of(matter)}

    def matters(self, state: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        where, params = (" WHERE state = ?", (state,)) if state else ("", ())
        rows = self.store.select(
            f"SELECT body FROM matters{where} ORDER BY opened, id LIMIT ? OFFSET ?", (*params, limit, offset)
        )
        return [self.view(json.loads(r[0])) for r in rows]

    def _open_matters(self) -> Iterator[tuple[dict[str, Any], int]]:
        after = ""
        while True:
            rows = self.store.select(
                "SELECT id, body, version FROM matters WHERE state <> ? AND id > ? ORDER BY id LIMIT ?",
                (CLOSED, after, REDECIDE_BATCH),
            )
            for _, body, version in rows:
                yield json.loads(body), int(version)
            if len(rows) < REDECIDE_BATCH:
                return
            after = rows[-1][0]

    def queue(self, due_days: int = 7) -> dict[str, list[dict[str, Any]]]:
        """What needs doing: holds past their limit, holds running (soonest deadline first), releases due within
        ``due_days`` not yet acted on, undetermined matters, and actions recorded over the decision."""
        now = self._now()
        out: dict[str, list[dict[str, Any]]] = {k: [] for k in ("overdue", "holds", "due", "undetermined", "overrides")}
        for matter, _ in self._open_matters():
            item = _summary(self.view(matter))
            clock = item["clock"]
            if clock and clock["status"] == "overdue":
                out["overdue"].append(item)
            elif clock and clock["status"] in ("running", "warning"):
                out["holds"].append(item)
            release = matter["schedule"].get("release_at")
            soon = release and dt.datetime.fromisoformat(release) <= now + dt.timedelta(days=due_days)
            if soon and matter["state"] != ACTED:
                out["due"].append(item)
            if item["undetermined"]:
                out["undetermined"].append(item)
            if matter["overrides"]:
                out["overrides"].append(item)
        out["holds"].sort(key=lambda i: i["clock"].get("hours_left", float("inf")))  # least time left first
        out["due"].sort(key=lambda i: i["release_at"])
        return out

    # --- the clock ---------------------------------------------------------------------------------------

    def clock_of(self, matter: dict[str, Any]) -> dict[str, Any] | None:
        """A hold's clock: from the time of release (plus the search, if it ended later) to the limit the
        decision in force sets; ``None`` if no hold was recorded."""
        hold = matter.get("hold")
        if not hold:
            return None
        start = max(
            dt.datetime.fromisoformat(t)
            for t in (
                matter["schedule"].get("release_at") or hold["started_at"],
                matter["schedule"].get("search_completed_at"),
            )
            if t
        )
        ended = dt.datetime.fromisoformat(hold["ended_at"]) if hold.get("ended_at") else None
        limits = _hold_limits(matter, self.holds.decided if self.holds else None)
        clock: dict[str, Any] = {"started_at": start.isoformat(), "ended_at": ended.isoformat() if ended else None}
        if limits is None:
            clock |= {"status": "ended" if ended else "running", "limit": None, "deadline": None}
            clock["note"] = "the law in force sets no limit of hours on this hold"
            return clock
        excluding = tuple(limits.get("excluding", ()))
        end = deadline(start, int(limits["max_hours"]), excluding, self.calendar)
        until = ended or self._now()
        left = (end - until).total_seconds() / 3600
        status = _status(ended is not None, left, self.warn_hours)
        return clock | {
            "limit": limits,
            "deadline": end.astimezone(self.calendar.tz()).isoformat(),  # local time, as the desk reads it
            "counted_hours": round(counted_hours(start, until, excluding, self.calendar), 2),
            "hours_left": round(left, 2),
            "status": status,
            "zone": self.calendar.zone,
            "holidays_known": bool(self.calendar.holidays),
        }

    # --- writing -----------------------------------------------------------------------------------------

    def _save(
        self,
        matter: dict[str, Any],
        version: int | None,
        events: list[dict[str, Any]],
        actor: str,
        key: str | None = None,
    ) -> dict[str, Any]:
        """Record ``events`` and the matter's new state in one transaction; refuses a matter changed meanwhile."""
        self._save_all([(matter, version, events)], actor, key)
        return matter

    def _save_all(self, batch: list[Saved], actor: str, key: str | None = None) -> None:
        """Record the events of every matter of ``batch`` and their new states, all in one transaction (or none,
        if any matter was changed meanwhile: :class:`DocketConflictError`)."""
        now = self._now().isoformat()
        entries = [(MATTER, actor, e, m["id"]) for m, _, events in batch for e in events]

        def write(records: list[AuditRecord], execute: Callable[[str, tuple[Any, ...]], int]) -> None:
            placed = iter(records)
            for matter, version, events in batch:
                for event, record in zip(events, placed, strict=False):  # events first: stops before a record
                    if event["event"] == "decided":
                        matter["decision"]["record"] = record.id
                matter["updated_at"] = now
                matter["state"] = _state(matter)
                body = json.dumps(matter, ensure_ascii=False)
                if version is None:
                    execute(
                        "INSERT INTO matters (id, actor, idempotency_key, state, opened, version, body) "
                        "VALUES (?, ?, ?, ?, ?, 1, ?)",
                        (matter["id"], actor, key, matter["state"], matter["opened_at"], body),
                    )
                elif not execute(
                    "UPDATE matters SET state = ?, version = ?, body = ? WHERE id = ? AND version = ?",
                    (matter["state"], version + 1, body, matter["id"], version),
                ):
                    raise DocketConflictError("the matter was changed meanwhile: read it again and retry", "matter_id")

        self.store.append_many(entries, also=write)

    def open(self, actor: str, request: MatterRequest, key: str | None = None) -> tuple[dict[str, Any], bool]:
        """Open a matter and decide it; with an idempotency ``key`` already used by ``actor``, the matter it
        opened (``False``: not created now) — or a conflict if the request differs."""
        fingerprint = canonical(request.model_dump(mode="json", exclude_none=True))
        if key is not None and (found := self._by_key(actor, key, fingerprint)) is not None:
            return found, False
        now = self._now().isoformat()
        schedule = request.schedule.model_dump(mode="json", exclude_none=True) if request.schedule else {}
        facts: BaseModel | None = getattr(request, "record", None)  # the pack's, where it has one (``bodies.py``)
        matter: dict[str, Any] = {
            "id": "mat_" + secrets.token_hex(8),
            "state": OPEN,
            "opened_at": now,
            "updated_at": now,
            "case": request.case,
            "schedule": schedule,
            "record": self._facts(facts.model_dump(mode="json", exclude_none=True) if facts is not None else {}),
            "actions": [],
            "hold": None,
            "closed": None,
            "overrides": 0,
            "fingerprint": fingerprint,
        }
        output = self.decide(matter)
        matter["decision"] = _decision(output)
        opened = {"event": "opened", "at": now, "case": request.case, "schedule": schedule, "record": matter["record"]}
        events = [opened | ({"note": request.note} if request.note else {}), _decided(matter, output, None, ["opened"])]
        try:
            return self._save(matter, None, events, actor, key), True
        except DocketConflictError:
            raise
        except Exception:
            if key is not None and (found := self._by_key(actor, key, fingerprint)) is not None:
                return found, False  # the same request, opened meanwhile by another process
            raise

    def _facts(self, facts: dict[str, Any]) -> dict[str, Any]:
        return self.privacy.record(facts) if self.privacy is not None else facts

    def _by_key(self, actor: str, key: str, fingerprint: str) -> dict[str, Any] | None:
        rows = self.store.select("SELECT body FROM matters WHERE actor = ? AND idempotency_key = ?", (actor, key))
        if not rows:
            return None
        matter: dict[str, Any] = json.loads(rows[0][0])
        if matter.get("fingerprint") != fingerprint:
            raise DocketConflictError("this Idempotency-Key was used for another request", "Idempotency-Key")
        return matter

    def change(self, actor: str, matter_id: str, change: MatterChange) -> dict[str, Any]:
        """Add or correct facts; re-decide; record the change and, if the answer moved, the new decision."""
        matter, version = self._load(matter_id)
        _refuse_if_closed(matter)
        before = {"case": matter["case"], "schedule": matter["schedule"], "record": matter["record"]}
        if change.case is not None:
            matter["case"] = merge_patch(matter["case"], change.case)
        if change.schedule is not None:
            matter["schedule"] = merge_patch(
                matter["schedule"], change.schedule.model_dump(mode="json", exclude_unset=True)
            )
        if (facts := getattr(change, "record", None)) is not None:  # the pack's (``service/bodies.py``)
            patch = facts.model_dump(mode="json", exclude_unset=True)
            matter["record"] = self._facts(merge_patch(matter["record"], patch))
        after = {"case": matter["case"], "schedule": matter["schedule"], "record": matter["record"]}
        changes = fact_changes(before, after, "")
        if not changes:
            return self.view(matter)
        events: list[dict[str, Any]] = [{"event": "amended", "changes": changes, "note": change.note}]
        events += self._redecide(matter, [c["path"] for c in changes])
        return self.view(self._save(matter, version, events, actor))

    def _redecide(self, matter: dict[str, Any], because: list[str]) -> list[dict[str, Any]]:
        """Decide again; the ``decided`` event if the answer moved or a new release date moved its day, else
        nothing."""
        output = self.decide(matter)
        previous = matter["decision"]
        moved = outcome_changes(previous["output"], output)
        redated = previous["decision_date"] != output["decision_date"]
        if not moved and not (redated and "schedule.release_at" in because):
            return []  # the same answer, on a later day only because time passed: the decision in force stands
        if redated:
            moved.insert(0, {"decision_date": {"from": previous["decision_date"], "to": output["decision_date"]}})
        matter["decision"] = _decision(output)
        return [_decided(matter, output, moved, because)]

    def act(self, actor: str, matter_id: str, action: MatterAction) -> dict[str, Any]:
        """Record what the agency did, checked against the decision in force (see :meth:`_check`)."""
        matter, version = self._load(matter_id)
        _refuse_if_closed(matter)
        if len(matter["actions"]) >= MAX_ACTIONS:
            raise DocketConflictError(
                f"a matter holds at most {MAX_ACTIONS} actions: close it and open another", "type"
            )
        at = (action.at or self._now()).isoformat()
        event = {"event": "acted", **action.model_dump(mode="json", exclude_none=True), "at": at}
        event |= self._check(matter, action)
        _apply_hold(matter, str(event.get("type")), at, self.holds)
        matter["actions"].append({k: v for k, v in event.items() if k != "event"})
        matter["overrides"] += 1 if "override" in event else 0
        return self.view(self._save(matter, version, [event], actor))

    def _check(self, matter: dict[str, Any], action: MatterAction) -> dict[str, Any]:
        """The results the action needs, and a conflict if one is not ``permitted`` and no override is given: the
        pack's law, applied by :func:`~sanctuary.service.reporting.follows_decision` (I-101)."""
        body = action.model_dump(mode="json", exclude_none=True)  # with the pack's ``type`` (checked by its model)
        running = bool(matter["hold"] and not matter["hold"].get("ended_at"))
        if self.holds and body.get("type") == self.holds.starts and running:
            raise DocketConflictError("a hold is already running on this matter", "type")
        if self.holds and body.get("type") in self.holds.ends_only_a_hold and not running:
            raise DocketConflictError("no hold is running on this matter", "type")
        reason = action.override.reason if action.override else None
        return follows_decision(self.jurisdiction, matter["decision"]["output"], body, reason)

    def close(self, actor: str, matter_id: str, close: MatterClose) -> dict[str, Any]:
        """Close the matter: released, transferred (only after a recorded transfer), withdrawn or dismissed. A
        hold still running ends at the closing time."""
        matter, version = self._load(matter_id)
        _refuse_if_closed(matter)
        transfers = self.holds.transfers if self.holds else ()
        if close.reason == "transferred" and not any(a["type"] in transfers for a in matter["actions"]):
            raise DocketConflictError(
                "record the transfer (an action) before closing the matter as transferred", "reason"
            )
        at = (close.at or self._now()).isoformat()
        if matter["hold"] and not matter["hold"].get("ended_at"):
            matter["hold"]["ended_at"] = at
        matter["closed"] = {"reason": close.reason, "at": at}
        event = {"event": "closed", "reason": close.reason, "at": at, "note": close.note}
        return self.view(self._save(matter, version, [event], actor))

    def redecide_open(self, actor: str) -> dict[str, Any]:
        """Re-decide every open matter under the law in force today (or on its release day) and record a new
        decision wherever the answer, its clauses or its law moved. Returns how many were re-recorded, and the
        matters whose *results or limits* changed, each with the clauses now cited. Run when a regime takes
        effect; matters are written in transactions of :data:`REDECIDE_BATCH`."""
        changed: list[dict[str, Any]] = []
        batch: list[Saved] = []
        recorded = 0
        for matter, version in self._open_matters():
            events = self._redecide(matter, ["the law in force on the decision day"])
            if events:
                batch.append((matter, version, events))
                recorded += 1
                if outcomes := _material(events[0]["changes"]):
                    changed.append({"id": matter["id"], "regime": events[0]["regime"], "changes": outcomes})
            if len(batch) >= REDECIDE_BATCH:
                self._save_many(batch, actor)
                batch = []
        if batch:
            self._save_many(batch, actor)
        return {"redecided": recorded, "changed": changed}

    def _save_many(self, batch: list[Saved], actor: str) -> None:
        """One transaction for the batch; if a matter was changed meanwhile, each other matter on its own (the
        changed one was re-decided by its change)."""
        try:
            self._save_all(batch, actor)
        except DocketConflictError:
            for matter, version, events in batch:
                try:
                    self._save(matter, version, events, actor)
                except DocketConflictError:
                    continue

    def what_if(self, regime: str, day: dt.date) -> list[dict[str, Any]]:
        """The open matters whose results or limits would change if ``regime`` were the law on ``day`` (or on the
        matter's later decision day): nothing is recorded."""
        if regime not in self.jurisdiction.regimes:
            raise NotFoundError(f"no regime {regime!r} (known: {', '.join(self.jurisdiction.regimes)})", "regime")
        out = []
        for matter, _ in self._open_matters():
            when = max(day, self.decision_day(matter))
            output = decide(self._case(matter, regime, when), self.jurisdiction).as_dict()
            moved = _material(outcome_changes(matter["decision"]["output"], output))
            if moved:
                out.append(
                    {
                        "id": matter["id"],
                        "agency": output["agency"],
                        "decision_date": when.isoformat(),
                        "changes": moved,
                    }
                )
        return out


def _material(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes of an action's result or limits (not only of the clauses cited, the day or the regime)."""
    return [c for c in changes if "action" in c and (c["from"] != c["to"] or c.get("limits_changed"))]


def _decision(output: dict[str, Any]) -> dict[str, Any]:
    return {"record": None, "decision_date": output["decision_date"], "regime": output["regime"], "output": output}


def _decided(
    matter: dict[str, Any], output: dict[str, Any], moved: list[dict[str, Any]] | None, because: list[str]
) -> dict[str, Any]:
    return {
        "event": "decided",
        "input": {**matter["case"], "decision_date": output["decision_date"]},  # the case as decided: replayable
        "decision_date": output["decision_date"],
        "regime": output["regime"],
        "law_hash": output["provenance"]["law_hash"],
        "engine": output["provenance"]["engine"],
        "output": output,
        "changes": moved if moved is not None else outcome_changes(None, output),
        "because": because,
    }


def _refuse_if_closed(matter: dict[str, Any]) -> None:
    if matter["state"] == CLOSED:
        raise DocketConflictError(
            f"the matter was closed ({matter['closed']['reason']}): it takes no more changes", "matter_id"
        )


def _apply_hold(matter: dict[str, Any], action_type: str, at: str, holds: HoldActions | None) -> None:
    """Start or end the matter's hold as the pack's words for ``action_type`` say."""
    if holds is None:
        return
    if action_type == holds.starts:
        matter["hold"] = {"started_at": at, "ended_at": None}
    elif action_type in holds.ends and matter["hold"] and not matter["hold"].get("ended_at"):
        matter["hold"]["ended_at"] = at


def _hold_limits(matter: dict[str, Any], decided: str | None) -> dict[str, Any] | None:
    """The limits the decision in force sets on the hold (its outcome for the pack's ``decided`` action)."""
    for outcome in matter["decision"]["output"]["outcomes"]:
        if outcome["action"] == decided:
            limits: dict[str, Any] | None = outcome.get("limits")
            return limits
    return None


def _status(ended: bool, hours_left: float, warn_hours: float) -> str:
    if ended:
        return "ended" if hours_left >= 0 else "ended_past_limit"
    if hours_left < 0:
        return "overdue"
    return "warning" if hours_left <= warn_hours else "running"


def _state(matter: dict[str, Any]) -> str:
    if matter["closed"]:
        return CLOSED
    if matter["actions"]:
        return ACTED
    outcomes = matter["decision"]["output"]["outcomes"]
    if matter["schedule"].get("release_at") and all(o["result"] != "undetermined" for o in outcomes):
        return DECIDED
    return OPEN


def _summary(view: dict[str, Any]) -> dict[str, Any]:
    """A matter in one line of the queue: no case, only what the desk sorts by."""
    output = view["decision"]["output"]
    return {
        "id": view["id"],
        "state": view["state"],
        "agency": output["agency"],
        "regime": output["regime"],
        "release_at": view["schedule"].get("release_at"),
        "results": {o["action"]: o["result"] for o in output["outcomes"]},
        "undetermined": sorted({m for o in output["outcomes"] for m in o["missing"]}),
        "overrides": view["overrides"],
        "clock": view["clock"] or {},
    }


def _event(record: AuditRecord) -> dict[str, Any]:
    body = {k: v for k, v in record.body.items() if k != "output"}
    if record.body.get("event") == "decided":
        body["results"] = {o["action"]: o["result"] for o in record.body["output"]["outcomes"]}
    return {"seq": record.seq, "recorded_at": record.at, "actor": record.actor, "record_hash": record.hash, **body}


def report_records(records: Iterable[AuditRecord]) -> Iterator[AuditRecord]:
    """The trail as the statutory reports and the aggregates read it: every record as it is, and each docket
    matter as *one* request — a decision record with the matter's last decision (its case, output and report
    facts, ``received`` by default the day it was opened) — with an action record for each action taken on it.
    A detainer updated many times is counted once, and the report is computed from the trail alone."""
    matters: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.kind != MATTER:
            yield record
            continue
        _fold(matters.setdefault(record.refers_to or "", {"actions": []}), record)
    for matter_id, folded in matters.items():
        decided: AuditRecord | None = folded.get("decided")
        if decided is None or "input" not in decided.body:
            continue
        facts = {"received": folded["opened_on"], **folded["record"]}
        body = {k: decided.body[k] for k in ("input", "output", "regime", "law_hash", "engine")}
        yield AuditRecord(decided.seq, matter_id, DECISION, decided.at, decided.actor, None,
                          body | {"record": facts, "subject": {}}, decided.prev_hash, decided.hash)  # fmt: skip
        for acted in folded["actions"]:
            action = {k: acted.body[k] for k in ("type", "information_given", "reason", "override") if k in acted.body}
            action["date"] = dt.datetime.fromisoformat(acted.body["at"]).date().isoformat()
            yield AuditRecord(acted.seq, acted.id, ACTION, acted.at, acted.actor, matter_id, action,
                              acted.prev_hash, acted.hash)  # fmt: skip


def _fold(folded: dict[str, Any], record: AuditRecord) -> None:
    """One matter event into what the reports read: the opening day, the report facts, the last decision,
    the actions."""
    event = record.body.get("event")
    if event == "opened":
        folded["opened_on"] = dt.datetime.fromisoformat(record.body.get("at") or record.at).date().isoformat()
        folded["record"] = dict(record.body.get("record") or {})
    elif event == "amended":
        for change in record.body.get("changes", ()):
            if change["path"].startswith("record."):
                name = change["path"].removeprefix("record.")
                if change["to"] is None:
                    folded["record"].pop(name, None)
                else:
                    folded["record"][name] = change["to"]
    elif event == "decided":
        folded["decided"] = record
    elif event == "acted":
        folded["actions"].append(record)
