"""Properties the law has by its structure, checked on random cases (hypothesis)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanctuary.cli import app
from tests.conftest import run
from tests.strategies import full_cases, partial_of

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JUDICIAL_WARRANT = {
    "type": "warrant",
    "signer": "article_iii_judge",
    "probable_cause": True,
    "authorizes_immigration_custody": True,
    "presented_with_detainer": True,
}


def _results(case: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["action"]: o for o in run(case).as_dict()["outcomes"]}


@st.composite
def full_and_partial(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    full = draw(full_cases())
    return full, draw(partial_of(full))


@SETTINGS
@given(full_and_partial())
def test_learning_an_unknown_fact_never_flips_a_decided_outcome(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _never_flips(*pair)


def _never_flips(full: dict[str, Any], partial: dict[str, Any]) -> None:
    known, later = _results(partial), _results(full)
    for action, outcome in known.items():
        if outcome["result"] != "undetermined":
            assert later[action]["result"] == outcome["result"], (action, outcome, later[action])


@st.composite
def early_full_and_partial(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Cases from 2010 on, under the laws of 2012 and 2013 too, with the facts those laws read."""
    full = draw(full_cases(early=True))
    return full, draw(partial_of(full))


@SETTINGS
@given(early_full_and_partial())
def test_under_the_2012_and_2013_laws_too_learning_a_fact_never_flips_a_decided_outcome(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    full, partial = pair
    _never_flips(full, partial)
    _names_only_absent_facts(partial)
    _decided_if_full(full)


@SETTINGS
@given(full_cases())
def test_a_full_case_is_decided_unless_a_charge_lacks_detail_or_the_rule_date_is_unknown(case: dict[str, Any]) -> None:
    _decided_if_full(case)


def _decided_if_full(case: dict[str, Any]) -> None:
    for outcome in _results(case).values():
        if outcome["result"] != "undetermined":
            continue
        if outcome["missing"]:
            # A charge written without the subdivision the list needs (PL 265.02), or an inchoate offense that
            # does not name its object (PL 105.15), leaves the charge itself incomplete.
            assert all(path.endswith(".charge") for path in outcome["missing"]), outcome
        else:
            # The only other gap is in the law: 39 RCNY § 2-01's unknown effective date.
            assert any("effective date is not known" in r for r in outcome["reasons"]), outcome


@SETTINGS
@given(full_and_partial())
def test_undetermined_names_only_facts_the_case_does_not_give(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _names_only_absent_facts(pair[1])


def _names_only_absent_facts(partial: dict[str, Any]) -> None:
    for outcome in _results(partial).values():
        assert (outcome["result"] == "undetermined") == bool(outcome["missing"]) or not outcome["missing"]
        for path in outcome["missing"]:
            if path.endswith(".charge") and _lookup(partial, path) is not None:
                continue  # the charge is given but lacks the subdivision or object the law needs
            assert _lookup(partial, path) is None, (path, outcome)


def _lookup(case: dict[str, Any], path: str) -> Any:
    value: Any = case
    for part in path.replace("[", ".[").split("."):
        if part.startswith("["):
            value = value[int(part[1:-1])]
            continue
        value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return None
    if isinstance(value, str) and value == "unknown":  # a signer of "unknown" is an unknown fact
        return None
    return value


@SETTINGS
@given(full_and_partial())
def test_adding_a_judicial_warrant_never_turns_permitted_into_prohibited(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    for case in pair:
        before = _results(case)
        with_warrant = copy.deepcopy(case)
        with_warrant["request"]["documents"] = [*case["request"].get("documents", []), JUDICIAL_WARRANT]
        after = _results(with_warrant)
        for action, outcome in before.items():
            if outcome["result"] == "permitted":
                assert after[action]["result"] != "prohibited", (action, outcome, after[action])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(full_and_partial(), min_size=1, max_size=4))
def test_the_same_case_gets_the_same_answer_alone_and_in_a_jsonl_batch(
    tmp_path: Path, pairs: list[tuple[dict[str, Any], dict[str, Any]]]
) -> None:
    cases = [case for pair in pairs for case in pair]
    runner = CliRunner()
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(c) for c in cases) + "\n", encoding="utf-8")
    together = runner.invoke(app, ["decide", str(batch)])
    assert together.exit_code == 0, together.output
    lines = [json.loads(line) for line in together.stdout.splitlines()]
    assert len(lines) == len(cases)
    for index, case in enumerate(cases):
        single = tmp_path / f"case{index}.json"
        single.write_text(json.dumps(case), encoding="utf-8")
        alone = runner.invoke(app, ["decide", str(single)])
        assert alone.exit_code == 0, alone.output
        # The batch's answer also names its line (and the case's id, if any); the decision is the same.
        assert lines[index].pop("line") == index + 1
        assert json.loads(alone.stdout) == lines[index]


@SETTINGS
@given(full_and_partial())
def test_a_case_written_back_out_is_the_same_case(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Counterfactuals and questions change a case's JSON; writing a case back out must keep every fact,
    including an explicit null (unknown) where the contract's default is false."""
    from sanctuary.packs.nyc.case import parse_case

    for data in pair:
        case = parse_case(data)
        again = parse_case(case.model_dump_json(by_alias=True, exclude_unset=True))
        assert again == case
