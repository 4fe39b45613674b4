"""Populations: loaders for real and own formats, the pattern evaluator's agreement with the single-case
engine, the comparison report, the synthetic generator."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanctuary.cli import app
from sanctuary.engine import decide
from sanctuary.facts.case import CaseError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case
from sanctuary.packs.nyc.data import charge_facts, read_doc_snapshot, read_doc_stays, read_nypd_arrests
from sanctuary.packs.nyc.synthetic import generate
from sanctuary.packs.nyc.tables import LAYOUT
from sanctuary.population.assumptions import AssumptionError, parse_assumption
from sanctuary.population.columnar import ColumnarDecider
from sanctuary.population.evaluate import INVALID, Scenario, decide_population
from sanctuary.population.records import columns, read_cases_jsonl, read_population
from sanctuary.population.tables import Tables, drop_nulls, flatten, read_tables, write_tables
from tests.strategies import full_cases, partial_of

FIXTURES = Path(__file__).parent / "fixtures"
REGIMES = ("nyc-2017", "adams-2024", "repeal-2024", "nyc-2026")
ACTION_LISTS = st.lists(
    st.sampled_from(
        ["hold", "transfer", "notify_release", "info:release_date", "info:citizenship_status", "office_on_premises"]
    ),
    min_size=1,
    max_size=3,
    unique=True,
)
runner = CliRunner()

#: The request these tests suppose for records from public data (which state none): a civil immigration
#: detainer, as ICE lodges it (a comparison built from options supposes one of the pack's named requests instead).
DETAINER: dict[str, Any] = {"from": "ICE", "documents": [{"type": "I-247A"}]}


def detainer_scenario(*args: Any, **kwargs: Any) -> Scenario:
    """A scenario supposing :data:`DETAINER` unless the test says otherwise."""
    return Scenario(*args, **{"request": DETAINER, **kwargs})


@st.composite
def populations(draw: st.DrawFn) -> list[dict[str, Any]]:
    cases = []
    for _ in range(draw(st.integers(1, 6))):
        full = draw(full_cases())
        case = draw(st.sampled_from([full, draw(partial_of(full))]))
        case.pop("regime", None)
        cases.append(case)
    if draw(st.booleans()):
        cases.append(copy.deepcopy(cases[0]))  # duplicates share a pattern
    return cases


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    populations(),
    ACTION_LISTS,
)
def test_the_population_result_equals_the_single_case_result(cases: list[dict[str, Any]], actions: list[str]) -> None:
    rows = []
    for i, case in enumerate(cases):
        stripped = copy.deepcopy(case)
        stripped["request"].pop("actions")
        rows.append({"record_id": str(i), "case": json.dumps(stripped, sort_keys=True), "current_judgment": None})
    frame = pl.DataFrame(rows, schema={"record_id": pl.String, "case": pl.String, "current_judgment": pl.String})
    decided = decide_population(frame, detainer_scenario(REGIMES, tuple(actions)), NYC)
    assert decided.height == len(cases)
    for i, case in enumerate(cases):
        row = decided.filter(pl.col("record_id") == str(i)).row(0, named=True)
        for regime in REGIMES:
            single = dict(case, regime=regime)
            single["request"] = dict(case["request"], actions=actions)
            expected = {o["action"]: o["result"] for o in decide(parse_case(single), NYC).as_dict()["outcomes"]}
            for action in actions:
                assert row[f"{regime}|{action}"] == expected[action], (regime, action, case)


def test_doc_snapshots_in_both_layouts() -> None:
    foil = read_doc_snapshot(FIXTURES / "DOC_Inmates_InCustody_Daily_20170630.csv")
    api = read_doc_snapshot(FIXTURES / "DOC_Inmates_InCustody_Daily_20260821.csv")
    # The flat layout's columns for New York, as files written before hold them: the breakdowns are the pack's.
    flat = ["record_id", "case", "current_judgment", "charge", "charge_group", "custody_status", "gang_flag"]
    assert foil.columns == columns(LAYOUT) == [*flat, "age_group", "problem"]
    assert foil.height == 6 and api.height == 5
    first = json.loads(foil.row(0, named=True)["case"])
    assert first == {
        "agency": "DOC",
        "decision_date": "2017-06-30",
        "person": {"pending_charges": [{"charge": "160.15"}]},  # the level is the Penal Law's, derived by the engine
    }
    assert foil.row(0, named=True)["gang_flag"] == "SRG flag"
    sentenced = foil.row(2, named=True)
    assert json.loads(sentenced["current_judgment"]) == {"charge": "120.05", "court": "NY"}
    problems = [p for p in foil["problem"].to_list() if p]
    assert problems == ["no charge recorded: (blank)", "charge is not a readable offense code: VOP"]
    attempt = json.loads(foil.row(3, named=True)["case"])["person"]["pending_charges"][0]
    assert attempt == {"charge": "110-125.25", "inchoate": "attempt"}  # an attempt's level is not known


def test_the_loaders_leave_the_level_to_the_penal_law() -> None:
    # The data gives a section and no level; the engine derives the level from the Penal Law's class, as it does
    # for any case (I-24, I-31): robbery 1st is a class B felony, an attempt of it a class C felony; PL 265.10's
    # class turns on the weapon, so its level stays unknown.
    assert charge_facts("160.15")[0] == {"charge": "160.15"}
    assert charge_facts("110-160.15")[0] == {"charge": "110-160.15", "inchoate": "attempt"}
    judicial = [
        {"type": "I-247A"},
        {
            "type": "warrant",
            "signer": "us_magistrate_judge",
            "probable_cause": True,
            "authorizes_immigration_custody": True,
            "presented_with_detainer": True,
        },
    ]

    def hold(charge: str) -> str:
        fact, _, _ = charge_facts(charge)
        case = {
            "agency": "DOC",
            "decision_date": "2024-03-01",
            "regime": "adams-2024",
            "request": {"from": "ICE", "documents": judicial, "actions": ["hold"]},
            "person": {"convictions": [], "tsdb_possible_match": False, "pending_charges": [fact]},
        }
        return str(decide(parse_case(case), NYC).outcomes[0].result)

    assert hold("160.15") == "permitted"
    assert hold("110-160.15") == "permitted"  # a felony attempt of a listed crime (a)(7)(iii)
    assert hold("265.10") == "undetermined"


def test_stays_nypd_and_jsonl_loaders(tmp_path: Path) -> None:
    stays = read_doc_stays(FIXTURES / "doc_stays_sample.csv")
    assert stays.height == 4
    assert stays.filter(pl.col("case").is_null()).height == 1  # the impossible date, counted not dropped
    arrests = read_nypd_arrests(FIXTURES / "nypd_arrests_sample.csv")
    assert arrests.height == 4
    robbery = json.loads(arrests.row(0, named=True)["case"])
    assert robbery["person"]["pending_charges"] == [{"charge": "PL 1601503", "level": "felony"}]
    assert arrests.row(3, named=True)["problem"].startswith("impossible date")
    lines = tmp_path / "cases.jsonl"
    lines.write_text(
        json.dumps({"agency": "DOC", "decision_date": "2024-03-01", "request": {"actions": ["hold"]}}) + "\n{broken\n"
    )
    cases = read_cases_jsonl(lines)
    assert cases.height == 2 and cases.row(1, named=True)["problem"].startswith("invalid JSON")


def test_the_proposal_permits_what_current_law_does_not_for_a_listed_violent_felony_charge() -> None:
    """With a judicial warrant assumed and no conviction history, a person held on a listed violent felony
    charge is permitted under adams-2024 and not under nyc-2017."""
    _, frame = read_population(FIXTURES / "DOC_Inmates_InCustody_Daily_20260821.csv", NYC.public_formats())
    assumptions = parse_assumption("judicial-warrant", NYC) + parse_assumption("no-conviction-history", NYC)
    decided = decide_population(frame, detainer_scenario(("nyc-2017", "adams-2024"), ("hold",), assumptions), NYC)
    robbery = decided.filter(pl.col("charge") == "160.15").row(0, named=True)
    assert robbery["adams-2024|hold"] == "permitted"
    assert robbery["nyc-2017|hold"] != "permitted"
    drugs = decided.filter(pl.col("charge") == "220.39").row(0, named=True)
    assert drugs["adams-2024|hold"] != "permitted"


def test_compare_command_writes_a_report_whose_counts_add_up(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        [
            "compare",
            str(FIXTURES / "DOC_Inmates_InCustody_Daily_20170630.csv"),
            str(FIXTURES / "DOC_Inmates_InCustody_Daily_20260821.csv"),
            "--regimes",
            "nyc-2017,adams-2024",
            "--assume",
            "judicial-warrant",
            "--assume",
            "person.tsdb_possible_match=false",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["records"] == 11
    for regime in ("nyc-2017", "adams-2024"):
        assert sum(summary["outcomes"][regime]["hold"].values()) == 11
    # ICE's usual request by default: every action it asks for, each record once per action
    assert summary["scenario"]["actions"] == ["hold", "notify_release", "info:release_date"]
    for action in summary["scenario"]["actions"]:
        assert sum(t["records"] for t in summary["transitions"] if t["action"] == action) == 11
    assert summary["scenario"]["assumptions"][-1] == {"path": "person.tsdb_possible_match", "value": False}
    assert summary["data_problems"]["charge is not a readable offense code"]["records"] == 2
    assert len(summary["series"]) == 2
    for name in ("report.html", "transitions.csv", "outcomes.png", "outcomes.svg"):
        assert (out / name).is_file()
    page = (out / "report.html").read_text()
    assert "What is supposed" in page and "Assumed of every record" in page and "warrant" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:|url\(\s*["']?https?:""", page), "no outside requests"


def test_compare_rejects_bad_arguments(tmp_path: Path) -> None:
    snapshot = str(FIXTURES / "DOC_Inmates_InCustody_Daily_20170630.csv")
    for extra in (
        ["--regimes", "nowhere"],
        ["--regimes", "nyc-2017", "--assume", "nonsense"],
        ["--regimes", "nyc-2017", "--action", "fly"],
        ["--regimes", "nyc-2017", "--assume", "person.gang_database=maybe"],
    ):
        result = runner.invoke(app, ["compare", snapshot, "--out", str(tmp_path), *extra])
        assert result.exit_code == 2, extra


def test_assumptions() -> None:
    assert parse_assumption("person.gang_database=true", NYC) == (("person.gang_database", True),)
    assert parse_assumption("request.from=CBP", NYC) == (("request.from", "CBP"),)
    with pytest.raises(AssumptionError):
        parse_assumption("not-a-preset", NYC)
    with pytest.raises(AssumptionError):
        parse_assumption("=1", NYC)
    # An assumption no case could hold is refused at once, naming the field and the problem.
    for text, problem in (
        ("person.gang_database=maybe", "person.gang_database: Input should be a valid boolean"),
        ("person.colour=1", "person.colour: unknown field"),
        ('person.convictions=[{"charge": 1}]', "person.convictions[0].charge: Input should be a valid string"),
        ("person.instant_arrest_date=2026-13-45", "person.instant_arrest_date: Input should be a valid date"),
    ):
        with pytest.raises(AssumptionError, match=re.escape(problem)):
            parse_assumption(text, NYC)
    # A date is never refused for being after the probe's decision date (a record's own date decides).
    assert parse_assumption("person.instant_arrest_date=2030-01-01", NYC) == (
        ("person.instant_arrest_date", "2030-01-01"),
    )


def test_synthetic_population_is_seeded_labelled_and_valid() -> None:
    one, two = generate(300, seed=7), generate(300, seed=7)
    assert one.equals(two)
    assert not one.equals(generate(300, seed=8))
    assert all(r.startswith("synthetic-") for r in one["record_id"].to_list())
    decided = decide_population(one, detainer_scenario(("nyc-2017",), ("hold",)), NYC)
    assert INVALID not in decided["nyc-2017|hold"].to_list()


def test_real_doc_snapshots_add_up(shared_data: Path) -> None:
    folder = shared_data / "nyc-doc-daily-inmates-in-custody" / "snapshots"
    for path in sorted(folder.glob("*.csv")):
        frame = read_doc_snapshot(path)
        rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
        assert frame.height == rows, path.name
        decided = decide_population(frame, detainer_scenario(("nyc-2017", "adams-2024"), ("hold",)), NYC)
        assert decided.height == rows
        assert (
            decided.filter(pl.col("nyc-2017|hold") == INVALID).height == frame.filter(pl.col("case").is_null()).height
        )


def test_real_nypd_arrests_read(shared_data: Path) -> None:
    frame = read_nypd_arrests(shared_data / "nypd-arrests" / "NYPD_Arrests_Data__DEC2017.csv")
    assert frame.height == 19452
    assert frame.filter(pl.col("case").is_null()).height == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    populations(),
    ACTION_LISTS,
    st.lists(
        st.sampled_from(
            [
                "judicial-warrant",
                "no-conviction-history",
                "no-database-match",
                "no-gang-listing",
                'person.instant_arrest_date="2020-01-01"',
            ]
        ),
        max_size=2,
        unique=True,
    ),
    st.booleans(),
)
def test_the_columnar_evaluator_equals_the_single_case_engine(
    cases: list[dict[str, Any]], actions: list[str], presets: list[str], judgment: bool
) -> None:
    """The compiled trees, over whole tables, give every record the single-case engine's answer."""
    from sanctuary.population.columnar import ColumnarDecider

    rows = []
    for i, case in enumerate(cases):
        stripped = drop_nulls(copy.deepcopy(case))  # the loaders and generator never write explicit nulls
        stripped["request"].pop("actions")
        current = json.dumps({"charge": "PL 160.10", "level": "felony", "court": "NY"}) if judgment and i % 2 else None
        rows.append(
            {
                "record_id": str(i),
                "case": json.dumps(stripped, sort_keys=True),
                "current_judgment": current,
                "problem": None,
            }
        )
    frame = pl.DataFrame(
        rows, schema={"record_id": pl.String, "case": pl.String, "current_judgment": pl.String, "problem": pl.String}
    )
    assumptions = tuple(pair for preset in presets for pair in parse_assumption(preset, NYC))
    scenario = detainer_scenario(REGIMES, tuple(actions), assumptions)
    decider = ColumnarDecider(NYC, scenario)
    columnar = decider.decide_frame(frame)
    # The same decider again, in two chunks: what it kept from earlier frames never changes a result.
    half = frame.height // 2
    in_chunks = pl.concat([decider.decide_frame(frame.slice(0, half)), decider.decide_frame(frame.slice(half))])
    # The same records through the tables layout on disk, read back in chunks of two records.
    tables = flatten(frame, LAYOUT)
    with tempfile.TemporaryDirectory() as folder:
        chunks = list(read_tables(write_tables(tables, Path(folder) / "population"), 2, LAYOUT))
    from_disk = pl.concat([decider.results(chunk) for chunk in chunks])
    pattern = decide_population(frame, scenario, NYC)
    for column in (c for c in pattern.columns if "|" in c):
        assert columnar[column].to_list() == pattern[column].to_list(), column
        assert in_chunks[column].to_list() == pattern[column].to_list(), column
        assert from_disk[column].to_list() == pattern[column].to_list(), column
    # The tables give back each record's case as the single-case engine reads it.
    expected = [(row["case"], row["current_judgment"]) for row in rows]
    assert tables.cases(list(range(frame.height))) == expected
    assert [case for chunk in chunks for case in chunk.cases(list(range(chunk.height)))] == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.integers(0, 3), st.booleans()), max_size=30))
def test_record_ids_name_the_same_rows_by_hash_or_by_join(rows: list[tuple[str | None, int, bool]]) -> None:
    """Two rows get the same id exactly when they are equal, whichever way the ids are made."""
    from sanctuary.population.columnar import _with_id

    frame = pl.DataFrame(rows, schema={"s": pl.String, "n": pl.Int64, "b": pl.Boolean}, orient="row")
    for hashed in (True, False):
        ids = _with_id(frame, ("s", "n", "b"), "id", hashed=hashed).sort("s", "n", "b", nulls_last=True)
        keyed = ids.select(pl.struct("s", "n", "b").alias("row"), "id").rows()
        for row, one in keyed:
            for other_row, other in keyed:
                assert (row == other_row) == (one == other)


def test_prefetch_yields_every_item_in_order_and_raises_the_readers_error() -> None:
    from sanctuary.population.records import prefetch

    assert list(prefetch(iter(range(5)))) == [0, 1, 2, 3, 4]

    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("line 7: not a date")

    seen = []
    with pytest.raises(ValueError, match="line 7"):
        for item in prefetch(failing()):
            seen.append(item)
    assert seen == [1]
    # A caller that stops early leaves no reader blocked behind it.
    items = prefetch(iter(range(100)))
    assert next(items) == 0
    items.close()
    for thread in threading.enumerate():
        if thread.name == "sanctuary-prefetch":
            thread.join(timeout=10)
            assert not thread.is_alive()


def test_columnar_and_pattern_agree_on_a_real_snapshot(shared_data: Path) -> None:
    from sanctuary.population.columnar import ColumnarDecider

    frame = read_doc_snapshot(
        shared_data / "nyc-doc-daily-inmates-in-custody" / "snapshots" / "DOC_Inmates_InCustody_Daily_20190630.csv"
    )
    scenario = detainer_scenario(
        REGIMES,
        ("hold", "info:release_date"),
        parse_assumption("judicial-warrant", NYC) + parse_assumption("no-conviction-history", NYC),
    )
    columnar = ColumnarDecider(NYC, scenario).decide_frame(frame)
    pattern = decide_population(frame, scenario, NYC)
    for column in (c for c in pattern.columns if "|" in c):
        assert columnar[column].to_list() == pattern[column].to_list(), column


def test_a_synthetic_parquet_table_is_decided_by_the_columnar_evaluator(tmp_path: Path) -> None:
    from sanctuary.packs.nyc.synthetic import write

    path = write(500, tmp_path / "synthetic.parquet")
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        ["compare", str(path), "--regimes", "nyc-2017,adams-2024", "--out", str(out), "--assume", "judicial-warrant"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["records"] == 500 and summary["synthetic"] is True
    assert "Synthetic data" in (out / "report.html").read_text()


def test_chunks_of_one_source_make_one_point_of_the_series(tmp_path: Path) -> None:
    from sanctuary.packs.nyc.synthetic import write

    path = write(300, tmp_path / "synthetic.parquet")
    out = tmp_path / "report"
    result = runner.invoke(app, ["compare", str(path), "--regimes", "nyc-2017", "--chunk", "100", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["series"]) == 1 and summary["series"][0]["records"] == 300
    assert summary["records"] == 300


@pytest.mark.parametrize("regimes", ["nyc-2017,adams-2024", "nyc-2013,nyc-2017"])
def test_the_tables_layout_and_the_single_file_give_the_same_report(tmp_path: Path, regimes: str) -> None:
    """The same population as a tables folder and as one Parquet file of nested structs: the same report, also
    where a regime is decided by the pattern evaluator (nyc-2013's tests have no columnar form), which reads the
    file's structs as contract JSON."""
    from sanctuary.packs.nyc.synthetic import write

    folder = write(1_000, tmp_path / "synthetic")
    assert sorted(p.name for p in folder.iterdir()) == [
        "convictions.parquet",
        "pending_charges.parquet",
        "records.parquet",
    ]
    single = write(1_000, tmp_path / "synthetic.parquet")
    summaries = []
    for path, chunk in ((folder, "300"), (single, "1000")):
        out = tmp_path / f"report-{path.name}"
        arguments = ["compare", str(path), "--regimes", regimes, "--assume", "judicial-warrant"]
        result = runner.invoke(app, [*arguments, "--chunk", chunk, "--out", str(out)])
        assert result.exit_code == 0, result.output
        summaries.append(json.loads((out / "summary.json").read_text()))
    first, second = summaries
    assert first["records"] == 1_000 and first["synthetic"] is True and first["sources"][0]["format"] == "tables"
    assert first["evaluated_by"]["columnar"] == (1_000 if regimes.startswith("nyc-2017") else 0)
    if regimes.startswith("nyc-2013"):  # the pattern evaluator's sample of record ids follows the chunks read
        for summary in summaries:
            summary["transitions"] = [{k: v for k, v in t.items() if k != "record_ids"} for t in summary["transitions"]]
    for key in ("outcomes", "transitions", "breakdowns", "data_problems", "undetermined_because"):
        assert first[key] == second[key], key


def _one_record(**columns: Any) -> dict[str, pl.DataFrame]:
    records = pl.DataFrame(
        {
            "record_id": ["a", "b"],
            "agency": ["DOC", "DOC"],
            "decision_date": ["2026-08-21", "2026-08-21"],
            "convictions_known": [True, False],
        }
    )
    convictions = pl.DataFrame({"record": [0], "charge": ["PL 160.10"], "judgment_date": ["2020-01-01"]})
    return {"records": records, "convictions": convictions, **columns}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"records": "drop agency"}, "records.parquet: missing required column(s) agency"),
        ({"records": "add colour"}, "records.parquet: unknown column(s) colour"),
        (
            {"convictions": "judgment_date as date"},
            "convictions.parquet: column judgment_date is Date, expected String",
        ),
        ({"convictions": "record 2"}, "convictions.parquet: column record must name a row of records.parquet"),
        ({"convictions": "record 1"}, "convictions.parquet: record row 1 has convictions rows but convictions_known"),
        ({"convictions": "two current"}, "convictions.parquet: record row 0 has more than one judgment on the current"),
    ],
)
def test_a_malformed_tables_folder_is_refused_naming_file_and_column(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    tables = _one_record()
    ((name, what),) = change.items()
    frame = tables[name]
    frame = {
        "drop agency": lambda: frame.drop("agency"),
        "add colour": lambda: frame.with_columns(colour=pl.lit("red")),
        "judgment_date as date": lambda: frame.with_columns(pl.col("judgment_date").str.to_date()),
        "record 2": lambda: frame.with_columns(record=pl.lit(2)),
        "record 1": lambda: frame.with_columns(record=pl.lit(1)),
        "two current": lambda: pl.concat([frame, frame]).with_columns(current_case=pl.lit(True)),
    }[what]()
    tables[name] = frame
    folder = tmp_path / "population"
    folder.mkdir()
    for table, data in tables.items():
        data.write_parquet(folder / f"{table}.parquet")
    with pytest.raises(ValueError, match=re.escape(message)):
        list(read_tables(folder, 10, LAYOUT))
    result = runner.invoke(app, ["compare", str(folder), "--regimes", "nyc-2017", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out" / "summary.json").exists()


def test_a_tables_folder_reads_absent_columns_and_files_as_unknown(tmp_path: Path) -> None:
    tables = _one_record()
    folder = tmp_path / "population"
    folder.mkdir()
    tables["records"].write_parquet(folder / "records.parquet")  # no item files: no judgments, no charges
    (chunk,) = read_tables(folder, 10, LAYOUT)
    assert chunk.list_table("convictions").height == 0 and chunk.list_table("pending_charges").height == 0
    assert chunk.records["instant_arrest_date"].null_count() == 2 and chunk.records["request"].null_count() == 2
    case, judgment = chunk.cases([0])[0]
    assert json.loads(case) == {"agency": "DOC", "decision_date": "2026-08-21", "person": {"convictions": []}}
    assert judgment is None
    assert json.loads(chunk.cases([1])[0][0])["person"] == {}  # an unknown history stays absent, not empty


def test_writing_a_tables_folder_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "population"
    tables = flatten(generate(50).with_columns(current_judgment=pl.lit(None, dtype=pl.String)), LAYOUT)
    write_tables(tables, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    calls = []

    def fail_on_second(self: pl.DataFrame, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    original = pl.DataFrame.write_parquet
    monkeypatch.setattr(pl.DataFrame, "write_parquet", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        write_tables(Tables(LAYOUT, tables.records.head(5), tables.items), folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # the old folder, untouched
    assert [p.name for p in tmp_path.iterdir()] == ["population"]  # nothing half-written beside it


def test_synth_never_replaces_a_folder_of_other_files(tmp_path: Path) -> None:
    keep = tmp_path / "documents"
    keep.mkdir()
    (keep / "letter.txt").write_text("mine")
    result = runner.invoke(app, ["synth", "--records", "10", "--out", str(keep)])
    assert result.exit_code == 2 and "not a population tables folder" in result.output
    assert [p.name for p in keep.iterdir()] == ["letter.txt"]
    folder = tmp_path / "population"
    for records in (10, 20):  # a tables folder is replaced whole
        result = runner.invoke(app, ["synth", "--records", str(records), "--out", str(folder)])
        assert result.exit_code == 0, result.output
        assert pl.read_parquet(folder / "records.parquet").height == records
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents", "population"]


def test_public_files_are_read_in_chunks_with_the_same_records(tmp_path: Path) -> None:
    from sanctuary.packs.nyc.data import doc_snapshot_tables
    from sanctuary.population.records import iter_chunks

    snapshot = tmp_path / "DOC_Inmates_InCustody_Daily_20260821.csv"
    lines = (FIXTURES / snapshot.name).read_text().splitlines()
    header = lines[0].split(",")
    blank_id = lines[3].split(",")
    blank_id[header.index("inmateid")] = ""  # a person without an id is named by the file's line
    snapshot.write_text("\n".join([*lines[:3], ",".join(blank_id), *lines[4:]]) + "\n")
    whole = Tables.concat(list(doc_snapshot_tables(snapshot))).frame()
    in_twos = list(doc_snapshot_tables(snapshot, chunk=2))
    assert [t.height for t in in_twos] == [2, 2, 1]
    assert Tables.concat(in_twos).frame().equals(whole)
    assert whole["record_id"][2] == "line4@2026-08-21"
    for path in (FIXTURES / "doc_stays_sample.csv", FIXTURES / "nypd_arrests_sample.csv"):
        chunks = [chunk for _, chunk in iter_chunks(path, 3, formats=NYC.public_formats())]
        assert all(isinstance(c, Tables) for c in chunks) and [c.height for c in chunks] == [3, 1]
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(json.dumps({"agency": "DOC", "decision_date": f"2024-03-0{d}"}) for d in range(1, 6)))
    frames = [chunk for _, chunk in iter_chunks(cases, 2) if isinstance(chunk, pl.DataFrame)]
    assert [f.height for f in frames] == [2, 2, 1] and pl.concat(frames).equals(read_cases_jsonl(cases))


def test_a_public_file_that_is_not_text_is_refused_naming_it(tmp_path: Path) -> None:
    snapshot = tmp_path / "DOC_Inmates_InCustody_Daily_20260821.csv"
    snapshot.write_bytes((FIXTURES / snapshot.name).read_bytes() + b"1,\xff\xfe,DE\n")
    result = runner.invoke(app, ["compare", str(snapshot), "--regimes", "nyc-2017", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and snapshot.name in result.output and "cannot read the file as CSV" in result.output
    assert not (tmp_path / "out" / "summary.json").exists()


def test_the_report_does_not_depend_on_the_chunk_size(tmp_path: Path) -> None:
    summaries = []
    for chunk in ("2", "500000"):
        out = tmp_path / chunk
        arguments = [str(FIXTURES / n) for n in ("DOC_Inmates_InCustody_Daily_20170630.csv", "nypd_arrests_sample.csv")]
        result = runner.invoke(
            app, ["compare", *arguments, "--regimes", "nyc-2017,adams-2024", "--chunk", chunk, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        summaries.append(json.loads((out / "summary.json").read_text()))
    small, large = summaries
    for key in ("records", "outcomes", "transitions", "breakdowns", "data_problems", "undetermined_because", "series"):
        assert small[key] == large[key], key


def test_the_counts_by_month_are_the_decided_records_counted_one_by_one() -> None:
    """What ``estimate`` reads (records by month of decision, agency, regime, action and result) is counted in
    bulk, grouped while wide; here each decided record is counted by itself, over files of several months and
    two agencies read two records at a time."""
    from collections import Counter

    from sanctuary.population.compare import Comparison
    from sanctuary.population.pack import public_formats
    from sanctuary.population.records import iter_chunks

    scenario = Scenario.from_options(NYC, "nyc-2017,adams-2024", None, None, None)
    comparison = Comparison(scenario, NYC)
    expected: Counter[tuple[str, str, str, str, str]] = Counter()
    names = ("doc_stays_sample.csv", "nypd_arrests_sample.csv", "DOC_Inmates_InCustody_Daily_20170630.csv")
    for name in names:
        for _, chunk in iter_chunks(FIXTURES / name, 2, None, public_formats(NYC)):
            decided = comparison.decide(chunk, trusted=True)
            for row in decided.decided.iter_rows(named=True):
                if row["decision_date"] is None:
                    continue
                for regime in scenario.regimes:
                    for action in scenario.actions:
                        key = (row["decision_date"][:7], row["agency"] or "", regime, action)
                        expected[(*key, str(row[f"{regime}|{action}"]))] += 1
            comparison.count(decided, name)
    comparison.finish_reading()
    assert len(scenario.actions) > 1 and len({month for month, *_ in expected}) > 2
    assert len({agency for _, agency, *_ in expected}) == 2
    assert comparison.by_month == expected


def test_a_snapshot_without_a_date_in_its_name_takes_it_from_the_command(tmp_path: Path) -> None:
    from sanctuary.packs.nyc.data import snapshot_date

    assert snapshot_date(Path("Daily_Inmates_In_Custody_2026-11-29.csv")).isoformat() == "2026-11-29"
    snapshot = tmp_path / "Daily_Inmates_In_Custody.csv"
    snapshot.write_bytes((FIXTURES / "DOC_Inmates_InCustody_Daily_20260821.csv").read_bytes())
    arguments = ["compare", str(snapshot), "--regimes", "nyc-2017", "--out", str(tmp_path / "out")]
    refused = runner.invoke(app, arguments)
    assert refused.exit_code == 2 and "--snapshot-date" in refused.output
    result = runner.invoke(app, [*arguments, "--snapshot-date", "2026-11-29"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["records"] == 5 and summary["series"][0]["source"] == "2026-11-29"


def test_a_judgment_the_contract_rejects_makes_its_record_invalid_not_the_run(tmp_path: Path) -> None:
    from sanctuary.population.columnar import ColumnarDecider

    records = pl.DataFrame(
        {
            "record_id": ["bad day", "no end", "fine"],
            "agency": ["DOC"] * 3,
            "decision_date": ["2026-08-21"] * 3,
            "instant_arrest_date": ["2026-08-01"] * 3,
            "convictions_known": [True] * 3,
        }
    )
    period = pl.Struct({"from": pl.String, "to": pl.String})
    convictions = pl.DataFrame(
        {
            "record": [0, 1, 2],
            "charge": ["PL 160.15"] * 3,
            "level": ["felony"] * 3,
            "judgment_date": ["2015-01-01"] * 3,
            "incarceration": [
                [{"from": "2015-01-01", "to": "2020-02-30"}],
                [{"from": "2015-01-01", "to": None}],
                [{"from": "2015-01-01", "to": "2020-01-01"}],
            ],
        },
        schema_overrides={"incarceration": pl.List(period)},
    )
    folder = tmp_path / "population"
    folder.mkdir()
    records.write_parquet(folder / "records.parquet")
    convictions.write_parquet(folder / "convictions.parquet")
    (chunk,) = read_tables(folder, 10, LAYOUT)
    scenario = detainer_scenario(("nyc-2017",), ("hold",), parse_assumption("judicial-warrant", NYC))
    results = ColumnarDecider(NYC, scenario).results(chunk)["nyc-2017|hold"].to_list()
    expected = [decide_population(chunk.frame(), scenario, NYC)["nyc-2017|hold"][i] for i in range(3)]
    assert results[:2] == [INVALID, INVALID] and results[2] != INVALID and results == expected


def test_unreadable_or_ragged_files_are_refused_naming_them(tmp_path: Path) -> None:
    folder = tmp_path / "population"
    folder.mkdir()
    (folder / "records.parquet").write_bytes(b"not parquet at all")
    flat = tmp_path / "flat.csv"
    flat.write_text('record_id,case\n1,"{}"\n2,"{}",extra\n')
    for path, message in ((folder, "a table is not readable Parquet"), (flat, "cannot read the file as CSV")):
        result = runner.invoke(app, ["compare", str(path), "--regimes", "nyc-2017", "--out", str(tmp_path / "out")])
        assert result.exit_code == 2 and path.name in result.output and message in result.output, result.output


def test_a_json_line_that_is_not_a_case_object_is_counted(tmp_path: Path) -> None:
    lines = tmp_path / "cases.jsonl"
    lines.write_text('[1, 2]\n{"agency": "DOC", "decision_date": "2024-03-01", "request": ["hold"]}\n')
    cases = read_cases_jsonl(lines)
    assert cases["problem"].to_list() == ["invalid JSON: line 1 (not an object)", None]
    result = runner.invoke(app, ["compare", str(lines), "--regimes", "nyc-2017", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["outcomes"]["nyc-2017"]["hold"]["invalid"] == 2 and summary["data_problems"]["invalid JSON"]


def test_a_failed_replacement_puts_the_old_folder_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "population"
    tables = flatten(generate(20).with_columns(current_judgment=pl.lit(None, dtype=pl.String)), LAYOUT)
    write_tables(tables, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    original = Path.rename

    def rename(self: Path, target: Any) -> Any:
        if self.name.startswith(".population.partial-"):
            raise OSError("the disk went away")
        return original(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="went away"):
        write_tables(tables, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["population"]


def test_folders_of_sources_and_synth_names(tmp_path: Path) -> None:
    from sanctuary.population.records import iter_paths

    week = tmp_path / "week"
    week.mkdir()
    (week / "DOC_Inmates_InCustody_Daily_20260821.csv").write_bytes(
        (FIXTURES / "DOC_Inmates_InCustody_Daily_20260821.csv").read_bytes()
    )
    write_tables(
        flatten(generate(5).with_columns(current_judgment=pl.lit(None, dtype=pl.String)), LAYOUT), week / "synthetic"
    )
    assert [p.name for p in iter_paths([week])] == ["DOC_Inmates_InCustody_Daily_20260821.csv", "synthetic"]
    result = runner.invoke(app, ["synth", "--records", "5", "--out", str(tmp_path / "population.csv")])
    assert result.exit_code == 2 and "a folder (no suffix) or a file ending in .parquet" in result.output
    assert not (tmp_path / "population.csv").exists()


EARLY = ("nyc-before-2012", "nyc-2012")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(full_cases(early=True).flatmap(lambda full: partial_of(full)), min_size=1, max_size=4),
    st.lists(st.sampled_from(["hold", "notify_release", "info:release_date"]), min_size=1, max_size=2, unique=True),
)
def test_the_columnar_evaluator_equals_the_single_case_engine_under_the_2012_law(
    cases: list[dict[str, Any]], actions: list[str]
) -> None:
    """The laws of 2012 read new facts of the person (an outstanding criminal warrant, a removal order …) and of a
    pending case: the tables carry them, and every record's result is the single-case engine's."""
    rows = []
    cases = [drop_nulls(copy.deepcopy(case)) for case in cases]  # the loaders and generator write no explicit nulls
    for i, case in enumerate(cases):
        stripped = copy.deepcopy(case)
        stripped["request"].pop("actions")
        stripped.pop("regime", None)
        rows.append({"record_id": str(i), "case": json.dumps(stripped, sort_keys=True), "current_judgment": None})
    frame = pl.DataFrame(rows, schema={"record_id": pl.String, "case": pl.String, "current_judgment": pl.String})
    decider = ColumnarDecider(NYC, detainer_scenario(EARLY, tuple(actions)))
    assert decider.supports()
    decided = decider.decide_frame(frame)
    for i, case in enumerate(cases):
        row = decided.filter(pl.col("record_id") == str(i)).row(0, named=True)
        for regime in EARLY:
            single = dict(case, regime=regime)
            single["request"] = dict(case["request"], actions=actions)
            try:
                decided_alone = decide(parse_case(single), NYC).as_dict()["outcomes"]
                expected = {o["action"]: o["result"] for o in decided_alone}
            except CaseError:  # a case the law rules out is invalid on both sides
                expected = dict.fromkeys(actions, INVALID)
            for action in actions:
                assert row[f"{regime}|{action}"] == expected[action], (regime, action, case)


def test_a_comparison_under_the_2013_law_is_decided_by_the_single_case_engine(tmp_path: Path) -> None:
    # The 2013 law's "more than one case" and ten-year rules read across a person's items: the columnar evaluator
    # does not decide them item by item, and says so; the comparison then decides every record with the engine.
    assert not ColumnarDecider(NYC, detainer_scenario(("nyc-2013",), ("hold",))).supports()
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        [
            "compare",
            str(FIXTURES / "DOC_Inmates_InCustody_Daily_20170630.csv"),
            "--regimes",
            "nyc-2013,nyc-2014",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["evaluated_by"] == {"columnar": 0, "pattern": summary["records"]}


@st.composite
def one_history_many_days(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One person's case (some items charged with crimes added to the list by DOC rule, whose dates matter),
    decided on many days: around the list's change dates and around the items' own dates, and at random."""
    from sanctuary.packs.nyc.catalog import CATALOG

    case = draw(full_cases())
    case.pop("regime", None)
    case = draw(st.sampled_from([case, draw(partial_of(case))]))
    case.pop("regime", None)
    person = case.get("person", {})
    for item in (*person.get("convictions", ()), *person.get("pending_charges", ())):
        if draw(st.booleans()):
            item["charge"] = "PL " + draw(st.sampled_from(CATALOG.additions)).section
            item.pop("level", None)
            item.pop("class", None)
    anchors = set(CATALOG.changes())
    for item in (*person.get("convictions", ()), *person.get("pending_charges", ())):
        anchors |= {dt.date.fromisoformat(item[k]) for k in ("judgment_date", "arrest_date") if item.get(k)}
    days = {a + dt.timedelta(days=k) for a in anchors for k in (-1, 0, 1)}
    days |= set(draw(st.lists(st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)), max_size=4)))
    return [dict(case, decision_date=day.isoformat()) for day in sorted(days)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_history_many_days(), ACTION_LISTS, st.booleans())
def test_the_leaves_run_once_per_period_of_the_law_with_the_single_case_results(
    cases: list[dict[str, Any]], actions: list[str], warrant: bool
) -> None:
    """The items' leaves are run once per item and period of the law (not per decision date); every record
    still gets the single-case engine's answer, on each side of the list's change dates and of the items' own
    dates (a judgment or arrest after the decision is invalid)."""
    rows = []
    for i, case in enumerate(cases):
        stripped = drop_nulls(copy.deepcopy(case))
        stripped.get("request", {}).pop("actions", None)
        rows.append({"record_id": str(i), "case": json.dumps(stripped, sort_keys=True), "current_judgment": None})
    frame = pl.DataFrame(rows, schema={"record_id": pl.String, "case": pl.String, "current_judgment": pl.String})
    scenario = detainer_scenario(REGIMES, tuple(actions), parse_assumption("judicial-warrant", NYC) if warrant else ())
    columnar = ColumnarDecider(NYC, scenario).decide_frame(frame)
    pattern = decide_population(frame, scenario, NYC)
    for column in (c for c in pattern.columns if "|" in c):
        assert columnar[column].to_list() == pattern[column].to_list(), column


def test_a_regime_or_action_listed_twice_is_refused(tmp_path: Path) -> None:
    for option, value in (("--regimes", "nyc-2017,nyc-2017"), ("--action", "hold")):
        extra = ["--action", "hold", "--regimes", "nyc-2017"] if option == "--action" else []
        result = runner.invoke(
            app,
            [
                "compare",
                str(FIXTURES / "DOC_Inmates_InCustody_Daily_20170630.csv"),
                option,
                value,
                *extra,
                "--out",
                str(tmp_path / "out"),
            ],
        )
        assert result.exit_code == 2, result.output
        assert "more than once" in result.output


def test_new_yorks_tables_layout_names_only_facts_of_its_case_model() -> None:
    """The tables layout is New York's case model as tables: every column of the records and every field of an
    item table is a field of the contract's model (by its JSON name), and the look-back's facts are the
    judgment's. A field renamed in the model and not in the layout fails here."""
    from pydantic import BaseModel

    from sanctuary.packs.nyc.case import Conviction, Document, PendingCharge, Period, Person, Request

    def names(model: type[BaseModel]) -> set[str]:
        return {info.alias or name for name, info in model.model_fields.items()}

    def fields(struct: pl.DataType) -> set[str]:
        assert isinstance(struct, pl.Struct)
        return set(struct.to_schema())

    assert fields(LAYOUT.person) <= names(Person)
    assert fields(LAYOUT.request) <= names(Request)
    assert fields(LAYOUT.request.to_schema()["documents"].inner) <= names(Document)  # type: ignore[union-attr]
    assert set(LAYOUT.lists) == {"convictions", "pending_charges"}
    assert fields(LAYOUT.lists["convictions"]) <= names(Conviction)
    assert fields(LAYOUT.lists["pending_charges"]) <= names(PendingCharge)
    custody = LAYOUT.lists["convictions"].to_schema()["incarceration"]
    assert fields(custody.inner) == names(Period)  # type: ignore[union-attr]
    history = LAYOUT.history
    assert history is not None and history.list == "convictions" and history.arrest in LAYOUT.facts
    assert {history.judged, history.committed, history.custody} <= set(LAYOUT.fields("convictions"))
    assert LAYOUT.records["convictions_known"] == pl.Boolean and "current_case" in LAYOUT.items["convictions"]
    assert "current_case" not in LAYOUT.items["pending_charges"]
