"""Benchmark: how the time to explain one case grows with its number of convictions, before and after the
judgments are counted once per case, in one process.

The full explanation (``explain``: the decision, the tree with the statute's words, the counterfactuals and
the questions) of the example case (``examples/doc-detainer.json``) with its conviction repeated n times, for
n up to the service's cap (``sanctuary.engine.budget.DEFAULT_CAP``) and beyond it. The baseline is the
same code with the judgments counted again for every judgment's look-back and no extension kept (how it
was before: a ``convictions.remembered`` that keeps nothing), put in place for the baseline runs only.
Reported: the median CPU time of each (the process's own: on a shared machine other work counts
little), the ratio of the two, and the growth from n to 2n (2 is linear, 4 quadratic).

Run: ``python benchmarks/explain_scaling.py [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sanctuary.engine.budget import DEFAULT_CAP as MAX_CONVICTIONS  # person.convictions: the default cap
from sanctuary.engine.explain import explain
from sanctuary.facts.case import Case
from sanctuary.packs.nyc import NYC, convictions
from sanctuary.packs.nyc.case import parse_case
from sanctuary.packs.nyc.catalog import ViolentOrSeriousCrimeList

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "doc-detainer.json"
SIZES = (10, 25, 50, 100, 200)


def case_with(n: int) -> Case:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    data["person"]["convictions"] = data["person"]["convictions"] * n
    return parse_case(data)


def forgetful(
    case: Any, catalog: ViolentOrSeriousCrimeList
) -> tuple[list[convictions.CountedJudgment], dict[Any, Any]]:
    """The judgments counted afresh at every call and no extension kept, as before (nothing remembered)."""
    convictions._COUNTED.clear()
    found = keeping(case, catalog)
    convictions._COUNTED.clear()
    return found[0], {}


keeping = convictions.remembered


def median_seconds(case: Case, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()  # this process's CPU time: the machine is shared, and explain is one thread
        explain(case, NYC)
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine  : {platform.platform()}; os.cpu_count()={os.cpu_count()}; Python {platform.python_version()}")
    print(f"command  : python benchmarks/explain_scaling.py --repeat {args.repeat}")
    print(f"cap      : {MAX_CONVICTIONS} convictions (a larger case is refused by the service)")
    explain(case_with(1), NYC)  # warm the rules
    print(f"{'convictions':>11} {'before (s)':>11} {'after (s)':>10} {'ratio':>7} {'growth before':>14} {'after':>6}")
    previous: tuple[float, float] | None = None
    for n in SIZES:
        case = case_with(n)
        setattr(convictions, "remembered", forgetful)  # noqa: B010  (the baseline, for these runs only)
        try:
            before = median_seconds(case, args.repeat)
        finally:
            setattr(convictions, "remembered", keeping)  # noqa: B010
        after = median_seconds(case, args.repeat)
        growth = f"{before / previous[0]:14.1f} {after / previous[1]:6.1f}" if previous else f"{'':14} {'':6}"
        print(f"{n:>11} {before:11.3f} {after:10.3f} {before / after:6.1f}x {growth}")
        previous = (before, after)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
