"""Benchmark: the detainer docket at a city's volume, on SQLite and on PostgreSQL.

1. **Load**: open ``--matters`` matters (default 10,000) through :class:`sanctuary.service.docket.Docket` — each
   decided by the engine and recorded (one durable transaction each) — under the 2013 laws (clock: 2014-12-01),
   then ``--changes`` fact changes per matter (each re-decided and recorded) and a hold with its end on a
   third of them.
2. **Law change**: the clock moves to 2014-12-15, the day after L.L. 2014/58 and 59 took effect (DOC holds need
   a judicial warrant; NYPD's 48 hours are counted), and every open matter
   is re-decided (``Docket.redecide_open``): the time, how many were re-recorded (new law, new clauses) and how
   many had a result or a limit change.
3. **What-if**: every open matter decided under the repeal proposal (Int 945-2024), nothing recorded.
4. **Baseline**, in the same command: ``sanctuary.engine.decide`` alone on the same matters' cases, so each
   phase is also given as a ratio to the engine's own time.
5. **Trail**: the audit chain verified at the end.

The store is a fresh SQLite file in a temporary folder (``synchronous=FULL``), and — with ``--postgres`` — a
throwaway PostgreSQL server on a Unix socket (Debian's binaries, as the tests start it), default settings.

Run: ``python benchmarks/docket.py [--matters 10000] [--changes 2] [--postgres]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sanctuary.engine import decide
from sanctuary.packs.nyc import NYC
from sanctuary.service.bodies import bodies
from sanctuary.service.docket import Docket
from sanctuary.service.docket_models import MatterChange, MatterRequest
from sanctuary.service.store import Store

UTC = dt.UTC


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def a_case(rng: random.Random) -> dict[str, Any]:
    """A detainer at DOC or NYPD, with a varied record: some facts known, some not."""
    documents: list[dict[str, Any]] = [{"type": rng.choice(["I-247A", "I-247D", "I-247X"])}]
    if rng.random() < 0.5:
        documents.append({"type": "I-200", "signer": "immigration_officer"})
    if rng.random() < 0.15:
        documents.append(
            {"type": "warrant", "signer": "us_magistrate_judge", "probable_cause": True,
             "authorizes_immigration_custody": True, "presented_with_detainer": True}
        )  # fmt: skip
    person: dict[str, Any] = {"instant_arrest_date": f"2014-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"}
    if rng.random() < 0.5:
        person["tsdb_possible_match"] = rng.random() < 0.05
    return {
        "agency": rng.choice(["DOC", "NYPD"]),
        "request": {"from": "ICE", "documents": documents, "actions": ["hold", "notify_release"]},
        "person": person,
    }


def a_change(rng: random.Random, step: int) -> dict[str, Any]:
    """The criminal-history result, then a conviction (or a dismissal of the only charge)."""
    if step == 0:
        return {"person": {"convictions": [], "reentered_after_removal": rng.random() < 0.1}}
    felony = {"charge": rng.choice(["PL 160.15", "PL 120.05", "PL 155.30"]), "level": "felony",
              "judgment_date": "2013-12-01", "court": "NY"}  # fmt: skip
    return {"person": {"convictions": [felony] if rng.random() < 0.5 else []}}


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on a Unix socket; its URL."""
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1:]), None)
    if found is None:
        raise SystemExit("no initdb: install Debian's postgresql")
    binaries = Path(found).parent
    folder = Path(tempfile.mkdtemp(prefix="sanctuary-bench-pg-"))
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        shutil.chown(folder, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(
        [*prefix, str(binaries / "initdb"), "-D", str(folder / "d"), "-U", "sanctuary", "--auth=trust"], **run
    )  # type: ignore[call-overload]
    options = f"-k {folder} -p 5999 -c listen_addresses=''"
    subprocess.run(
        [
            *prefix,
            str(binaries / "pg_ctl"),
            "-D",
            str(folder / "d"),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ],
        **run,
    )  # type: ignore[call-overload]
    try:
        yield f"postgresql://sanctuary@/postgres?host={folder}&port=5999"
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(folder / "d"), "-m", "fast", "stop"], capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


def measure(url: str, matters: int, changes: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    store = Store(url)
    clock = Clock(dt.datetime(2014, 12, 1, 14, 0, tzinfo=UTC))
    docket = Docket(store, NYC, clock=clock)
    cases = [a_case(rng) for _ in range(matters)]
    started = time.perf_counter()
    ids = [docket.open("bench", MatterRequest(case=case))[0]["id"] for case in cases]
    opened = time.perf_counter() - started
    started = time.perf_counter()
    for step in range(changes):
        for mid in ids:
            docket.change("bench", mid, MatterChange(case=a_change(rng, step), note="check returned"))
    for mid in ids[::3]:
        docket.act("bench", mid, bodies(NYC).matter_action.model_validate({"type": "released_without_honoring"}))
    changed_time = time.perf_counter() - started
    clock.moment = dt.datetime(2014, 12, 15, 14, 0, tzinfo=UTC)
    started = time.perf_counter()
    moved = docket.redecide_open("bench")
    redecided = time.perf_counter() - started
    started = time.perf_counter()
    what_if = docket.what_if("repeal-2024", dt.date(2026, 7, 1))
    what_if_time = time.perf_counter() - started
    parsed = [NYC.case_format.parse({**c, "decision_date": "2014-12-15"}) for c in cases]
    started = time.perf_counter()
    for case in parsed:
        decide(case, NYC)
    engine = time.perf_counter() - started
    count, problems = store.check_chain()
    store.close()
    return {
        "open": opened, "changes": changed_time, "redecide": redecided, "recorded": moved["redecided"],
        "moved": len(moved["changed"]), "what_if": what_if_time, "what_if_moved": len(what_if),
        "engine": engine, "records": count, "intact": not problems,
    }  # fmt: skip


def report(name: str, r: dict[str, Any], matters: int, changes: int) -> None:
    print(f"\n{name}: {matters:,} matters, {changes} fact changes each, a third acted on")
    print(f"  engine alone (baseline): {r['engine']:.2f} s for {matters:,} decisions")
    print(f"  open (decide + record):  {r['open']:.2f} s  ({r['open'] / r['engine']:.1f}× the engine)")
    print(f"  fact changes + actions:  {r['changes']:.2f} s")
    print(f"  law change, re-decide every open matter: {r['redecide']:.2f} s "
          f"({r['redecide'] / r['engine']:.1f}× the engine); {r['recorded']:,} re-recorded, "
          f"{r['moved']:,} with a result or limit changed")  # fmt: skip
    print(f"  what-if (repeal-2024):   {r['what_if']:.2f} s ({r['what_if'] / r['engine']:.1f}×); "
          f"{r['what_if_moved']:,} would change")  # fmt: skip
    print(f"  audit trail: {r['records']:,} records, intact: {r['intact']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--matters", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"command: python benchmarks/docket.py --matters {args.matters} --changes {args.changes}"
          f"{' --postgres' if args.postgres else ''}")  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="sanctuary-bench-docket-"))
    try:
        result = measure(f"sqlite:///{folder / 'docket.db'}", args.matters, args.changes, args.seed)
        report("SQLite", result, args.matters, args.changes)
        intact = result["intact"]
        if args.postgres:
            with postgres() as url:
                result = measure(url, args.matters, args.changes, args.seed)
            report("PostgreSQL", result, args.matters, args.changes)
            intact = intact and result["intact"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if intact else 1


if __name__ == "__main__":
    sys.exit(main())
