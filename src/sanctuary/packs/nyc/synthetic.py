"""A synthetic jail population, for scale and for what public data lacks (conviction histories).

Every record is labelled synthetic (``record_id`` starts with ``synthetic-``; reports say so). The draws are
seeded and documented here; where the public DOC snapshots say something, the distribution follows them
(calibrated on the snapshot of 2026-08-21: the 40 most frequent top charges with their shares, the custody
statuses, the SRG flag rate, the age groups). Everything else is an assumption of the generator, stated:

- prior judgments per person: 0 (55 %), 1 (25 %), 2 (12 %), 3 (8 %); each a felony with probability 0.5 (a
  charge from a mix of listed violent felonies and non-listed felonies) or else a misdemeanor (a charge from a
  mix of common misdemeanors), at the level the Penal Law gives the section, entered on 1
  January of a year 1 to 15 years before the snapshot, with either no custody on the case (60 %) or custody
  from the judgment for 1 or 3 years;
- instant arrest: the first day of a month 0 to 11 months before the snapshot;
- a possible terrorist-screening match: 0.1 %; illegal re-entry after removal: 2 %; listing in a law-
  enforcement gang database: 15 % (DOC's SRG flag is a different designation and is not used for it).

Dates are coarse (years, months) on purpose: the population then has fewer distinct fact patterns, as real
populations do, and the generator stays fast. The output is the flat population table (Parquet), or the tables layout.

The generator is the New York pack's, not the core's: every distribution is New York's (DOC's charges as
written, its custody statuses and SRG flag, charges mapped by the pack's own loaders, convictions in New York
courts under the Penal Law), so it means nothing for another jurisdiction. The core's ``sanctuary synth`` and
the pages' sample ask the chosen pack for it (:meth:`~sanctuary.law.jurisdiction.Jurisdiction.write_synthetic`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl

from sanctuary.packs.nyc.data import SENTENCED, STATUS_WORDS, age_group, charge_facts
from sanctuary.packs.nyc.tables import CASE, CONVICTION, LAYOUT
from sanctuary.population.tables import flatten, write_tables

SNAPSHOT = dt.date(2026, 8, 21)
TOP_CHARGES: dict[str, float] = {  # share among people in custody on 2026-08-21 (top 40 values)
    "125.25": 0.116,
    "110-125.25": 0.0939,
    "120.05": 0.0642,
    "160.15": 0.0607,
    "": 0.0567,
    "265.03": 0.0521,
    "140.20": 0.0498,
    "140.25": 0.0473,
    "160.10": 0.0327,
    "120.10": 0.0292,
    "130.35": 0.0203,
    "220.16": 0.0174,
    "155.30": 0.0164,
    "140.30": 0.0161,
    "155.25": 0.0157,
    "110-120.10": 0.0155,
    "220.21": 0.0151,
    "105.15": 0.0147,
    "120.00": 0.0112,
    "155.35": 0.0111,
    "VOP": 0.0104,
    "FOA 900.00": 0.0104,
    "215.51": 0.0103,
    "160.05": 0.0089,
    "125.27": 0.0081,
    "121.12": 0.0078,
    "220.39": 0.0069,
    "220.43": 0.0063,
    "215.52": 0.0057,
    "130.65": 0.0057,
    "215.50": 0.0054,
    "150.15": 0.0052,
    "220.03": 0.0052,
    "265.02": 0.0048,
    "110-160.15": 0.0043,
    "110-160.10": 0.0043,
    "130.95": 0.0041,
    "230.34": 0.004,
    "110-130.35": 0.0038,
    "215.55": 0.0037,
}
STATUSES: dict[str, float] = {
    "DE": 0.864,
    "CS": 0.081,
    "DEP": 0.037,
    "SSR": 0.009,
    "DNS": 0.004,
    "CSP": 0.004,
    "DPV": 0.001,
}
AGES: dict[int, float] = {21: 0.25, 30: 0.33, 40: 0.24, 50: 0.12, 60: 0.06}
#: The prior-conviction mix: a felony is one of the first list, a misdemeanor one of the second (each section's
#: level is the one the Penal Law gives it: a drawn level never contradicts the law, I-32).
PRIOR_FELONIES = [
    "PL 160.10",
    "PL 120.05",
    "PL 155.30",
    "PL 220.39",
    "PL 265.03",
    "PL 140.20",
    "PL 125.25",
    "PL 130.35",
    "PL 215.51",
    "PL 160.05",
]
PRIOR_MISDEMEANORS = [
    "PL 120.00",
    "PL 155.25",
    "PL 265.01",
    "PL 215.50",
    "PL 220.03",
    "PL 140.10",
    "PL 120.00",
    "PL 155.25",
    "PL 265.01",
    "PL 215.50",
]
SRG_RATE = 0.208


def _pick(rng: np.random.Generator, table: dict[str, float] | dict[int, float], n: int) -> np.ndarray:
    keys = list(table)
    weights = np.array(list(table.values()), dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=weights / weights.sum())]


def _history(rng: np.random.Generator, n: int) -> list[str]:
    """JSON conviction histories, drawn as documented above (coarse dates)."""
    counts = rng.choice(4, size=n, p=[0.55, 0.25, 0.12, 0.08])
    total = int(counts.sum())
    charges = rng.choice(len(PRIOR_FELONIES), size=total)
    felony = rng.random(total) < 0.5
    years_back = rng.integers(1, 16, size=total)
    custody = rng.choice(3, size=total, p=[0.6, 0.3, 0.1])
    variants: dict[tuple[int, bool, int, int], str] = {}
    out = []
    k = 0
    for count in counts:
        items = []
        for _ in range(count):
            key = (int(charges[k]), bool(felony[k]), int(years_back[k]), int(custody[k]))
            if key not in variants:
                judged = dt.date(SNAPSHOT.year - key[2], 1, 1)
                released = min(SNAPSHOT, dt.date(judged.year + (1 if key[3] == 1 else 3), 1, 1))
                periods = [] if key[3] == 0 else [{"from": judged.isoformat(), "to": released.isoformat()}]
                variants[key] = json.dumps(
                    {
                        "charge": (PRIOR_FELONIES if key[1] else PRIOR_MISDEMEANORS)[key[0]],
                        "court": "NY",
                        "incarceration": periods,
                        "judgment_date": judged.isoformat(),
                        "level": "felony" if key[1] else "misdemeanor",
                    },
                    sort_keys=True,
                )
            items.append(variants[key])
            k += 1
        out.append("[" + ", ".join(sorted(items)) + "]")
    return out


def generate(n: int, seed: int = 2026) -> pl.DataFrame:
    """``n`` synthetic people in DOC custody on the calibration snapshot date, as the flat population table."""
    rng = np.random.default_rng(seed)
    top = _pick(rng, TOP_CHARGES, n)
    status = _pick(rng, STATUSES, n)
    srg = rng.random(n) < SRG_RATE
    ages = _pick(rng, AGES, n)
    months_back = rng.integers(0, 12, size=n)
    tsdb = rng.random(n) < 0.001
    reentered = rng.random(n) < 0.02
    gang = rng.random(n) < 0.15
    history = _history(rng, n)
    facts = {code: charge_facts(code) for code in TOP_CHARGES}
    cases, judgments, groups, problems = [], [], [], []
    for i in range(n):
        fact, group, problem = facts[top[i]]
        month = SNAPSHOT.month - int(months_back[i])
        year = SNAPSHOT.year + (month - 1) // 12
        arrest = dt.date(year, (month - 1) % 12 + 1, 1)
        person = (
            f'"convictions": {history[i]}, "gang_database": {str(bool(gang[i])).lower()}, '
            f'"instant_arrest_date": "{arrest.isoformat()}", '
            f'"reentered_after_removal": {str(bool(reentered[i])).lower()}, '
            f'"tsdb_possible_match": {str(bool(tsdb[i])).lower()}'
        )
        judgment = None
        if fact is not None and status[i] in SENTENCED:
            judgment = json.dumps(dict(fact, court="NY"), sort_keys=True)
        elif fact is not None:
            person += ', "pending_charges": [' + json.dumps(fact, sort_keys=True) + "]"
        cases.append('{"agency": "DOC", "decision_date": "' + SNAPSHOT.isoformat() + '", "person": {' + person + "}}")
        judgments.append(judgment)
        groups.append(group)
        problems.append(problem)
    return pl.DataFrame(
        {
            "record_id": [f"synthetic-{i}" for i in range(n)],
            "case": cases,
            "current_judgment": judgments,
            "charge": [t or "(blank)" for t in top],
            "charge_group": groups,
            "custody_status": [STATUS_WORDS[s] for s in status],
            "gang_flag": np.where(srg, "SRG flag", "no SRG flag"),
            "age_group": [age_group(float(a)) for a in ages],
            "problem": problems,
        }
    )


def write(n: int, path: Path, seed: int = 2026) -> Path:
    """Write the population: as one Parquet file with ``case`` and ``current_judgment`` as nested structs
    when ``path`` ends in ``.parquet``, else as a folder in the tables layout (records, judgments and
    pending charges as three flat Parquet tables, which read several times faster)."""
    frame = generate(n, seed).with_columns(
        pl.col("case").str.json_decode(CASE), pl.col("current_judgment").str.json_decode(CONVICTION)
    )
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(path)
        return path
    return write_tables(flatten(frame, LAYOUT), path)
