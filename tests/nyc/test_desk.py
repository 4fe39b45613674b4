"""For the lawyer at the desk (issue 15): the short answer first, exact thresholds, notes where two actions
about the same information diverge. The defender's case (tests/fixtures/defender.json): a client at Rikers,
an I-247A with an I-200, a 2019 assault in the second degree (PL 120.05, a listed felony) entered just outside
the five-year look-back of § 9-131(a)(2)(ii), a pending robbery in the second degree, custody not known."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanctuary.cli import app
from sanctuary.engine.explain import explain
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case
from tests.conftest import merge, outcome

ROOT = Path(__file__).resolve().parents[2]
DEFENDER = ROOT / "tests" / "fixtures" / "defender.json"
CASE: dict[str, Any] = json.loads(DEFENDER.read_text(encoding="utf-8"))
runner = CliRunner()


def _custody(days: int, start: dt.date) -> list[dict[str, str]]:
    return [{"from": start.isoformat(), "to": (start + dt.timedelta(days=days - 1)).isoformat()}]


def test_explain_fits_on_one_screen_and_names_the_custody_threshold() -> None:
    result = runner.invoke(app, ["explain", str(DEFENDER)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) <= 50, len(lines)
    text = " ".join(line.strip() for line in lines)
    # Judgment 2019-05-01, arrest 2024-06-10: the look-back reaches back to 2019-06-10 (§ 9-131(a)(2)(ii)),
    # 40 days short of the judgment, so 41 days of custody on its case bring it within.
    assert "at least 41 days in custody" in text
    assert "entered on or after 2019-06-11" in text
    for action in ("hold", "notify_release", "info:release_date"):
        assert any(line.startswith(action) for line in lines)
    assert "--full" in text


def test_explain_full_keeps_the_whole_tree_and_prints_each_clause_once() -> None:
    result = runner.invoke(app, ["explain", str(DEFENDER), "--full"])
    assert result.exit_code == 0, result.output
    assert "The conditions" in result.stdout
    # § 9-131(a)(7)(i)'s words hold the list of sections; the tree shows it under all three actions, the
    # words only once.
    assert result.stdout.count("120.04-a(4)") == 1
    assert result.stdout.count("a felony defined in a listed Penal Law section") >= 3


def test_a_note_names_the_two_clauses_where_notify_and_information_diverge() -> None:
    # Judgment within five years: disclosing the release date is permitted by § 9-131(h)(1)(i), while notifying
    # of the release answers a detainer and needs the judicial warrant of § 9-131(b)(1)(i).
    case = merge(
        CASE, {"person": {"convictions": [merge(CASE["person"]["convictions"][0], {"judgment_date": "2020-05-01"})]}}
    )
    explanation = explain(parse_case(case), NYC)
    results = {o["action"]: o["result"] for o in explanation["outcomes"]}
    assert results["notify_release"] == "prohibited" and results["info:release_date"] == "permitted"
    [note] = explanation["notes"]
    assert note["clauses"] == ["NYC Admin. Code § 9-131(b)(1)", "NYC Admin. Code § 9-131(h)(1)"]
    assert "statute's structure" in note["says"]
    same = merge(case, {"request": {"actions": ["hold", "info:release_date"]}})
    assert explain(parse_case(same), NYC)["notes"] == []


def test_each_outcome_says_what_it_rests_on() -> None:
    explanation = explain(parse_case(CASE), NYC)
    by_action = {o["action"]: o for o in explanation["outcomes"]}
    assert by_action["hold"]["rests_on"][0]["cites"][0] == "NYC Admin. Code § 9-131(b)(1)(i)"
    [open_point] = by_action["info:release_date"]["rests_on"]
    assert open_point["cites"] == ["NYC Admin. Code § 9-131(a)(2)(ii)"]
    assert open_point["item"].startswith("Judgment 1")


def test_the_custody_question_counts_the_outcome_it_settles() -> None:
    # Unknown custody leaves the release date undetermined; the answer "none" and the answer "41 days" both
    # settle it, so the question settles it whatever the answer.
    [question] = explain(parse_case(CASE), NYC)["questions"]
    assert question["path"] == "person.convictions[0].incarceration"
    assert question["settles_whatever_the_answer"] == question["settles_at_most"] == 1


@settings(max_examples=25, deadline=None)
@given(short=st.integers(min_value=1, max_value=700), arrest_offset=st.integers(min_value=0, max_value=300))
def test_the_custody_threshold_is_exact(short: int, arrest_offset: int) -> None:
    """§ 9-131(a)(2)(ii): the custody the counterfactual names brings the judgment within the look-back, and
    one day less does not — whenever the threshold is met the outcome flips."""
    arrest = dt.date(2024, 6, 10) - dt.timedelta(days=arrest_offset)
    # Five years before the arrest, 29 February read as 28 February (as the look-back reads it, I-10).
    boundary = dt.date(arrest.year - 5, arrest.month, min(arrest.day, 28) if arrest.month == 2 else arrest.day)
    judged = boundary - dt.timedelta(days=short - 1)
    conviction = {"charge": "PL 120.05", "level": "felony", "judgment_date": judged.isoformat(), "court": "NY"}
    case = merge(
        CASE,
        {
            "request": {"actions": ["info:release_date"]},
            "person": {"instant_arrest_date": arrest.isoformat(), "convictions": [conviction], "pending_charges": []},
        },
    )
    assert outcome(case)["result"] == "undetermined"
    [release] = explain(parse_case(case), NYC)["outcomes"]
    custody = [
        c["changes"][0]
        for c in release["would_change_if"]
        if c["result"] == "permitted" and c["changes"][0]["path"].endswith(".incarceration")
    ]
    assert custody, release["would_change_if"]
    days = short  # the judgment is `short` days before the boundary day inclusive
    assert f"at least {days} days" in custody[0]["says"]
    with_days = merge(case, {"person": {"convictions": [dict(conviction, incarceration=_custody(days, judged))]}})
    assert outcome(with_days)["result"] == "permitted"
    fewer = _custody(days - 1, judged) if days > 1 else []
    one_less = merge(case, {"person": {"convictions": [dict(conviction, incarceration=fewer)]}})
    assert outcome(one_less)["result"] == "prohibited"


def test_batch_output_names_each_case_by_its_id_and_line(tmp_path: Path) -> None:
    first = dict(CASE, id="client-17")
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join([json.dumps(first), "{not json", json.dumps(CASE)]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["decide", str(batch)])
    assert result.exit_code == 2
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(a.get("id"), a["line"]) for a in answers] == [("client-17", 1), (None, 3)]
    assert f"{batch}:2:" in result.stderr
    compared = runner.invoke(app, ["decide", str(batch), "--regimes", "nyc-2017,adams-2024", "--format", "json"])
    assert [json.loads(line)["line"] for line in compared.stdout.splitlines()] == [1, 3]
    too_long = runner.invoke(app, ["decide", "-"], input=json.dumps(dict(CASE, id="x" * 129)))
    assert too_long.exit_code == 2 and "id" in too_long.stderr


def test_diff_opens_with_a_short_summary_and_states_each_change_once() -> None:
    result = runner.invoke(app, ["diff", "nyc-2017", "adams-2024"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    difference = json.loads(runner.invoke(app, ["diff", "nyc-2017", "adams-2024", "--format", "json"]).stdout)
    assert 2 <= len(difference["summary"]) <= 10
    assert text.startswith(difference["summary"][0])
    # No program output reaches the reader: no reprs of lists or None, no "Overrides: added [...]".
    for raw in ("None", "['", "→ [", "Overrides: added"):
        assert raw not in text, raw
    # The gang-database condition of the proposal: named in the summary and once in the detail, not per rule.
    assert text.count("listed in a law-enforcement gang database") == 2
    assert len(text.splitlines()) < 60


def test_every_diff_summary_is_at_most_ten_sentences() -> None:
    ids = list(NYC.regimes)
    for old, new in itertools.pairwise(ids):
        result = runner.invoke(app, ["diff", old, new])
        assert result.exit_code == 0, result.output
        difference = json.loads(runner.invoke(app, ["diff", old, new, "--format", "json"]).stdout)
        assert len(difference["summary"]) <= 10, (old, new)
        assert "None" not in result.stdout and "['" not in result.stdout, (old, new)


def test_the_regimes_table_keeps_the_warnings() -> None:
    example = ROOT / "examples" / "doc-detainer.json"
    result = runner.invoke(app, ["decide", str(example), "--regimes", "nyc-2017,nyc-2012", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "Warning (nyc-2012): nyc-2012 was not the law in force on 2024-03-01" in " ".join(result.stdout.split())


def test_the_memo_and_the_letter_from_the_command_line(tmp_path: Path) -> None:
    memo = runner.invoke(app, ["memo", str(DEFENDER)])
    assert memo.exit_code == 0, memo.output
    assert "Would change if" in memo.stdout and "at least 41 days in custody" in memo.stdout
    assert "The facts relied on" in memo.stdout and "PL 160.10" in memo.stdout
    letter = tmp_path / "letter.docx"
    result = runner.invoke(app, ["letter", str(DEFENDER), "--out", str(letter)])
    assert result.exit_code == 0, result.output
    assert letter.read_bytes()[:2] == b"PK"  # a Word file is a zip
    wrong = runner.invoke(app, ["letter", str(DEFENDER), "--out", str(tmp_path / "letter.pdf")])
    assert wrong.exit_code == 2 and "--out" in wrong.stderr
