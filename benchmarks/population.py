"""Benchmark: a whole synthetic population × 4 regimes, end to end from Parquet, against the single-case
engine looping over the same records.

Steps (all in one command, on one machine):
1. generate ``--records`` synthetic people (seeded; not timed) into a Parquet flat table;
2. time ``sanctuary compare`` on it with four regimes, in a child process, end to end (read in chunks,
   decide every distinct fact pattern, count, write the report), and read the child's peak memory;
3. time the single-case engine looping over a sample of the same records (parse + decide, four regimes,
   the same assumption) and extrapolate to all records; the speed-up is the loop's time over the pipeline's.

Run: ``python benchmarks/population.py --records 5000000`` (the issue's size; default 200000).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from sanctuary.engine import decide
from sanctuary.facts.case import parse_case
from sanctuary.law.nyc import NYC
from sanctuary.population.assumptions import parse_assumption
from sanctuary.population.columnar import drop_nulls
from sanctuary.population.evaluate import PatternDecider, Scenario

REGIMES = "nyc-2017,adams-2024,repeal-2024,nyc-2026"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=3_000, help="records for the single-case loop")
    args = parser.parse_args()
    print(f"machine  : {platform.platform()}; os.cpu_count()={os.cpu_count()}; Python {platform.python_version()}")
    print(f"command  : python benchmarks/population.py --records {args.records} --sample {args.sample}")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "synthetic.parquet"
        start = time.perf_counter()
        # Generated in a child process, so that this process stays small: a child's peak memory, as the
        # system reports it, includes what it shared with its parent before it started.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; "
                "from sanctuary.population.synthetic import write; "
                "write(int(sys.argv[1]), Path(sys.argv[2]))",
                str(args.records),
                str(data),
            ],
            check=True,
        )
        print(
            f"generated {args.records:,} synthetic records in {time.perf_counter() - start:.1f} s "
            f"({data.stat().st_size / 1e6:.0f} MB Parquet)"
        )
        out = Path(folder) / "report"
        # The child reports its own peak memory (RUSAGE_CHILDREN here would also count the generator).
        command = [
            sys.executable,
            str(Path(__file__).with_name("run_with_peak_memory.py")),
            "compare",
            str(data),
            "--regimes",
            REGIMES,
            "--assume",
            "judicial-warrant",
            "--out",
            str(out),
        ]
        start = time.perf_counter()
        finished = subprocess.run(command, check=True, capture_output=True, text=True)
        pipeline = time.perf_counter() - start
        peak_mb = int(finished.stderr.strip().splitlines()[-1]) / 1024
        summary = json.loads((out / "summary.json").read_text())
        print(
            f"pipeline : {pipeline:.1f} s end to end ({args.records / pipeline:,.0f} records/s), peak memory "
            f"{peak_mb:,.0f} MB; {summary['evaluated_by']['columnar']:,} records by the columnar evaluator"
        )
        sample = (
            pl.read_parquet(data)
            .head(args.sample)
            .select(
                pl.col("case").struct.json_encode(),
                pl.when(pl.col("current_judgment").is_not_null()).then(pl.col("current_judgment").struct.json_encode()),
            )
        )
        decider = PatternDecider(
            NYC, Scenario(tuple(REGIMES.split(",")), ("hold",), parse_assumption("judicial-warrant"))
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
        print(f"speed-up : {loop / pipeline:.1f}x over the loop")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
