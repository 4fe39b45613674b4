"""What happened to a request: its actions read in order into one history, from which every report row is read.

The agency records what it did one action at a time, and the same event can be recorded in more than one way: a
transfer as ``transferred_to_federal_custody`` or as a hold that ended with reason ``transferred``; a release date
given to an I-247N notification request as ``information_answered`` or as ``notified_of_release``. A history
reads each way as the same event (I-60), so a report counts it once, in the same rows, however it was recorded.

Some histories cannot have happened: an action dated after the day it was recorded (the future), an action dated
before the request was received, or a sequence the events rule out — a release "without honoring" after the
detainer was honored by a hold, a hold ending that was never begun, anything done on a detainer after the person
passed to federal custody (I-61). :func:`check` names the reason; the service refuses such an action when it is
recorded (through :meth:`~sanctuary.packs.nyc.reports.NewYorkReports.check_action`), and a report reading a trail
recorded before that check counts none of its impossible actions, only their number, in a gap row. So no report
ever counts one person under two incompatible dispositions.

A retry is not a second event: an action identical to one already recorded on the same request (same type, date,
information given and reason) is the same act recorded twice (I-62). The service answers it with the first
receipt; a report reads it once.

This module is pure and light: it knows action types and dates, not the law's classifications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

# The custody events of a detainer's history.
HELD = "held"  # held beyond release (the detainer honored by a hold)
HOLD_OVER = "hold_over"  # the hold ended, not by a transfer
NOTIFIED = "notified"  # federal immigration authorities told of the release (honored by notification)
TRANSFERRED = "transferred"  # custody passed to federal immigration authorities
RELEASED = "released"  # custody ended, the detainer not honored
WITHDRAWN = "withdrawn"  # the federal authority withdrew the detainer

# Action types that are about custody on a detainer; the others (information, access) do not move the history.
CUSTODY_TYPES = frozenset(
    {
        "held_beyond_release",
        "hold_ended",
        "transferred_to_federal_custody",
        "released_without_honoring",
        "notified_of_release",
        "detainer_withdrawn",
    }
)


class Act(Protocol):
    """What the history reads of an action: its type, date, order of recording, reason and information given."""

    @property
    def type(self) -> str: ...

    @property
    def date(self) -> dt.date: ...

    @property
    def reason(self) -> str | None: ...

    @property
    def given(self) -> tuple[str, ...] | None: ...


A = TypeVar("A", bound=Act)


def event(act: Act) -> str | None:
    """The custody event an action records, whatever the way it was recorded (I-60): a hold that ended with
    reason ``transferred`` is a transfer. ``None``: the action is not about custody."""
    if act.type == "held_beyond_release":
        return HELD
    if act.type == "hold_ended":
        return TRANSFERRED if act.reason == "transferred" else HOLD_OVER
    if act.type == "transferred_to_federal_custody":
        return TRANSFERRED
    if act.type == "released_without_honoring":
        return RELEASED
    if act.type == "notified_of_release":
        return NOTIFIED
    if act.type == "detainer_withdrawn":
        return WITHDRAWN
    return None


def same(a: Act, b: Act) -> bool:
    """Two records of one act: the same type, date, information given and reason (a retry, I-62)."""
    return _identity(a) == _identity(b)


def _identity(a: Act) -> tuple[object, ...]:
    return (a.type, a.date, a.reason, tuple(sorted(a.given or ())))


@dataclass
class State:
    """Where a request's custody history stands after the actions accepted so far."""

    holding: bool = False  # a hold is in progress
    held: bool = False  # the detainer was honored by a hold
    hold_over: str | None = None  # the reason the hold ended (not by transfer)
    notified: bool = False
    transfer_date: dt.date | None = None
    released: bool = False
    withdrawn: bool = False

    def after(self, kind: str, act: Act) -> State:
        """The state once ``kind`` happened."""
        s = State(**vars(self))
        if kind == HELD:
            s.holding = s.held = True
        elif kind == HOLD_OVER:
            s.holding, s.hold_over = False, act.reason or "unknown"
        elif kind == NOTIFIED:
            s.notified = True
        elif kind == TRANSFERRED:
            s.holding, s.transfer_date = False, act.date
        elif kind == RELEASED:
            s.released = True
        elif kind == WITHDRAWN:
            s.withdrawn = True
        return s


# The reasons of § 9-131(f)(8): a hold that ended for them ended "not transferred".
NOT_TRANSFERRED = ("hold_period_expired", "federal_disavowed_custody")


def _sequence_problem(now: State, kind: str, act: Act) -> str | None:
    """Why ``kind`` cannot follow the history ``now``, or ``None`` (I-61)."""
    if now.transfer_date is not None:
        if kind == TRANSFERRED and act.date == now.transfer_date:
            return None  # the same transfer described the other way (I-60): read once, see ``History``
        return f"the person passed to federal custody on {now.transfer_date}; nothing more is done on this detainer"
    if now.released:
        return "the person was released without the detainer being honored; nothing more is done on this detainer"
    if now.withdrawn and kind in (HELD, NOTIFIED, TRANSFERRED):
        return "the detainer was withdrawn: it can no longer be honored"
    if kind == HOLD_OVER and not now.holding:
        return "no hold is in progress on this detainer: a hold cannot end before it begins"
    if kind == HELD and now.held:
        return "the person is already recorded as held on this detainer"
    if kind == TRANSFERRED and now.hold_over in NOT_TRANSFERRED:
        return f"the hold ended without a transfer ({now.hold_over.replace('_', ' ')})"
    if kind == RELEASED and (now.held or now.notified):
        done = "held" if now.held else "notified of the release"
        return f"the detainer was honored (the person was {done}): a release cannot be 'without honoring' it"
    if kind == WITHDRAWN and now.withdrawn:
        return "the detainer is already recorded as withdrawn"
    return None


def check(received: dt.date, recorded_on: dt.date, earlier: Sequence[Act], act: Act) -> tuple[str, str] | None:
    """Whether ``act``, recorded on ``recorded_on``, can join the actions ``earlier`` (in the order recorded) on a
    request received on ``received``: ``None``, or the field at fault and the reason (I-61). The history is read
    in the order of the actions' dates, so an action entered late, in its place, is accepted when it fits."""
    if act.date > recorded_on:
        return "date", (
            f"{act.date} is after the day it is recorded ({recorded_on}): an action cannot be recorded before it "
            "happens"
        )
    if act.date < received:
        return "date", f"{act.date} is before the request was received ({received})"
    before = History.of(received, earlier)
    after = History.of(received, [*earlier, act])
    new = [reason for a, reason in after.refused if a is act] or [
        reason for a, reason in after.refused if all(a is not b for b, _ in before.refused)
    ]
    return ("type", new[0]) if new else None


@dataclass
class History:
    """A request's actions read in the order of their dates (then of recording): those accepted, the retries and
    second descriptions read once, and those an impossible history rules out (each with its reason)."""

    accepted: list[Act]
    repeated: list[Act]
    refused: list[tuple[Act, str]]
    now: State

    @classmethod
    def of(cls, received: dt.date, acts: Sequence[Act], recorded_on: Sequence[dt.date] | None = None) -> History:
        """The history of ``acts``, given in the order recorded. ``recorded_on``, when given, is the day each was
        recorded, to rule out actions dated after it."""
        h = cls([], [], [], State())
        order = sorted(range(len(acts)), key=lambda i: (acts[i].date, i))
        for i in order:
            h.add(received, acts[i], None if recorded_on is None else recorded_on[i])
        return h

    def add(self, received: dt.date, act: Act, recorded_on: dt.date | None) -> None:
        if any(same(act, a) for a in self.accepted):
            self.repeated.append(act)
            return
        if recorded_on is not None and act.date > recorded_on:
            self.refused.append((act, f"dated after the day it was recorded ({recorded_on})"))
            return
        if act.date < received:
            self.refused.append((act, f"dated before the request was received ({received})"))
            return
        kind = event(act)
        if kind is None:
            self.accepted.append(act)
            return
        problem = _sequence_problem(self.now, kind, act)
        if problem is not None:
            self.refused.append((act, problem))
        elif self.now.transfer_date is not None:
            self.repeated.append(act)  # the transfer, described the other way on the same day (I-60)
        else:
            self.accepted.append(act)
            self.now = self.now.after(kind, act)


def custody(acts: Sequence[A]) -> list[tuple[str, A]]:
    """The custody events of accepted actions (in their order), each with the action that records it."""
    return [(kind, a) for a in acts if (kind := event(a)) is not None]


def disposition(copies: Sequence[Sequence[Act]]) -> str:
    """Disposition(detainer) from the accepted actions of each of its copies (R-9): honored by transfer, by a hold
    or by a notification of release; not honored (released while the detainer was in effect); withdrawn (before
    anything was done); pending."""
    kinds = {kind for acts in copies for kind, _ in custody(acts)}
    for kind, outcome in (
        (TRANSFERRED, "honored_by_transfer"),
        (HELD, "honored_by_hold"),
        (NOTIFIED, "honored_by_notification"),
    ):
        if kind in kinds:
            return outcome
    if any(not_honored(acts) is not None for acts in copies):
        return "not_honored"
    if WITHDRAWN in kinds:
        return "withdrawn"
    return "pending"


def not_honored(acts: Sequence[A]) -> A | None:
    """The release that left the detainer not honored: custody ended while it was in effect, nothing done (R-9). A
    release after the detainer was withdrawn is not one: the detainer was no longer in effect (I-61)."""
    withdrawn = False
    for kind, act in custody(acts):
        if kind == WITHDRAWN:
            withdrawn = True
        elif kind == RELEASED:
            return None if withdrawn else act
    return None
