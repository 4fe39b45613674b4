"""Population records: real public data (DOC custody snapshots, the stays table, NYPD arrests) and the
project's own formats, each record mapped to a contract case in which everything the data does not say is
unknown.

A population is a Polars frame with one row per record: ``record_id``, ``case`` (the contract case as
JSON, without actions or regime — those come from the comparison), ``current_judgment`` (for people serving
a sentence: the judgment on the current case, added to a conviction history only when one is given or
assumed), the breakdown dimensions ``charge``, ``charge_group``, ``custody_status``, ``gang_flag``,
``age_group``, and ``problem`` (a data problem, counted and reported, never dropped silently).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import queue
import re
import threading
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from sanctuary.facts.charges import ChargeParseError, parse_charge
from sanctuary.law.nyc.catalog import CATALOG, FELONY_ONLY_SECTIONS
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
DETAINED = {"DE", "DEP", "DPV"}  # detainee; with parole warrant; technical parole violator
SENTENCED = {"CS", "CSP", "DNS", "SSR", "SCO"}
STATUS_WORDS = {
    "DE": "detained",
    "DEP": "detained (parole warrant)",
    "DPV": "parole violator",
    "CS": "city sentenced",
    "CSP": "city sentenced (parole warrant)",
    "DNS": "newly state sentenced",
    "SSR": "state ready",
    "SCO": "state prisoner (court order)",
}
_DOC_DATE = re.compile(r"(\d{8})")


def age_group(age: float | None) -> str:
    if age is None:
        return "unknown"
    for upper, label in ((18, "under 18"), (25, "18-24"), (45, "25-44"), (65, "45-64")):
        if age < upper:
            return label
    return "65+"


def charge_facts(text: str | None, level: str | None = None) -> tuple[dict[str, Any] | None, str, str | None]:
    """A charge as written in the data → (the charge as a case fact, its group for breakdowns, a problem).

    A Penal Law section whose every offense is a felony gets the level felony when the data gives none
    (``felony_only_sections.toml``); otherwise an absent level stays unknown (interpretation I-24)."""
    raw = (text or "").strip()
    if not raw:
        return None, "no charge recorded", "no charge recorded: (blank)"
    try:
        code = parse_charge(raw)
    except ChargeParseError:
        return None, "not an offense code", f"charge is not a readable offense code: {raw}"
    fact: dict[str, Any] = {"charge": raw}
    if level is None and code.law == "PL" and not code.attempt and code.section in FELONY_ONLY_SECTIONS:
        level = "felony"
    if level is not None:
        fact["level"] = level
    if code.attempt:
        fact["inchoate"] = "attempt"
    listed = CATALOG.felonies.lookup(code, dt.date.max) is not None or CATALOG.addition(code) is not None
    group = f"{code.law} {code.section.split('.')[0]}" if code.law == "PL" else code.law
    if listed:
        group = f"listed: {group}"
    return fact, group, None


def _doc_record(
    record_id: str,
    when: dt.date,
    top_charge: str,
    status: str,
    srg: str,
    age: float | None,
    extra_problem: str | None = None,
) -> dict[str, Any]:
    """One DOC custody row as a flat record.

    A sentenced person's top charge is the current judgment, of unknown date (I-26); the SRG flag is a
    breakdown only, never the gang-database fact (I-25)."""
    fact, group, problem = charge_facts(top_charge)
    person: dict[str, Any] = {}
    current = None
    if fact is not None and status in DETAINED:
        person["pending_charges"] = [fact]
    elif fact is not None and status in SENTENCED:
        current = json.dumps(dict(fact, court="NY"))
    case = {"agency": "DOC", "decision_date": when.isoformat(), "person": person}
    return {
        "record_id": record_id,
        "case": json.dumps(case, sort_keys=True),
        "current_judgment": current,
        "charge": top_charge.strip() or "(blank)",
        "charge_group": group,
        "custody_status": STATUS_WORDS.get(status, status or "unknown"),
        "gang_flag": {"Y": "SRG flag", "N": "no SRG flag"}.get(srg, "unknown"),
        "age_group": age_group(age),
        "problem": extra_problem or problem,
    }


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def snapshot_date(path: Path) -> dt.date:
    match = _DOC_DATE.search(path.name)
    if not match:
        raise ValueError(f"{path.name}: cannot tell the snapshot date from the file name (expected YYYYMMDD)")
    return dt.datetime.strptime(match.group(1), "%Y%m%d").date()


def source_label(path: Path) -> str:
    """A short label for a source in time series: the snapshot date if the name has one, else the name."""
    match = _DOC_DATE.search(path.name)
    if match:
        try:
            return dt.datetime.strptime(match.group(1), "%Y%m%d").date().isoformat()
        except ValueError:
            pass
    return path.stem


def read_doc_snapshot(path: Path, day: dt.date | None = None) -> pl.DataFrame:
    """A NYC DOC "Daily Inmates In Custody" file, either layout (FOIL: upper-case, quoted, padded; open data:
    lower-case, any column order). The snapshot date comes from the file name unless given."""
    when = day or snapshot_date(path)
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            get = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}.get
            person = get("inmateid") or f"line{number}"
            rows.append(
                _doc_record(
                    f"{person}@{when}",
                    when,
                    get("top_charge") or "",
                    get("inmate_status_code") or "",
                    get("srg_flg") or "",
                    _number(get("age")),
                )
            )
    return pl.DataFrame(rows, schema=SCHEMA)


def read_doc_stays(path: Path) -> pl.DataFrame:
    """The derived stays table (one row per custody stay); decided as of the last day the stay was seen."""
    opener = gzip.open if path.suffix == ".gz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                when = dt.date.fromisoformat(row["last_seen"])
            except ValueError:
                rows.append(
                    {
                        **{c: None for c in COLUMNS},
                        "record_id": f"{row['inmateid']}/{row['admitted_dt']}",
                        "case": None,
                        "problem": f"impossible date: last_seen={row['last_seen']}",
                    }
                )
                continue
            top = row["top_charge_mode"]
            top = "" if top == "<blank>" else top
            status = (row["status_codes_all"] or "").split("|")[-1]
            rows.append(
                _doc_record(
                    f"{row['inmateid']}/{row['admitted_dt']}",
                    when,
                    top,
                    status,
                    row["srg_flg_ever"],
                    _number(row["age_first_seen"]),
                )
            )
    return pl.DataFrame(rows, schema=SCHEMA)


NYPD_LEVELS = {"F": "felony", "M": "misdemeanor", "V": "violation", "I": "violation"}


def read_nypd_arrests(path: Path) -> pl.DataFrame:
    """NYPD arrest files (historic or year-to-date): each arrest is a case decided on the arrest date, the
    arrest charge pending, its level from LAW_CAT_CD (an infraction is read as a non-criminal violation)."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            problem = None
            try:
                when = dt.datetime.strptime(row["ARREST_DATE"], "%m/%d/%Y").date()
            except ValueError:
                when, problem = None, f"impossible date: ARREST_DATE={row['ARREST_DATE']}"
            fact, group, charge_problem = charge_facts(row.get("LAW_CODE"), NYPD_LEVELS.get(row.get("LAW_CAT_CD", "")))
            case = None
            if when is not None:
                person: dict[str, Any] = {"instant_arrest_date": when.isoformat()}
                if fact is not None:
                    person["pending_charges"] = [fact]
                case = json.dumps(
                    {"agency": "NYPD", "decision_date": when.isoformat(), "person": person}, sort_keys=True
                )
            ages = {"<18": "under 18", "18-24": "18-24", "25-44": "25-44", "45-64": "45-64", "65+": "65+"}
            rows.append(
                {
                    "record_id": row["ARREST_KEY"],
                    "case": case,
                    "current_judgment": None,
                    "charge": row.get("LAW_CODE") or "(blank)",
                    "charge_group": group,
                    "custody_status": "arrested",
                    "gang_flag": "unknown",
                    "age_group": ages.get(row.get("AGE_GROUP", ""), "unknown"),
                    "problem": problem or charge_problem,
                }
            )
    return pl.DataFrame(rows, schema=SCHEMA)


def read_cases_jsonl(path: Path) -> pl.DataFrame:
    """Contract cases, one per line (actions and regime are set by the comparison)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            case.pop("regime", None)
            case.get("request", {}).pop("actions", None)
            text, problem = json.dumps(case, sort_keys=True), None
        except json.JSONDecodeError as exc:
            text, problem = None, f"invalid JSON: line {number} ({exc.msg})"
        rows.append(
            {
                "record_id": f"line {number}",
                "case": text,
                "current_judgment": None,
                "charge": None,
                "charge_group": None,
                "custody_status": None,
                "gang_flag": None,
                "age_group": None,
                "problem": problem,
            }
        )
    return pl.DataFrame(rows, schema=SCHEMA)


def read_flat(path: Path) -> pl.DataFrame:
    """The project's flat table (CSV or Parquet): the columns of :data:`COLUMNS`; ``case`` is required."""
    frame = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, infer_schema=False)
    if "case" not in frame.columns or "record_id" not in frame.columns:
        raise ValueError(f"{path.name}: a flat population table needs the columns record_id and case")
    return read_flat_frame(frame)


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
    with opener(path, "rt", encoding="utf-8-sig") as fh:
        header = fh.readline().lower()
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


READERS = {
    "doc-snapshot": read_doc_snapshot,
    "doc-stays": read_doc_stays,
    "nypd-arrests": read_nypd_arrests,
    "cases": read_cases_jsonl,
    "flat": read_flat,
}


def read_population(path: Path) -> tuple[str, pl.DataFrame]:
    kind = detect(path)
    return kind, READERS[kind](path)


def iter_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """The sources among ``paths``: files, the files of a folder, or a folder in the tables layout."""
    for path in paths:
        if path.is_dir() and not is_tables_folder(path):
            yield from sorted(p for p in path.iterdir() if p.is_file())
        else:
            yield path


TRUSTED = {"doc-snapshot", "doc-stays", "nypd-arrests"}


def is_trusted(kind: str, frame: pl.DataFrame) -> bool:
    """Whether records were built by the project's own loaders or generator (well formed by construction),
    so the columnar evaluator may decide them; other inputs are validated case by case."""
    return kind in TRUSTED or (kind == "flat" and isinstance(frame.schema["case"], pl.Struct))


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


def iter_chunks(path: Path, chunk: int) -> Iterator[tuple[str, pl.DataFrame | Tables]]:
    """``(format, chunk)`` pairs: the tables layout and a flat Parquet table are scanned lazily, ``chunk``
    records at a time, so a population larger than memory is read in bounded memory; other formats are read
    whole, then sliced."""
    kind = detect(path)
    if kind == "tables":
        for tables in read_tables(path, chunk):
            yield kind, tables
        return
    if kind == "flat" and path.suffix == ".parquet":
        total = pl.scan_parquet(path).select(pl.len()).collect().item()
        for start in range(0, total, chunk):
            yield kind, read_flat_frame(pl.scan_parquet(path).slice(start, chunk).collect())
        return
    frame = READERS[kind](path)
    for start in range(0, max(frame.height, 1), chunk):
        yield kind, frame.slice(start, chunk)
