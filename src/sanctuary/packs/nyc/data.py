"""New York's public data, each record mapped to a contract case in which everything the data does not say is
unknown: NYC DOC "Daily Inmates In Custody" snapshots (both layouts), the stays table derived from them, and
NYPD arrests. Each file is read as a stream of tables (:class:`~sanctuary.population.tables.Tables`), a chunk
at a time, the charges as written mapped once each by :func:`charge_facts`. The data-mapping readings are
interpretations I-24 to I-26 and I-30 (``docs/law/nyc/interpretations.md``) and are listed in ``docs/population.md``.

The loaders are the pack's, not the core's: their columns, custody statuses and charge groups (the felonies
the catalog lists) are New York's. The core asks the pack for them through
:meth:`~sanctuary.law.jurisdiction.Jurisdiction.public_formats` (:data:`FORMATS`): how each file is recognised
and read; it keeps only what any format uses (reading CSV in batches, a date in a file name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from sanctuary.packs.nyc.catalog import CATALOG
from sanctuary.packs.nyc.charges import ChargeParseError, parse_charge
from sanctuary.packs.nyc.tables import LAYOUT
from sanctuary.population.records import PublicFormat, csv_batches, name_date
from sanctuary.population.tables import Tables

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


AGE_BANDS = ((18, "under 18"), (25, "18-24"), (45, "25-44"), (65, "45-64"))  # (below this age, label); else 65+


def age_group(age: float | None) -> str:
    if age is None:
        return "unknown"
    for upper, label in AGE_BANDS:
        if age < upper:
            return label
    return "65+"


def charge_facts(text: str | None, level: str | None = None) -> tuple[dict[str, Any] | None, str, str | None]:
    """A charge as written in the data → (the charge as a case fact, its group for breakdowns, a problem).

    The level is the data's own where it gives one (NYPD), and otherwise left out: the engine derives it from the
    Penal Law as it does for any case (the class table and PL § 110.05; interpretation I-24)."""
    raw = (text or "").strip()
    if not raw:
        return None, "no charge recorded", "no charge recorded: (blank)"
    try:
        code = parse_charge(raw)
    except ChargeParseError:
        return None, "not an offense code", f"charge is not a readable offense code: {raw}"
    fact: dict[str, Any] = {"charge": raw}
    if level is not None:
        fact["level"] = level
    if code.attempt:
        fact["inchoate"] = "attempt"
    listed = CATALOG.felonies.lookup(code, dt.date.max) is not None or CATALOG.addition(code) is not None
    group = f"{code.law} {code.section.split('.')[0]}" if code.law == "PL" else code.law
    if listed:
        group = f"listed: {group}"
    return fact, group, None


def snapshot_date(path: Path, otherwise: dt.date | None = None) -> dt.date:
    """A DOC snapshot's date: from its file name (``…20260821…`` or ``…2026-08-21…``), else ``otherwise``."""
    day = name_date(path) or otherwise
    if day is None:
        raise ValueError(
            "cannot tell the snapshot date from the file name (expected YYYYMMDD or YYYY-MM-DD in it); "
            "give it with --snapshot-date"
        )
    return day


NYPD_LEVELS = {"F": "felony", "M": "misdemeanor", "V": "violation", "I": "violation"}
NYPD_AGES = {"<18": "under 18", "18-24": "18-24", "25-44": "25-44", "45-64": "45-64", "65+": "65+"}
_STRING = pl.String


def _column(batch: pl.DataFrame, name: str) -> pl.Expr:
    """A column as text, empty when absent or null (as the files' readers before us read them)."""
    return pl.col(name).fill_null("") if name in batch.columns else pl.lit("", dtype=_STRING)


def _charges(batch: pl.DataFrame, level: pl.Expr) -> pl.DataFrame:
    """``batch`` (with the charge as written in ``_text``) and the charge as a case fact (``fact_charge``,
    ``fact_level``, ``fact_inchoate``; null when it is not an offense), its ``charge_group`` and
    ``charge_problem``, by :func:`charge_facts` run once per distinct charge and level."""
    keyed = batch.with_columns(_level=level)
    rows = []
    for text, given in keyed.select("_text", "_level").unique().iter_rows():
        fact, group, problem = charge_facts(text, given)
        fact = fact or {}
        rows.append((text, given, fact.get("charge"), fact.get("level"), fact.get("inchoate"), group, problem))
    names = ("_text", "_level", "fact_charge", "fact_level", "fact_inchoate", "charge_group", "charge_problem")
    mapping = pl.DataFrame(rows, schema=dict.fromkeys(names, _STRING), orient="row")
    return keyed.join(mapping, on=["_text", "_level"], how="left", nulls_equal=True, maintain_order="left")


#: A charge as a case fact, from the columns :func:`_charges` adds (for a pending charge or a judgment).
_FACT = {"charge": pl.col("fact_charge"), "level": pl.col("fact_level"), "inchoate": pl.col("fact_inchoate")}


def _age_group(age: pl.Expr) -> pl.Expr:
    """:func:`age_group` over a column of numbers (null: unknown)."""
    expr: Any = pl.when(age.is_null()).then(pl.lit("unknown"))
    for upper, label in AGE_BANDS:
        expr = expr.when(age < upper).then(pl.lit(label))
    result: pl.Expr = expr.otherwise(pl.lit("65+"))
    return result


def _doc_tables(batch: pl.DataFrame) -> Tables:
    """DOC custody rows (columns ``record_id``, ``decision_date`` — null for an impossible date, whose
    ``date_problem`` says so and whose record is then kept with no case and no breakdowns — ``_text`` the top
    charge, ``status``, ``srg``, ``age``) as tables. A detainee's top charge is a pending charge; a sentenced
    person's is the judgment on the current case, of unknown date (I-26); the SRG flag is a breakdown only,
    never the gang-database fact (I-25)."""
    rows = _charges(batch, pl.lit(None, dtype=_STRING)).with_row_index("record")
    has_case = pl.col("decision_date").is_not_null()
    has_fact = pl.col("fact_charge").is_not_null() & has_case
    detained, sentenced = pl.col("status").is_in(sorted(DETAINED)), pl.col("status").is_in(sorted(SENTENCED))
    breakdowns = {
        "charge": pl.col("_text").str.strip_chars().replace("", "(blank)"),
        "charge_group": pl.col("charge_group"),
        "custody_status": pl.col("status")
        .replace_strict(STATUS_WORDS, default=pl.col("status"))
        .replace("", "unknown"),
        "gang_flag": pl.col("srg").replace_strict({"Y": "SRG flag", "N": "no SRG flag"}, default="unknown"),
        "age_group": _age_group(pl.col("age")),
    }
    records = rows.select(
        "record_id",
        agency=pl.when(has_case).then(pl.lit("DOC")),
        decision_date="decision_date",
        pending_charges_known=has_fact & detained,
        convictions_known=pl.lit(False),
        **{name: pl.when(has_case).then(expr) for name, expr in breakdowns.items()},
        problem=pl.coalesce("date_problem", pl.when(has_case).then(pl.col("charge_problem"))),
    )
    pending = rows.filter(has_fact & detained).select("record", **_FACT)
    current = rows.filter(has_fact & sentenced).select("record", current_case=pl.lit(True), **_FACT, court=pl.lit("NY"))
    return Tables.of(LAYOUT, records, convictions=current, pending_charges=pending)


def doc_snapshot_tables(path: Path, chunk: int = 500_000, day: dt.date | None = None) -> Iterator[Tables]:
    """A NYC DOC "Daily Inmates In Custody" file, either layout (FOIL: upper-case, quoted, padded; open data:
    lower-case, any column order), as tables, ``chunk`` rows at a time. The snapshot date comes from the file
    name, else ``day``; a person without an id is named by the file's line (``line2`` for the first row)."""
    when = snapshot_date(path, day).isoformat()
    for first, batch in csv_batches(path, chunk):
        batch = batch.with_columns(pl.all().str.strip_chars().fill_null(""))
        person = pl.when(_column(batch, "inmateid") != "").then(_column(batch, "inmateid"))
        line = pl.format("line{}", pl.int_range(first + 2, first + 2 + batch.height, dtype=pl.Int64))
        rows = batch.select(
            record_id=pl.format("{}@{}", person.fill_null(line), pl.lit(when)),
            decision_date=pl.lit(when),
            date_problem=pl.lit(None, dtype=_STRING),
            _text=_column(batch, "top_charge"),
            status=_column(batch, "inmate_status_code"),
            srg=_column(batch, "srg_flg"),
            age=_column(batch, "age").cast(pl.Float64, strict=False),
        )
        yield _doc_tables(rows)


def doc_stays_tables(path: Path, chunk: int = 500_000) -> Iterator[Tables]:
    """The derived stays table (one row per custody stay), as tables; decided as of the last day the stay
    was seen (a stay whose last day is not a date is kept, with no case, and counted as a data problem)."""
    for _, batch in csv_batches(path, chunk):
        last_seen = _column(batch, "last_seen")
        when = last_seen.str.to_date("%Y-%m-%d", strict=False)
        top = _column(batch, "top_charge_mode")
        rows = batch.select(
            record_id=pl.format("{}/{}", _column(batch, "inmateid"), _column(batch, "admitted_dt")),
            decision_date=when.dt.to_string("%Y-%m-%d"),
            date_problem=pl.when(when.is_null()).then(pl.format("impossible date: last_seen={}", last_seen)),
            _text=pl.when(top == "<blank>").then(pl.lit("")).otherwise(top),
            status=_column(batch, "status_codes_all").str.split("|").list.last(),
            srg=_column(batch, "srg_flg_ever"),
            age=_column(batch, "age_first_seen").str.strip_chars().cast(pl.Float64, strict=False),
        )
        yield _doc_tables(rows)


def nypd_arrests_tables(path: Path, chunk: int = 500_000) -> Iterator[Tables]:
    """NYPD arrest files (historic or year-to-date), as tables: each arrest is a case decided on the arrest
    date, the arrest charge pending, its level from LAW_CAT_CD (an infraction is read as a non-criminal
    violation). An arrest whose date is not a date is kept, with no case, and counted as a data problem."""
    for _, batch in csv_batches(path, chunk):
        raw_date = _column(batch, "arrest_date")
        when = raw_date.str.to_date("%m/%d/%Y", strict=False)
        rows = batch.select(
            record_id=_column(batch, "arrest_key"),
            decision_date=when.dt.to_string("%Y-%m-%d"),
            date_problem=pl.when(when.is_null()).then(pl.format("impossible date: ARREST_DATE={}", raw_date)),
            _text=pl.col("law_code") if "law_code" in batch.columns else pl.lit(None, dtype=_STRING),
            _category=_column(batch, "law_cat_cd"),
            _age=_column(batch, "age_group"),
        )
        rows = _charges(rows, pl.col("_category").replace_strict(NYPD_LEVELS, default=None)).with_row_index("record")
        has_case = pl.col("decision_date").is_not_null()
        has_fact = pl.col("fact_charge").is_not_null() & has_case
        records = rows.select(
            "record_id",
            agency=pl.when(has_case).then(pl.lit("NYPD")),
            decision_date="decision_date",
            instant_arrest_date="decision_date",
            pending_charges_known=has_fact,
            convictions_known=pl.lit(False),
            charge=pl.col("_text").fill_null("").replace("", "(blank)"),
            charge_group="charge_group",
            custody_status=pl.lit("arrested"),
            gang_flag=pl.lit("unknown"),
            age_group=pl.col("_age").replace_strict(NYPD_AGES, default="unknown"),
            problem=pl.coalesce("date_problem", "charge_problem"),
        )
        yield Tables.of(LAYOUT, records, pending_charges=rows.filter(has_fact).select("record", **_FACT))


def read_doc_snapshot(path: Path, day: dt.date | None = None) -> pl.DataFrame:
    """A DOC snapshot in the single-file layout (cases as JSON), from :func:`doc_snapshot_tables`: the whole file in
    memory, to read, export or hand to the pattern evaluator (the comparison reads the tables, in chunks)."""
    return Tables.concat(list(doc_snapshot_tables(path, day=day))).frame()


def read_doc_stays(path: Path) -> pl.DataFrame:
    """The stays table in the single-file layout (cases as JSON), from :func:`doc_stays_tables`: the whole file in
    memory, to read, export or hand to the pattern evaluator (the comparison reads the tables, in chunks)."""
    return Tables.concat(list(doc_stays_tables(path))).frame()


def read_nypd_arrests(path: Path) -> pl.DataFrame:
    """NYPD arrests in the single-file layout (cases as JSON), from :func:`nypd_arrests_tables`: the whole file in
    memory, to read, export or hand to the pattern evaluator (the comparison reads the tables, in chunks)."""
    return Tables.concat(list(nypd_arrests_tables(path))).frame()


def _undated(read: Callable[[Path, int], Iterator[Tables]]) -> Callable[[Path, int, dt.date | None], Iterator[Tables]]:
    """A reader whose records carry their own dates (the date given for a snapshot is not theirs)."""
    return lambda path, chunk, _day: read(path, chunk)


#: New York's public data as the core reads it, recognised by the header in this order: a DOC snapshot (dated
#: by its file name, else the date given), the stays table, NYPD arrests.
FORMATS = (
    PublicFormat(
        "doc-snapshot", "DOC snapshot", lambda header: "inmate_status_code" in header, doc_snapshot_tables, dated=True
    ),
    PublicFormat("doc-stays", "DOC stays", lambda header: "top_charge_mode" in header, _undated(doc_stays_tables)),
    PublicFormat(
        "nypd-arrests",
        "NYPD arrests",
        lambda header: "arrest_key" in header and "law_code" in header,
        _undated(nypd_arrests_tables),
    ),
)
