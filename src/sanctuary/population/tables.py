"""A population as flat tables: one of records, and one per list of items the pack's case model holds.

This is the layout the columnar evaluator works on, and a layout on disk (a folder of Parquet files,
documented in ``docs/population.md``): one row per record with the case's scalar facts as columns, and one
row per item of each list (in New York: judgments of conviction, pending charges), each naming its record
by row number. Nothing is nested but what an item nests itself, so Parquet reads it at column speed and a
distributed engine could partition it by record.

Which columns and tables there are is the pack's: it declares its case model's ``person`` and ``request`` as
Polars structs (:class:`TablesLayout`, through ``population.pack.TablesLayouts``), and every table is derived
from them here; the core names no fact. A list the data does not give is *unknown*, not empty: each record
says whether each list is known (``<list>_known``). The judgment on the current case of a person serving a
sentence is an item of the history's list marked ``current_case``; it joins the history only when the
history is known (docs/population.md, "Sentenced people").

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

#: The generic columns every record carries beside its case: ``charge``, the offense text a record was charged
#: with as the data gives it (every jurisdiction's records are charged with something; the drill-down file lists
#: it), and ``problem``, a data problem (counted and reported, never dropped silently). The pack's breakdowns
#: (:class:`Breakdown`) stand between them, in the order the pack declares them.
CHARGE, PROBLEM = "charge", "problem"


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A dimension a comparison breaks its outcomes down by (who a change reaches): a text column of every
    record, named and in words, declared by the pack (New York's custody status, gang flag, age group and charge
    group); the core names none. ``top``: only that many values are shown, the most common under the baseline
    (for a dimension of many values; such tables come after the short ones in the report). ``changed``: the
    column is also one of the file of every changed record."""

    name: str
    words: str  # as the report heads it: "By custody status"
    top: int | None = None
    changed: bool = False


@dataclass(frozen=True, slots=True)
class History:
    """Which of the person's facts the history-dependent test (:class:`~sanctuary.law.tree.HistoryTest`) reads
    as the tables hold them: the list it walks (the list the judgment on the current case joins, as an item
    marked ``current_case``), the scalar fact that is the arrest date, and the item fields that are the dates
    of judgment and of commission and the custody periods (a list of ``{"from", "to"}`` dates)."""

    list: str
    arrest: str
    judged: str
    committed: str
    custody: str


@dataclass(frozen=True, slots=True)
class TablesLayout:
    """A pack's population in tables, declared from its case model: ``person`` is the case's ``person`` as a
    Polars struct (its field order is the single-file layout's), ``request`` the case's ``request``. Each
    scalar fact of the person is a column of the records table; each list of items (a ``pl.List`` of a
    ``pl.Struct``) is an item table of its own, named as the list, whose rows name their record by row
    (``record``) and whose columns are the item's fields, with a ``<list>_known`` column on the records (an
    absent list is unknown, not empty). ``history``, when the pack has a history-dependent test, says which
    facts it reads; the history's list also holds the judgment on the current case (``current_case``)."""

    request: pl.Struct
    person: pl.Struct
    history: History | None = None
    # Whether the leaves on an item read the decision date only through the law's dated changes (the pack's
    # ``law_changes()``) and the item's own ``*_date`` fields, so that the columnar evaluator may run them once
    # per item and period of the law rather than once per item and decision date (``columnar._law_day``). A
    # pack whose item leaves count time back from the decision date itself must leave it false.
    items_by_law_period: bool = False
    # The dimensions a comparison breaks its outcomes down by, in the order of the files' columns (none: a
    # report without breakdowns).
    breakdowns: tuple[Breakdown, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """The records' columns beside the case: ``charge``, the pack's breakdowns, ``problem``."""
        return (CHARGE, *(b.name for b in self.breakdowns), PROBLEM)

    @property
    def lists(self) -> dict[str, pl.Struct]:
        """The person's lists of items, by name: each item's struct."""
        return {
            f.name: f.dtype.inner
            for f in self.person.fields
            if isinstance(f.dtype, pl.List) and isinstance(f.dtype.inner, pl.Struct)
        }

    @property
    def facts(self) -> tuple[str, ...]:
        """The person's scalar facts, each a column of the records table named as in the case format."""
        lists = self.lists
        return tuple(f.name for f in self.person.fields if f.name not in lists)

    def fields(self, name: str) -> tuple[str, ...]:
        """The fields of an item of list ``name``."""
        return tuple(self.lists[name].to_schema())

    @property
    def arrest(self) -> str | None:
        """The scalar fact the history-dependent test reads as the arrest date, if any."""
        return None if self.history is None else self.history.arrest

    @property
    def current(self) -> str | None:
        """The list the judgment on the current case joins (the history's), if any."""
        return None if self.history is None else self.history.list

    @property
    def case(self) -> pl.Struct:
        """A case of the single-file layout, as a struct."""
        return pl.Struct(
            {"agency": pl.String, "decision_date": pl.String, "request": self.request, "person": self.person}
        )

    @property
    def records(self) -> dict[str, Any]:
        """The records table's columns and types."""
        person = self.person.to_schema()
        return {
            "record_id": pl.String,
            "agency": pl.String,  # null: the record could not be made into a case (its ``problem`` says why)
            "decision_date": pl.String,
            "request": self.request,  # null: no request in the data (the comparison's base request applies)
            **{name: person[name] for name in self.facts},
            **{f"{name}_known": pl.Boolean for name in self.lists},
            **dict.fromkeys(self.labels, pl.String),
        }

    @property
    def items(self) -> dict[str, dict[str, Any]]:
        """The item tables: their file name (without ``.parquet``) and columns."""
        return {
            name: {
                "record": pl.Int64,
                **({"current_case": pl.Boolean} if name == self.current else {}),
                **item.to_schema(),
            }
            for name, item in self.lists.items()
        }

    def schema(self, table: str) -> dict[str, Any]:
        """The columns of ``table`` (``records`` or a list's name)."""
        return self.records if table == "records" else self.items[table]

    @staticmethod
    def required(table: str) -> tuple[str, ...]:
        return ("record_id", "agency", "decision_date") if table == "records" else ("record",)


def drop_nulls(value: Any) -> Any:
    """JSON written back from a decoded struct carries nulls for absent fields: absent again, as the
    contract reads them (the loaders and the generator never write an explicit null for a defaulted field)."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def as_json_text(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its ``case`` and ``current_judgment`` as contract JSON text, as the pattern evaluator reads and
    remembers them: a single Parquet file written by ``sanctuary synth`` holds them as nested structs (a null field
    an absent one), which are written back as JSON without those nulls."""
    return frame.with_columns(
        pl.col(name).map_elements(lambda row: json.dumps(drop_nulls(row), sort_keys=True), return_dtype=pl.String)
        for name in ("case", "current_judgment")
        if name in frame.columns and isinstance(frame.schema[name], pl.Struct)
    )


@dataclass(frozen=True, slots=True)
class Tables:
    """One population, or one chunk of it, in a pack's layout: ``records`` (columns ``layout.records``) and
    one table per list (``items``, by the list's name), whose ``record`` is the row of ``records`` it belongs
    to (0 for the first row)."""

    layout: TablesLayout
    records: pl.DataFrame
    items: dict[str, pl.DataFrame]

    @staticmethod
    def of(layout: TablesLayout, records: pl.DataFrame, **items: pl.DataFrame) -> Tables:
        """Tables from frames holding some of the layout's columns (the others null; an absent list table
        empty), each checked by :func:`conform`."""
        unknown = sorted(set(items) - set(layout.items))
        if unknown:
            raise ValueError(f"unknown list table(s) {', '.join(unknown)} (known: {', '.join(layout.items)})")
        tables = {
            n: conform(items[n] if n in items else pl.DataFrame(schema=schema), n, layout)
            for n, schema in layout.items.items()
        }
        return Tables(layout, conform(records, "records", layout), tables)

    @property
    def height(self) -> int:
        return self.records.height

    def list_table(self, name: str) -> pl.DataFrame:
        """The table of one of the case's lists (by its name in the case format)."""
        return self.items[name]

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
            for name in parts[0].layout.items
        }
        return Tables(parts[0].layout, pl.concat([p.records for p in parts]), moved)

    def frame(self) -> pl.DataFrame:
        """The single-file layout: ``record_id``, ``case`` and ``current_judgment`` as contract JSON (``case``
        null for a record without one), ``charge``, the pack's breakdown columns and ``problem``."""
        texts = self.cases(list(range(self.height)))
        has_case = self.records["agency"].is_not_null().to_list()
        return self.records.select(
            "record_id",
            pl.Series("case", [c if ok else None for (c, _), ok in zip(texts, has_case, strict=True)], dtype=pl.String),
            pl.Series("current_judgment", [j for _, j in texts], dtype=pl.String),
            *self.layout.labels,
        )

    def cases(self, rows: list[int]) -> list[tuple[str, str | None]]:
        """The given records as contract JSON (``case`` without actions or regime, and the judgment on the
        current case apart), as the single-case engine reads them."""
        wanted = pl.Series("record", rows, dtype=pl.Int64)
        lists: dict[str, dict[int, list[dict[str, Any]]]] = {}
        current: dict[int, dict[str, Any]] = {}
        layout = self.layout
        for name in layout.items:
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
            person = {name: record[name] for name in layout.facts if record[name] is not None}
            for name in layout.items:
                if record[f"{name}_known"]:
                    person[name] = lists[name].get(row, [])
            case: dict[str, Any] = {"agency": record["agency"], "decision_date": record["decision_date"]}
            if record["request"] is not None:
                case["request"] = drop_nulls(record["request"])
            case["person"] = person
            judgment = current.get(row)
            out.append((json.dumps(case, sort_keys=True), None if judgment is None else json.dumps(judgment)))
        return out


def flatten(frame: pl.DataFrame, layout: TablesLayout) -> Tables:
    """The single-file layout (``case`` and ``current_judgment`` as JSON text or nested structs, and the
    breakdown columns) as tables. A record without a case keeps its row, with no agency. The judgment on the
    current case is an item of the history's list (a layout without one reads none)."""
    case = pl.col("case") if frame.schema["case"] == layout.case else pl.col("case").str.json_decode(layout.case)
    item = layout.lists[layout.current] if layout.current is not None else pl.Struct({})
    if "current_judgment" not in frame.columns or layout.current is None:
        judgment = pl.lit(None, dtype=item)
    elif frame.schema["current_judgment"] == item:
        judgment = pl.col("current_judgment")
    else:
        judgment = pl.col("current_judgment").str.json_decode(item)
    decoded = frame.with_row_index("record").with_columns(
        pl.col("record").cast(pl.Int64), case.alias("_case"), judgment.alias("_judgment")
    )
    person = pl.col("_case").struct.field("person")
    records = decoded.select(
        pl.col("record_id").cast(pl.String),
        *(pl.col("_case").struct.field(name) for name in ("agency", "decision_date", "request")),
        *(person.struct.field(name) for name in layout.facts),
        *(person.struct.field(name).is_not_null().alias(f"{name}_known") for name in layout.items),
        *(pl.col(n).cast(pl.String) if n in frame.columns else pl.lit(None, pl.String).alias(n) for n in layout.labels),
    )
    items = {}
    for name, schema in layout.items.items():
        listed = (
            decoded.select("record", person.struct.field(name).alias("_item"))
            .explode("_item")
            .filter(pl.col("_item").is_not_null())
        )
        if name == layout.current:
            listed = listed.with_columns(current_case=pl.lit(False))
            current = decoded.filter(pl.col("_judgment").is_not_null()).select(
                "record", pl.col("_judgment").alias("_item"), current_case=pl.lit(True)
            )
            listed = pl.concat([listed, current])
        items[name] = listed.unnest("_item").select(list(schema))
    return Tables(layout, records, items)


# --- the folder layout on disk ---------------------------------------------------------------------------


def is_tables_folder(path: Path) -> bool:
    return path.is_dir() and (path / "records.parquet").is_file()


def conform(frame: pl.DataFrame, name: str, layout: TablesLayout, where: str | None = None) -> pl.DataFrame:
    """``frame`` as table ``name`` of ``layout`` (``records`` or a list's): exactly its columns, in order and
    type; an absent optional column is null. Raises :class:`ValueError` naming ``where`` (the file, by
    default the table) and the column for an unknown, missing required or mistyped column."""
    schema = layout.schema(name)
    where = where or name
    unknown = [c for c in frame.columns if c not in schema]
    if unknown:
        raise ValueError(f"{where}: unknown column(s) {', '.join(unknown)} (known: {', '.join(schema)})")
    missing = [c for c in layout.required(name) if c not in frame.columns]
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
    for name in chunk.layout.items:
        table = chunk.list_table(name)
        rows = table["record"].cast(pl.UInt32)
        if name == chunk.layout.current:
            current = table["current_case"].fill_null(False)
        else:  # only the history's list holds the judgment on the current case
            current = pl.Series("current_case", [False] * table.height, dtype=pl.Boolean)
        twice = rows.filter(current).is_duplicated()
        if twice.any():
            row = int(rows.filter(current).filter(twice)[0]) + first_row
            raise ValueError(f"{name}.parquet: record row {row} has more than one judgment on the current case")
        known = chunk.records[f"{name}_known"].fill_null(False).gather(rows)
        orphans = rows.filter(~known & ~current)
        if orphans.len():
            row = int(orphans[0]) + first_row
            raise ValueError(f"{name}.parquet: record row {row} has {name} rows but {name}_known is not true")


def read_tables(folder: Path, chunk: int, layout: TablesLayout) -> Iterator[Tables]:
    """The folder layout, ``chunk`` records at a time (see :func:`_read_tables`); a file Polars cannot read
    is refused as a :class:`ValueError` naming the folder."""
    try:
        yield from _read_tables(folder, chunk, layout)
    except pl.exceptions.PolarsError as exc:
        raise ValueError(f"{folder.name}: a table is not readable Parquet ({exc})") from None


def _read_tables(folder: Path, chunk: int, layout: TablesLayout) -> Iterator[Tables]:
    """The folder layout, ``chunk`` records at a time with their items (found by row range, so item files
    sorted by ``record`` are read by row groups, in bounded memory). Raises :class:`ValueError` naming the
    file for a malformed table; items naming no record are an error, never dropped."""
    scans = {"records": pl.scan_parquet(folder / "records.parquet")}
    for name in layout.items:
        if (folder / f"{name}.parquet").is_file():
            scans[name] = pl.scan_parquet(folder / f"{name}.parquet")
    for name, scan in scans.items():  # the schemas, before any row is read
        conform(pl.DataFrame(schema=scan.collect_schema()), name, layout, f"{name}.parquet")
    total = scans["records"].select(pl.len()).collect().item()
    for name in layout.items:
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
        records = conform(scans["records"].slice(start, chunk).collect(), "records", layout, "records.parquet")
        items = {}
        for name, schema in layout.items.items():
            if name in scans:
                rows = scans[name].filter(pl.col("record").is_between(start, start + chunk - 1)).collect()
                items[name] = conform(rows, name, layout, f"{name}.parquet").with_columns(pl.col("record") - start)
            else:
                items[name] = pl.DataFrame(schema=schema)
        tables = Tables(layout, records, items)
        _check_items(tables, start)
        yield tables


def _without_null_columns(frame: pl.DataFrame, name: str, layout: TablesLayout) -> pl.DataFrame:
    """An optional column null on every row is left out: the reader takes an absent column as null, and
    reading an all-null nested column costs as much as a full one."""
    required = layout.required(name)
    return frame.select(c for c in frame.columns if c in required or frame[c].null_count() < frame.height)


def write_tables(tables: Tables, folder: Path) -> Path:
    """Write the folder layout; the folder appears whole or not at all (written beside it, then renamed).
    An existing folder is replaced only if it holds nothing but these tables (never a folder of other files)."""
    layout = tables.layout
    names = {"records.parquet", *(f"{n}.parquet" for n in layout.items)}
    if folder.exists() and not (folder.is_dir() and {p.name for p in folder.iterdir()} <= names):
        raise ValueError(f"{folder}: exists and is not a population tables folder; not replaced")
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(f".{folder.name}.partial-{uuid.uuid4().hex}")
    partial.mkdir()  # with the permissions any new folder gets here
    old = folder.with_name(f".{folder.name}.old-{uuid.uuid4().hex}")
    try:
        _without_null_columns(tables.records, "records", layout).write_parquet(partial / "records.parquet")
        for name in layout.items:
            # Sorted by record, in row groups small enough that a chunk's rows are found by their statistics.
            _without_null_columns(tables.list_table(name), name, layout).sort(
                "record", maintain_order=True
            ).write_parquet(partial / f"{name}.parquet", row_group_size=100_000)
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
