"""Reform files (issue 18): a proposal written as TOML changes to a regime, read by every command, refused with
its line and field when it cannot be used; the example ``adams-2024-three-robberies`` as scenarios a lawyer can
read (``tests/nyc/reforms/*.yaml``)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanctuary.cli import app
from sanctuary.engine import decide
from sanctuary.facts.case import CaseError
from sanctuary.facts.truth import Tri
from sanctuary.law.reform import ReformError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case
from sanctuary.packs.nyc.catalog import DATA_FILE, load_catalog
from sanctuary.packs.nyc.convictions import violent_or_serious
from sanctuary.packs.nyc.reform_format import reform_json_schema
from tests.conftest import merge
from tests.strategies import full_cases

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "reforms" / "adams-2024-three-robberies.toml"
REFORM_SCENARIOS = Path(__file__).parent / "reforms"
runner = CliRunner()

TEN_YEARS = """
reform = 1
id = "ten-years-two-more"
title = "Ten-year look-back, two more sections"
summary = "Convictions count for ten years; PL 140.20 and 155.30 join the list."
base = "nyc-2017"

[[sources]]
title = "A test's own proposal"

[parameters.lookback_years]
value = 10
words = "A judgment counts for ten years before the instant arrest."
citation = "Test proposal § 1"

[offenses]
add = ["140.20", "155.30"]
words = "Burglary in the third degree and grand larceny in the fourth degree are violent or serious crimes."
citation = "Test proposal § 2"
"""


def _reform(text: str, source: str = "reform.toml") -> Any:
    return NYC.with_reform(text, source)


def _refusal(text: str) -> ReformError:
    with pytest.raises(ReformError) as error:
        _reform(text)
    return error.value


# --- the example, as scenarios ----------------------------------------------------------------------------------


def _scenarios() -> list[Any]:
    params = []
    for path in sorted(REFORM_SCENARIOS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for scenario in data["scenarios"]:
            assert "name" in scenario and "clause" in scenario, (path, scenario)
            case = merge(data["base"], scenario.get("case", {}))
            params.append(pytest.param(data["reform"], case, scenario, id=f"{path.stem}: {scenario['name']}"))
    return params


@pytest.mark.parametrize(("reform", "case", "scenario"), _scenarios())
def test_reform_scenario(reform: str, case: dict[str, Any], scenario: dict[str, Any]) -> None:
    pack = _reform((ROOT / reform).read_text(encoding="utf-8"), reform)
    regime = next(r for r in pack.regimes if r not in NYC.regimes)
    decision = decide(parse_case(case | {"regime": regime}), pack).as_dict()
    outcomes = {o["action"]: o for o in decision["outcomes"]}
    for action, expected in scenario["expect"].items():
        got = outcomes[action]
        assert got["result"] == expected["result"], got
        for clause in expected.get("cites", []):
            assert clause in got["citations"], got
        if "missing" in expected:
            assert sorted(got["missing"]) == sorted(expected["missing"]), got
        if "reason" in expected:
            assert any(expected["reason"] in r for r in got["reasons"]), got
        if "warns" in expected:
            assert any(expected["warns"] in w for w in got["warnings"]), got


def test_the_example_is_a_proposal_based_on_nyc_2017_with_a_hash_of_its_own() -> None:
    pack = _reform(EXAMPLE.read_text(encoding="utf-8"))
    regime = pack.regimes["adams-2024-three-robberies"]
    assert (regime.status, regime.base) == ("proposal", "nyc-2017")
    assert pack.law_hash(regime) != NYC.law_hash(NYC.regimes["nyc-2017"])
    assert pack.law_hash(pack.regimes["nyc-2017"]) == NYC.law_hash(NYC.regimes["nyc-2017"])
    assert "adams-2024-three-robberies" not in NYC.regimes  # the installed pack is not changed


# --- the same change made in code ----------------------------------------------------------------------------------

SECTIONS = ["PL 140.20", "PL 155.30", "PL 160.15", "PL 155.35", "PL 230.34-a"]


@settings(max_examples=60, deadline=None)
@given(
    charge=st.sampled_from(SECTIONS),
    years_back=st.integers(min_value=0, max_value=12 * 365),
    warrant=st.booleans(),
)
def test_a_hand_written_reform_decides_as_the_same_change_made_in_code(
    charge: str, years_back: int, warrant: bool
) -> None:
    """A ten-year look-back and two sections added, by a reform file, against the same change written in code:
    the list loaded from the data file with the two sections appended, and the look-back arithmetic by hand (no
    custody, so no extension)."""
    pack = _reform(TEN_YEARS)
    arrest = dt.date(2025, 1, 10)
    judged = arrest - dt.timedelta(days=years_back)
    documents: list[dict[str, Any]] = [{"type": "I-247A"}]
    if warrant:
        documents.append(
            {
                "type": "warrant",
                "signer": "us_magistrate_judge",
                "probable_cause": True,
                "authorizes_immigration_custody": True,
                "presented_with_detainer": True,
            }
        )
    conviction = {
        "charge": charge,
        "level": "felony",
        "court": "NY",
        "judgment_date": judged.isoformat(),
        "incarceration": [],
    }
    case = parse_case(
        {
            "agency": "DOC",
            "decision_date": "2025-02-01",
            "regime": "ten-years-two-more",
            "request": {"from": "ICE", "documents": documents, "actions": ["hold"]},
            "person": {
                "instant_arrest_date": arrest.isoformat(),
                "convictions": [conviction],
                "tsdb_possible_match": False,
            },
        }
    )
    text = (ROOT / "src" / "sanctuary" / "packs" / "nyc" / DATA_FILE).read_text(encoding="utf-8")
    by_hand = load_catalog(text.replace('sections = """\n', 'sections = """\n140.20, 155.30,\n', 1))
    listed = violent_or_serious(case.person.convictions[0], "person.convictions[0]", by_hand, case.decision_date)[0]  # type: ignore[index]
    within = judged > arrest.replace(year=arrest.year - 10)
    expected = "permitted" if warrant and listed is Tri.TRUE and within else "prohibited"
    result = decide(case, pack).outcomes[0]
    assert result.result == expected, result.reasons
    if expected == "permitted" and charge in ("PL 140.20", "PL 155.30"):
        assert "Test proposal § 2" in result.citations


# --- refusals: the line and the field ----------------------------------------------------------------------------


def test_a_misspelt_field_is_refused_at_its_line() -> None:
    error = _refusal(TEN_YEARS.replace("[parameters.lookback_years]\nvalue", "[parameters.lookback_years]\nvalu"))
    assert error.field == "parameters.lookback_years.valu"
    assert error.line == TEN_YEARS.splitlines().index("value = 10") + 1
    assert "unknown field" in str(error) and f"reform.toml:{error.line}" in str(error)


def test_a_misspelt_parameter_is_refused_at_its_table() -> None:
    error = _refusal(TEN_YEARS.replace("[parameters.lookback_years]", "[parameters.lookback_yaers]"))
    assert error.field == "parameters.lookback_yaers"
    assert error.line == TEN_YEARS.splitlines().index("[parameters.lookback_years]") + 1


def test_a_section_both_added_and_removed_is_a_contradiction() -> None:
    error = _refusal(TEN_YEARS.replace('add = ["140.20", "155.30"]', 'add = ["160.05"]\nremove = ["160.05"]'))
    assert error.field == "offenses.add[0]" and "both added and removed" in str(error)
    assert error.line == TEN_YEARS.splitlines().index("[offenses]") + 2


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (('base = "nyc-2017"', 'base = "nyc-2071"'), "base", "unknown regime"),
        (('add = ["140.20", "155.30"]', 'remove = ["999.99"]'), "offenses.remove[0]", "not listed"),
        (('add = ["140.20", "155.30"]', 'add = ["160.15"]'), "offenses.add[0]", "already listed"),
        (('add = ["140.20", "155.30"]', 'add = ["robbery"]'), "offenses.add[0]", "cannot read"),
        (('id = "ten-years-two-more"', 'id = "nyc-2017"'), "id", "already a regime"),
        (("value = 10", "value = 5"), "parameters.lookback_years.value", "already 5"),
        (("value = 10", "value = 0"), "parameters.lookback_years.value", "greater than or equal to 1"),
        (("reform = 1", "reform = 2"), "reform", "Input should be 1"),
    ],
)
def test_what_does_not_exist_or_changes_nothing_is_refused(change: tuple[str, str], field: str, words: str) -> None:
    error = _refusal(TEN_YEARS.replace(*change))
    assert error.field == field, str(error)
    assert words in str(error)
    assert (
        error.line is not None
        and change[1].split(" =")[0].split("[")[0] in TEN_YEARS.replace(*change).splitlines()[error.line - 1]
    )


def test_a_condition_where_the_rule_asks_nothing_of_the_record_is_refused() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('agencies = ["DOC", "NYPD", "DOP"]', 'agencies = ["OTHER"]', 1)
    error = _refusal(text)
    assert error.field == "condition[0].actions" and "OTHER" in str(error)


def test_an_unknown_condition_kind_or_agency_is_refused_with_its_field() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    error = _refusal(text.replace('kind = "arrests"', 'kind = "arests"'))
    assert error.field == "condition[0]"
    error = _refusal(text.replace('agencies = ["DOC", "NYPD", "DOP"]', 'agencies = ["DOC", "HRA"]', 1))
    assert error.field == "condition[0].agencies[1]"
    assert error.line == text.splitlines().index('agencies = ["DOC", "NYPD", "DOP"]') + 1
    error = _refusal(text.replace("at_least = 3", "at_least = 3\nwithin = 2"))
    assert error.field == "condition[0].within"


def test_a_syntax_error_names_its_line() -> None:
    error = _refusal(TEN_YEARS.replace("value = 10", "value = = 10"))
    assert error.line == TEN_YEARS.splitlines().index("value = 10") + 1


# --- parameters: warrant signers and documents, the hold limit, the extension ------------------------------------


def _hold_case(**person: Any) -> dict[str, Any]:
    return {
        "agency": "NYPD",
        "decision_date": "2025-02-01",
        "request": {
            "from": "ICE",
            "documents": [{"type": "I-247A"}, {"type": "I-200"}],
            "actions": ["hold"],
        },
        "person": {
            "instant_arrest_date": "2025-01-10",
            "convictions": [
                {"charge": "PL 160.15", "level": "felony", "judgment_date": "2023-01-01", "incarceration": []}
            ],
            "tsdb_possible_match": False,
            "reentered_after_removal": True,
            **person,
        },
    }


PARAMETERS = """
reform = 1
id = "administrative-warrants"
title = "An I-200 counts; NYPD may hold 72 hours"
summary = "Test proposal."
law_in_force_on = 2025-02-01

[[sources]]
title = "Test"

[parameters.judicial_warrant_documents]
value = ["warrant", "court_order", "I-200"]
words = "An administrative warrant (I-200) counts as a judicial warrant."
citation = "Test § A"

[parameters.nypd_hold_limit_hours]
value = 72
words = "NYPD may hold for 72 hours."
citation = "Test § B"
"""


def test_an_administrative_warrant_and_a_longer_hold_when_the_reform_says_so() -> None:
    pack = _reform(PARAMETERS)
    case = parse_case(_hold_case())
    assert decide(case, NYC).outcomes[0].result == "permitted"  # the 48-hour hold of § 14-154(b)(2)
    assert decide(case, NYC).outcomes[0].limits == {"max_hours": 48, "excluding": ["saturday", "sunday", "holiday"]}
    reformed = decide(case.model_copy(update={"regime": "administrative-warrants"}), pack).outcomes[0]
    assert reformed.result == "permitted" and "Test § A" in reformed.citations  # (b)(1) with the I-200
    no_reentry = parse_case(_hold_case(reentered_after_removal=False))
    assert decide(no_reentry, NYC).outcomes[0].result == "prohibited"
    assert decide(no_reentry.model_copy(update={"regime": "administrative-warrants"}), pack).outcomes[0].result == (
        "permitted"
    )
    rule = pack.rule(pack.regimes["administrative-warrants"], "NYPD", "hold", day=dt.date(2025, 2, 1), by_date=False)
    limits = [n.limits for n in rule.root.walk() if n.id == "nypd.b2"]
    assert limits and limits[0] is not None and limits[0].max_hours == 72


def test_without_the_extension_custody_no_longer_brings_an_old_judgment_within() -> None:
    text = (
        TEN_YEARS.replace("value = 10", "value = 5")
        .replace("[parameters.lookback_years]", "[parameters.lookback_extension]")
        .replace("value = 5", "value = false", 1)
    )
    text = text.split("[offenses]")[0]
    pack = _reform(text)
    person = {
        "instant_arrest_date": "2025-01-10",
        "convictions": [
            {
                "charge": "PL 160.15",
                "level": "felony",
                "judgment_date": "2019-06-01",
                "offense_date": "2019-01-01",
                "incarceration": [{"from": "2019-06-01", "to": "2021-06-01"}],
            }
        ],
        "tsdb_possible_match": False,
    }
    case = parse_case(_hold_case(**person) | {"agency": "DOC"})
    doc = case.model_copy(update={"request": case.request.model_copy(update={"documents": None})})
    assert decide(doc, NYC).outcomes[0].result == "undetermined"  # a warrant unknown, the record met
    assert decide(doc.model_copy(update={"regime": "ten-years-two-more"}), pack).outcomes[0].result == "prohibited"


# --- the format's schema, and the commands ----------------------------------------------------------------------


def test_the_published_reform_schema_is_generated_and_accepts_the_example() -> None:
    import jsonschema

    published = json.loads((ROOT / "schema" / "reform.schema.json").read_text(encoding="utf-8"))
    assert published == reform_json_schema(), "run `sanctuary schema --reform > schema/reform.schema.json`"
    data = json.loads(json.dumps(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")), default=str))
    jsonschema.validate(data, published)
    data["condition"][0]["at_leest"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, published)


def _case_file(tmp_path: Path, case: dict[str, Any]) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


def _robbery_case(arrests: int) -> dict[str, Any]:
    data = yaml.safe_load((REFORM_SCENARIOS / "adams_2024_three_robberies.yaml").read_text(encoding="utf-8"))
    case: dict[str, Any] = data["base"]
    case["person"]["arrest_history"] = case["person"]["arrest_history"][-arrests:]
    return case


def test_every_command_takes_a_reform_file(tmp_path: Path) -> None:
    path = _case_file(tmp_path, _robbery_case(3))
    decided = runner.invoke(app, ["decide", str(path), "--regime", str(EXAMPLE)])
    assert decided.exit_code == 0, decided.output
    assert json.loads(decided.stdout)["outcomes"][0]["result"] == "permitted"
    explained = runner.invoke(app, ["explain", str(path), "--regime", str(EXAMPLE), "--format", "json"])
    assert explained.exit_code == 0 and "three robberies" in explained.stdout
    compared = runner.invoke(app, ["decide", str(path), "--regimes", f"nyc-2017,{EXAMPLE}", "--format", "json"])
    results = json.loads(compared.stdout)["outcomes"][0]["results"]
    assert results == {"nyc-2017": "prohibited", "adams-2024-three-robberies": "permitted"}
    diffed = runner.invoke(app, ["diff", "nyc-2017", str(EXAMPLE)])
    assert diffed.exit_code == 0 and "Mayor Adams, statement of February 2024 (three robberies)" in diffed.stdout
    two = _case_file(tmp_path, _robbery_case(2))
    assert (
        json.loads(runner.invoke(app, ["decide", str(two), "--regime", str(EXAMPLE)]).stdout)["outcomes"][0]["result"]
        == "prohibited"
    )


def test_a_population_comparison_takes_a_reform_file(tmp_path: Path) -> None:
    lines = tmp_path / "cases.jsonl"
    lines.write_text(
        "\n".join(json.dumps(_robbery_case(n) | {"record_id": f"r{n}"}) for n in (1, 2, 3)), encoding="utf-8"
    )
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        ["compare", str(lines), "--regimes", f"nyc-2017,{EXAMPLE}", "--action", "info:release_date", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "adams-2024-three-robberies" in json.dumps(summary)


def test_a_refused_reform_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(TEN_YEARS.replace('base = "nyc-2017"', 'base = "nyc-2071"'), encoding="utf-8")
    path = _case_file(tmp_path, _robbery_case(3))
    result = runner.invoke(app, ["decide", str(path), "--regime", str(bad)])
    assert result.exit_code == 2
    line = TEN_YEARS.splitlines().index('base = "nyc-2017"') + 1
    assert f"bad.toml:{line}: base: unknown regime" in result.stderr
    repeal = (ROOT / "examples" / "reforms" / "repeal-2024.toml").read_text(encoding="utf-8")
    error = _refusal(repeal.replace('"9-205", "10-178"]', '"9-205", "10-178", "9-999"]'))
    assert error.field == "repeal.provisions[5]" and "no provision '9-999'" in str(error)
    missing = runner.invoke(app, ["diff", "nyc-2017", str(tmp_path / "absent.toml")])
    assert missing.exit_code == 2 and "cannot read the reform file" in missing.stderr


# --- a built-in proposal as a file -------------------------------------------------------------------------------

BUILT_IN = [("adams-2024", "adams-2024.toml"), ("repeal-2024", "repeal-2024.toml")]


@pytest.mark.parametrize(("regime", "file"), BUILT_IN)
@settings(max_examples=120, deadline=None)
@given(case=full_cases())
def test_a_built_in_proposal_written_as_a_file_decides_as_the_built_in(
    regime: str, file: str, case: dict[str, Any]
) -> None:
    """Every outcome, its missing facts and its warnings, of a built-in proposal and of the same proposal as a
    reform file (``examples/reforms/``)."""
    pack = _reform((ROOT / "examples" / "reforms" / file).read_text(encoding="utf-8"))
    try:
        built_in = decide(parse_case(case | {"regime": regime}), NYC)
    except CaseError:
        return
    from_file = decide(parse_case(case | {"regime": f"{regime}-file"}), pack)
    for ours, theirs in zip(from_file.outcomes, built_in.outcomes, strict=True):
        assert (ours.result, sorted(ours.missing)) == (theirs.result, sorted(theirs.missing)), ours.action
        assert sorted(ours.warnings[1:]) == sorted(theirs.warnings[1:])  # the first names the proposal


# --- populations: the columnar evaluator reads a reform's trees as the single-case engine does ----------------------

POPULATION_REFORM = TEN_YEARS.replace(
    "[offenses]",
    """[parameters.lookback_extension]
value = false
words = "Time served no longer extends the look-back."
citation = "Test proposal § 3"

[[condition]]
id = "burglary-pending"
kind = "pending_charge"
crimes = ["140.20", "140.25", "140.30"]
attempts = true
agencies = ["DOC", "NYPD"]
actions = ["hold", "info:release_date"]
words = "A pending burglary charge also counts."
citation = "Test proposal § 4"

[[condition]]
id = "any-felony"
kind = "felony_conviction"
agencies = ["DOC", "DOP"]
actions = ["hold", "info:release_date"]
words = "Any felony conviction also counts."
citation = "Test proposal § 5"

[offenses]""",
)


@settings(max_examples=25, deadline=None)
@given(st.lists(full_cases(), min_size=1, max_size=12))
def test_the_columnar_evaluator_reads_a_reform_as_the_single_case_engine(cases: list[dict[str, Any]]) -> None:
    import polars as pl

    from sanctuary.population.columnar import ColumnarDecider
    from sanctuary.population.evaluate import Scenario, decide_population

    pack = _reform(POPULATION_REFORM)
    rows = []
    for i, case in enumerate(cases):
        data = {k: v for k, v in case.items() if k != "regime"}
        data["request"] = {k: v for k, v in data["request"].items() if k != "actions"}
        rows.append(
            {"record_id": str(i), "case": json.dumps(data, sort_keys=True), "current_judgment": None, "problem": None}
        )
    frame = pl.DataFrame(
        rows, schema={"record_id": pl.String, "case": pl.String, "current_judgment": pl.String, "problem": pl.String}
    )
    # The reform alone: beside nyc-2017, two kinds of look-back (extended and not) are one history test too many
    # for the columnar evaluator, and the comparison is decided case by case instead (``supports``).
    scenario = Scenario(("ten-years-two-more",), ("hold", "info:release_date"))
    decider = ColumnarDecider(pack, scenario)
    assert decider.supports()
    columnar = decider.decide_frame(frame)
    pattern = decide_population(frame, scenario, pack)
    for column in (c for c in pattern.columns if "|" in c):
        assert columnar[column].to_list() == pattern[column].to_list(), column


@pytest.mark.parametrize(
    ("person", "result", "cited"),
    [
        ({"pending_charges": [{"charge": "PL 140.20", "arrest_date": "2025-01-10"}]}, "permitted", "Test proposal § 4"),
        ({"pending_charges": [{"charge": "PL 140.15", "arrest_date": "2025-01-10"}]}, "prohibited", None),
        ({"pending_charges": [{"charge": "PL 140.25", "inchoate": "attempt"}]}, "permitted", "Test proposal § 4"),
        ({"pending_charges": [{"charge": "PL 140.25", "inchoate": "conspiracy"}]}, "prohibited", None),
        (
            {"convictions": [{"charge": "PL 155.35", "level": "felony", "judgment_date": "2001-01-01"}]},
            "permitted",
            "Test proposal § 5",
        ),
        (
            {
                "convictions": [
                    {"charge": "PL 155.35", "level": "felony", "judgment_date": "2001-01-01", "youthful_offender": True}
                ]
            },
            "prohibited",
            None,
        ),
        ({"convictions": [{"charge": "PL 155.35", "judgment_date": "2001-01-01"}]}, "permitted", "Test proposal § 5"),
        ({"convictions": [{"charge": "PL 155.25", "judgment_date": "2001-01-01"}]}, "prohibited", None),
    ],
)
def test_the_pending_charge_and_felony_conditions(person: dict[str, Any], result: str, cited: str | None) -> None:
    """A pending charge on the proposal's own list (an attempt counts, a conspiracy does not); any felony judgment,
    a class the Penal Law fixes (PL 155.35, grand larceny 3rd, class D) counting as stated (a YO adjudication
    never)."""
    pack = _reform(POPULATION_REFORM)
    case = {
        "agency": "DOC",
        "decision_date": "2025-02-01",
        "regime": "ten-years-two-more",
        "request": {"from": "ICE", "documents": [{"type": "letter"}], "actions": ["info:release_date"]},
        "person": {
            "instant_arrest_date": "2025-01-10",
            "convictions": [],
            "pending_charges": [],
            "tsdb_possible_match": False,
        }
        | person,
    }
    outcome = decide(parse_case(case), pack).outcomes[0]
    assert outcome.result == result, outcome.reasons
    if cited:
        assert cited in outcome.citations


def test_a_pack_without_a_reform_format_refuses_a_reform_file_as_invalid_input() -> None:
    from sanctuary.errors import InvalidInputError
    from sanctuary.law.jurisdiction import Reformable
    from sanctuary.law.reform import resolve_regimes

    assert isinstance(NYC, Reformable)

    class NoReforms:  # a pack's face with regimes and a name, and no reform format
        name = "Nowhere"
        regimes = NYC.regimes

    with pytest.raises(InvalidInputError) as error:
        resolve_regimes(NoReforms(), ["nyc-2017", str(EXAMPLE)], "--regimes")  # type: ignore[arg-type]
    assert error.value.field == "--regimes" and "reads no reform files" in str(error.value)
    assert resolve_regimes(NoReforms(), ["nyc-2017"], "--regimes")[1] == ["nyc-2017"]  # type: ignore[arg-type]
