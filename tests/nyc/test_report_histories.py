"""What happened to a request, read as one history (src/sanctuary/packs/nyc/reports/history.py): every way of recording
an event counted the same, impossible histories never counted, retries read once. Each scenario names the clause
whose count it checks; the expected numbers follow from the records as built, explained beside each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctuary.packs.nyc.reports import compute_report, period_for
from sanctuary.packs.nyc.reports.history import History, check, disposition
from sanctuary.packs.nyc.reports.trail import Action
from tests.nyc.test_reports import Trail, clean, detainer, inquiry, values, violent

FY2025 = period_for("9-131", year=2025)


class Recorded(Trail):
    """A trail whose actions may be recorded on another day than the one they are dated (``recorded``)."""

    def action(self, decision: str, type: str, day: str, recorded: str | None = None, **extra: Any) -> str:
        return self._append("action", decision, {"type": type, "date": day, **extra}, recorded or day)


def doc(law: str = "9-131", t: Trail | None = None, year: int = 2025) -> dict[str, int | None]:
    assert t is not None
    return values(compute_report(t.records, law, period_for(law, year=year)))


# --- every way of recording the same event -------------------------------------------------------------------


def test_9_131_f_3_and_4_a_transfer_recorded_as_a_hold_that_ended_in_a_transfer() -> None:
    """§ 9-131(f)(3), (4): P1 (violent record) is held, and the hold ends with reason ``transferred``; no separate
    transferred_to_federal_custody is recorded. P1 was transferred: in (3) and (4), and the detainer was honored by
    transfer. P2 is held and recorded both ways on the same day: one transfer, read once."""
    t = Trail()
    d1 = t.decision(detainer("DOC", "2024-09-01", violent("2024-09-01")), person="P1", ref="D-1")
    t.action(d1, "held_beyond_release", "2024-09-02")
    t.action(d1, "hold_ended", "2024-09-03", reason="transferred")
    d2 = t.decision(detainer("DOC", "2024-10-01", clean()), person="P2", ref="D-2")
    t.action(d2, "held_beyond_release", "2024-10-02")
    t.action(d2, "transferred_to_federal_custody", "2024-10-03")
    t.action(d2, "hold_ended", "2024-10-03", reason="transferred")
    v = doc(t=t)
    assert v["9-131(f)(3)"] == 2  # P1 and P2
    assert v["9-131(f)(4)"] == 1  # P1
    assert v["detail:9-131(f)(1).disposition.honored_by_transfer"] == 2
    assert v["detail:9-131(f)(1).disposition.honored_by_hold"] == 0
    assert v["detail:9-131(f)(3).decision_prohibited"] == 2  # two transfers, not three records
    assert v["9-131(f)(8)"] == 0 and v["9-131(f)(8).reason_other_or_unknown"] == 0  # neither hold ended otherwise
    assert v["detail:9-131(f).records_read_once"] == 1  # D-2's second description of its transfer


def test_9_131_f_9_i_a_notification_answering_an_i_247n_gives_a_release_date() -> None:
    """§ 9-131(f)(9)(i): an I-247N asks to be notified of the release (an information request about the release
    date, I-1). Answering it with notified_of_release is a response that included a release date, as
    information_answered{release_date} would be."""
    t = Trail()
    notice = [{"type": "I-247N"}]
    q1 = t.decision(inquiry("DOC", "2025-01-10", ["notify_release"], clean(), documents=notice), person="P1")
    t.action(q1, "notified_of_release", "2025-01-20")
    q2 = t.decision(inquiry("DOC", "2025-02-10", ["notify_release"], clean(), documents=notice), person="P2")
    t.action(q2, "information_answered", "2025-02-20", information_given=["release_date"])
    v = doc(t=t)
    assert v["9-131(f)(9).requests"] == 2
    assert v["9-131(f)(9).responses"] == 2  # both ways of answering
    assert v["9-131(f)(9)(i)"] == 2
    assert v["9-131(f)(9)(i).release_dates"] == 2
    assert v["9-131(f)(9).requests.no_action_recorded"] == 0
    assert v["9-131(f)(1)"] == 0  # an I-247N is not a detainer


def test_9_131_f_7_a_detainer_withdrawn_before_the_release_was_not_refused() -> None:
    """§ 9-131(f)(7), R-9: ICE withdrew D-1 on Nov 5; the person was released on Nov 9. The detainer was no longer
    in effect, so it was withdrawn, not "not honored". D-2, released with the detainer in effect, was not honored."""
    t = Trail()
    d1 = t.decision(detainer("DOC", "2024-11-01", clean()), person="P1", ref="D-1")
    t.action(d1, "detainer_withdrawn", "2024-11-05")
    t.action(d1, "released_without_honoring", "2024-11-09")
    d2 = t.decision(detainer("DOC", "2024-12-01", clean()), person="P2", ref="D-2")
    t.action(d2, "released_without_honoring", "2024-12-09")
    v = doc(t=t)
    assert v["9-131(f)(7)"] == 1  # P2 only
    assert v["detail:9-131(f)(1).disposition.withdrawn"] == 1
    assert v["detail:9-131(f)(1).disposition.not_honored"] == 1


# --- impossible histories --------------------------------------------------------------------------------------


def test_9_131_f_3_a_transfer_dated_in_the_future_or_before_receipt_is_never_counted() -> None:
    """§ 9-131(f)(3): a transfer dated 2025-08-01 but recorded on 2025-03-01 (in the future of its recording) is
    not counted in fiscal 2026's report; a transfer dated before the detainer was received is not counted in fiscal
    2025's. Both are counted in the gap row of actions not counted."""
    t = Recorded()
    d1 = t.decision(detainer("DOC", "2025-03-01", clean()), person="P1", ref="D-1")
    t.action(d1, "transferred_to_federal_custody", "2025-08-01", recorded="2025-03-01")
    d2 = t.decision(detainer("DOC", "2025-03-01", clean()), person="P2", ref="D-2")
    t.action(d2, "transferred_to_federal_custody", "2025-02-01", recorded="2025-03-02")
    assert doc(t=t, year=2026)["9-131(f)(3)"] == 0
    v = doc(t=t)
    assert v["9-131(f)(3)"] == 0
    assert v["9-131(f).actions_not_counted"] == 2
    assert v["detail:9-131(f)(1).disposition.pending"] == 2


def test_9_131_f_2_8_7_held_then_expired_then_released_is_not_also_not_honored() -> None:
    """§ 9-131(f)(2), (7), (8): P1 was held, the 48-hour period expired, and then a release "without honoring" was
    recorded on the same detainer. The detainer was honored by the hold: P1 is in (2) and (8), never in (7)."""
    t = Trail()
    d1 = t.decision(detainer("DOC", "2024-09-01", clean()), person="P1", ref="D-1")
    t.action(d1, "held_beyond_release", "2024-09-02")
    t.action(d1, "hold_ended", "2024-09-04", reason="hold_period_expired")
    t.action(d1, "released_without_honoring", "2024-09-04")
    v = doc(t=t)
    assert (v["9-131(f)(2)"], v["9-131(f)(8)"], v["9-131(f)(7)"]) == (1, 1, 0)
    assert v["detail:9-131(f)(1).disposition.honored_by_hold"] == 1
    assert v["9-131(f).actions_not_counted"] == 1


def test_14_154_f_1_a_detainer_with_no_sender_is_not_received_from_federal_immigration_authorities() -> None:
    """§ 14-154(f)(1) counts detainers "received from federal immigration authorities". An I-247A recorded with no
    requester is not known to be from one: it is in the gap row, not in (1)."""
    t = Trail()
    t.decision(detainer("NYPD", "2024-09-01", clean()), person="A", ref="N-1")
    unsent = detainer("NYPD", "2024-09-02", clean())
    del unsent["request"]["from"]
    t.decision(unsent, person="B", ref="N-2")
    v = doc("14-154", t)
    assert v["14-154(f)(1)"] == 1
    assert v["14-154(f)(1).sender_unknown"] == 1
    assert v["detail:14-154(f)(1).disposition.pending"] == 1  # the dispositions are of (1)'s detainers


# --- retries ---------------------------------------------------------------------------------------------------


def test_9_131_f_9_a_retried_request_and_a_retried_answer_are_counted_once() -> None:
    """§ 9-131(f)(9): the same information request POSTed twice by the same client (same case, same person), and
    its answer POSTed twice: one request and one response. A second request about another person, with the same
    facts, is another request."""
    t = Trail()
    case = inquiry("DOC", "2025-01-10", ["info:release_date"], clean())
    first = t.decision(case, person="P1")
    again = t.decision(case, person="P1")
    t.action(first, "information_answered", "2025-01-11", information_given=["release_date"])
    t.action(again, "information_answered", "2025-01-11", information_given=["release_date"])
    t.decision(case, person="P2")
    v = doc(t=t)
    assert v["9-131(f)(9).requests"] == 2  # P1 once, P2
    assert v["9-131(f)(9).responses"] == 1
    assert v["detail:9-131(f).records_read_once"] == 2  # the second decision record and the second answer


# --- the history itself ------------------------------------------------------------------------------------------

TYPES = [
    ("held_beyond_release", None),
    ("hold_ended", "transferred"),
    ("hold_ended", "hold_period_expired"),
    ("hold_ended", "other"),
    ("transferred_to_federal_custody", None),
    ("released_without_honoring", None),
    ("notified_of_release", None),
    ("detainer_withdrawn", None),
]
DISJOINT = {"honored_by_transfer", "honored_by_hold", "honored_by_notification", "not_honored", "withdrawn", "pending"}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, 5)), max_size=7))
def test_any_recorded_sequence_reads_as_one_consistent_history(steps: list[tuple[tuple[str, str | None], int]]) -> None:
    """Whatever was recorded, the accepted actions are a history :func:`check` would have let through one by one,
    and the detainer has exactly one disposition, never both "not honored" and honored."""
    received = dt.date(2025, 1, 1)
    acts = [
        Action(f"a{i}", i, kind, received + dt.timedelta(days=day), None, reason)
        for i, ((kind, reason), day) in enumerate(steps)
    ]
    history = History.of(received, acts)
    kept = [a for a in acts if any(a is b for b in history.accepted)]
    accepted: list[Action] = []
    for act in sorted(kept, key=lambda a: (a.date, a.seq)):
        assert check(received, dt.date(2026, 1, 1), accepted, act) is None
        accepted.append(act)
    outcome = disposition([history.accepted])
    assert outcome in DISJOINT
    kinds = {a.type for a in history.accepted}
    if "released_without_honoring" in kinds:
        assert not kinds & {"held_beyond_release", "transferred_to_federal_custody", "notified_of_release"}
