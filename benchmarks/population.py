"""Benchmark: a whole synthetic population × 4 regimes, end to end from Parquet, against the single-case
engine looping over the same records.

Steps (all in one command, on one machine):
1. generate ``--records`` synthetic people (seeded; not timed), written in both Parquet layouts: the tables
   layout (a folder of three flat tables) and the single file with nested structs;
2. time ``sanctuary compare`` on each, with four regimes, in a child process, end to end (read in chunks,
   decide, count, write the report), read the child's peak memory, and check that both give the same counts;
3. time the single-case engine looping over a sample of the same records (parse + decide, four regimes,
   the same assumption) and extrapolate to all records; the speed-up is the loop's time over the pipeline's.

Every run decides the action ``hold`` only, as the benchmark always has (``--action hold``; since issue 12 a
comparison decides by default every action the request asks, three for ICE's usual detainer), so that its times
compare with earlier ones and with the DuckDB query, which computes the hold outcome; the DuckDB scenario is also
timed with every action of the request, to show what the other actions cost.

Run: ``python benchmarks/population.py --records 5000000`` (the issue's size; default 200000).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from sanctuary.engine import decide
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case
from sanctuary.population.assumptions import parse_assumption
from sanctuary.population.evaluate import PatternDecider, Scenario
from sanctuary.population.tables import drop_nulls

REGIMES = "nyc-2017,adams-2024,repeal-2024,nyc-2026"
DUCKDB_REGIMES = "nyc-2017,adams-2024"  # the scenario the DuckDB baseline encodes
ACTION = ("--action", "hold")  # the outcome the DuckDB query computes, and the benchmark always timed
STAYS = "/work/shared/data/nyc-doc-daily-inmates-in-custody/doc_stays_2016_2026.csv.gz"


def pipeline(path: Path, out: Path, records: int, name: str) -> float:
    """``sanctuary compare`` on ``path`` in a child process that reports its own peak memory: seconds taken."""
    command = [
        sys.executable,
        str(Path(__file__).with_name("run_with_peak_memory.py")),
        "compare",
        str(path),
        "--regimes",
        REGIMES,
        "--assume",
        "judicial-warrant",
        *ACTION,
        "--out",
        str(out),
    ]
    start = time.perf_counter()
    finished = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak_mb = int(finished.stderr.strip().splitlines()[-1]) / 1024
    summary = json.loads((out / "summary.json").read_text())
    print(
        f"pipeline : {name}: {seconds:.1f} s end to end ({records / seconds:,.0f} records/s), peak memory "
        f"{peak_mb:,.0f} MB; {summary['evaluated_by']['columnar']:,} records by the columnar evaluator"
    )
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=3_000, help="records for the single-case loop")
    parser.add_argument("--stays", default=STAYS, help="the DOC stays table, timed too when it exists")
    args = parser.parse_args()
    print(f"machine  : {platform.platform()}; os.cpu_count()={os.cpu_count()}; Python {platform.python_version()}")
    print(f"command  : python benchmarks/population.py --records {args.records} --sample {args.sample}")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "synthetic.parquet"
        tables = Path(folder) / "synthetic"
        start = time.perf_counter()
        # Generated in a child process, so that this process stays small: a child's peak memory, as the
        # system reports it, includes what it shared with its parent before it started.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; import polars as pl; "
                "from sanctuary.packs.nyc.synthetic import write; "
                "from sanctuary.packs.nyc.tables import LAYOUT; "
                "from sanctuary.population.tables import flatten, write_tables; "
                "single = write(int(sys.argv[1]), Path(sys.argv[2])); "
                "write_tables(flatten(pl.read_parquet(single), LAYOUT), Path(sys.argv[3]))",
                str(args.records),
                str(data),
                str(tables),
            ],
            check=True,
        )
        size = sum(p.stat().st_size for p in tables.iterdir()) / 1e6
        print(
            f"generated {args.records:,} synthetic records in {time.perf_counter() - start:.1f} s "
            f"(tables layout {size:.1f} MB; single file {data.stat().st_size / 1e6:.1f} MB)"
        )
        timings = {}
        for name, path in (("tables layout", tables), ("single file", data)):
            timings[name] = pipeline(path, Path(folder) / f"report-{path.name}", args.records, name)
        first, second = (
            json.loads((Path(folder) / f"report-{p.name}" / "summary.json").read_text()) for p in (tables, data)
        )
        same = all(first[k] == second[k] for k in ("records", "outcomes", "transitions", "breakdowns", "data_problems"))
        print(f"check    : both layouts give the same counts, transitions and breakdowns: {same}")
        if not same:
            return 1
        sample = (
            pl.read_parquet(data)
            .head(args.sample)
            .select(
                pl.col("case").struct.json_encode(),
                pl.when(pl.col("current_judgment").is_not_null()).then(pl.col("current_judgment").struct.json_encode()),
            )
        )
        decider = PatternDecider(
            NYC,
            Scenario(
                tuple(REGIMES.split(",")),
                ("hold",),
                parse_assumption("judicial-warrant", NYC),
                request={"from": "ICE", "documents": [{"type": "I-247A"}]},
            ),
        )
        cases = [
            json.dumps(
                decider.case_for(
                    json.dumps(drop_nulls(json.loads(c))), json.dumps(drop_nulls(json.loads(j))) if j else None
                )
            )
            for c, j in sample.iter_rows()
        ]
        start = time.perf_counter()
        for text in cases:
            case = parse_case(text)
            for regime in REGIMES.split(","):
                decide(case.model_copy(update={"regime": regime}), NYC)
        per_record = (time.perf_counter() - start) / len(cases)
        loop = per_record * args.records
        print(
            f"loop     : single-case engine {per_record * 1e6:.0f} µs per record (4 regimes, measured on "
            f"{len(cases):,}), {loop:,.0f} s extrapolated to {args.records:,} records"
        )
        for name, seconds in timings.items():
            print(f"speed-up : {loop / seconds:.1f}x over the loop ({name})")
        if not against_duckdb(tables, Path(folder)):
            return 1
    stays = Path(args.stays)
    if stays.exists():
        seconds, cpu = compare_scenario(stays, Path(tempfile.mkdtemp()) / "stays")
        print(f"stays    : {stays.name}: {seconds:.1f} s end to end, {cpu:.1f} s of CPU ({DUCKDB_REGIMES}, hold)")
    return 0


def compare_scenario(source: Path, out: Path, *, every_action: bool = False) -> tuple[float, float]:
    """``sanctuary compare`` of the DuckDB scenario (nyc-2017 and adams-2024, hold, judicial warrant) in a child
    process: its time end to end and the CPU time it used (all its threads; on a shared machine the CPU time
    moves less with the others' load than the wall time). With ``every_action``, every action the request asks
    (the command's default) instead of hold alone."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "sanctuary.cli", "compare", str(source), "--regimes", DUCKDB_REGIMES]
    actions = () if every_action else ACTION
    subprocess.run(
        [*command, "--assume", "judicial-warrant", *actions, "--out", str(out)], check=True, capture_output=True
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime


def against_duckdb(tables: Path, folder: Path) -> bool:
    """The project against the hand-written DuckDB query (``duckdb_baseline.py``) on the same three files and
    scenario (nyc-2017 and adams-2024, hold, judicial warrant): both timed end to end, the counts compared."""
    sys.path.insert(0, str(Path(__file__).parent))
    import duckdb_baseline

    out = folder / "report-duckdb-scenario"
    ours, our_cpu = compare_scenario(tables, out)
    db, query = duckdb_baseline.prepare(tables)
    start, cpu = time.perf_counter(), time.process_time()  # DuckDB's threads count in this process's time
    counted = duckdb_baseline.outcomes(db, query, tables)
    theirs, their_cpu = time.perf_counter() - start, time.process_time() - cpu
    summary = json.loads((out / "summary.json").read_text())["outcomes"]
    same = all(
        summary[r]["hold"][k] == counted[r].get(k, 0)
        for r in counted
        for k in ("permitted", "prohibited", "undetermined")
    )
    print(
        f"duckdb   : {DUCKDB_REGIMES}, hold: sanctuary compare {ours:.1f} s end to end (report included), "
        f"the DuckDB query {theirs:.1f} s (counts only): {ours / theirs:.2f}x; same counts: {same}; CPU time "
        f"{our_cpu:.1f} s against {their_cpu:.1f} s ({our_cpu / their_cpu:.2f}x); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    every, _ = compare_scenario(tables, folder / "report-every-action", every_action=True)
    actions = json.loads((folder / "report-every-action" / "summary.json").read_text())["scenario"]["actions"]
    print(
        f"actions  : the same comparison with every action the request asks ({', '.join(actions)}; the "
        f"command's default): {every:.1f} s, {every / theirs:.2f}x the DuckDB query (which computes hold only)"
    )
    return same


if __name__ == "__main__":
    raise SystemExit(main())
