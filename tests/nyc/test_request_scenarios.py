"""The requests a comparison supposes, in words (interpretations I-45, I-46, I-49): ICE's usual request by
default over every action it asks for; contradictory or repeated assumptions refused, naming both; every report
opening with what is supposed, the files and their dates, and what the data cannot say; ranges, and one figure
per file when there are several."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctuary.cli import app
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case
from sanctuary.packs.nyc.data import read_doc_snapshot
from sanctuary.population.compare import compare_paths
from sanctuary.population.evaluate import Scenario, ScenarioError, decide_population

FIXTURES = Path(__file__).parents[1] / "fixtures"
SNAPSHOT = FIXTURES / "DOC_Inmates_InCustody_Daily_20170630.csv"
LATER = FIXTURES / "DOC_Inmates_InCustody_Daily_20260821.csv"
runner = CliRunner()


def test_the_default_is_ices_usual_request_over_every_action_it_asks() -> None:
    usual = NYC.request_scenarios()[0]
    assert usual.id == "usual"
    documents = usual.request["documents"]
    assert isinstance(documents, list) and [d["type"] for d in documents] == ["I-247A", "I-200"]
    scenario = Scenario.from_options(NYC, "nyc-2017,adams-2024", None, None)
    assert scenario.request_id == "usual" and scenario.actions == ("hold", "notify_release", "info:release_date")
    assert "I-247A" in scenario.request_words and "I-200" in scenario.request_words
    assert any("citizenship" in c for c in scenario.cannot_say)


@pytest.mark.parametrize("name", ["usual", "judicial-warrant", "information-only"])
def test_every_named_request_is_a_valid_request_of_the_contract(name: str) -> None:
    scenario = Scenario.from_options(NYC, "nyc-2017", None, None, name)
    case = {"agency": "DOC", "decision_date": "2024-06-30", "person": {}}
    case["request"] = dict(scenario.request, actions=list(scenario.actions))
    parse_case(json.dumps(case))  # raises if the contract refuses it


@pytest.mark.parametrize(
    ("assume", "asked", "named"),
    [
        (["judicial-warrant", "no-judicial-warrant"], None, ("'judicial-warrant'", "'no-judicial-warrant'")),
        (["no-gang-listing", "no-gang-listing"], None, ("'no-gang-listing'",)),
        (["no-conviction-history", "person.convictions=[]"], None, ("no-conviction-history", "person.convictions=[]")),
        (["person.gang_database=true", "no-gang-listing"], None, ("person.gang_database=true", "no-gang-listing")),
        (["judicial-warrant"], "usual", ("--request usual", "judicial-warrant")),
    ],
)
def test_contradictory_or_repeated_assumptions_are_refused_naming_both(
    assume: list[str], asked: str | None, named: tuple[str, ...]
) -> None:
    with pytest.raises(ScenarioError) as refused:
        Scenario.from_options(NYC, "nyc-2017", None, assume, asked)
    assert refused.value.field == "assume"
    for text in named:
        assert text in str(refused.value)


def test_an_unknown_request_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ScenarioError, match="information-only") as refused:
        Scenario.from_options(NYC, "nyc-2017", None, None, "smoke-signals")
    assert refused.value.field == "request"


def test_an_assumption_may_change_the_default_request_and_the_words_say_so() -> None:
    scenario = Scenario.from_options(NYC, "nyc-2017", None, ["judicial-warrant"])
    assert scenario.request_words.endswith("changed as the assumptions below say")


def test_the_command_line_refuses_contradictions_with_exit_2_naming_both(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["compare", str(SNAPSHOT), "--regimes", "nyc-2017", "--assume", "judicial-warrant", "--assume",
         "no-judicial-warrant", "--out", str(tmp_path / "r")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "'judicial-warrant'" in result.output and "'no-judicial-warrant'" in result.output
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("name", ["usual", "judicial-warrant", "information-only"])
def test_both_evaluators_agree_under_every_named_request(name: str) -> None:
    """The columnar evaluator (DOC snapshots as tables) and the single-case engine (the same records as cases)
    give every record the same result under each named request."""
    scenario = Scenario.from_options(NYC, "nyc-2014,nyc-2017,adams-2024", None, None, name)
    comparison = compare_paths([SNAPSHOT], scenario, NYC)
    assert comparison.columnar_records == comparison.records
    decided = decide_population(read_doc_snapshot(SNAPSHOT), scenario, NYC)
    for regime in scenario.regimes:
        for action in scenario.actions:
            column = f"{regime}|{action}"
            for result, n in decided[column].value_counts().iter_rows():
                assert comparison.counts[(regime, action, result)] == n, (column, result)


def test_the_report_opens_with_what_is_supposed_and_gives_ranges(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(app, ["compare", str(SNAPSHOT), "--regimes", "nyc-2017,adams-2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    for regime, actions in summary["bounds"].items():
        for action, bound in actions.items():
            counts = summary["outcomes"][regime][action]
            assert bound == {
                "at_least": counts["permitted"],
                "at_most": counts["permitted"] + counts["undetermined"],
                "of": summary["records"],
            }
    first, *per_action = result.output.splitlines()[:4]
    assert first.startswith("Supposed: ICE's usual request") and SNAPSHOT.name in first
    assert [line.split(" (")[1].split(")")[0] for line in per_action] == list(summary["scenario"]["actions"])
    page = (out / "report.html").read_text()
    opening = page[: page.index("<h2>Regimes</h2>")]
    assert "What is supposed" in opening and "What the data cannot say" in opening and "citizenship" in opening
    assert SNAPSHOT.name in opening and "2017-06-30" in opening
    for action in summary["scenario"]["actions"]:
        assert f"id='action-{action}'" in page
    assert "href='transitions.csv' download" in page


def test_several_files_give_one_figure_per_file_never_a_pooled_share(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(app, ["compare", str(SNAPSHOT), str(LATER), "--regimes", "nyc-2017", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines()[1:4]:
        assert "2017-06-30" in line and "2026-08-21" in line
        assert not re.search(r"\d%", line)
    page = (out / "report.html").read_text()
    assert page.count("File by file") == 3
