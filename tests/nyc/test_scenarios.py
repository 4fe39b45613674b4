"""Scenario files: the law, clause by clause, as cases a lawyer can read (``tests/nyc/scenarios/*.yaml``).

Each file has a ``base`` case and a list of scenarios. A scenario names the clause it tests, changes the
base (``case:``, deep-merged; ``"<absent>"`` removes a fact), and states what the law answers for each
action: ``result`` always; optionally ``cites`` (clauses that must be cited), ``missing`` (exactly the facts
that would decide), ``limits``, ``reason`` / ``warns`` (words that must appear in a reason / a warning),
``no_warnings``. Scenarios whose case is invalid state ``invalid:`` and the field path the error must name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sanctuary.facts.case import CaseError
from tests.conftest import merge, run

SCENARIO_DIR = Path(__file__).parent / "scenarios"  # the New York pack's scenarios


def _load() -> list[Any]:
    params = []
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= {"title", "section", "base", "scenarios"}, path
        for scenario in data["scenarios"]:
            assert "name" in scenario and "clause" in scenario, (path, scenario)
            case = merge(data.get("base", {}), scenario.get("case", {}))
            params.append(pytest.param(case, scenario, id=f"{path.stem}: {scenario['name']}"))
    return params


SCENARIOS = _load()


def test_there_are_scenarios_for_every_section() -> None:
    clauses = " ".join(p.values[1]["clause"] for p in SCENARIOS)
    for section in (
        "9-131(b)(1)",
        "9-131(h)(1)",
        "9-131(h)(2)",
        "14-154(b)(1)",
        "14-154(b)(2)",
        "9-205(b)",
        "10-178",
        "9-131(a)(2)",
        "9-131(a)(5)",
        "9-131(a)(7)",
        "39 RCNY",
        "L.L. 2011/62 § 2",
        "9-131(d)",
    ):
        assert section in clauses, f"no scenario for {section}"


def test_there_are_scenarios_for_every_trigger_and_exclusion_of_the_2011_and_2013_laws() -> None:
    clauses = " ".join(p.values[1]["clause"] for p in SCENARIOS)
    triggers = ["(b)(1)", "(b)(2)(i)(A)", "(b)(2)(i)(B)", "(b)(2)(i)(C)", "(b)(2)(i)(D)", "(b)(2)(i)(E)",
                "(b)(2)(ii)(A)", "(b)(2)(ii)(B)"]  # fmt: skip
    expected = [f"NYC Admin. Code (2011) § 9-131{t}" for t in triggers]
    expected += [f"NYC Admin. Code (2013) § 9-131{t}" for t in triggers]
    expected += [f"NYC Admin. Code (2013) § 9-131(a)(4)({x})" for x in "ABCDE"]
    expected += [f"NYC Admin. Code (2013) § 9-131(a)(7)({x})" for x in ("ii", "iii", "iv", "v")]
    expected += ["NYC Admin. Code (2011) § 9-131(a)(2)", "NYC Admin. Code (2011) § 9-131(a)(5)",
                 "NYC Admin. Code (2013) § 9-131(a)(2)(i)", "NYC Admin. Code (2013) § 9-131(a)(2)(ii)",
                 "NYC Admin. Code (2013) § 9-131(a)(3)", "NYC Admin. Code (2013) § 14-154(b)(1)"]  # fmt: skip
    for clause in expected:
        assert clause in clauses, f"no scenario for {clause}"


@pytest.mark.parametrize(("case", "scenario"), SCENARIOS)
def test_scenario(case: dict[str, Any], scenario: dict[str, Any]) -> None:
    if "invalid" in scenario:
        with pytest.raises(CaseError) as error:
            run(case)
        paths = [p.path for p in error.value.problems]
        assert scenario["invalid"] in paths, f"expected an error at {scenario['invalid']}, got {error.value}"
        return
    decision = run(case).as_dict()
    if "regime" in scenario:
        assert decision["regime"] == scenario["regime"]
    outcomes = {o["action"]: o for o in decision["outcomes"]}
    for action, expected in scenario["expect"].items():
        got = outcomes[action]
        context = f"{action}: {got}"
        assert got["result"] == expected["result"], context
        for clause in expected.get("cites", []):
            assert clause in got["citations"], f"{clause} not cited; {context}"
        if "missing" in expected:
            assert sorted(got["missing"]) == sorted(expected["missing"]), context
        if "limits" in expected:
            assert got.get("limits") == expected["limits"], context
        if "reason" in expected:
            assert any(expected["reason"] in r for r in got["reasons"]), context
        if "warns" in expected:
            assert any(expected["warns"] in w for w in got["warnings"]), context
        if expected.get("no_warnings"):
            assert got["warnings"] == [], context
        if got["result"] != "undetermined":
            assert got["missing"] == [], context
