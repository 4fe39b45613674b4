"""Baseline: regopy (rego-cpp) evaluating the bare DOC rule of NYC Admin. Code § 9-131(b)(1).

Why this exists
---------------
We report sanctuary's decision latency as a *ratio* to an established
policy engine measured in the same process, on the same machine, on the
same inputs. The reference is the Rego interpreter ``regopy`` (Python
bindings to Microsoft's rego-cpp), evaluating the "bare" Department of
Correction rule of § 9-131(b)(1) written in Rego at
``benchmarks/rego/doc_9_131_b_1.rego``:

    DOC may honor an immigration detainer (hold) only if
    (i)  a judicial warrant is presented with the detainer, and
    (ii) the person has a recent conviction for a violent or serious crime
         (simplified: felony, section in a given set, judgment within five
         years before the instant arrest) or is a possible TSDB match.

How regopy is driven (fastest path found for regopy 1.5.x)
----------------------------------------------------------
``Interpreter.query(str)`` re-runs the whole compiler pipeline (parse,
~all rewriting passes) over the policy on *every* call (about 1.3 ms here),
so it is not used. Instead :func:`prepare` compiles the policy once with
``Interpreter.build(None, [entrypoint])`` into a ``Bundle`` (rego-cpp's
compiled plan / VM form), and each evaluation does
``Interpreter.set_input(regopy.Input(doc))`` followed by
``Interpreter.query_bundle_entrypoint(bundle, entrypoint)``. Building the
``Input`` from a dict (one ctypes call per JSON node) was faster than
``set_input_term(json.dumps(doc))``, which goes through rego-cpp's parser,
and querying a named entrypoint was faster than a bundle query string.

Run ``python benchmarks/rego_baseline.py`` for a correctness check plus
median / p99 latency; import :func:`available`, :func:`prepare` and
:func:`measure` to time the baseline next to another engine.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

POLICY_PATH: Final[Path] = Path(__file__).with_name("rego") / "doc_9_131_b_1.rego"
"""Rego source of the bare § 9-131(b)(1) DOC rule."""

ENTRYPOINT: Final[str] = "nyc_9_131/b1/decision"
"""Bundle entrypoint (``data.nyc_9_131.b1.decision``) yielding the decision."""

PERMITTED: Final[str] = "permitted"
PROHIBITED: Final[str] = "prohibited"

# Illustrative subset of New York Penal Law sections treated as "violent or
# serious crimes" for this benchmark (assault, homicide, sex offences,
# kidnapping, burglary, arson, robbery, weapon possession). It is NOT the
# statutory list of § 9-131(a); it only has to be the same set that the engine
# being compared uses.
VIOLENT_OR_SERIOUS_SECTIONS: Final[frozenset[str]] = frozenset(
    {
        "120.05", "120.10", "120.11", "120.12", "121.12", "121.13",
        "125.15", "125.20", "125.25", "125.26", "125.27",
        "130.25", "130.30", "130.35", "130.50",
        "135.20", "135.25",
        "140.25", "140.30",
        "150.15", "150.20",
        "160.05", "160.10", "160.15",
        "265.02", "265.03", "265.04",
    },
)  # fmt: skip

Decide = Callable[[dict[str, Any]], str]
"""One evaluation: input document -> ``"permitted"`` / ``"prohibited"``."""

T = TypeVar("T")


def available() -> bool:
    """Return True if ``regopy`` (and its bundled native library) can be imported."""
    try:
        import regopy  # noqa: F401
    except Exception:  # ImportError, or RegoError/OSError loading the .so
        return False
    return True


def regopy_version() -> str:
    """Return the rego-cpp version string reported by regopy (e.g. ``"1.5.2"``)."""
    import regopy

    return str(regopy.__version__)


def _compile(sections: Iterable[str]) -> Any:
    """Parse the policy and data once and compile them into a ``regopy.Bundle``."""
    import regopy

    builder = regopy.Interpreter()
    builder.add_data(
        {"nyc_9_131": {"violent_or_serious_sections": dict.fromkeys(sorted(sections), True)}},
    )
    builder.add_module(POLICY_PATH.name, POLICY_PATH.read_text(encoding="utf-8"))
    bundle = builder.build(None, [ENTRYPOINT])
    if not bundle.ok():
        msg = f"rego-cpp failed to build a bundle for {POLICY_PATH}"
        raise RuntimeError(msg)
    return bundle


def prepare(sections: Iterable[str] = VIOLENT_OR_SERIOUS_SECTIONS) -> Decide:
    """Compile the § 9-131(b)(1) policy once and return a per-input evaluator.

    Args:
        sections: Penal Law section numbers (e.g. ``"160.15"``) counted as
            violent or serious crimes; supplied to the policy as base data.

    Returns:
        A function taking one input document (the JSON shape of a DOC case:
        ``request.documents``, ``person.instant_arrest_date``,
        ``person.convictions[*].{section, level, judgment_date}``,
        ``person.tsdb_possible_match``) and returning ``"permitted"`` or
        ``"prohibited"``. It raises ``RuntimeError`` if rego-cpp reports an
        error or an unexpected result. The returned function owns one
        interpreter and is not thread-safe.

    Raises:
        ImportError: If regopy is not installed.
        regopy.RegoError: If the policy fails to compile.
    """
    import regopy

    bundle = _compile(sections)
    interpreter = regopy.Interpreter()
    make_input = regopy.Input
    set_input = interpreter.set_input
    query = interpreter.query_bundle_entrypoint
    allowed = (PERMITTED, PROHIBITED)

    def decide(doc: dict[str, Any]) -> str:
        set_input(make_input(doc))
        output = query(bundle, ENTRYPOINT)
        if not output.ok():
            msg = f"rego-cpp evaluation error: {output}"
            raise RuntimeError(msg)
        try:
            value = output.results[0].expressions[0]
        except IndexError:
            value = None
        if value not in allowed:
            msg = f"unexpected rego result: {output}"
            raise RuntimeError(msg)
        return str(value)

    return decide


def measure(
    decide: Callable[[T], object],
    inputs: Sequence[T],
    n: int = 20_000,
    warmup: int = 2_000,
) -> dict[str, float]:
    """Time ``decide`` per call, cycling through ``inputs``.

    Each call is timed individually with ``time.perf_counter_ns``; the
    garbage collector is disabled during the timed loop. Returns microseconds:
    ``median``, ``p99`` (nearest rank), ``mean``, ``min``, plus ``n``.
    """
    if not inputs or n <= 0:
        msg = "need at least one input and n > 0"
        raise ValueError(msg)
    k = len(inputs)
    for i in range(warmup):
        decide(inputs[i % k])
    samples = [0] * n
    clock = time.perf_counter_ns
    gc.collect()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for i in range(n):
            doc = inputs[i % k]
            t0 = clock()
            decide(doc)
            samples[i] = clock() - t0
    finally:
        if gc_was_enabled:
            gc.enable()
    samples.sort()
    return {
        "n": float(n),
        "median": samples[n // 2] / 1e3 if n % 2 else (samples[n // 2 - 1] + samples[n // 2]) / 2e3,
        "p99": samples[max(0, math.ceil(0.99 * n) - 1)] / 1e3,
        "mean": sum(samples) / n / 1e3,
        "min": samples[0] / 1e3,
    }


# --------------------------------------------------------------------------
# Correctness cases (input document, expected decision)
# --------------------------------------------------------------------------

_I247A: Final[dict[str, Any]] = {"type": "I-247A"}


def _warrant(signer: str = "us_magistrate_judge", **overrides: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "type": "warrant",
        "signer": signer,
        "probable_cause": True,
        "authorizes_immigration_custody": True,
        "presented_with_detainer": True,
    }
    doc.update(overrides)
    return doc


def _conviction(section: str, judgment_date: str, level: str = "felony") -> dict[str, Any]:
    return {
        "charge": f"PL {section}",
        "section": section,
        "level": level,
        "judgment_date": judgment_date,
    }


def make_case(
    documents: Sequence[dict[str, Any]],
    convictions: Sequence[dict[str, Any]] = (),
    *,
    tsdb_possible_match: bool = False,
    instant_arrest_date: str = "2024-01-10",
) -> dict[str, Any]:
    """Build one DOC input document in the benchmark's JSON shape."""
    return {
        "agency": "DOC",
        "decision_date": "2024-03-01",
        "request": {"from": "ICE", "documents": list(documents), "actions": ["hold"]},
        "person": {
            "instant_arrest_date": instant_arrest_date,
            "convictions": list(convictions),
            "tsdb_possible_match": tsdb_possible_match,
        },
    }


EXAMPLE_INPUT: Final[dict[str, Any]] = {
    "agency": "DOC",
    "decision_date": "2024-03-01",
    "request": {
        "from": "ICE",
        "documents": [_I247A, _warrant()],
        "actions": ["hold"],
    },
    "person": {
        "instant_arrest_date": "2024-01-10",
        "convictions": [
            {
                "charge": "PL 160.15(4)",
                "section": "160.15",
                "level": "felony",
                "judgment_date": "2020-05-01",
            },
        ],
        "tsdb_possible_match": False,
    },
}
"""The canonical permitted case (judicial warrant + recent robbery 1st felony)."""

_RECENT = _conviction("160.15", "2020-05-01")

CASES: Final[tuple[tuple[str, dict[str, Any], str], ...]] = (
    ("warrant + recent violent felony", EXAMPLE_INPUT, PERMITTED),
    ("no warrant (detainer only) + recent felony", make_case([_I247A], [_RECENT]), PROHIBITED),
    (
        "warrant + old conviction (2015)",
        make_case([_I247A, _warrant()], [_conviction("160.15", "2015-05-01")]),
        PROHIBITED,
    ),
    (
        "warrant + TSDB match, no convictions",
        make_case([_I247A, _warrant("article_iii_judge")], tsdb_possible_match=True),
        PERMITTED,
    ),
    ("TSDB match, no warrant", make_case([_I247A], tsdb_possible_match=True), PROHIBITED),
    (
        "warrant signed by immigration officer",
        make_case([_I247A, _warrant("ice_officer")], [_RECENT]),
        PROHIBITED,
    ),
    (
        "warrant without probable cause",
        make_case([_I247A, _warrant(probable_cause=False)], [_RECENT]),
        PROHIBITED,
    ),
    (
        "warrant not presented with detainer",
        make_case([_I247A, _warrant(presented_with_detainer=False)], [_RECENT]),
        PROHIBITED,
    ),
    (
        "warrant + recent misdemeanor in listed section",
        make_case([_I247A, _warrant()], [_conviction("120.05", "2022-01-01", "misdemeanor")]),
        PROHIBITED,
    ),
    (
        "warrant + recent felony, unlisted section",
        make_case([_I247A, _warrant()], [_conviction("155.30", "2022-01-01")]),
        PROHIBITED,
    ),
    (
        "warrant + felony exactly 5 years before arrest",
        make_case([_I247A, _warrant()], [_conviction("125.25", "2019-01-10")]),
        PROHIBITED,
    ),
    (
        "warrant + felony 5 years less 1 day before arrest",
        make_case([_I247A, _warrant()], [_conviction("125.25", "2019-01-11")]),
        PERMITTED,
    ),
    (
        "warrant + one old and one recent conviction",
        make_case(
            [_I247A, _warrant()],
            [_conviction("160.15", "2010-01-01"), _conviction("130.35", "2023-06-30")],
        ),
        PERMITTED,
    ),
)
"""(label, input document, expected decision) correctness cases."""


def check(decide: Decide) -> list[str]:
    """Run :data:`CASES` through ``decide``; return a list of failure messages."""
    failures = []
    for label, doc, expected in CASES:
        got = decide(doc)
        status = "ok  " if got == expected else "FAIL"
        print(f"  [{status}] {label}: expected {expected}, got {got}")
        if got != expected:
            failures.append(f"{label}: expected {expected}, got {got}")
    return failures


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=20_000, help="timed evaluations (default 20000)")
    parser.add_argument("--warmup", type=int, default=2_000, help="untimed warm-up evaluations")
    args = parser.parse_args(argv)

    if not available():
        print("regopy is not importable; install it with `pip install regopy`.")
        return 2

    import regopy

    print(f"python   : {sys.version.split()[0]} ({platform.python_implementation()})")
    print(f"platform : {platform.platform()}")
    print(f"cpu      : {_cpu_model()}; os.cpu_count()={os.cpu_count()}")
    print(f"regopy   : {regopy_version()} ({regopy.build_info()})")
    print(f"policy   : {POLICY_PATH}")

    t0 = time.perf_counter()
    decide = prepare()
    print(f"prepare(): {(time.perf_counter() - t0) * 1e3:.1f} ms (parse + compile bundle, once)")

    print("correctness:")
    failures = check(decide)
    if failures:
        print(f"{len(failures)} correctness failure(s); not timing.")
        return 1

    def report(label: str, stats: dict[str, float]) -> None:
        print(
            f"  {label:<50} median {stats['median']:8.1f} us   p99 {stats['p99']:8.1f} us"
            f"   mean {stats['mean']:8.1f} us   min {stats['min']:8.1f} us",
        )

    print(f"latency per evaluation (n={args.n}, warm-up {args.warmup}, gc disabled while timing):")
    report("full decide(), canonical permitted input", measure(decide, [EXAMPLE_INPUT], args.n, args.warmup))
    report(
        f"full decide(), cycling {len(CASES)} correctness inputs",
        measure(decide, [doc for _, doc, _ in CASES], args.n, args.warmup),
    )

    # Breakdown for the canonical input: VM evaluation alone (input already
    # marshalled into rego-cpp) versus the dict -> regopy.Input conversion.
    bundle = _compile(VIOLENT_OR_SERIOUS_SECTIONS)
    interp = regopy.Interpreter()
    interp.set_input(regopy.Input(EXAMPLE_INPUT))

    def eval_only(_doc: dict[str, Any]) -> str:
        return str(interp.query_bundle_entrypoint(bundle, ENTRYPOINT).results[0].expressions[0])

    report(
        "  of which: bundle query only (input pre-set)",
        measure(eval_only, [EXAMPLE_INPUT], args.n, args.warmup),
    )
    report(
        "  of which: dict -> regopy.Input marshalling",
        measure(regopy.Input, [EXAMPLE_INPUT], args.n, args.warmup),
    )

    uncompiled = regopy.Interpreter()
    uncompiled.add_data(
        {"nyc_9_131": {"violent_or_serious_sections": dict.fromkeys(sorted(VIOLENT_OR_SERIOUS_SECTIONS), True)}},
    )
    uncompiled.add_module(POLICY_PATH.name, POLICY_PATH.read_text(encoding="utf-8"))

    def query_uncompiled(doc: dict[str, Any]) -> str:
        uncompiled.set_input(regopy.Input(doc))
        return str(uncompiled.query("data.nyc_9_131.b1.decision").results[0].expressions[0])

    n_slow = max(1, min(args.n, 1_000))
    report(
        f"(not used) Interpreter.query() path, n={n_slow}",
        measure(query_uncompiled, [EXAMPLE_INPUT], n_slow, min(args.warmup, 100)),
    )
    return 0


if __name__ == "__main__":
    sys.exit(_main())
