"""An action recorded on a decision is checked against it (I-50, I-51): what the decision does not permit is refused
with 409 naming ``type`` and citing the clause its outcome rests on, or recorded only with an override and its
reason — and the statutory reports count such actions apart. Each scenario names the clause the decision cites.
"""

from __future__ import annotations

import copy
import datetime as dt
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctuary.errors import ConflictError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.actions import carried_out
from sanctuary.packs.nyc.reports import compute_report, period_for
from sanctuary.packs.nyc.reports.trail import read_trail
from sanctuary.packs.nyc.requests import JUDICIAL_WARRANT
from sanctuary.service.reporting import NOT_DECIDED, follows_decision
from sanctuary.service.store import Store
from tests.nyc.test_reports import Trail, clean, detainer, inquiry, unknown_record, values, violent
from tests.test_service import _as, service, store, store_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice about its test client's HTTP library
    from fastapi.testclient import TestClient

__all__ = ["service", "store", "store_url"]  # the fixtures, on SQLite and PostgreSQL

DAY = "2025-08-01"
ORDER = {"reason": "held on the chief's written order, pending counsel's review"}


def with_warrant(case: dict[str, Any]) -> dict[str, Any]:
    """The same detainer, presented with a judicial warrant (§ 9-131(b)(1)(i), (a)(5))."""
    out = copy.deepcopy(case)
    out["request"]["documents"].append(JUDICIAL_WARRANT)
    return out


def decide_and_record(client: TestClient, keys: dict[str, str], case: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    answer = client.post("/v1/decisions", json={"case": case}, headers=_as(keys, "officer"))
    assert answer.status_code == 201, answer.text
    return answer.json()["id"], {o["action"]: o for o in answer.json()["decision"]["outcomes"]}


def act(client: TestClient, keys: dict[str, str], decision: str, **body: Any) -> Any:
    return client.post(f"/v1/decisions/{decision}/actions", json={"date": DAY, **body}, headers=_as(keys, "officer"))


Service = tuple[TestClient, dict[str, str], Store]


def test_9_131_b_1_i_a_hold_without_a_judicial_warrant_is_refused_unless_overridden(service: Service) -> None:
    """§ 9-131(b)(1)(i): DOC may not honor a detainer by holding the person without a judicial warrant. A hold
    recorded after that decision is refused with 409, naming ``type`` and the clause; with an override and its reason
    it is recorded, with the result it went over."""
    client, keys, store = service
    decision, outcomes = decide_and_record(client, keys, detainer("DOC", DAY, violent(DAY)))
    assert outcomes["hold"]["result"] == "prohibited"
    refused = act(client, keys, decision, type="held_beyond_release")
    assert refused.status_code == 409
    problem = refused.json()["errors"][0]
    assert problem["path"] == "type"
    assert "hold is prohibited" in problem["message"] and "§ 9-131(b)(1)(i)" in problem["message"]
    assert "override" in problem["message"]
    assert [r for r in store.following(decision)] == []  # nothing recorded
    recorded = act(client, keys, decision, type="held_beyond_release", override=ORDER)
    assert recorded.status_code == 201, recorded.text
    record = store.get(recorded.json()["id"])
    assert record is not None
    assert record.body["override"] == {"reason": ORDER["reason"], "over": {"hold": "prohibited"}}
    assert record.body["checked"] == {"hold": "prohibited"}


def test_9_131_b_1_a_permitted_hold_is_recorded_with_what_it_was_checked_against(service: Service) -> None:
    """§ 9-131(b)(1)(i), (ii)(A): a judicial warrant and a conviction for a violent or serious crime within the
    look-back: the hold is permitted, and recorded without an override."""
    client, keys, store = service
    decision, outcomes = decide_and_record(client, keys, with_warrant(detainer("DOC", DAY, violent(DAY))))
    assert outcomes["hold"]["result"] == "permitted"
    recorded = act(client, keys, decision, type="held_beyond_release")
    assert recorded.status_code == 201, recorded.text
    record = store.get(recorded.json()["id"])
    assert record is not None and record.body["checked"] == {"hold": "permitted"} and "override" not in record.body


def test_9_131_b_1_ii_an_undetermined_hold_needs_an_override_too(service: Service) -> None:
    """§ 9-131(b)(1)(ii): a judicial warrant, but the person's record is not given: the hold is undetermined. No
    clause was shown to permit it, so it is refused without an override (I-51, as the docket's I-101)."""
    client, keys, _ = service
    decision, outcomes = decide_and_record(client, keys, with_warrant(detainer("DOC", DAY, unknown_record())))
    assert outcomes["hold"]["result"] == "undetermined"
    refused = act(client, keys, decision, type="held_beyond_release")
    assert refused.status_code == 409 and "hold is undetermined" in refused.json()["errors"][0]["message"]
    assert act(client, keys, decision, type="held_beyond_release", override=ORDER).status_code == 201


def test_9_131_h_1_an_answer_giving_information_the_decision_prohibits_is_refused(service: Service) -> None:
    """§ 9-131(h)(1): DOC may not answer an inquiry about a person not convicted of a violent or serious crime; an
    answer giving court dates is refused, citing the clause. About a person so convicted, the answer is permitted for
    what was asked (custody status, court dates) — but not for what was not asked (the release date: ``not
    decided``), which would need an override."""
    client, keys, _ = service
    asked = ["info:custody_status", "info:court_date"]
    decision, outcomes = decide_and_record(client, keys, inquiry("DOC", DAY, asked, clean()))
    assert outcomes["info:court_date"]["result"] == "prohibited"
    refused = act(client, keys, decision, type="information_answered", information_given=["court_appearance_date"])
    assert refused.status_code == 409
    assert "info:court_date is prohibited under NYC Admin. Code § 9-131(h)(1)" in refused.json()["errors"][0]["message"]
    decision, outcomes = decide_and_record(client, keys, inquiry("DOC", DAY, asked, violent(DAY)))
    assert {outcomes[a]["result"] for a in asked} == {"permitted"}
    both = act(client, keys, decision, type="information_answered",
               information_given=["incarceration_status", "court_appearance_date"])  # fmt: skip
    assert both.status_code == 201, both.text
    unasked = act(client, keys, decision, type="information_answered", information_given=["release_date"])
    assert unasked.status_code == 409 and "did not ask for it" in unasked.json()["errors"][0]["message"]


def test_declining_is_never_checked(service: Service) -> None:
    """No city law requires an agency to cooperate: a release without honoring, after a decision that prohibits the
    hold, is recorded without an override (I-101)."""
    client, keys, _ = service
    decision, _ = decide_and_record(client, keys, detainer("DOC", DAY, clean()))
    assert act(client, keys, decision, type="released_without_honoring").status_code == 201


@pytest.mark.parametrize(
    "reason",
    ["", "   ", "a\nb", "tab\there", "nul\x00", "x" * 501],
    ids=["empty", "blank", "newline", "tab", "nul", "too-long"],
)
def test_an_override_needs_a_reason_in_plain_bounded_text(service: Service, reason: str) -> None:
    """An override's reason is required, at most 500 characters, with something printable and no control
    characters: anything else is a 422 naming ``override.reason``, and nothing is recorded."""
    client, keys, store = service
    decision, _ = decide_and_record(client, keys, detainer("DOC", DAY, clean()))
    answer = act(client, keys, decision, type="held_beyond_release", override={"reason": reason})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["path"] == "override.reason"
    assert list(store.following(decision)) == []


# --- the rule, as a property --------------------------------------------------------------------------------------

RESULTS = ("permitted", "prohibited", "undetermined")
ACTION_TYPES = (
    "held_beyond_release",
    "hold_ended",
    "transferred_to_federal_custody",
    "released_without_honoring",
    "notified_of_release",
    "information_answered",
    "information_refused",
    "detainer_withdrawn",
    "access_granted",
    "access_refused",
)
KINDS = ("incarceration_status", "release_date", "court_appearance_date", "appointment_date_or_time", "other")


@settings(max_examples=300, deadline=None)
@given(
    decided=st.dictionaries(st.sampled_from(sorted(NYC.actions)), st.sampled_from(RESULTS), max_size=9),
    action_type=st.sampled_from(ACTION_TYPES),
    given_kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=5),
    override=st.none() | st.just("on the chief's order"),
)
def test_permitted_is_never_refused_and_the_rest_never_recorded_without_an_override(
    decided: dict[str, str], action_type: str, given_kinds: list[str], override: str | None
) -> None:
    """Whatever the decision and the action: when every outcome the action carries out is ``permitted``, it is
    accepted with no override; when one is not (prohibited, undetermined, not decided), it is refused without an
    override and, with one, recorded with exactly those results as what it went over."""
    output = {"outcomes": [{"action": a, "result": r, "citations": ["§ x"]} for a, r in decided.items()]}
    body = {"type": action_type, "information_given": given_kinds}
    needed = carried_out(action_type, given_kinds, tuple(decided))
    not_permitted = {a: decided.get(a, NOT_DECIDED) for a in needed if decided.get(a) != "permitted"}
    if not not_permitted:
        assert follows_decision(NYC, output, body, override) == {"checked": {a: "permitted" for a in needed}}
    elif override is None:
        with pytest.raises(ConflictError) as refused:
            follows_decision(NYC, output, body, None)
        assert refused.value.field == "type"
    else:
        assert follows_decision(NYC, output, body, override)["override"] == {"reason": override, "over": not_permitted}


STEPS: list[tuple[str, str | None, dict[str, Any]]] = [
    ("held_beyond_release", None, {}),
    ("notified_of_release", None, {}),
    ("transferred_to_federal_custody", None, {}),
    ("hold_ended", "transferred", {}),
    ("released_without_honoring", None, {}),
    ("information_answered", None, {"information_given": ["release_date"]}),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(
        st.tuples(st.booleans(), st.lists(st.tuples(st.sampled_from(range(len(STEPS))), st.booleans()), max_size=4)),
        min_size=1,
        max_size=4,
    )
)
def test_overrides_are_counted_apart_and_change_no_statutory_row(
    people: list[tuple[bool, list[tuple[int, bool]]]],
) -> None:
    """Recording an action with an override changes no statutory row (the statute counts what was done), and the
    report's ``…actions_overridden`` counts exactly the overridden actions its history accepts (I-50)."""
    plain, marked = Trail(), Trail()
    expected = 0
    for n, (warrant, steps) in enumerate(people):
        day = dt.date(2024, 9, 1) + dt.timedelta(days=10 * n)
        case = detainer("DOC", day.isoformat(), violent(day.isoformat()))
        case = with_warrant(case) if warrant else case
        ids = [t.decision(case, person=f"P{n}", ref=f"D-{n}") for t in (plain, marked)]
        for i, (step, overridden) in enumerate(steps):
            kind, reason, extra = STEPS[step]
            extra = {**extra, **({"reason": reason} if reason else {})}  # the hold's end, as recorded
            when = (day + dt.timedelta(days=i + 1)).isoformat()
            plain.action(ids[0], kind, when, **extra)
            over = {"override": {"reason": "order", "over": {"hold": "prohibited"}}} if overridden else {}
            marked.action(ids[1], kind, when, **extra, **over)
    period = period_for("9-131", year=2025)
    without, with_ = compute_report(plain.records, "9-131", period), compute_report(marked.records, "9-131", period)
    assert {r.id: r.value for r in without.rows if r.kind == "statutory"} == {
        r.id: r.value for r in with_.rows if r.kind == "statutory"
    }
    for q in read_trail(marked.records).requests:
        expected += sum(1 for a in q.actions if a.overridden and a.date in period)
    assert values(with_)["detail:9-131(f).actions_overridden"] == expected
    assert values(without)["detail:9-131(f).actions_overridden"] == 0
