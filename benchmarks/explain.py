"""Benchmark: explanation and counterfactuals for one case, against the bare decision, in one process.

Measures over the same mix as ``decide.py`` (every valid scenario case): (1) the decision alone,
(2) the decision with counterfactuals (``decide(..., explain=True)``: the smallest changes that flip each
outcome, each verified by deciding the changed case again), (3) the full explanation
(``explain``: the tree with statute words, counterfactuals, and the questions to ask). Reported as
latencies and as ratios to (1).

Run: ``python benchmarks/explain.py`` (``--n`` evaluations per measurement).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from decide import decidable_cases
from rego_baseline import measure
from sanctuary.engine import decide
from sanctuary.engine.explain import explain
from sanctuary.packs.nyc import NYC


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    n, warmup = args.n, max(100, args.n // 10)
    cases = decidable_cases()
    print(f"machine  : {platform.platform()}; os.cpu_count()={os.cpu_count()}; Python {platform.python_version()}")
    print(f"command  : python benchmarks/explain.py --n {n}")
    print(f"mix      : {len(cases)} cases (every valid scenario + the example)")
    base = measure(lambda c: decide(c, NYC).as_dict(), cases, n=n, warmup=warmup)
    with_cf = measure(lambda c: decide(c, NYC, explain=True).as_dict(), cases, n=n, warmup=warmup)
    full = measure(lambda c: explain(c, NYC), cases, n=n, warmup=warmup)
    for label, stats in (
        ("decision", base),
        ("decision + counterfactuals", with_cf),
        ("full explanation (tree, words, counterfactuals, questions)", full),
    ):
        print(
            f"  {label:<60} median {stats['median'] / 1000:7.2f} ms   p99 {stats['p99'] / 1000:7.2f} ms   "
            f"ratio to decision (median) {stats['median'] / base['median']:6.1f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
