"""Explanations, counterfactuals, questions, regime comparison and diff."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from sanctuary.cli import app
from sanctuary.engine import decide
from sanctuary.engine.compare import compare_case, diff_regimes
from sanctuary.engine.explain import explain
from sanctuary.facts.paths import with_changes
from sanctuary.law.tree import Leaf
from sanctuary.packs.nyc import NYC, SPECIFIC_AGENCIES
from sanctuary.packs.nyc.case import ACTIONS, parse_case
from tests.conftest import merge
from tests.strategies import full_cases, partial_of

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schema" / "explanation.schema.json").read_text(encoding="utf-8"))
EXAMPLE = json.loads((ROOT / "examples" / "doc-detainer.json").read_text(encoding="utf-8"))
NO_WARRANT = merge(
    EXAMPLE,
    {
        "request": {
            "documents": [{"type": "I-247A"}, {"type": "I-200", "signer": "immigration_officer"}],
            "actions": ["hold"],
        }
    },
)
runner = CliRunner()
DAY = dt.date(2024, 3, 1)


def _counterfactuals(case: dict[str, Any], action: str = "hold") -> list[dict[str, Any]]:
    outcome = next(
        o for o in decide(parse_case(case), NYC, explain=True).as_dict()["outcomes"] if o["action"] == action
    )
    result: list[dict[str, Any]] = outcome["would_change_if"]
    return result


def _result(case: dict[str, Any], action: str) -> str:
    return str(next(o["result"] for o in decide(parse_case(case), NYC).as_dict()["outcomes"] if o["action"] == action))


def test_a_hold_refused_only_for_want_of_a_warrant_names_the_warrant() -> None:
    assert _result(NO_WARRANT, "hold") == "prohibited"
    singles = [c for c in _counterfactuals(NO_WARRANT) if len(c["changes"]) == 1 and c["result"] == "permitted"]
    added = [c["changes"][0]["value"] for c in singles if c["changes"][0]["path"] == "request.documents[+]"]
    assert {
        "type": "warrant",
        "signer": "us_magistrate_judge",
        "probable_cause": True,
        "authorizes_immigration_custody": True,
        "presented_with_detainer": True,
    } in added


def test_when_both_warrant_and_conviction_are_lacking_no_single_change_suffices() -> None:
    case = merge(NO_WARRANT, {"person": {"convictions": []}})
    found = [c for c in _counterfactuals(case) if c["result"] == "permitted"]
    assert found, "some pair of changes should permit the hold"
    assert all(len(c["changes"]) >= 2 for c in found)
    assert any(
        {ch["path"] for ch in c["changes"]} == {"request.documents[+]", "person.tsdb_possible_match"} for c in found
    )


def test_a_recent_conviction_can_be_moved_out_of_the_look_back() -> None:
    found = _counterfactuals(EXAMPLE)
    moved = [c for c in found if any(ch["path"] == "person.convictions[0].judgment_date" for ch in c["changes"])]
    assert moved and all(c["result"] == "prohibited" for c in moved)


def _check_counterfactuals(case: dict[str, Any]) -> None:
    for outcome in decide(parse_case(case), NYC, explain=True).as_dict()["outcomes"]:
        action = outcome["action"]
        sizes = [len(c["changes"]) for c in outcome["would_change_if"]]
        assert sizes == sorted(sizes), "smallest first"
        for counterfactual in outcome["would_change_if"]:
            changes = [(c["path"], c["value"]) for c in counterfactual["changes"]]
            assert counterfactual["result"] != outcome["result"]
            assert _result(with_changes(case, changes), action) == counterfactual["result"], "it must flip"
            for size in range(1, len(changes)):
                for subset in itertools.combinations(changes, size):
                    try:
                        got = _result(with_changes(case, subset), action)
                    except Exception:
                        continue
                    assert got != counterfactual["result"], f"not minimal: {subset} already gives it"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(full_cases().flatmap(lambda full: partial_of(full)))
def test_every_counterfactual_flips_the_outcome_and_is_minimal(case: dict[str, Any]) -> None:
    _check_counterfactuals(case)


def test_counterfactuals_on_the_example_and_scenarios() -> None:
    _check_counterfactuals(EXAMPLE)
    _check_counterfactuals(NO_WARRANT)


def test_the_explanation_follows_its_schema_and_shows_every_condition_with_its_clause() -> None:
    case = merge(
        EXAMPLE,
        {
            "person": {
                "tsdb_possible_match": "<absent>",
                # PL 265.10's class turns on the weapon, not the subdivision: the level is a question to ask.
                "convictions": [{"charge": "PL 265.10", "judgment_date": "2020-05-01", "incarceration": []}],
            }
        },
    )
    explanation = explain(parse_case(case), NYC)
    jsonschema.validate(explanation, SCHEMA)
    tree = explanation["outcomes"][0]["tree"]
    leaves = list(_walk(tree))
    assert all(n["value"] in ("true", "false", "unknown") for n in leaves)
    warrant = next(n for n in leaves if n["id"] == "doc.detainer.warrant")
    assert warrant["clauses"][0]["cite"] == "NYC Admin. Code § 9-131(b)(1)(i)"
    assert warrant["clauses"][0]["words"].startswith("federal immigration authorities present the department")
    level_question = explanation["questions"][0]
    assert level_question["path"] in ("person.convictions[0].level", "person.tsdb_possible_match")
    assert {q["path"] for q in explanation["questions"]} == {
        "person.convictions[0].level",
        "person.tsdb_possible_match",
    }


def _walk(node: dict[str, Any]) -> Any:
    yield node
    for child in node.get("children", []):
        yield from _walk(child)


def test_the_most_decisive_question_comes_first() -> None:
    # What was presented is unknown, and so is the database match. The documents settle two outcomes for some
    # answers (an empty list: no detainer) but none for others (a detainer with a judicial warrant, one of the
    # answers the counterfactuals name, leaves the record to decide); the match settles one whatever the
    # answer, so it is asked first.
    case = merge(
        EXAMPLE,
        {"request": {"documents": "<absent>"}, "person": {"convictions": [], "tsdb_possible_match": "<absent>"}},
    )
    questions = explain(parse_case(case), NYC)["questions"]
    assert [q["path"] for q in questions] == ["person.tsdb_possible_match", "request.documents"]
    assert questions[0]["settles_whatever_the_answer"] > questions[1]["settles_whatever_the_answer"] == 0
    assert questions[1]["settles_at_most"] > questions[0]["settles_at_most"]
    assert questions[1]["question"].startswith("What did the requester present")


def test_every_clause_a_rule_cites_has_the_statute_words() -> None:
    for regime in NYC.regimes.values():
        for agency in (*SPECIFIC_AGENCIES, "HRA"):
            for action in ACTIONS:
                rule = NYC.rule(regime, agency, action, day=DAY, by_date=False)
                for node in rule.nodes():
                    for clause in (node.clause, *node.cites):
                        if clause is not None and clause.code.startswith(("NYC Admin. Code", "39 RCNY")):
                            assert NYC.statute_words(clause, regime), (regime.id, node.id, str(clause))


def test_every_test_says_what_facts_it_reads_and_how_to_flip_it() -> None:
    regime = NYC.regimes["adams-2024"]
    for agency in (*SPECIFIC_AGENCIES, "HRA"):
        for action in ACTIONS:
            for node in NYC.rule(regime, agency, action, day=DAY, by_date=False).nodes():
                if isinstance(node, Leaf):
                    assert hasattr(node.test, "reads") and hasattr(node.test, "options"), type(node.test)


def test_one_case_across_regimes_names_the_clause_that_makes_the_difference() -> None:
    case = merge(EXAMPLE, {"person": {"convictions": []}, "request": {"actions": ["hold"]}})
    comparison = compare_case(parse_case(case), NYC, ["nyc-2017", "adams-2024", "repeal-2024"])
    assert comparison["outcomes"][0]["results"] == {
        "nyc-2017": "prohibited",
        "adams-2024": "permitted",
        "repeal-2024": "permitted",
    }
    adams = next(d for d in comparison["differences"] if d["regime"] == "adams-2024")
    assert "adams-2024 proposal (project encoding)(C)" in adams["clauses_only_here"]
    repeal = next(d for d in comparison["differences"] if d["regime"] == "repeal-2024")
    assert "NYC Admin. Code § 9-131(b)(1)" in repeal["clauses_only_in_baseline"]


def test_the_regime_diff_lists_what_a_proposal_adds_clause_by_clause() -> None:
    diff = diff_regimes(NYC, "nyc-2017", "adams-2024")
    assert diff["overrides"]["added"] == ["adams-2024"]
    doc_hold = next(r for r in diff["rules"] if r["agency"] == "DOC" and r["action"] == "hold")
    added = {n["clause"] for n in doc_hold["added"] if "clause" in n}
    assert "adams-2024 proposal (project encoding)(C)" in added
    assert "adams-2024 proposal (project encoding)(D)" in added
    assert diff["provisions"] == [] and diff["parameters"] == []


def test_the_2026_diff_shows_the_new_definition_and_the_premises_rule() -> None:
    diff = diff_regimes(NYC, "nyc-2017", "nyc-2026")
    assert {p["parameter"] for p in diff["parameters"]} == {
        "federal_immigration_authorities",
        "premises_executive_order_exception",
    }
    changed = {(r["agency"], r["action"]) for r in diff["rules"]}
    assert ("DOC", "office_on_premises") in changed
    assert diff_regimes(NYC, "nyc-2017", "nyc-2017")["rules"] == []


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_explain_command_formats(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(NO_WARRANT))
    result = runner.invoke(app, ["explain", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "9-131(b)(1)(i)" in result.stdout
    if fmt == "json":
        jsonschema.validate(json.loads(result.stdout), SCHEMA)
    if fmt == "html":
        assert result.stdout.startswith("<!doctype html>")
        assert "http" not in result.stdout.replace("https://json", "")  # self-contained: no outside requests


def test_decide_explain_and_regimes_and_diff_commands(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(NO_WARRANT))
    result = runner.invoke(app, ["decide", str(path), "--explain"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["outcomes"][0]["would_change_if"]
    result = runner.invoke(app, ["decide", str(path), "--regimes", "nyc-2017,repeal-2024", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["outcomes"][0]["results"] == {"nyc-2017": "prohibited", "repeal-2024": "permitted"}
    table = runner.invoke(app, ["decide", str(path), "--regimes", "nyc-2017,repeal-2024", "--format", "text"])
    assert "repeal-2024" in table.stdout and "prohibited" in table.stdout
    bad = runner.invoke(app, ["decide", str(path), "--regimes", "nyc-2017,nowhere"])
    assert bad.exit_code == 2 and "nowhere" in bad.stderr
    diff = runner.invoke(app, ["diff", "nyc-2017", "adams-2024"])
    assert diff.exit_code == 0 and "adams-2024 proposal (project encoding)(C)" in diff.stdout
    assert runner.invoke(app, ["diff", "nyc-2017", "nowhere"]).exit_code == 2


def test_explaining_does_not_change_the_decision() -> None:
    plain = decide(parse_case(copy.deepcopy(NO_WARRANT)), NYC).as_dict()
    explained = decide(parse_case(NO_WARRANT), NYC, explain=True).as_dict()
    for a, b in zip(plain["outcomes"], explained["outcomes"], strict=True):
        b = dict(b)
        b.pop("would_change_if")
        assert a == b


def test_the_diff_of_2013_and_2014_shows_the_2014_turn_clause_by_clause() -> None:
    """L.L. 2014/58 and 59: a judicial warrant and a violent or serious crime (or a possible database match)
    replace the 2013 triggers; the pending-case, warrant, gang and removal triggers go."""
    diff = diff_regimes(NYC, "nyc-2013", "nyc-2014")
    provisions = {p["provision"]: (p["old"], p["new"]) for p in diff["provisions"]}
    assert provisions["9-131/2013"] == ("in effect from 2013-07-16", "not part of the regime")
    assert provisions["9-131(b)"] == ("not part of the regime", "in effect from 2014-12-14")
    assert {"parameter": "lookback_years", "old": 10, "new": 5} in diff["parameters"]
    rules = {(r["agency"], r["action"]): r for r in diff["rules"]}
    doc_hold = rules[("DOC", "hold")]
    assert doc_hold["rule_clause"] == {
        "old": "NYC Admin. Code (2013) § 9-131(b)(1)",
        "new": "NYC Admin. Code § 9-131(b)(1)",
    }
    added = {n.get("clause") for n in doc_hold["added"]}
    assert {"NYC Admin. Code § 9-131(b)(1)(i)", "NYC Admin. Code § 9-131(a)(7)(i)"} <= added
    removed = {n.get("clause") for n in doc_hold["removed"]}
    old = "NYC Admin. Code (2013) § 9-131"
    for clause in ("(b)(2)(i)(B)", "(b)(2)(i)(C)", "(b)(2)(i)(D)", "(b)(2)(ii)(A)", "(b)(2)(ii)(B)", "(a)(7)(ii)"):
        assert old + clause in removed, clause
    changed = {c["id"]: c["changes"] for c in doc_hold["changed"]}
    assert changed["doc.detainer.tsdb"]["clause"] == {
        "old": "NYC Admin. Code (2013) § 9-131(b)(2)(i)(E)",
        "new": "NYC Admin. Code § 9-131(b)(1)(ii)(B)",
    }
    assert changed["doc.detainer.convicted"]["clause"]["old"] == "NYC Admin. Code (2013) § 9-131(b)(2)(i)(A)"
    nypd_hold = rules[("NYPD", "hold")]
    assert "NYC Admin. Code § 14-154(b)(2)" in {n.get("clause") for n in nypd_hold["added"]}
    assert "NYC Admin. Code (2013) § 14-154(b)(2)(i)(C)" in {n.get("clause") for n in nypd_hold["removed"]}
    # DOC information: no city law in 2013 (the section restricted only honoring detainers); (h)(1) from 2014.
    assert rules[("DOC", "info:release_date")]["rule_clause"]["new"] == "NYC Admin. Code § 9-131(h)(1)"


def test_the_diff_command_prints_the_2014_turn() -> None:
    from typer.testing import CliRunner

    from sanctuary.cli import app

    result = CliRunner().invoke(app, ["diff", "nyc-2013", "nyc-2014"])
    assert result.exit_code == 0, result.output
    assert "NYC Admin. Code (2013) § 9-131(b)(2)(i)(B)" in result.stdout
    assert "Adds “federal immigration authorities present a judicial warrant with the detainer”" in result.stdout
