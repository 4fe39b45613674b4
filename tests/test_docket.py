"""The detainer docket: matters followed from arrival to release (on SQLite and PostgreSQL), re-decided as facts
change, actions checked against the decision in force, and the clock of a limited hold (I-100) on a clock the
tests set — nothing sleeps, nothing is timed."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctuary.packs.nyc import NYC
from sanctuary.service.audit import MATTER, verify
from sanctuary.service.clock import Calendar, counted_hours, deadline
from sanctuary.service.docket import Docket
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

NY = ZoneInfo("America/New_York")
WEEKEND = ("saturday", "sunday", "holiday")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'docket.db'}"
    else:
        fresh_database: Callable[[], str] = request.getfixturevalue("postgres_server")
        url = fresh_database()
    opened = Store(url)
    yield opened
    opened.close()


Desk = tuple[TestClient, dict[str, str], Store, Clock]


@pytest.fixture
def desk(store: Store) -> Desk:
    from sanctuary.service.app import create_app

    clock = Clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=NY))
    docket = Docket(store, NYC, clock=clock)
    officer = store.create_key("desk officer", "officer")[1]
    client = TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32), docket=docket), raise_server_exceptions=False)
    return client, {"X-API-Key": officer}, store, clock


def _report(store: Store) -> dict[str, Any]:
    """The § 9-131(f) report for the year to June 30, 2026, computed from the audit trail alone."""
    from sanctuary.service.docket import report_records

    reports = NYC.reports()
    computed = reports.compute_report(report_records(store.records()), "9-131", reports.period_for("9-131", year=2026))
    return {row["id"]: row["value"] for row in computed.as_dict()["rows"]}


NOT_HONORED = "detail:9-131(f)(1).disposition.not_honored"


def _results(matter: dict[str, Any]) -> dict[str, str]:
    return {o["action"]: o["result"] for o in matter["decision"]["output"]["outcomes"]}


DOC_DETAINER: dict[str, Any] = {
    "agency": "DOC",
    "request": {
        "from": "ICE",
        "documents": [{"type": "I-247A"}, {"type": "I-200", "signer": "immigration_officer"}],
        "actions": ["hold", "notify_release"],
    },
    "person": {"instant_arrest_date": "2026-02-20"},
}


def test_a_doc_matter_from_detainer_to_refusal_at_release(desk: Desk) -> None:
    """§ 9-131(b)(1): DOC may honor a detainer only with a judicial warrant; an administrative warrant (I-200)
    is not one. The hold stays prohibited at every step; notification waits on the person's record."""
    client, officer, store, clock = desk
    opened = client.post("/v1/requests", json={"case": DOC_DETAINER}, headers=officer | {"Idempotency-Key": "d-1"})
    assert opened.status_code == 201, opened.text
    matter = opened.json()
    mid = matter["id"]
    assert matter["state"] == "open" and matter["decision"]["decision_date"] == "2026-03-02"
    assert _results(matter)["hold"] == "prohibited"
    assert "NYC Admin. Code § 9-131(b)(1)" in matter["decision"]["output"]["outcomes"][0]["citations"]
    # The same key and body: the same matter, not a second one.
    again = client.post("/v1/requests", json={"case": DOC_DETAINER}, headers=officer | {"Idempotency-Key": "d-1"})
    assert again.status_code == 200 and again.json()["id"] == mid
    assert len(client.get("/v1/requests", headers=officer).json()["matters"]) == 1
    assert _report(store)["9-131(f)(1)"] == 1 and not _report(store)[NOT_HONORED]

    # The criminal-history check comes back: no convictions.
    clock.moment += dt.timedelta(days=1)
    step = client.patch(
        f"/v1/requests/{mid}", json={"case": {"person": {"convictions": []}}, "note": "DCJS check"}, headers=officer
    )
    assert step.status_code == 200, step.text
    assert _results(step.json())["hold"] == "prohibited"
    assert _report(store)["9-131(f)(1)"] == 1  # one detainer, however many times it was updated
    # A conviction is entered (a violent felony) and the release is scheduled.
    conviction = {"charge": "PL 160.15", "level": "felony", "judgment_date": "2026-03-10", "court": "NY"}
    step = client.patch(
        f"/v1/requests/{mid}",
        json={
            "case": {"person": {"convictions": [conviction]}},
            "schedule": {"release_at": "2026-04-01T10:00:00-04:00"},
            "note": "sentenced",
        },
        headers=officer,
    )
    decided = step.json()
    assert decided["state"] == "decided" and decided["decision"]["decision_date"] == "2026-04-01"
    assert _results(decided)["hold"] == "prohibited"
    assert _report(store)["9-131(f)(1)"] == 1 and not _report(store)[NOT_HONORED]
    # At release: a hold the law prohibits is refused without an override …
    clock.moment = dt.datetime(2026, 4, 1, 10, 0, tzinfo=NY)
    refused = client.post(f"/v1/requests/{mid}/actions", json={"type": "held_beyond_release"}, headers=officer)
    assert refused.status_code == 409 and refused.json()["errors"][0]["path"] == "type"
    # … and the refusal to honor the detainer is recorded, then the release.
    acted = client.post(f"/v1/requests/{mid}/actions", json={"type": "released_without_honoring"}, headers=officer)
    assert acted.status_code == 201 and acted.json()["state"] == "acted"
    counts = _report(store)
    assert counts["9-131(f)(1)"] == 1 and counts[NOT_HONORED] == 1
    assert counts["detail:9-131(f)(7).decision_prohibited"] == 1  # refused where the law prohibited the hold
    closed = client.post(f"/v1/requests/{mid}/close", json={"reason": "released"}, headers=officer)
    assert closed.json()["state"] == "closed"
    assert client.patch(f"/v1/requests/{mid}", json={"note": "late"}, headers=officer).status_code in (200, 409)
    assert client.post(f"/v1/requests/{mid}/actions", json={"type": "hold_ended"}, headers=officer).status_code == 409

    timeline = client.get(f"/v1/requests/{mid}", headers=officer).json()["timeline"]
    events = [e["event"] for e in timeline]
    assert events == ["opened", "decided", "amended", "amended", "decided", "acted", "closed"]
    # The first amendment changed a fact but not the answer: no new decision. The second moved the day.
    assert timeline[2]["changes"] == [{"path": "case.person.convictions", "from": None, "to": []}]
    assert timeline[4]["changes"][0] == {"decision_date": {"from": "2026-03-02", "to": "2026-04-01"}}
    assert "case.person.convictions" in timeline[4]["because"]
    assert all(e["actor"].startswith("key_") for e in timeline)
    assert verify(store.records(), store.head())[1] == []
    assert sum(1 for r in store.records((MATTER,))) == len(timeline)


NYPD_HOLD: dict[str, Any] = {
    "agency": "NYPD",
    "request": {"from": "ICE", "documents": [{"type": "I-247A"}], "actions": ["hold"]},
    "person": {
        "convictions": [{"charge": "PL 160.15", "level": "felony", "judgment_date": "2019-01-01", "court": "NY"}],
        "reentered_after_removal": True,
    },
}


def test_an_nypd_48_hour_hold_runs_from_release_warns_and_is_flagged_past_its_limit(desk: Desk) -> None:
    """§ 14-154(b)(2): up to 48 hours, excluding Saturdays, Sundays and holidays, beyond the time of release.
    Released Friday 15:00 (New York): 9 hours Friday, none on the weekend (the clocks move on Sunday), 24 on
    Monday, 15 on Tuesday — the limit is Tuesday 15:00 (I-100)."""
    client, officer, _, clock = desk
    body = {"case": NYPD_HOLD, "schedule": {"release_at": "2026-03-06T15:00:00-05:00"}}
    mid = client.post("/v1/requests", json=body, headers=officer).json()["id"]
    clock.moment = dt.datetime(2026, 3, 6, 15, 30, tzinfo=NY)
    held = client.post(f"/v1/requests/{mid}/actions", json={"type": "held_beyond_release"}, headers=officer).json()
    assert held["clock"]["started_at"] == "2026-03-06T15:00:00-05:00"
    assert held["clock"]["deadline"] == dt.datetime(2026, 3, 10, 15, 0, tzinfo=NY).isoformat()
    assert held["clock"]["status"] == "running"

    clock.moment = dt.datetime(2026, 3, 9, 12, 0, tzinfo=NY)  # Monday noon: 9 + 12 hours counted
    view = client.get(f"/v1/requests/{mid}", headers=officer).json()["clock"]
    assert view["counted_hours"] == 21 and view["hours_left"] == 27 and view["status"] == "running"
    clock.moment = dt.datetime(2026, 3, 10, 6, 0, tzinfo=NY)  # 9 hours left: within the 12-hour warning
    assert client.get(f"/v1/requests/{mid}", headers=officer).json()["clock"]["status"] == "warning"
    queue = client.get("/v1/requests/queue", headers=officer).json()
    assert [m["id"] for m in queue["holds"]] == [mid] and queue["overdue"] == []
    clock.moment = dt.datetime(2026, 3, 10, 16, 0, tzinfo=NY)  # an hour past the limit
    view = client.get(f"/v1/requests/{mid}", headers=officer).json()["clock"]
    assert view["status"] == "overdue" and view["hours_left"] == -1
    assert [m["id"] for m in client.get("/v1/requests/queue", headers=officer).json()["overdue"]] == [mid]
    ended = client.post(
        f"/v1/requests/{mid}/actions",
        json={"type": "hold_ended", "reason": "no_judicial_warrant_within_48_hours"},
        headers=officer,
    ).json()
    assert ended["clock"]["status"] == "ended_past_limit"


def test_a_prohibited_hold_recorded_only_with_an_override_which_is_reported(desk: Desk) -> None:
    client, officer, store, _ = desk
    mid = client.post("/v1/requests", json={"case": DOC_DETAINER}, headers=officer).json()["id"]
    override = {"reason": "supervisor's order, pending counsel"}
    held = client.post(
        f"/v1/requests/{mid}/actions", json={"type": "held_beyond_release", "override": override}, headers=officer
    )
    assert held.status_code == 201
    matter = held.json()
    assert matter["overrides"] == 1
    assert matter["actions"][0]["override"] == {"reason": override["reason"], "over": {"hold": "prohibited"}}
    assert [m["id"] for m in client.get("/v1/requests/queue", headers=officer).json()["overrides"]] == [mid]
    # The statutory report counts the hold in (2), as what was done, and apart as an override (I-50).
    report = _report(store)
    assert report["detail:9-131(f).actions_overridden"] == 1 and report["detail:9-131(f)(2).overridden"] == 1
    # DOC's hold has no hours set by city law: the clock runs with no limit and says so.
    assert matter["clock"]["limit"] is None and matter["clock"]["status"] == "running"


def test_bad_input_is_422_naming_the_field_and_reuse_of_a_key_is_409(desk: Desk) -> None:
    client, officer, store, _ = desk
    dated = {**DOC_DETAINER, "decision_date": "2026-01-01"}
    answer = client.post("/v1/requests", json={"case": dated}, headers=officer)
    assert answer.status_code == 422 and answer.json()["errors"][0]["path"] == "case.decision_date"
    wrong = {**DOC_DETAINER, "agency": 7}
    assert (
        client.post("/v1/requests", json={"case": wrong}, headers=officer)
        .json()["errors"][0]["path"]
        .startswith("case.agency")
    )
    naive = {"case": DOC_DETAINER, "schedule": {"release_at": "2026-04-01T10:00:00"}}
    assert client.post("/v1/requests", json=naive, headers=officer).json()["errors"][0]["path"] == "schedule.release_at"
    far = {"case": DOC_DETAINER, "schedule": {"release_at": "9999-12-31T23:59:59-12:00"}}  # no day to count from
    assert client.post("/v1/requests", json=far, headers=officer).json()["errors"][0]["path"] == "schedule.release_at"
    assert client.get("/v1/requests?state=pending", headers=officer).status_code == 422
    assert client.get("/v1/requests/mat_nothing", headers=officer).status_code == 404
    assert client.post("/v1/requests", json={"case": DOC_DETAINER}, headers={}).status_code == 401
    assert sum(1 for _ in store.records((MATTER,))) == 0
    client.post("/v1/requests", json={"case": DOC_DETAINER}, headers=officer | {"Idempotency-Key": "k"})
    other = client.post("/v1/requests", json={"case": NYPD_HOLD}, headers=officer | {"Idempotency-Key": "k"})
    assert other.status_code == 409 and other.json()["errors"][0]["path"] == "Idempotency-Key"
    # A change that makes the case invalid is refused and changes nothing.
    mid = client.get("/v1/requests", headers=officer).json()["matters"][0]["id"]
    bad = client.patch(f"/v1/requests/{mid}", json={"case": {"agency": "NOPE!"}}, headers=officer)
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"].startswith("case.agency")
    assert client.get(f"/v1/requests/{mid}", headers=officer).json()["case"]["agency"] == "DOC"


def test_a_law_change_re_decides_open_matters_and_a_proposal_is_shown_without_recording(tmp_path: Path) -> None:
    """NYPD matters opened under L.L. 2013/21 (no hours set) with no release date are re-decided when the clock
    passes 2014-12-14, the day L.L. 2014/59 took effect: the hold stays permitted, now for at most 48 hours
    (§ 14-154(b)(2)), and that is listed. A what-if under the repeal proposal lists what it would change."""
    store = Store(f"sqlite:///{tmp_path / 'law.db'}")
    clock = Clock(dt.datetime(2014, 6, 1, 9, 0, tzinfo=NY))
    docket = Docket(store, NYC, clock=clock)
    from sanctuary.service.docket_models import MatterRequest

    old_record = {**NYPD_HOLD, "person": {**NYPD_HOLD["person"], "convictions": [
        {"charge": "PL 160.15", "level": "felony", "judgment_date": "2010-01-01", "court": "NY"}]}}  # fmt: skip
    matter, _ = docket.open("cli", MatterRequest(case=old_record))
    second, _ = docket.open("cli", MatterRequest(case=old_record))
    assert matter["decision"]["regime"] == "nyc-2013"
    assert docket.redecide_open("cli") == {"redecided": 0, "changed": []}  # nothing changed: nothing recorded
    clock.moment = dt.datetime(2015, 1, 5, 9, 0, tzinfo=NY)
    result = docket.redecide_open("cli")
    assert result["redecided"] == 2
    assert sorted(c["id"] for c in result["changed"]) == sorted([matter["id"], second["id"]])
    (hold,) = result["changed"][0]["changes"]
    assert (hold["action"], hold["from"], hold["to"], hold["limits"]["max_hours"]) == (
        "hold",
        "permitted",
        "permitted",
        48,
    )
    assert "NYC Admin. Code § 14-154(b)(2)" in hold["citations"]
    for opened in (matter, second):  # each matter's decision in force is its own record, written in one batch
        record = store.get(docket.get(opened["id"], questions=False)["decision"]["record"])
        assert record is not None and record.refers_to == opened["id"] and record.body["event"] == "decided"
        assert record.body["regime"] == "nyc-2014" and record.body["decision_date"] == "2015-01-05"
    clock.moment = dt.datetime(2026, 6, 1, 9, 0, tzinfo=NY)
    doc, _ = docket.open("cli", MatterRequest(case=DOC_DETAINER))
    before = sum(1 for _ in store.records())
    what_if = {m["id"]: m["changes"] for m in docket.what_if("repeal-2024", dt.date(2026, 7, 1))}
    assert sum(1 for _ in store.records()) == before
    # Int 945-2024 would repeal the detainer sections: DOC's hold becomes permitted, NYPD's loses its 48 hours.
    assert {c["action"]: (c["from"], c["to"]) for c in what_if[doc["id"]]}["hold"] == ("prohibited", "permitted")
    assert what_if[matter["id"]][0]["limits"] is None
    store.close()


# --- the clock (I-100) -------------------------------------------------------------------------------------


def test_hours_on_a_holiday_do_not_count() -> None:
    start = dt.datetime(2026, 5, 22, 15, 0, tzinfo=NY)  # a Friday; Monday 2026-05-25 is Memorial Day
    plain = deadline(start, 48, WEEKEND, Calendar("America/New_York"))
    with_holiday = deadline(start, 48, WEEKEND, Calendar("America/New_York", frozenset({dt.date(2026, 5, 25)})))
    assert plain == dt.datetime(2026, 5, 26, 15, 0, tzinfo=NY)
    assert with_holiday == dt.datetime(2026, 5, 27, 15, 0, tzinfo=NY)
    assert deadline(start, 48, (), Calendar("America/New_York")) == start + dt.timedelta(hours=48)


def test_a_hold_that_starts_on_a_saturday_starts_counting_on_monday() -> None:
    start = dt.datetime(2026, 3, 14, 10, 0, tzinfo=NY)
    assert deadline(start, 48, WEEKEND, Calendar("America/New_York")) == dt.datetime(2026, 3, 18, 0, 0, tzinfo=NY)


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    st.integers(min_value=1, max_value=120),
    st.sets(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2031, 3, 1)), max_size=30),
)
def test_the_deadline_is_where_the_counted_hours_reach_the_limit(
    naive: dt.datetime, hours: int, holidays: set[dt.date]
) -> None:
    calendar = Calendar("America/New_York", frozenset(holidays))
    start = naive.replace(tzinfo=dt.UTC)
    end = deadline(start, hours, WEEKEND, calendar)
    assert end >= start + dt.timedelta(hours=hours)
    assert counted_hours(start, end, WEEKEND, calendar) == pytest.approx(hours)
    assert counted_hours(start, end - dt.timedelta(minutes=1), WEEKEND, calendar) < hours
    assert end.astimezone(NY).weekday() < 5 or end.astimezone(NY).time() == dt.time(0)


def test_the_docket_commands_show_the_queue_a_matter_and_a_what_if(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from sanctuary.cli import app as cli
    from sanctuary.service.docket_models import MatterRequest

    database = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store(database)
    matter, _ = Docket(store, NYC).open("desk", MatterRequest(case=DOC_DETAINER))
    store.close()
    runner = CliRunner()
    queue = runner.invoke(cli, ["docket", "queue", "--database", database])
    assert queue.exit_code == 0 and json.loads(queue.stdout)["overdue"] == []
    shown = json.loads(runner.invoke(cli, ["docket", "show", matter["id"], "--database", database]).stdout)
    assert [e["event"] for e in shown["timeline"]] == ["opened", "decided"]
    what_if = runner.invoke(
        cli, ["docket", "what-if", "--regime", "repeal-2024", "--date", "2026-07-01", "--database", database]
    )
    assert [m["id"] for m in json.loads(what_if.stdout)["changes"]] == [matter["id"]]
    unknown = runner.invoke(
        cli, ["docket", "what-if", "--regime", "nope", "--date", "2026-07-01", "--database", database]
    )
    assert unknown.exit_code == 2
    assert runner.invoke(cli, ["docket", "show", "mat_none", "--database", database]).exit_code == 2


def test_the_deployments_holidays_are_read_from_the_file_it_names(tmp_path: Path, monkeypatch: Any) -> None:
    from sanctuary.errors import InvalidInputError

    listed = tmp_path / "holidays.txt"
    listed.write_text("# New York's, as the city publishes them\n2026-05-25\n\n2026-07-03  # observed\n")
    monkeypatch.setenv("SANCTUARY_HOLIDAYS", str(listed))
    docket = Docket(Store(f"sqlite:///{tmp_path / 'h.db'}"), NYC)
    assert docket.calendar == Calendar("America/New_York", frozenset({dt.date(2026, 5, 25), dt.date(2026, 7, 3)}))
    listed.write_text("2026-13-01\n")
    with pytest.raises(InvalidInputError, match="line 1"):
        Docket(Store(f"sqlite:///{tmp_path / 'h2.db'}"), NYC)


def test_a_change_made_meanwhile_is_not_overwritten(store: Store) -> None:
    """Two desks read the same matter; the first change is saved, the second (made on the stale state) is
    refused and nothing of it is recorded."""
    from sanctuary.service.docket import DocketConflictError
    from sanctuary.service.docket_models import MatterChange, MatterRequest

    docket = Docket(store, NYC, clock=Clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=NY)))
    matter, _ = docket.open("desk A", MatterRequest(case=DOC_DETAINER))
    stale, version = docket._load(matter["id"])
    docket.change("desk A", matter["id"], MatterChange(case={"person": {"convictions": []}}))
    records = sum(1 for _ in store.records())
    stale["case"]["person"]["gang_database"] = True
    with pytest.raises(DocketConflictError):
        docket._save(stale, version, [{"event": "amended", "changes": [], "note": "desk B"}], "desk B")
    assert sum(1 for _ in store.records()) == records
    assert docket.get(matter["id"], questions=False)["case"]["person"] == {
        "instant_arrest_date": "2026-02-20",
        "convictions": [],
    }


def test_the_queue_puts_the_hold_with_least_time_left_first(tmp_path: Path) -> None:
    from sanctuary.service.bodies import bodies
    from sanctuary.service.docket_models import MatterRequest, Schedule

    clock = Clock(dt.datetime(2026, 3, 3, 12, 0, tzinfo=NY))  # a Tuesday
    docket = Docket(Store(f"sqlite:///{tmp_path / 'q.db'}"), NYC, clock=clock)
    ids = []
    for release in ("2026-03-03T09:00:00-05:00", "2026-03-02T09:00:00-05:00"):  # the second has less time left
        schedule = Schedule.model_validate({"release_at": release})
        matter, _ = docket.open("desk", MatterRequest(case=NYPD_HOLD, schedule=schedule))
        docket.act("desk", matter["id"], bodies(NYC).matter_action.model_validate({"type": "held_beyond_release"}))
        ids.append(matter["id"])
    holds = docket.queue()["holds"]
    assert [h["id"] for h in holds] == [ids[1], ids[0]]
    assert [h["clock"]["hours_left"] for h in holds] == [21, 45]
    assert "fingerprint" not in docket.get(ids[0], questions=False)
