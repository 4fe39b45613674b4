"""Baseline for the population benchmark: one hand-written DuckDB query over the three Parquet files of the
tables layout, computing the three-valued hold outcome of every record under nyc-2017 and adams-2024.

The scenario, and only it: agency DOC, action ``hold``, the ``judicial-warrant`` assumption (a detainer with a
judicial warrant, so the rule's "civil immigration detainer" condition is true and the warrant test is true),
regimes nyc-2017 (a conviction for a violent or serious crime within the look-back, or a terrorist-screening
match) and adams-2024 (the same, or a pending charge for a violent or serious crime, or a gang-database
listing). Both use a five-year look-back.

What the query encodes: the rules' structure in Kleene logic (SQL's ``AND``/``OR`` on nullable booleans); "some
judgment / some pending charge" per person (true if one is true, else unknown if one is unknown, else false; an
unknown list is unknown); the look-back of § 9-131(a)(2)(ii) with the incarceration extension (I-10, I-11):
custody for a crime that is or may be violent or serious before the instant arrest, overlapping periods
counted once (gaps and islands), at least from the tested judgment on, at most all of it, unbounded when
such a judgment's custody is unknown.

Simplifications that hold only for the generator's populations (``sanctuary synth``), stated so the query is
not mistaken for the law:

- every record is DOC's, decided on one day, with a known instant arrest on the first of a month (so five
  years back never meets 29 February) and no judgment after it;
- no judgment states its offense date, so the extension counts custody on other cases from the tested
  judgment's own date at least and without limit at most, and every custody period lies after its offense;
- whether a charge is a violent or serious crime (the list, the Penal Law's levels, attempts) and whether a
  judgment is a youthful-offender adjudication are read from a small table of the population's distinct
  charge patterns (a few hundred rows), filled by the law pack's own definitions: the list is data, and the
  baseline times the population work (joins, the look-back, the aggregation), not a second encoding of it;
- the contract accepts every record and item (the generator writes only valid ones).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from sanctuary.engine.evaluate import CaseView
from sanctuary.facts.truth import Tri
from sanctuary.packs.nyc.case import parse_case
from sanctuary.packs.nyc.catalog import CATALOG
from sanctuary.packs.nyc.convictions import NotYouthfulOrJuvenileAdjudication, violent_or_serious
from sanctuary.population.tables import drop_nulls

REGIMES = ("nyc-2017", "adams-2024")
CONVICTION_KEY = ("charge", "level", "inchoate", "court", "youthful_offender", "juvenile_delinquent", "hate_crime")
PENDING_KEY = ("charge", "level", "inchoate", "hate_crime")


def _tri(value: Tri) -> bool | None:
    return None if value is Tri.UNKNOWN else value is Tri.TRUE


def _classified(items: pl.DataFrame, key: tuple[str, ...], name: str, decided: str) -> pl.DataFrame:
    """The distinct charge patterns of a list, each with whether it is for a violent or serious crime (and, for
    judgments, whether it is a conviction rather than a youthful-offender adjudication)."""
    columns = [c for c in key if c in items.columns]
    distinct = items.select(columns).unique()
    vsc, not_yo = [], []
    for row in distinct.iter_rows(named=True):
        case = parse_case(
            json.dumps(
                {
                    "agency": "DOC",
                    "decision_date": decided,
                    "request": {"actions": ["hold"]},
                    "person": {name: [drop_nulls(row)]},
                }
            )
        )
        item = getattr(case.person, name)[0]
        vsc.append(_tri(violent_or_serious(item, f"person.{name}[0]", CATALOG, case.decision_date)[0]))
        view = CaseView(case, {}, item, f"person.{name}[0]")
        not_yo.append(_tri(NotYouthfulOrJuvenileAdjudication().check(view).value) if name == "convictions" else None)
    return distinct.with_columns(vsc=pl.Series(vsc, dtype=pl.Boolean), not_yo=pl.Series(not_yo, dtype=pl.Boolean))


QUERY = """
WITH r AS (
  SELECT file_row_number AS idx, CAST(instant_arrest_date AS DATE) AS arrest,
         CAST(CAST(instant_arrest_date AS DATE) - INTERVAL 5 YEAR AS DATE) AS boundary,
         tsdb_possible_match AS tsdb, gang_database AS gang,
         coalesce(convictions_known, false) AS ck, coalesce(pending_charges_known, false) AS pk
  FROM read_parquet($records, file_row_number = true)
),
c AS (
  SELECT c.record AS idx, c.file_row_number AS jid, CAST(c.judgment_date AS DATE) AS judged, c.incarceration,
         k.vsc, k.not_yo
  FROM read_parquet($convictions, file_row_number = true) c
  JOIN conviction_kinds k ON {conviction_join}
),
-- every custody period before the instant arrest on a judgment that is or may be for a violent or serious crime
p AS (
  SELECT c.idx, c.jid, c.vsc, CAST(u.period['from'] AS DATE) AS f,
         least(CAST(u.period['to'] AS DATE), r.arrest - 1) AS t
  FROM c JOIN r USING (idx), unnest(c.incarceration) AS u(period)
  WHERE c.vsc IS DISTINCT FROM false AND CAST(u.period['from'] AS DATE) <= r.arrest - 1
),
unbounded AS (
  SELECT DISTINCT idx FROM c WHERE c.vsc IS DISTINCT FROM false AND c.incarceration IS NULL
),
-- at most: all such custody (overlaps once); gaps and islands
p_islands AS (
  SELECT idx, f, t, sum(CASE WHEN f <= prev THEN 0 ELSE 1 END) OVER (PARTITION BY idx ORDER BY f, t) AS island
  FROM (SELECT idx, f, t, max(t) OVER (PARTITION BY idx ORDER BY f, t ROWS BETWEEN UNBOUNDED PRECEDING
                                       AND 1 PRECEDING) AS prev FROM p)
),
high AS (
  SELECT idx, sum(days) AS high FROM (
    SELECT idx, island, datediff('day', min(f), max(t)) + 1 AS days FROM p_islands GROUP BY idx, island
  ) GROUP BY idx
),
-- at least, per tested judgment: custody certainly for such a crime, on other cases from the tested judgment on
certain AS (
  SELECT tj.jid, CASE WHEN p.jid = tj.jid THEN p.f ELSE greatest(p.f, tj.judged) END AS f, p.t
  FROM c tj JOIN p ON p.idx = tj.idx
  WHERE p.vsc AND tj.judged IS NOT NULL AND (p.jid = tj.jid OR p.t >= tj.judged)
),
c_islands AS (
  SELECT jid, f, t, sum(CASE WHEN f <= prev THEN 0 ELSE 1 END) OVER (PARTITION BY jid ORDER BY f, t) AS island
  FROM (SELECT jid, f, t, max(t) OVER (PARTITION BY jid ORDER BY f, t ROWS BETWEEN UNBOUNDED PRECEDING
                                       AND 1 PRECEDING) AS prev FROM certain)
),
low AS (
  SELECT jid, sum(days) AS low FROM (
    SELECT jid, island, datediff('day', min(f), max(t)) + 1 AS days FROM c_islands GROUP BY jid, island
  ) GROUP BY jid
),
judgment AS (
  SELECT c.idx, c.not_yo AND c.vsc AND (
    CASE
      WHEN c.judged IS NULL THEN NULL
      WHEN c.judged > r.boundary THEN true
      WHEN c.judged > r.boundary - CAST(coalesce(low.low, 0) AS INTEGER) THEN true
      WHEN u.idx IS NULL AND c.judged <= r.boundary - CAST(coalesce(high.high, 0) AS INTEGER) THEN false
      ELSE NULL
    END) AS counts
  FROM c JOIN r USING (idx)
  LEFT JOIN low USING (jid) LEFT JOIN high ON high.idx = c.idx LEFT JOIN unbounded u ON u.idx = c.idx
),
convicted AS (
  SELECT idx, CASE WHEN bool_or(counts) THEN true WHEN bool_or(counts IS NULL) THEN NULL ELSE false END AS some
  FROM judgment GROUP BY idx
),
pending AS (
  SELECT pc.record AS idx,
         CASE WHEN bool_or(k.vsc) THEN true WHEN bool_or(k.vsc IS NULL) THEN NULL ELSE false END AS some
  FROM read_parquet($pending) pc JOIN pending_kinds k ON {pending_join}
  GROUP BY pc.record
),
facts AS (
  SELECT r.idx, r.tsdb, r.gang,
         CASE WHEN NOT r.ck THEN NULL WHEN cv.idx IS NULL THEN false ELSE cv.some END AS convicted,
         CASE WHEN NOT r.pk THEN NULL WHEN pd.idx IS NULL THEN false ELSE pd.some END AS pending
  FROM r LEFT JOIN convicted cv ON cv.idx = r.idx LEFT JOIN pending pd ON pd.idx = r.idx
),
outcomes AS (
  SELECT convicted OR tsdb AS nyc2017, convicted OR tsdb OR pending OR gang AS adams2024 FROM facts
)
SELECT 'nyc-2017' AS regime, nyc2017 AS value, count(*) AS n FROM outcomes GROUP BY ALL
UNION ALL
SELECT 'adams-2024', adams2024, count(*) FROM outcomes GROUP BY ALL
"""


def _join(table: str, alias: str, columns: list[str]) -> str:
    return " AND ".join(f"{alias}.{c} IS NOT DISTINCT FROM {table}.{c}" for c in columns) or "true"


def prepare(folder: Path) -> tuple[duckdb.DuckDBPyConnection, str]:
    """The connection with the two small tables of charge patterns registered, and the query (not timed: the
    patterns are law data)."""
    records = pl.read_parquet(folder / "records.parquet", columns=["decision_date"])
    days = records["decision_date"].unique().to_list()
    if len(days) != 1:
        raise ValueError("the baseline's simplifications hold for a population decided on one day")
    convictions = pl.read_parquet(folder / "convictions.parquet")
    pending = pl.read_parquet(folder / "pending_charges.parquet")
    conviction_kinds = _classified(convictions, CONVICTION_KEY, "convictions", days[0])
    pending_kinds = _classified(pending, PENDING_KEY, "pending_charges", days[0])
    db = duckdb.connect()
    with tempfile.TemporaryDirectory() as scratch:
        for name, kinds in (("conviction_kinds", conviction_kinds), ("pending_kinds", pending_kinds)):
            kinds.write_parquet(Path(scratch) / f"{name}.parquet")
            db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{Path(scratch) / name}.parquet')")
    query = QUERY.format(
        conviction_join=_join("k", "c", [c for c in CONVICTION_KEY if c in convictions.columns]),
        pending_join=_join("k", "pc", [c for c in PENDING_KEY if c in pending.columns]),
    )
    return db, query


def outcomes(db: duckdb.DuckDBPyConnection, query: str, folder: Path) -> dict[str, dict[str, int]]:
    """Run the query: per regime, the number of records permitted, prohibited and undetermined."""
    params = {
        "records": str(folder / "records.parquet"),
        "convictions": str(folder / "convictions.parquet"),
        "pending": str(folder / "pending_charges.parquet"),
    }
    names = {True: "permitted", False: "prohibited", None: "undetermined"}
    counts: dict[str, dict[str, int]] = {r: {} for r in REGIMES}
    for regime, value, n in db.execute(query, params).fetchall():
        counts[regime][names[value]] = counts[regime].get(names[value], 0) + n
    return counts


if __name__ == "__main__":
    import sys
    import time

    folder = Path(sys.argv[1])
    db, query = prepare(folder)
    start = time.perf_counter()
    print(outcomes(db, query, folder), f"{time.perf_counter() - start:.2f} s", dt.date.today())
