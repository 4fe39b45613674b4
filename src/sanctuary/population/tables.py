"""A population as three flat tables: records, judgments of conviction, pending charges.

This is the layout the columnar evaluator works on, and a layout on disk (a folder of three Parquet files,
documented in ``docs/population.md``): one row per record with the case's scalar facts as columns, and one
row per judgment or pending charge, each naming its record by row number. Nothing is nested but a
judgment's custody periods, so Parquet reads it at column speed and a distributed engine could partition
it by record.

A list the data does not give is *unknown*, not empty: each record says whether its conviction history and
its pending charges are known (``convictions_known``, ``pending_charges_known``). The judgment on the
current case of a person serving a sentence is a judgment row marked ``current_case``; it joins the history
only when the history is known (docs/population.md, "Sentenced people").

The single-file layouts (the flat table with ``case`` as JSON or nested structs) are turned into these
tables by :func:`flatten`, so every input reaches the evaluator the same way.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

PERIOD = pl.Struct({"from": pl.String, "to": pl.String})
_CHARGED = {
    "charge": pl.String,
    "level": pl.String,
    "class": pl.String,
    "inchoate": pl.String,
    "hate_crime": pl.Boolean,
    "relates_to_patronizing": pl.Boolean,  # the laws of 2012 and 2013 (optional extension)
}
CONVICTION = pl.Struct(
    {
        **_CHARGED,
        "judgment_date": pl.String,
        "offense_date": pl.String,
        "court": pl.String,
        "ny_equivalent": pl.String,
        "youthful_offender": pl.Boolean,
        "juvenile_delinquent": pl.Boolean,
        "incarceration": pl.List(PERIOD),
    }
)
PENDING = pl.Struct(
    {
        **_CHARGED,
        "arrest_date": pl.String,
        # the 2013 law's facts of a pending case (optional extensions)
        "case_id": pl.String,
        "adjournment_in_contemplation_of_dismissal": pl.Boolean,
        "conditional_discharge": pl.Boolean,
        "must_be_youthful_offender": pl.Boolean,
        "released_for_failure_to_replace_complaint": pl.Boolean,
        "firearm_or_ammunition": pl.Boolean,
    }
)
DOCUMENT = pl.Struct(
    {
        "type": pl.String,
        "signer": pl.String,
        "probable_cause": pl.Boolean,
        "authorizes_immigration_custody": pl.Boolean,
        "presented_with_detainer": pl.Boolean,
    }
)
REQUEST = pl.Struct(
    {
        "from": pl.String,
        "immigration_enforcement_duties": pl.Boolean,
        "documents": pl.List(DOCUMENT),
        "purpose": pl.String,
        "mayoral_executive_order": pl.Boolean,
    }
)
PERSON = pl.Struct(
    {
        "instant_arrest_date": pl.String,
        "convictions": pl.List(CONVICTION),
        "pending_charges": pl.List(PENDING),
        "tsdb_possible_match": pl.Boolean,
        "reentered_after_removal": pl.Boolean,
        "gang_database": pl.Boolean,
        # the laws of 2012 and 2013 (optional extensions)
        "outstanding_criminal_warrant": pl.Boolean,
        "ncic_known_gang_member": pl.Boolean,
        "outstanding_removal_warrant": pl.Boolean,
        "final_order_of_removal": pl.Boolean,
    }
)
CASE = pl.Struct({"agency": pl.String, "decision_date": pl.String, "request": REQUEST, "person": PERSON})

#: The person's scalar facts, each a column of the records table named as in the contract.
PERSON_FACTS = (
    "instant_arrest_date",
    "tsdb_possible_match",
    "reentered_after_removal",
    "gang_database",
    "outstanding_criminal_warrant",
    "ncic_known_gang_member",
    "outstanding_removal_warrant",
    "final_order_of_removal",
)
BREAKDOWNS = ("charge", "charge_group", "custody_status", "gang_flag", "age_group", "problem")
RECORDS: dict[str, Any] = {
    "record_id": pl.String,
    "agency": pl.String,  # null: the record could not be made into a case (its ``problem`` says why)
    "decision_date": pl.String,
    "request": REQUEST,  # null: no request in the data (the comparison's base request applies)
    **{name: PERSON.to_schema()[name] for name in PERSON_FACTS},
    "convictions_known": pl.Boolean,
    "pending_charges_known": pl.Boolean,
    **dict.fromkeys(BREAKDOWNS, pl.String),
}
#: The item tables: their file name, columns, and the case's list each one is.
ITEMS: dict[str, dict[str, Any]] = {
    "convictions": {"record": pl.Int64, "current_case": pl.Boolean, **CONVICTION.to_schema()},
    "pending_charges": {"record": pl.Int64, **PENDING.to_schema()},
}
REQUIRED = {
    "records": ("record_id", "agency", "decision_date"),
    "convictions": ("record",),
    "pending_charges": ("record",),
}


def drop_nulls(value: Any) -> Any:
    """JSON written back from a decoded struct carries nulls for absent fields: absent again, as the
    contract reads them (the loaders and the generator never write an explicit null for a defaulted field)."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Tables:
    """One population, or one chunk of it: ``records`` (columns :data:`RECORDS`) and one table per list
    (:data:`ITEMS`), whose ``record`` is the row of ``records`` it belongs to (0 for the first row)."""

    records: pl.DataFrame
    convictions: pl.DataFrame
    pending_charges: pl.DataFrame

    @staticmethod
    def of(
        records: pl.DataFrame, convictions: pl.DataFrame | None = None, pending_charges: pl.DataFrame | None = None
    ) -> Tables:
        """Tables from frames holding some of the layout's columns (the others null; an absent list table
        empty), each checked by :func:`conform`."""
        given = {"convictions": convictions, "pending_charges": pending_charges}
        items = [conform(pl.DataFrame(schema=ITEMS[n]) if (f := given[n]) is None else f, n) for n in ITEMS]
        return Tables(conform(records, "records"), *items)

    @property
    def height(self) -> int:
        return self.records.height

    def list_table(self, name: str) -> pl.DataFrame:
        """The table of one of the case's lists: ``"convictions"`` or ``"pending_charges"``."""
        table: pl.DataFrame = getattr(self, name)
        return table

    @staticmethod
    def concat(parts: list[Tables]) -> Tables:
        """One population from its chunks, in order (each item's ``record`` moved by the rows before it)."""
        offsets = [0]
        for part in parts[:-1]:
            offsets.append(offsets[-1] + part.height)
        moved = {
            name: pl.concat(
                [
                    part.list_table(name).with_columns(pl.col("record") + offset)
                    for part, offset in zip(parts, offsets, strict=True)
                ]
            )
            for name in ITEMS
        }
        return Tables(pl.concat([p.records for p in parts]), moved["convictions"], moved["pending_charges"])

    def frame(self) -> pl.DataFrame:
        """The single-file layout: ``record_id``, ``case`` and ``current_judgment`` as contract JSON (``case``
        null for a record without one), and the breakdown columns."""
        texts = self.cases(list(range(self.height)))
        has_case = self.records["agency"].is_not_null().to_list()
        return self.records.select(
            "record_id",
            pl.Series("case", [c if ok else None for (c, _), ok in zip(texts, has_case, strict=True)], dtype=pl.String),
            pl.Series("current_judgment", [j for _, j in texts], dtype=pl.String),
            *BREAKDOWNS,
        )

    def cases(self, rows: list[int]) -> list[tuple[str, str | None]]:
        """The given records as contract JSON (``case`` without actions or regime, and the judgment on the
        current case apart), as the single-case engine reads them."""
        wanted = pl.Series("record", rows, dtype=pl.Int64)
        lists: dict[str, dict[int, list[dict[str, Any]]]] = {}
        current: dict[int, dict[str, Any]] = {}
        for name in ITEMS:
            lists[name] = {}
            table = self.list_table(name).filter(pl.col("record").is_in(wanted.implode()))
            for item in table.iter_rows(named=True):
                record = item.pop("record")
                if item.pop("current_case", False):
                    current[record] = drop_nulls(item)
                else:
                    lists[name].setdefault(record, []).append(drop_nulls(item))
        out = []
        for row in rows:
            record = self.records.row(row, named=True)
            person = {name: record[name] for name in PERSON_FACTS if record[name] is not None}
            for name in ITEMS:
                if record[f"{name}_known"]:
                    person[name] = lists[name].get(row, [])
            case: dict[str, Any] = {"agency": record["agency"], "decision_date": record["decision_date"]}
            if record["request"] is not None:
                case["request"] = drop_nulls(record["request"])
            case["person"] = person
            judgment = current.get(row)
            out.append((json.dumps(case, sort_keys=True), None if judgment is None else json.dumps(judgment)))
        return out


def flatten(frame: pl.DataFrame) -> Tables:
    """The single-file layout (``case`` and ``current_judgment`` as JSON text or nested structs, and the
    breakdown columns) as tables. A record without a case keeps its row, with no agency."""
    case = pl.col("case") if frame.schema["case"] == CASE else pl.col("case").str.json_decode(CASE)
    if "current_judgment" not in frame.columns:
        judgment = pl.lit(None, dtype=CONVICTION)
    elif frame.schema["current_judgment"] == CONVICTION:
        judgment = pl.col("current_judgment")
    else:
        judgment = pl.col("current_judgment").str.json_decode(CONVICTION)
    decoded = frame.with_row_index("record").with_columns(
        pl.col("record").cast(pl.Int64), case.alias("_case"), judgment.alias("_judgment")
    )
    person = pl.col("_case").struct.field("person")
    records = decoded.select(
        pl.col("record_id").cast(pl.String),
        *(pl.col("_case").struct.field(name) for name in ("agency", "decision_date", "request")),
        *(person.struct.field(name) for name in PERSON_FACTS),
        *(person.struct.field(name).is_not_null().alias(f"{name}_known") for name in ITEMS),
        *(pl.col(n).cast(pl.String) if n in frame.columns else pl.lit(None, pl.String).alias(n) for n in BREAKDOWNS),
    )
    items = {}
    for name, schema in ITEMS.items():
        listed = (
            decoded.select("record", person.struct.field(name).alias("_item"))
            .explode("_item")
            .filter(pl.col("_item").is_not_null())
        )
        if name == "convictions":
            listed = listed.with_columns(current_case=pl.lit(False))
            current = decoded.filter(pl.col("_judgment").is_not_null()).select(
                "record", pl.col("_judgment").alias("_item"), current_case=pl.lit(True)
            )
            listed = pl.concat([listed, current])
        items[name] = listed.unnest("_item").select(list(schema))
    return Tables(records, items["convictions"], items["pending_charges"])


# --- the folder layout on disk ---------------------------------------------------------------------------


def is_tables_folder(path: Path) -> bool:
    return path.is_dir() and (path / "records.parquet").is_file()


def conform(frame: pl.DataFrame, name: str, where: str | None = None) -> pl.DataFrame:
    """``frame`` as table ``name`` (``records``, ``convictions`` or ``pending_charges``): exactly its columns,
    in order and type; an absent optional column is null. Raises :class:`ValueError` naming ``where`` (the
    file, by default the table) and the column for an unknown, missing required or mistyped column."""
    schema = RECORDS if name == "records" else ITEMS[name]
    where = where or name
    unknown = [c for c in frame.columns if c not in schema]
    if unknown:
        raise ValueError(f"{where}: unknown column(s) {', '.join(unknown)} (known: {', '.join(schema)})")
    missing = [c for c in REQUIRED[name] if c not in frame.columns]
    if missing:
        raise ValueError(f"{where}: missing required column(s) {', '.join(missing)}")
    columns = []
    for column, dtype in schema.items():
        if column not in frame.columns:
            columns.append(pl.lit(None, dtype=dtype).alias(column))
            continue
        have = frame.schema[column]
        if have == dtype:
            columns.append(pl.col(column))
        elif dtype == pl.Int64 and have.is_integer():
            columns.append(pl.col(column).cast(pl.Int64))
        else:
            raise ValueError(f"{where}: column {column} is {have}, expected {dtype}")
    return frame.select(columns)


def _check_items(chunk: Tables, first_row: int) -> None:
    """Each list's items belong to records whose list is known; at most one judgment on the current case."""
    for name in ITEMS:
        table = chunk.list_table(name)
        rows = table["record"].cast(pl.UInt32)
        if name == "convictions":
            current = table["current_case"].fill_null(False)
        else:  # a pending charge is never the judgment on the current case
            current = pl.Series("current_case", [False] * table.height, dtype=pl.Boolean)
        twice = rows.filter(current).is_duplicated()
        if twice.any():
            row = int(rows.filter(current).filter(twice)[0]) + first_row
            raise ValueError(f"convictions.parquet: record row {row} has more than one judgment on the current case")
        known = chunk.records[f"{name}_known"].fill_null(False).gather(rows)
        orphans = rows.filter(~known & ~current)
        if orphans.len():
            row = int(orphans[0]) + first_row
            raise ValueError(f"{name}.parquet: record row {row} has {name} rows but {name}_known is not true")


def read_tables(folder: Path, chunk: int) -> Iterator[Tables]:
    """The folder layout, ``chunk`` records at a time (see :func:`_read_tables`); a file Polars cannot read
    is refused as a :class:`ValueError` naming the folder."""
    try:
        yield from _read_tables(folder, chunk)
    except pl.exceptions.PolarsError as exc:
        raise ValueError(f"{folder.name}: a table is not readable Parquet ({exc})") from None


def _read_tables(folder: Path, chunk: int) -> Iterator[Tables]:
    """The folder layout, ``chunk`` records at a time with their items (found by row range, so item files
    sorted by ``record`` are read by row groups, in bounded memory). Raises :class:`ValueError` naming the
    file for a malformed table; items naming no record are an error, never dropped."""
    scans = {"records": pl.scan_parquet(folder / "records.parquet")}
    for name in ITEMS:
        if (folder / f"{name}.parquet").is_file():
            scans[name] = pl.scan_parquet(folder / f"{name}.parquet")
    for name, scan in scans.items():  # the schemas, before any row is read
        conform(pl.DataFrame(schema=scan.collect_schema()), name, f"{name}.parquet")
    total = scans["records"].select(pl.len()).collect().item()
    for name in ITEMS:
        if name in scans:
            low, high, nulls = (
                scans[name]
                .select(
                    pl.col("record").min().alias("low"),
                    pl.col("record").max().alias("high"),
                    pl.col("record").null_count().alias("nulls"),
                )
                .collect()
                .row(0)
            )
            if nulls or (low is not None and (low < 0 or high >= total)):
                raise ValueError(
                    f"{name}.parquet: column record must name a row of records.parquet (0 to {total - 1}); "
                    f"found {'nulls' if nulls else f'{low} to {high}'}"
                )
    for start in range(0, max(total, 1), chunk):
        records = conform(scans["records"].slice(start, chunk).collect(), "records", "records.parquet")
        items = {}
        for name, schema in ITEMS.items():
            if name in scans:
                rows = scans[name].filter(pl.col("record").is_between(start, start + chunk - 1)).collect()
                items[name] = conform(rows, name, f"{name}.parquet").with_columns(pl.col("record") - start)
            else:
                items[name] = pl.DataFrame(schema=schema)
        tables = Tables(records, items["convictions"], items["pending_charges"])
        _check_items(tables, start)
        yield tables


def _without_null_columns(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """An optional column null on every row is left out: the reader takes an absent column as null, and
    reading an all-null nested column costs as much as a full one."""
    return frame.select(c for c in frame.columns if c in REQUIRED[name] or frame[c].null_count() < frame.height)


def write_tables(tables: Tables, folder: Path) -> Path:
    """Write the folder layout; the folder appears whole or not at all (written beside it, then renamed).
    An existing folder is replaced only if it holds nothing but these tables (never a folder of other files)."""
    if folder.exists() and not (
        folder.is_dir() and {p.name for p in folder.iterdir()} <= {"records.parquet", *(f"{n}.parquet" for n in ITEMS)}
    ):
        raise ValueError(f"{folder}: exists and is not a population tables folder; not replaced")
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(f".{folder.name}.partial-{uuid.uuid4().hex}")
    partial.mkdir()  # with the permissions any new folder gets here
    old = folder.with_name(f".{folder.name}.old-{uuid.uuid4().hex}")
    try:
        _without_null_columns(tables.records, "records").write_parquet(partial / "records.parquet")
        for name in ITEMS:
            # Sorted by record, in row groups small enough that a chunk's rows are found by their statistics.
            _without_null_columns(tables.list_table(name), name).sort("record", maintain_order=True).write_parquet(
                partial / f"{name}.parquet", row_group_size=100_000
            )
        if folder.exists():
            folder.rename(old)
        partial.rename(folder)
    except BaseException:
        if old.exists() and not folder.exists():
            old.rename(folder)  # the old folder back in its place
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return folder
