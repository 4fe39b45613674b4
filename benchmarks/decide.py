"""Benchmark: one in-process decision with its full explanation, over a realistic mix of cases.

What it measures, all in one process so the numbers can be compared as ratios on a shared, noisy machine:

1. ``decide`` + ``as_dict`` on an already-validated case — the engine's latency, with citations, reasons,
   missing facts and warnings (the full explanation). The mix is every valid case of the scenario files
   (``tests/nyc/scenarios``): DOC, NYPD, Probation and other agencies; detainers, information, premises;
   every regime and proposal.
2. ``parse_case`` + ``decide`` — the same, including validation of the JSON text.
3. The bare DOC rule of § 9-131(b)(1) on the 13 inputs of ``rego_baseline.py``, by our engine and by the
   Rego interpreter ``regopy`` with a compiled bundle: the ratio of the two.
4. Loading all regimes and building every rule tree, in a fresh interpreter (so imports count).

Run: ``python benchmarks/decide.py`` (``--n`` evaluations per measurement). Needs the dev extras
(PyYAML) and, for the ratio, ``pip install regopy``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import merge

import rego_baseline
from sanctuary.engine import decide
from sanctuary.facts.case import Case, CaseError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case

ROOT = Path(__file__).resolve().parents[1]


def scenario_cases() -> list[dict[str, Any]]:
    cases = [json.loads((ROOT / "examples" / "doc-detainer.json").read_text())]
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for scenario in data["scenarios"]:
            if "invalid" not in scenario:
                cases.append(merge(data.get("base", {}), scenario.get("case", {})))
    return cases


def to_contract(doc: dict[str, Any]) -> dict[str, Any]:
    """The baseline's inputs in the contract's shape (it pre-parses ``section``; we read the charge). The
    baseline's simplified rule ignores incarceration, so the cases state that there was none."""
    out: dict[str, Any] = json.loads(json.dumps(doc))
    for conviction in out["person"]["convictions"]:
        conviction.pop("section", None)
        conviction["incarceration"] = []
    for document in out["request"]["documents"]:
        if document.get("signer") == "ice_officer":
            document["signer"] = "immigration_officer"
    return out


def decidable_cases() -> list[Case]:
    """The scenario cases that decide (some are errors only at decision time: unknown regime, date before
    2014), parsed."""
    out: list[Case] = []
    for data in scenario_cases():
        try:
            case = parse_case(json.dumps(data))
            decide(case, NYC)
        except CaseError:
            continue
        out.append(case)
    return out


LOAD_SNIPPET = """
import time
start = time.perf_counter()
from sanctuary.packs.nyc import NewYorkCity
pack = NewYorkCity()
for regime in pack.regimes.values():
    pack.law_hash(regime)  # builds and hashes every rule tree of every regime
print(time.perf_counter() - start)
"""


def load_time() -> float:
    result = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True, check=True)
    return float(result.stdout.strip())


def row(label: str, stats: dict[str, float]) -> str:
    return f"  {label:<52} median {stats['median']:8.1f} us   p99 {stats['p99']:8.1f} us   mean {stats['mean']:8.1f} us"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    n, warmup = args.n, max(200, args.n // 10)

    texts = [json.dumps(c) for c in scenario_cases()]
    parsed = [parse_case(text) for text in texts]
    decidable = decidable_cases()
    actions = sum(len(c.request.actions) for c in decidable)

    print(
        f"machine  : {platform.platform()}; {platform.processor() or platform.machine()}; "
        f"os.cpu_count()={os.cpu_count()}; Python {platform.python_version()}"
    )
    print(f"command  : python benchmarks/decide.py --n {n}")
    print(f"mix      : {len(decidable)} cases, {actions} actions (every valid scenario + the example)")
    print("latency per case:")
    engine = rego_baseline.measure(lambda c: decide(c, NYC).as_dict(), decidable, n=n, warmup=warmup)
    print(row("decide + reasons, citations, missing (validated case)", engine))
    texts_ok = [t for t, c in zip(texts, parsed, strict=False) if c in decidable]
    full = rego_baseline.measure(lambda t: decide(parse_case(t), NYC).as_dict(), texts_ok, n=n, warmup=warmup)
    print(row("parse + validate + decide + reasons (JSON text)", full))

    bare = [parse_case(json.dumps(to_contract(doc))) for _, doc, _ in rego_baseline.CASES]
    expected = [want for _, _, want in rego_baseline.CASES]
    got = [decide(c, NYC).outcomes[0].result for c in bare]
    assert got == expected, f"our engine disagrees with the baseline's expected answers: {got} != {expected}"
    ours = rego_baseline.measure(lambda c: decide(c, NYC).as_dict(), bare, n=n, warmup=warmup)
    print("bare DOC rule, § 9-131(b)(1), the 13 baseline inputs:")
    print(row("sanctuary: decide + reasons, citations, missing", ours))
    if rego_baseline.available():
        rego = rego_baseline.prepare()
        inputs = [doc for _, doc, _ in rego_baseline.CASES]
        theirs = rego_baseline.measure(rego, inputs, n=n, warmup=warmup)
        print(row(f"regopy {rego_baseline.regopy_version().split()[0]}: compiled bundle, bare rule", theirs))
        print(
            f"  ratio sanctuary / regopy: median {ours['median'] / theirs['median']:.2f}x, "
            f"p99 {ours['p99'] / theirs['p99']:.2f}x"
        )
    else:
        print("  regopy not installed: `pip install regopy` for the ratio")
    loads = sorted(load_time() for _ in range(5))
    print(
        f"loading all {len(NYC.regimes)} regimes and building every rule tree (fresh interpreter, imports "
        f"included): median {loads[2] * 1000:.0f} ms, max {loads[-1] * 1000:.0f} ms over 5 runs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
