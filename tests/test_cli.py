"""The command line, as the contract specifies it: output, errors on stderr, exit status."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctuary.cli import app
from sanctuary.packs.nyc.case import CASE_FORMAT

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "doc-detainer.json"
runner = CliRunner()


def test_decide_one_file() -> None:
    result = runner.invoke(app, ["decide", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert decision["regime"] == "nyc-2017"
    assert decision["agency"] == "DOC"
    assert decision["decision_date"] == "2024-03-01"
    assert [o["result"] for o in decision["outcomes"]] == ["permitted", "permitted", "permitted"]
    for outcome in decision["outcomes"]:
        assert set(outcome) >= {"action", "result", "citations", "reasons", "missing", "warnings"}


def test_jsonl_answers_every_valid_line_and_reports_invalid_ones_by_line(tmp_path: Path) -> None:
    good = json.loads(EXAMPLE.read_text())
    bad = dict(good, decision_date="2024-13-01")
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join([json.dumps(good), "{not json", "", json.dumps(bad), json.dumps(good)]) + "\n")
    result = runner.invoke(app, ["decide", str(batch)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all(json.loads(line)["regime"] == "nyc-2017" for line in lines)
    assert f"{batch}:2:" in result.stderr
    assert f"{batch}:4: decision_date:" in result.stderr
    assert f"{batch}:1:" not in result.stderr


def test_an_invalid_single_case_writes_nothing_to_stdout(tmp_path: Path) -> None:
    case = json.loads(EXAMPLE.read_text())
    case["person"]["convictions"][0]["level"] = "felonious"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(case))
    result = runner.invoke(app, ["decide", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "person.convictions[0].level" in result.stderr


def test_a_missing_file_is_an_error() -> None:
    result = runner.invoke(app, ["decide", "no-such-file.json"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_regimes_lists_ids_status_and_dates() -> None:
    result = runner.invoke(app, ["regimes", "--json"])
    assert result.exit_code == 0
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["nyc-2014"]["status"] == "law" and rows["nyc-2014"]["in_force_from"] == "2014-12-14"
    assert rows["adams-2024"]["status"] == "proposal"
    human = runner.invoke(app, ["regimes"])
    assert human.exit_code == 0 and "repeal-2024" in human.stdout


def test_the_published_schema_is_generated_from_the_model() -> None:
    published = json.loads((ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    assert published == CASE_FORMAT.json_schema(), "run `sanctuary schema > schema/case.schema.json`"


def test_the_schema_accepts_the_example_and_rejects_unknown_fields() -> None:
    import jsonschema

    schema = CASE_FORMAT.json_schema()
    case = json.loads(EXAMPLE.read_text())
    jsonschema.validate(case, schema)
    case["person"]["surprise"] = 1
    try:
        jsonschema.validate(case, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("the schema accepted an unknown field")


def test_the_jurisdiction_is_chosen_among_the_installed_packs() -> None:
    from sanctuary.jurisdictions import available, load
    from sanctuary.packs.nyc import NYC

    assert "nyc" in available()
    assert load() is NYC and load("nyc") is NYC
    result = runner.invoke(app, ["--jurisdiction", "atlantis", "regimes"])
    assert result.exit_code == 2
    assert "atlantis" in result.output and "nyc" in result.output
    assert runner.invoke(app, ["--jurisdiction", "nyc", "regimes", "--json"]).exit_code == 0
