"""The door guide: the twelve decisions a city worker faces (``tests/nyc/door/*.yaml``, one file per decision of
``beyond-detainers/INDEX.md``), each scenario naming its clause; the question's validation; and the properties the
rules have by their structure (learning an unknown fact never flips a decided answer; every answer cites a clause).

A scenario changes the file's ``base`` question (``question:``; ``null`` makes a fact unknown) and states the
answer: ``result``; optionally ``cites`` (clauses that must be cited), ``missing`` (exactly the facts that would
decide, in any order), ``reason`` / ``warns`` / ``say`` / ``call`` (words that must appear), ``duties`` (duties that
must follow) and ``no_duty`` (duties that must not).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanctuary.cli import app
from sanctuary.engine.door import answer
from sanctuary.errors import InvalidInputError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.door.question import ASKS_AT, DOCUMENTS, INFORMATION, REQUESTERS, SIGNERS

DOOR_DIR = Path(__file__).parent / "door"
TODAY = dt.date(2026, 12, 4)


def _load() -> list[Any]:
    params = []
    for path in sorted(DOOR_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) == {"title", "section", "base", "scenarios"}, path
        for scenario in data["scenarios"]:
            assert "name" in scenario and "clause" in scenario, (path, scenario)
            question = {**data["base"], **scenario.get("question", {})}
            params.append(pytest.param(question, scenario["expect"], id=f"{path.stem}: {scenario['name']}"))
    return params


SCENARIOS = _load()


def test_each_of_the_twelve_decisions_has_its_scenarios() -> None:
    files = sorted(p.stem[:3] for p in DOOR_DIR.glob("d*.yaml"))
    assert files == [f"d{n:02d}" for n in range(1, 13)]


@pytest.mark.parametrize(("question", "expect"), SCENARIOS)
def test_scenario(question: dict[str, Any], expect: dict[str, Any]) -> None:
    got = answer(question, NYC, today=TODAY)
    assert got["result"] == expect["result"], got["reasons"]
    for clause in expect.get("cites", []):
        assert clause in got["citations"], (clause, got["citations"])
    if "missing" in expect:
        assert sorted(got["missing"]) == sorted(expect["missing"])
    for key, where in (("reason", "reasons"), ("warns", "warnings")):
        if key in expect:
            assert any(expect[key] in text for text in got[where]), (expect[key], got[where])
    for key in ("say", "call"):
        if key in expect:
            assert expect[key] in got[key]
    duties = {d["duty"] for d in got["duties"]}
    assert set(expect.get("duties", [])) <= duties, duties
    assert not set(expect.get("no_duty", [])) & duties, duties


def test_an_answer_resting_on_a_described_order_says_so_and_one_on_a_text_does_not() -> None:
    staging = answer({"setting": "city_lot", "ask": "staging", "requester": "federal_immigration"}, NYC, today=TODAY)
    assert any("Executive Order 13 (2026) is known only from descriptions" in w for w in staging["warnings"])
    assert {"description", "text"} == {i["known_from"] for i in staging["instruments"]}
    entry = answer(
        {"setting": "shelter", "ask": "enter", "requester": "federal_immigration", "area": "non_public",
         "document": "none", "emergency": False},
        NYC,
        today=TODAY,
    )  # fmt: skip
    assert entry["warnings"] == []
    assert [i["known_from"] for i in entry["instruments"]] == ["text"]


def test_what_would_change_an_answer_is_computed_not_listed() -> None:
    base = {"setting": "shelter", "ask": "enter", "requester": "federal_immigration", "area": "non_public",
            "document": "none", "emergency": False}  # fmt: skip
    got = answer(base, NYC, today=TODAY)
    changes = {c["if"]: c["result"] for c in got["would_change_if"]}
    assert changes["a warrant signed by a U.S. magistrate judge"] == "permitted"
    assert "an immigration officer's warrant" not in changes  # it changes nothing, so it is not offered
    # Each offered change does change the answer when applied.
    applied = answer({**base, "document": "warrant", "signer": "us_magistrate_judge"}, NYC, today=TODAY)
    assert applied["result"] == "permitted"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({"ask": "enter"}, "setting"),
        ({"setting": "shelter"}, "ask"),
        ({"setting": "castle", "ask": "enter"}, "setting"),
        ({"setting": "state_courthouse", "ask": "staging"}, "ask"),
        ({"setting": "shelter", "ask": "enter", "emergency": "yes"}, "emergency"),
        ({"setting": "shelter", "ask": "enter", "date": "2026-13-01"}, "date"),
        ({"setting": "shelter", "ask": "enter", "date": "tomorrow"}, "date"),
        ({"setting": "shelter", "ask": "enter", "signer": "sheriff"}, "signer"),
        ({"setting": "shelter", "ask": "enter", "colour": "red"}, "colour"),
        ({"setting": "shelter", "ask": "enter", "requester": ["ICE"]}, "requester"),
        ([], "(body)"),
    ],
)
def test_bad_input_is_refused_naming_the_field(question: Any, field: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        answer(question, NYC, today=TODAY)
    assert raised.value.field == field


def choice(values: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from([*values, None])


def _questions() -> st.SearchStrategy[dict[str, Any]]:
    flag = st.sampled_from([True, False, None])
    pairs = [(s, a) for s, asks in ASKS_AT.items() for a in asks]
    return st.builds(
        lambda pair, rest: {"setting": pair[0], "ask": pair[1], **rest},
        st.sampled_from(pairs),
        st.fixed_dictionaries(
            {},
            optional={
                "requester": choice(REQUESTERS),
                "area": choice(["public", "non_public"]),
                "document": choice(DOCUMENTS),
                "signer": choice(SIGNERS),
                "information": choice(INFORMATION),
                "date": st.dates(dt.date(2016, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat),
                **{
                    name: flag
                    for name in (
                        "emergency", "arrangement", "approval", "routine", "authorized_by_person", "furthers_mission",
                        "required_by_law", "crime_investigation", "needed_for_service", "attending_court",
                        "executive_order", "notice_barred", "city_property",
                    )
                },
            },
        ),
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(_questions(), st.data())
def test_learning_an_unknown_fact_never_flips_a_decided_answer(question: dict[str, Any], data: st.DataObject) -> None:
    got = answer(question, NYC, today=TODAY)
    assert got["citations"], got  # every answer cites a clause
    if got["result"] == "undetermined":
        assert got["missing"]
        return
    unknown = [k for k, v in got["question"].items() if v is None]
    if not unknown:
        return
    name = data.draw(st.sampled_from(unknown))
    values: list[Any] = {
        "requester": list(REQUESTERS), "area": ["public", "non_public"], "document": list(DOCUMENTS),
        "signer": list(SIGNERS), "information": list(INFORMATION),
    }.get(name, [True, False])  # fmt: skip
    learned = answer({**question, name: data.draw(st.sampled_from(values))}, NYC, today=TODAY)
    assert learned["result"] == got["result"], (name, learned["reasons"])


# --- the command ----------------------------------------------------------------------------------------------------

runner = CliRunner()


def test_the_command_answers_in_one_sentence_with_the_clause_and_whom_to_call() -> None:
    facts = ["requester=federal_immigration", "area=non_public", "document=none", "emergency=no"]
    result = runner.invoke(app, ["door", "shelter", "enter", *facts])
    assert result.exit_code == 0, result.output
    first, clause, say, call = result.output.splitlines()[:4]
    assert first.startswith("PROHIBITED: No:")
    assert clause == "Clause: NYC Admin. Code § 4-210(b)"
    assert say.startswith("Say: ") and call.startswith("Call: ") and "privacy officer" in call


def test_the_command_gives_the_whole_answer_as_json() -> None:
    facts = ["requester=nypd", "crime_investigation=yes", "information=contact"]
    result = runner.invoke(app, ["door", "city_office", "disclose", *facts, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["result"] == "permitted"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["castle", "enter"], "setting"),
        (["shelter", "enter", "requester=ICE"], "requester"),
        (["shelter", "enter", "emergency=perhaps"], "emergency"),
        (["shelter", "enter", "date=2026-02-30"], "date"),
        (["shelter", "enter", "emergency"], "emergency"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_2_naming_the_field(args: list[str], field: str) -> None:
    result = runner.invoke(app, ["door", *args])
    assert result.exit_code == 2
    assert field in result.output
