"""Population records: the formats a population comes in, recognised and read as a stream of chunks.

Public data (:mod:`sanctuary.population.public`) and the tables layout (:mod:`sanctuary.population.tables`)
arrive as tables. The project's own single-file formats — contract cases as JSON lines, the flat table as
CSV or Parquet — arrive as frames with one row per record: ``record_id``, ``case`` (the contract case as
JSON or a nested struct, without actions or regime — those come from the comparison), ``current_judgment``
(for people serving a sentence: the judgment on the current case, added to a conviction history only when
one is given or assumed), the breakdown dimensions ``charge``, ``charge_group``, ``custody_status``,
``gang_flag``, ``age_group``, and ``problem`` (a data problem, counted and reported, never dropped silently).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from sanctuary.population.public import csv_batches, doc_snapshot_tables, doc_stays_tables, nypd_arrests_tables
from sanctuary.population.tables import Tables, is_tables_folder, read_tables

COLUMNS = [
    "record_id",
    "case",
    "current_judgment",
    "charge",
    "charge_group",
    "custody_status",
    "gang_flag",
    "age_group",
    "problem",
]
SCHEMA = {name: pl.String for name in COLUMNS}


def cases_jsonl_frames(path: Path, chunk: int = 500_000) -> Iterator[pl.DataFrame]:
    """Contract cases, one per line (actions and regime are set by the comparison), ``chunk`` cases at a
    time; a line that is not JSON is kept, with no case, and counted as a data problem."""
    rows: list[dict[str, Any]] = []
    yielded = False
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            text: str | None
            problem: str | None
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:
                text, problem = None, f"invalid JSON: line {number} ({exc.msg})"
            else:
                if isinstance(case, dict):
                    case.pop("regime", None)
                    if isinstance(case.get("request"), dict):
                        case["request"].pop("actions", None)
                    text, problem = json.dumps(case, sort_keys=True), None
                else:  # the pattern evaluator would refuse it as a case: counted here, with the reason
                    text, problem = None, f"invalid JSON: line {number} (not an object)"
            rows.append({**dict.fromkeys(COLUMNS), "record_id": f"line {number}", "case": text, "problem": problem})
            if len(rows) == chunk:
                yield pl.DataFrame(rows, schema=SCHEMA)
                rows, yielded = [], True
    if rows or not yielded:
        yield pl.DataFrame(rows, schema=SCHEMA)


def read_cases_jsonl(path: Path) -> pl.DataFrame:
    """Contract cases, one per line, as one frame (see :func:`cases_jsonl_frames`)."""
    return pl.concat(list(cases_jsonl_frames(path)))


def flat_frames(path: Path, chunk: int) -> Iterator[pl.DataFrame]:
    """The project's flat table (CSV or Parquet), ``chunk`` rows at a time: the columns of :data:`COLUMNS`;
    ``record_id`` and ``case`` are required."""
    if path.suffix == ".parquet":
        columns = pl.scan_parquet(path).collect_schema().names()
        total = pl.scan_parquet(path).select(pl.len()).collect().item()
        batches: Iterator[pl.DataFrame] = (
            pl.scan_parquet(path).slice(start, chunk).collect() for start in range(0, max(total, 1), chunk)
        )
    else:
        batches = (batch for _, batch in csv_batches(path, chunk, ragged=False))  # written by people: exact
        columns = []
    for batch in batches:
        columns = columns or batch.columns
        if "case" not in columns or "record_id" not in columns:
            raise ValueError("a flat population table needs the columns record_id and case")
        yield read_flat_frame(batch)


def read_flat_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns of :data:`COLUMNS` from a flat table already read (missing optional columns are null)."""
    for column in COLUMNS:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    # ``case`` and ``current_judgment`` may be JSON text, or (Parquet written by ``sanctuary synth``) nested
    # structs, in which a null field is an absent one.
    keep = {"case", "current_judgment"}
    return frame.select(
        [
            pl.col(c) if c in keep and isinstance(frame.schema[c], pl.Struct) else pl.col(c).cast(pl.String)
            for c in COLUMNS
        ]
    )


def detect(path: Path) -> str:
    """Which reader a file needs, from its name and header (a folder: the tables layout)."""
    if is_tables_folder(path):
        return "tables"
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson")):
        return "cases"
    if name.endswith(".parquet"):
        return "flat"
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rb") as fh:  # the first line only (what follows is read, and checked, by the reader)
        header = fh.readline().decode("utf-8-sig", errors="replace").lower()
    if "inmate_status_code" in header:
        return "doc-snapshot"
    if "top_charge_mode" in header:
        return "doc-stays"
    if "arrest_key" in header and "law_code" in header:
        return "nypd-arrests"
    if "record_id" in header and "case" in header:
        return "flat"
    raise ValueError(
        f"{path.name}: not a format sanctuary reads (DOC snapshot or stays, NYPD arrests, "
        "cases .jsonl, or the flat table)"
    )


#: The formats read as tables, chunk by chunk: public data (every record built here) and the tables layout
#: (typed by its Parquet schema). DOC snapshots are read by :func:`doc_snapshot_tables` (they take a date).
TABLE_LOADERS: dict[str, Callable[[Path, int], Iterator[Tables]]] = {
    "doc-stays": doc_stays_tables,
    "nypd-arrests": nypd_arrests_tables,
    "tables": read_tables,
}


def read_population(path: Path) -> tuple[str, pl.DataFrame]:
    """A whole source in the single-file layout (cases as JSON): ``(format, frame)``."""
    kind = detect(path)
    return kind, pl.concat([_as_frame(chunk) for _, chunk in iter_chunks(path, 10**9)])


def _as_frame(chunk: pl.DataFrame | Tables) -> pl.DataFrame:
    return chunk.frame() if isinstance(chunk, Tables) else chunk


def iter_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """The sources among ``paths``: files, the files of a folder, or a folder in the tables layout."""
    for path in paths:
        if path.is_dir() and not is_tables_folder(path):
            yield from sorted(p for p in path.iterdir() if p.is_file() or is_tables_folder(p))
        else:
            yield path


def is_trusted(kind: str, frame: pl.DataFrame) -> bool:
    """Whether a frame's records are typed by their Parquet schema (cases as nested structs, as ``sanctuary
    synth`` writes them), so the columnar evaluator may decide them; other frames — cases as JSON text,
    written by people — are validated case by case. (Public data and the tables layout arrive as tables.)"""
    return kind == "flat" and isinstance(frame.schema["case"], pl.Struct)


T = TypeVar("T")


def prefetch(chunks: Iterator[T]) -> Generator[T, None, None]:
    """The same items, the next one read in a background thread while the caller works on the current one.

    Reading Parquet runs in Polars' threads without the interpreter lock, so it overlaps the evaluator's
    Python parts. At most one item waits, so memory stays bounded by two chunks. An error in the reader is
    raised in the caller, at the item where it happened."""
    waiting: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(entry: tuple[bool, Any]) -> bool:
        while not stop.is_set():  # the caller may stop early: never block on a queue nobody reads
            try:
                waiting.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in chunks:
                if not offer((True, item)):
                    return
            offer((False, None))
        except BaseException as exc:  # handed to the caller, never lost in the thread
            offer((False, exc))

    reader = threading.Thread(target=read, name="sanctuary-prefetch", daemon=True)
    reader.start()
    try:
        while True:
            more, item = waiting.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()


def count_records(path: Path) -> int | None:
    """How many records a Parquet source holds, from its metadata (for a progress bar); ``None`` for other
    formats, or when the file cannot be read (reading it later says why)."""
    try:
        if is_tables_folder(path):
            path = path / "records.parquet"
        elif path.suffix != ".parquet":
            return None
        return int(pl.scan_parquet(path).select(pl.len()).collect().item())
    except (OSError, pl.exceptions.PolarsError):
        return None


def iter_chunks(
    path: Path, chunk: int, snapshot_day: dt.date | None = None
) -> Iterator[tuple[str, pl.DataFrame | Tables]]:
    """``(format, chunk)`` pairs, ``chunk`` records at a time, every format read as a stream (Parquet
    scanned lazily, CSV in batches, JSON lines line by line), so a population larger than memory is read in
    bounded memory. Public data and the tables layout come as :class:`Tables`, the rest as frames of cases.
    ``snapshot_day`` dates a DOC snapshot whose file name carries no date."""
    kind = detect(path)
    if kind == "doc-snapshot":
        for tables in doc_snapshot_tables(path, chunk, day=snapshot_day):
            yield kind, tables
    elif kind in TABLE_LOADERS:
        for tables in TABLE_LOADERS[kind](path, chunk):
            yield kind, tables
    elif kind == "cases":
        for frame in cases_jsonl_frames(path, chunk):
            yield kind, frame
    else:
        for frame in flat_frames(path, chunk):
            yield kind, frame
