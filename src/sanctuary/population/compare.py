"""Comparing regimes over a population: counts, transitions, breakdowns, data problems.

:class:`Comparison` accumulates, chunk by chunk, everything a report needs, so a population larger than
memory is read once in chunks: outcome counts per regime and action; the transition table from the first
(baseline) regime to each other one, with the ids of the records that change; breakdowns by the dimensions the
pack declares (:class:`~sanctuary.population.tables.Breakdown`; in New York: charge group, custody status, gang
flag and age group); and the data problems, counted by kind.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.population.columnar import ColumnarDecider
from sanctuary.population.evaluate import RESULT, RESULTS, PatternDecider, Scenario
from sanctuary.population.pack import breakdowns
from sanctuary.population.tables import CHARGE, PROBLEM, Breakdown, Tables, as_json_text, flatten

DRILL_DOWN = 200  # record ids kept per transition cell in the summary (all are in the transitions file)
SPREADSHEET_ROWS = 1_000_000  # the transitions file is CSV up to this size, Parquet beyond
DECIDING = 2  # chunks decided at once (one per core of the machines this was measured on)
UNDETERMINED_SAMPLE = 1_000  # undetermined records whose missing facts are read one by one, for large populations


@dataclass(frozen=True, slots=True)
class Decided:
    """One chunk as decided: the records (tables for the columnar evaluator, else the frame of cases) and
    the decided frame (the light columns and one result column per regime and action)."""

    records: Tables | pl.DataFrame
    decided: pl.DataFrame


@dataclass(slots=True)
class Comparison:
    scenario: Scenario
    jurisdiction: Jurisdiction
    sources: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    transitions: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str, str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    breakdowns: Counter[tuple[str, str, str, str, str]] = field(default_factory=Counter)
    problems: Counter[tuple[str, str]] = field(default_factory=Counter)
    undetermined_because: Counter[tuple[str, str]] = field(default_factory=Counter)
    series: list[dict[str, Any]] = field(default_factory=list)
    by_month: Counter[tuple[str, str, str, str, str]] = field(default_factory=Counter)  # (month, agency, r, a, x)
    changed_dir: Path | None = None  # every changed record, written chunk by chunk (bounded memory)
    changed_parts: int = 0
    changed_count: int = 0
    columnar_records: int = 0
    explained: int = 0  # records whose missing facts were read (all, or a sample for large populations)
    sampled: bool = False
    dimensions: tuple[Breakdown, ...] = field(init=False)  # the pack's breakdowns
    decider: PatternDecider = field(init=False)
    columnar: ColumnarDecider = field(init=False)  # one for the whole run: what it learns serves every chunk
    _columnar: bool = field(init=False)  # whether the columnar evaluator can decide every rule of the scenario
    _explainer: PatternDecider = field(init=False)  # reads the sample of undetermined records, in a thread
    _reader: tuple[threading.Thread, Counter[tuple[str, str]]] | None = None
    _reader_error: BaseException | None = None
    _pattern_lock: threading.Lock = field(default_factory=threading.Lock)  # the pattern evaluator: one chunk at a time

    def __post_init__(self) -> None:
        self.dimensions = breakdowns(self.jurisdiction)
        self.decider = PatternDecider(self.jurisdiction, self.scenario)
        self.columnar = ColumnarDecider(self.jurisdiction, self.scenario)
        self._columnar = self.columnar.supports()
        self._explainer = PatternDecider(self.jurisdiction, self.scenario)

    @property
    def baseline(self) -> str:
        return self.scenario.regimes[0]

    @property
    def changed_labels(self) -> list[str]:
        """The columns of the changed-records file after the results: ``charge`` and the pack's breakdowns
        marked ``changed``."""
        return [CHARGE, *(b.name for b in self.dimensions if b.changed)]

    def add(self, frame: pl.DataFrame | Tables, source: str, *, trusted: bool = False) -> None:
        """Decide and count one chunk of records (see :meth:`decide` and :meth:`count`)."""
        self.count(self.decide(frame, trusted=trusted), source)

    def decide(self, frame: pl.DataFrame | Tables, *, trusted: bool = False) -> Decided:
        """Decide one chunk of records. Tables, and ``trusted`` frames — built by the project's loaders or
        generator, or typed by their Parquet schema — are decided by the columnar evaluator; others by the
        pattern evaluator, which validates every case. Safe to call for several chunks at once, from
        threads; :meth:`count` then takes them one at a time, in order."""
        if (isinstance(frame, Tables) or trusted) and self._columnar:
            tables = frame if isinstance(frame, Tables) else flatten(frame, self.columnar.layout)
            return Decided(tables, self.columnar.decide_tables(tables))
        cases = frame.frame() if isinstance(frame, Tables) else as_json_text(frame)
        with self._pattern_lock:
            return Decided(cases, self.decider.decide_frame(cases))

    def count(self, chunk: Decided, source: str) -> None:
        """Count one decided chunk into the comparison (chunks in the order they were read)."""
        decided = chunk.decided
        if isinstance(chunk.records, Tables):
            self.columnar_records += decided.height
            self._why_undetermined(chunk.records, decided)
        else:
            frame = chunk.records
            patterns = frame.filter(pl.col("case").is_not_null()).group_by("case", "current_judgment").len()
            for case, judgment, n in patterns.iter_rows():
                for column, paths in self.decider.missing.get((case, judgment), {}).items():
                    for path in paths:
                        self.undetermined_because[(column, path)] += n
            self.explained += decided.height
        self.records += decided.height
        # Counting reads only the light columns (the cases themselves are not needed any more); a breakdown a
        # source does not give (contract cases) is null.
        dimensions = [b.name for b in self.dimensions]
        decided = decided.select(
            *_month_and_agency(decided),
            "record_id",
            *(_label(decided, n) for n in (PROBLEM, CHARGE, *dimensions)),
            *(f"{r}|{a}" for r in self.scenario.regimes for a in self.scenario.actions),
        )
        for problem, n in decided.group_by("problem").len().iter_rows():
            if problem is not None:
                kind, _, detail = problem.partition(": ")
                self.problems[(kind, detail)] += n
        per_source: dict[str, Any] = {"source": source, "records": decided.height}
        months = decided["month"].drop_nulls()
        if months.len():  # the months of the decision dates this chunk holds (a file's dates, for the report)
            per_source |= {"first_month": months.min(), "last_month": months.max()}
        # One pass over the records: every combination of the breakdowns and the results, counted; each
        # table below is a sum over this small one.
        columns = [f"{r}|{a}" for r in self.scenario.regimes for a in self.scenario.actions]
        grouped = decided.group_by(*dimensions, *columns).len("n")

        def counted(*by: str) -> list[tuple[Any, ...]]:
            return grouped.group_by(*by).agg(pl.col("n").sum()).rows()

        for regime in self.scenario.regimes:
            for action in self.scenario.actions:
                column = f"{regime}|{action}"
                for result, n in counted(column):
                    self.counts[(regime, action, result)] += n
                    per_source[f"{regime}|{action}|{result}"] = n
                for dimension in dimensions:
                    for value, result, n in counted(dimension, column):
                        self.breakdowns[(dimension, str(value), regime, action, result)] += n
        self._count_months(decided, columns)
        self._merge_source(per_source)
        others = self.scenario.regimes[1:]
        for action in self.scenario.actions:
            before = f"{self.baseline}|{action}"
            for regime in others:
                for old, new, n in counted(before, f"{regime}|{action}"):
                    self.transitions[(action, regime, old, new)] += n
            if not others:
                continue
            # The drill-down: one row per record whose outcome differs under some regime, with every result.
            results = [pl.col(f"{r}|{action}").cast(RESULT).alias(r) for r in self.scenario.regimes]
            changed = decided.filter(pl.any_horizontal([pl.col(f"{r}|{action}") != pl.col(before) for r in others]))
            changed = changed.select("record_id", pl.lit(action).alias("action"), *results, *self.changed_labels)
            for row in changed.head(DRILL_DOWN * 4 * len(others)).iter_rows(named=True):
                for regime in others:
                    key = (action, regime, row[self.baseline], row[regime])
                    if row[regime] != row[self.baseline] and len(self.examples[key]) < DRILL_DOWN:
                        self.examples[key].append(row["record_id"])
            self._append_changed(changed)

    def _count_months(self, decided: pl.DataFrame, columns: list[str]) -> None:
        """Records by month of decision, agency, regime, action and result: what the per-year estimates read.

        Grouped while wide, then unpivoted: unpivoting the records first made a row per record, regime and
        action (3,000,000 rows for a chunk of 500,000 with six result columns) grouped by strings, which cost
        as much as all the other counting of a chunk together."""
        wide = decided.group_by("month", "agency", *columns).len("n")
        long = wide.unpivot(index=["month", "agency", "n"], on=columns, variable_name="column", value_name="result")
        for month, agency, column, result, n in (
            long.group_by("month", "agency", "column", "result").agg(pl.col("n").sum()).iter_rows()
        ):
            if month is not None:
                regime, _, action = column.partition("|")
                self.by_month[(month, agency or "", regime, action, str(result))] += n

    def _merge_source(self, per_source: dict[str, Any]) -> None:
        """One file's counts into the series: another chunk of the file read last is added to its entry."""
        if not (self.series and self.series[-1]["source"] == per_source["source"]):
            self.series.append(per_source)
            return
        merged = self.series[-1]
        for name, value in per_source.items():
            if name == "first_month":
                merged[name] = min(merged.get(name, value), value)
            elif name == "last_month":
                merged[name] = max(merged.get(name, value), value)
            elif name != "source":
                merged[name] = merged.get(name, 0) + value

    def _why_undetermined(self, tables: Tables, decided: pl.DataFrame) -> None:
        """Which missing facts leave records undetermined, read by the single-case engine from a bounded
        sample of the undetermined records (the columnar evaluator computes results only)."""
        room = UNDETERMINED_SAMPLE - self.explained
        if room <= 0:
            self.sampled = True  # the sample is full; later undetermined records are counted, not read
            return
        columns = [f"{r}|{a}" for r in self.scenario.regimes for a in self.scenario.actions]
        undetermined = decided.select(pl.any_horizontal([pl.col(c) == "undetermined" for c in columns])).to_series()
        count = int(undetermined.sum())
        if count == 0:
            return
        chosen = pl.arange(0, decided.height, eager=True).filter(undetermined).head(room).to_list()
        self.sampled = self.sampled or count > room
        rows = tables.cases(chosen)  # the rows of ``decided`` are the rows of ``tables.records``
        self.explained += len(rows)
        # Read in a thread of its own while the next chunks are decided (the columnar evaluator spends most
        # of its time in Polars, outside the interpreter lock), with a pattern evaluator of its own.
        self.finish_reading()
        found: Counter[tuple[str, str]] = Counter()  # merged by finish_reading, in this thread
        self._reader = (
            threading.Thread(target=self._read_missing, args=(rows, found), name="why-undetermined"),
            found,
        )
        self._reader[0].start()

    def _read_missing(self, rows: list[tuple[str, str | None]], found: Counter[tuple[str, str]]) -> None:
        try:
            self._read_each(rows, found)
        except BaseException as exc:  # raised again where the reading is awaited: never lost in the thread
            self._reader_error = exc

    def _read_each(self, rows: list[tuple[str, str | None]], found: Counter[tuple[str, str]]) -> None:
        for case, judgment in rows:
            self._explainer.decide_pattern(case, judgment)
            for column, paths in self._explainer.missing.get((case, judgment), {}).items():
                for path in paths:
                    found[(column, path)] += 1

    def finish_reading(self) -> None:
        """Wait for the sample of undetermined records to be read (before anything reports on it)."""
        if self._reader is not None:
            thread, found = self._reader
            thread.join()
            self._reader = None
            if self._reader_error is not None:
                raise self._reader_error
            self.undetermined_because.update(found)

    def summary(self) -> dict[str, Any]:
        """The machine-readable summary (``summary.json``)."""
        self.finish_reading()
        outcome_counts = {
            regime: {
                action: {r: self.counts.get((regime, action, r), 0) for r in RESULTS}
                for action in self.scenario.actions
            }
            for regime in self.scenario.regimes
        }
        transitions = [
            {
                "action": a,
                "from_regime": self.baseline,
                "to_regime": reg,
                "from_result": old,
                "to_result": new,
                "records": n,
                "record_ids": self.examples.get((a, reg, old, new), []) if old != new else [],
            }
            for (a, reg, old, new), n in sorted(self.transitions.items())
        ]
        breakdowns: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (dimension, value, regime, action, result), n in sorted(self.breakdowns.items()):
            breakdowns[dimension].append(
                {"value": value, "regime": regime, "action": action, "result": result, "records": n}
            )
        regimes = {
            r: {"status": self.jurisdiction.regimes[r].status, "title": self.jurisdiction.regimes[r].title}
            for r in self.scenario.regimes
        }
        return {
            "scenario": self.scenario.describe()
            | {"action_words": {a: self.jurisdiction.actions.get(a, a) for a in self.scenario.actions}},
            "regimes": regimes,
            "sources": self.sources,
            "records": self.records,
            "evaluated_by": {"columnar": self.columnar_records, "pattern": self.records - self.columnar_records},
            "outcomes": outcome_counts,
            "transitions": transitions,
            "breakdowns": dict(breakdowns),
            "data_problems": _problems(self.problems),
            "undetermined_because": _because(self.undetermined_because),
            "undetermined_because_sample": self.explained if self.sampled else None,
            "series": self.series,
            "by_month": [
                {"month": m, "agency": ag, "regime": r, "action": a, "result": x, "records": n}
                for (m, ag, r, a, x), n in sorted(self.by_month.items())
            ],
        }

    def _append_changed(self, changed: pl.DataFrame) -> None:
        """Keep every changed record on disk, chunk by chunk (memory stays bounded)."""
        if changed.height == 0:
            return
        if self.changed_dir is None:
            self.changed_dir = Path(tempfile.mkdtemp(prefix="sanctuary-transitions-"))
        # Arrow IPC, LZ4: written at memory speed (Parquet's encoding is paid once, for the report's file).
        changed.write_ipc(self.changed_dir / f"part-{self.changed_parts:05d}.arrow", compression="lz4")
        self.changed_parts += 1
        self.changed_count += changed.height

    def write_transitions(self, out: Path) -> str:
        """Every record whose outcome for an action differs from the baseline's under at least one regime,
        one row per record and action with its result under every regime: ``transitions.csv`` when it fits a
        spreadsheet (at most 1,000,000 rows), else ``transitions.parquet``. Returns the name."""
        if self.changed_dir is None:
            columns = ["record_id", "action", *self.scenario.regimes, *self.changed_labels]
            pl.DataFrame(schema=dict.fromkeys(columns, pl.String)).write_csv(out / "transitions.csv")
            return "transitions.csv"
        parts = pl.scan_ipc(self.changed_dir / "*.arrow")
        name = "transitions.csv" if self.changed_count <= SPREADSHEET_ROWS else "transitions.parquet"
        if name.endswith(".csv"):
            parts.sink_csv(out / name)
        else:
            parts.sink_parquet(out / name)
        shutil.rmtree(self.changed_dir, ignore_errors=True)
        self.changed_dir = None
        return name


def _label(frame: pl.DataFrame, name: str) -> pl.Expr:
    """Column ``name`` of ``frame`` as text, null where the frame does not have it."""
    return pl.col(name) if name in frame.columns else pl.lit(None, pl.String).alias(name)


def _month_and_agency(decided: pl.DataFrame) -> list[pl.Expr]:
    """The month of each record's decision date (``YYYY-MM``) and its agency: from the tables' columns, or
    from the case as written (the pattern evaluator's frames); null for a record without a case."""
    if "decision_date" in decided.columns and "agency" in decided.columns:
        date, agency = pl.col("decision_date"), pl.col("agency")
    else:
        date = pl.col("case").str.json_path_match("$.decision_date")
        agency = pl.col("case").str.json_path_match("$.agency")
    return [date.str.slice(0, 7).alias("month"), agency.cast(pl.String).alias("agency")]


def _problems(counts: Counter[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for (kind, detail), n in counts.most_common():
        entry = out.setdefault(kind, {"records": 0, "values": {}})
        entry["records"] += n
        if detail and len(entry["values"]) < 20:
            entry["values"][detail] = n
    return out


def _because(counts: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """For each regime|action, the facts whose absence leaves records undetermined, with record counts."""
    out: dict[str, dict[str, int]] = {}
    for (column, path), n in counts.most_common():
        out.setdefault(column, {})[path] = n
    return out


def compare_paths(
    paths: list[Path],
    scenario: Scenario,
    jurisdiction: Jurisdiction,
    *,
    chunk: int = 500_000,
    advance: Callable[[int], None] | None = None,
    snapshot_day: dt.date | None = None,
) -> Comparison:
    """Decide every record of every file (read in chunks, the next read while one is decided) and count them;
    ``advance`` is told how many records each counted chunk had (for a progress bar); ``snapshot_day`` dates
    the records of a dated public format (a DOC snapshot) whose file name carries no date.
    Raises :class:`ValueError` or :class:`OSError` naming the file when one cannot be read."""
    from sanctuary.population.pack import public_formats, tables_layout
    from sanctuary.population.records import is_trusted, iter_chunks, prefetch, source_label

    comparison = Comparison(scenario, jurisdiction)
    formats = public_formats(jurisdiction)  # the jurisdiction's public data; the core names none
    layout = tables_layout(jurisdiction)  # the jurisdiction's case model as tables, if it declares one
    dated = {f.name for f in formats if f.dated}
    for path in paths:
        source: dict[str, Any] = {"path": str(path), "records": 0, "synthetic": "synthetic" in path.name}
        source["label"] = source_label(path, snapshot_day)  # as the series names it (a dated file: its date)
        comparison.sources.append(source)

        def counted(decided: Decided, kind: str, path: Path) -> None:
            comparison.count(decided, source_label(path, snapshot_day if kind in dated else None))
            if advance is not None:
                advance(decided.decided.height)

        # Two chunks are decided at once, in two threads (Polars works outside the interpreter lock, so one
        # chunk's Python parts overlap the other's table work), while the next is read; they are counted in
        # the order read. At most four chunks are held: two deciding, one counted, one read ahead.
        waiting: deque[Future[Decided]] = deque()
        with ThreadPoolExecutor(max_workers=DECIDING, thread_name_prefix="decide") as pool:
            try:
                for kind, frame in prefetch(iter_chunks(path, chunk, snapshot_day, formats, layout)):
                    records = frame.records if isinstance(frame, Tables) else frame
                    source["format"] = kind
                    source["records"] += records.height
                    synthetic = bool(records["record_id"].str.starts_with("synthetic-").any())
                    source["synthetic"] = source["synthetic"] or synthetic
                    trusted = isinstance(frame, Tables) or is_trusted(kind, frame)
                    waiting.append(pool.submit(comparison.decide, frame, trusted=trusted))
                    if len(waiting) >= DECIDING:
                        counted(waiting.popleft().result(), kind, path)
                while waiting:
                    counted(waiting.popleft().result(), source["format"], path)
            except (ValueError, OSError) as exc:
                for pending in waiting:
                    pending.cancel()
                raise (OSError if isinstance(exc, OSError) else ValueError)(f"{path.name}: {exc}") from exc
    return comparison
