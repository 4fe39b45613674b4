"""Population records: the formats a population comes in, recognised and read as a stream of chunks.

Public data and the tables layout (:mod:`sanctuary.population.tables`) arrive as tables. Public data is a
jurisdiction's own (its columns, statuses and charges are its law's and its agencies'): the core names no
such format, and reads those the chosen pack gives (:class:`PublicFormat`, from
:meth:`~sanctuary.law.jurisdiction.Jurisdiction.public_formats`), passed here as ``formats``.

The project's own single-file formats — contract cases as JSON lines, the flat table as CSV or Parquet —
arrive as frames with one row per record: ``record_id``, ``case`` (the contract case as JSON or a nested
struct, without actions or regime — those come from the comparison), ``current_judgment`` (for people serving
a sentence: the judgment on the current case, added to a conviction history only when one is given or
assumed), ``charge`` (the offense text the record was charged with), the breakdown dimensions the pack declares
(:attr:`~sanctuary.population.tables.TablesLayout.breakdowns`; the core names none), and ``problem`` (a data
problem, counted and reported, never dropped silently).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import queue
import re
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from sanctuary.population.tables import CHARGE, PROBLEM, Tables, TablesLayout, is_tables_folder, read_tables

LABELS = (CHARGE, PROBLEM)  # the columns beside the case of a pack that declares no breakdowns
_STRING = pl.String
_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")  # 20260821 or 2026-08-21 in a file name


@dataclass(frozen=True)
class PublicFormat:
    """One format of a jurisdiction's public data, as its pack reads it: the core recognises a file by its
    header and reads it as a stream of tables, without knowing what the columns mean.

    ``read(path, chunk, day)`` yields :class:`Tables`, ``chunk`` rows at a time; ``day`` is the date the user
    gave (``--snapshot-date``) for a file whose name carries none, given only to a ``dated`` format (whose
    records are decided on that day; a comparison's time series labels its sources by it)."""

    name: str  #: as the comparison reports a source's format
    title: str  #: in the message for a file no format recognises
    recognises: Callable[[str], bool]  #: given the file's first line, lower-cased
    read: Callable[[Path, int, dt.date | None], Iterator[Tables]]
    dated: bool = False


def csv_batches(path: Path, chunk: int, *, ragged: bool = True) -> Iterator[tuple[int, pl.DataFrame]]:
    """``(first row, batch)`` of a CSV file (plain or gzip), every value as text, ``chunk`` rows at a time, in
    bounded memory; at least one (maybe empty) batch. With ``ragged``, short rows are padded with nulls and
    long ones cut (as public files were always read); without, a row of the wrong length is an error."""
    try:
        scan = pl.scan_csv(path, infer_schema=False, truncate_ragged_lines=ragged)
        first = 0
        for batch in scan.collect_batches(chunk_size=chunk):
            batch = batch.rename({c: c.strip().lstrip("\ufeff").lower() for c in batch.columns})
            yield first, batch
            first += batch.height
        if first == 0:
            yield 0, pl.DataFrame(schema={c.strip().lower(): _STRING for c in scan.collect_schema()})
    except pl.exceptions.PolarsError as exc:
        raise ValueError(f"cannot read the file as CSV: {exc}") from None


def name_date(path: Path) -> dt.date | None:
    """The date a file's name carries (``…20260821…`` or ``…2026-08-21…``), if it carries one."""
    match = _NAME_DATE.search(path.name)
    try:
        return dt.date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


def source_label(path: Path, otherwise: dt.date | None = None) -> str:
    """A short label for a source in time series: the date its name carries (else ``otherwise``, if given),
    else the name."""
    day = name_date(path) or otherwise
    return day.isoformat() if day else path.stem


def columns(layout: TablesLayout | None = None) -> list[str]:
    """The single-file layout's columns: ``record_id``, ``case``, ``current_judgment``, then ``charge``, the
    pack's breakdowns (in ``layout``) and ``problem``."""
    return ["record_id", "case", "current_judgment", *(LABELS if layout is None else layout.labels)]


def cases_jsonl_frames(path: Path, chunk: int = 500_000) -> Iterator[pl.DataFrame]:
    """Contract cases, one per line (actions and regime are set by the comparison), ``chunk`` cases at a
    time; a line that is not JSON is kept, with no case, and counted as a data problem. A case says nothing of
    a breakdown: those columns are absent (a comparison reads them as null)."""
    names = columns()
    schema = dict.fromkeys(names, pl.String)
    rows: list[dict[str, Any]] = []
    yielded = False
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            text: str | None
            problem: str | None
            record_id = f"line {number}"
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:
                text, problem = None, f"invalid JSON: line {number} ({exc.msg})"
            else:
                if isinstance(case, dict):
                    case.pop("regime", None)
                    named = case.pop("id", None)  # the case's own id names the record (a contract extension)
                    if isinstance(named, str) and named:
                        record_id = named
                    if isinstance(case.get("request"), dict):
                        case["request"].pop("actions", None)
                    text, problem = json.dumps(case, sort_keys=True), None
                else:  # the pattern evaluator would refuse it as a case: counted here, with the reason
                    text, problem = None, f"invalid JSON: line {number} (not an object)"
            rows.append({**dict.fromkeys(names), "record_id": record_id, "case": text, "problem": problem})
            if len(rows) == chunk:
                yield pl.DataFrame(rows, schema=schema)
                rows, yielded = [], True
    if rows or not yielded:
        yield pl.DataFrame(rows, schema=schema)


def read_cases_jsonl(path: Path) -> pl.DataFrame:
    """Contract cases, one per line, as one frame (see :func:`cases_jsonl_frames`)."""
    return pl.concat(list(cases_jsonl_frames(path)))


def flat_frames(path: Path, chunk: int, layout: TablesLayout | None = None) -> Iterator[pl.DataFrame]:
    """The project's flat table (CSV or Parquet), ``chunk`` rows at a time: the columns of :func:`columns`
    (with the breakdowns of the pack's ``layout``); ``record_id`` and ``case`` are required."""
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
        yield read_flat_frame(batch, layout)


def read_flat_frame(frame: pl.DataFrame, layout: TablesLayout | None = None) -> pl.DataFrame:
    """The columns of :func:`columns` from a flat table already read (missing optional columns are null)."""
    names = columns(layout)
    for column in names:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    # ``case`` and ``current_judgment`` may be JSON text, or (Parquet written by ``sanctuary synth``) nested
    # structs, in which a null field is an absent one.
    keep = {"case", "current_judgment"}
    return frame.select(
        [
            pl.col(c) if c in keep and isinstance(frame.schema[c], pl.Struct) else pl.col(c).cast(pl.String)
            for c in names
        ]
    )


def detect(path: Path, formats: Sequence[PublicFormat] = ()) -> str:
    """Which reader a file needs, from its name and header (a folder: the tables layout): the project's own
    formats, or one of ``formats``, the jurisdiction's public data (the first that recognises the header)."""
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
    for public in formats:
        if public.recognises(header):
            return public.name
    if "record_id" in header and "case" in header:
        return "flat"
    readable = ", ".join([*(public.title for public in formats), "cases .jsonl"])
    raise ValueError(f"{path.name}: not a format sanctuary reads ({readable}, or the flat table)")


def read_population(
    path: Path, formats: Sequence[PublicFormat] = (), layout: TablesLayout | None = None
) -> tuple[str, pl.DataFrame]:
    """A whole source in the single-file layout (cases as JSON): ``(format, frame)``; ``formats``: the
    jurisdiction's public data (see :func:`detect`)."""
    kind = detect(path, formats)
    return kind, pl.concat([_as_frame(chunk) for _, chunk in iter_chunks(path, 10**9, formats=formats, layout=layout)])


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
    path: Path,
    chunk: int,
    snapshot_day: dt.date | None = None,
    formats: Sequence[PublicFormat] = (),
    layout: TablesLayout | None = None,
) -> Iterator[tuple[str, pl.DataFrame | Tables]]:
    """``(format, chunk)`` pairs, ``chunk`` records at a time, every format read as a stream (Parquet
    scanned lazily, CSV in batches, JSON lines line by line), so a population larger than memory is read in
    bounded memory. Public data (one of ``formats``, the jurisdiction's) and the tables layout come as
    :class:`Tables`, the rest as frames of cases. ``snapshot_day`` dates the records of a dated public format
    whose file name carries no date. A tables folder is read in the pack's ``layout``; refused (a
    :class:`ValueError`) for a pack that declares none."""
    kind = detect(path, formats)
    public = {f.name: f for f in formats}
    if kind in public:
        day = snapshot_day if public[kind].dated else None
        for tables in public[kind].read(path, chunk, day):
            yield kind, tables
    elif kind == "tables":
        if layout is None:
            raise ValueError("a folder in the tables layout, but this jurisdiction declares no tables layout")
        for tables in read_tables(path, chunk, layout):
            yield kind, tables
    elif kind == "cases":
        for frame in cases_jsonl_frames(path, chunk):
            yield kind, frame
    else:
        for frame in flat_frames(path, chunk, layout):
            yield kind, frame
