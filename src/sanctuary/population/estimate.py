"""Per-year estimates tied to published figures: how many requests each regime would let an agency honor or
answer, with ranges that carry both what the data leaves undetermined and the uncertainty of the model
(``docs/population.md``, "Estimates per year"; interpretations I-47 and I-48).

The model, simple enough to check by hand:

* A period's population is the records of one agency whose decision date falls in it (a DOC snapshot: the
  people in custody that day; the stays table: the stays last seen in the period; NYPD arrests: the arrests).
  Of its ``N`` records, a regime permits an action for ``P`` and leaves ``U`` undetermined.
* ``D`` requests (a published count, or one the user gives) land on ``D`` distinct records drawn uniformly at
  random from the ``N`` — the one assumption about who receives a request; ICE does not choose uniformly, so
  the *hard bounds* below say what holds whatever the choice.
* The number of requests the regime lets the agency honor is then hypergeometric: at least the draw from
  ``P`` records, at most the draw from ``P + U``. The model's range is ``D·P/N − 1.96·sd`` to
  ``D·(P+U)/N + 1.96·sd`` (each sd the hypergeometric one for its share), clipped to ``0 … D``.
* Whatever the choice of people: at least ``max(0, D − (N − P))``, at most ``min(D, P + U)`` (when ``D ≤ N``).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

Z = 1.96  # two-sided 95 % for the model's sampling uncertainty

#: The published metrics the backtest reads (the part of the ``metric`` column before any parenthesis), and the
#: action each one counts (interpretation I-48); ``detainer_requests_received`` is ``D``, and where a period gives
#: only honored and not-honored detainers, ``D`` is their sum.
RECEIVED = "detainer_requests_received"
MEASURED = {
    "detainers_honored": "hold",
    "persons_transferred_to_ICE_after_release_notification": "notify_release",
    "ice_information_requests_answered": "info:release_date",
}
NOT_HONORED = "detainers_not_honored"
PUBLISHED_COLUMNS = ("agency", "period_start", "period_end", "period_label", "metric", "value")


@dataclass(frozen=True, slots=True)
class Period:
    """Days, both ends inclusive, with a label (``FY2017``) and, for a published period, its figures."""

    label: str
    start: dt.date
    end: dt.date
    agency: str | None = None  # the published figures' agency, as written ("NYC DOC")
    received: int | None = None  # D
    published: tuple[tuple[str, str, int, str], ...] = ()  # (metric, action, value, source)

    def months(self) -> list[str]:
        """The months (``YYYY-MM``) whose first day falls in the period."""
        out, day = [], dt.date(self.start.year, self.start.month, 1)
        if day < self.start:
            day = _next_month(day)
        while day <= self.end:
            out.append(day.strftime("%Y-%m"))
            day = _next_month(day)
        return out

    def middle(self) -> dt.date:
        return self.start + (self.end - self.start) / 2


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def year_label(year: int, start_month: int) -> str:
    """``CY2017`` (January), ``FY2017`` (July: the city's fiscal year ending in June 2017), ``FFY2013``
    (October: the federal fiscal year ending in September 2013), else ``Y2017-03`` (the year starting then)."""
    if start_month == 1:
        return f"CY{year}"
    names = {7: "FY", 10: "FFY"}
    return f"{names[start_month]}{year + 1}" if start_month in names else f"Y{year}-{start_month:02d}"


def years(months: Iterable[str], start_month: int) -> list[Period]:
    """The years (starting in ``start_month``) that hold any of ``months``, in order."""
    starts = sorted({int(m[:4]) - (1 if int(m[5:7]) < start_month else 0) for m in months})
    return [
        Period(
            year_label(y, start_month),
            dt.date(y, start_month, 1),
            dt.date(y + 1, start_month, 1) - dt.timedelta(days=1),
        )
        for y in starts
    ]


def read_published(path: Path) -> list[Period]:
    """Published periods with a count of requests received (or honored plus not honored), from a CSV with the
    columns ``agency, period_start, period_end, period_label, metric, value, source_publisher`` (the layout of
    the project's transcription of published figures; ``docs/population.md``). Rows whose value is not a whole
    number (an estimate given as a range) are skipped. Raises :class:`ValueError` naming the row."""
    figures: dict[tuple[str, str, str, str], dict[str, tuple[int, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if missing := [c for c in PUBLISHED_COLUMNS if c not in (reader.fieldnames or [])]:
            raise ValueError(f"{path.name}: not published figures: no column {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            try:
                key = (row["agency"], row["period_start"], row["period_end"], row["period_label"])
                value = row["value"].strip()
            except KeyError as exc:
                raise ValueError(f"{path.name}: line {number}: no column {exc}") from None
            if value.isdigit():
                metric = row["metric"].split("(")[0].strip()
                figures.setdefault(key, {})[metric] = (int(value), row.get("source_publisher", ""))
    periods = []
    for key, found in figures.items():
        try:
            period = _period(key, found)
        except ValueError:
            raise ValueError(f"{path.name}: {key[3] or key}: the period's dates are not YYYY-MM-DD") from None
        if period is not None:
            periods.append(period)
    return periods


def _period(key: tuple[str, str, str, str], found: dict[str, tuple[int, str]]) -> Period | None:
    agency, start, end, label = key
    if RECEIVED in found:
        received = found[RECEIVED][0]
    elif "detainers_honored" in found and NOT_HONORED in found:
        received = found["detainers_honored"][0] + found[NOT_HONORED][0]
    else:
        return None
    published = tuple((m, a, found[m][0], found[m][1]) for m, a in MEASURED.items() if m in found)
    return Period(label, dt.date.fromisoformat(start), dt.date.fromisoformat(end), agency, received, published)


@dataclass(frozen=True, slots=True)
class Estimate:
    """One period, agency, regime and action: the population's counts, and with ``D`` the model's range."""

    period: str
    agency: str
    regime: str
    action: str
    months_with_data: int
    months: int
    records: int
    permitted: int
    undetermined: int
    received: int | None = None
    model_low: int | None = None
    model_high: int | None = None
    hard_low: int | None = None
    hard_high: int | None = None
    published: int | None = None
    published_metric: str | None = None
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def model_range(received: int, records: int, permitted: int, undetermined: int) -> tuple[int, int]:
    """The model's range of requests honored: the hypergeometric draw of ``received`` from ``records``, at least
    from the ``permitted``, at most from the ``permitted + undetermined``, each ± 1.96 sd, within ``0 … received``."""
    if records == 0:
        return 0, received
    low = _draw(received, records, permitted, -1)
    high = _draw(received, records, permitted + undetermined, +1)
    return max(0, math.floor(low)), min(received, math.ceil(high))


def _draw(draws: int, population: int, successes: int, side: int) -> float:
    share = successes / population
    variance = draws * share * (1 - share)
    if draws <= population and population > 1:  # without replacement: the finite-population correction
        variance *= (population - draws) / (population - 1)
    return draws * share + side * Z * math.sqrt(variance)


def hard_bounds(received: int, records: int, permitted: int, undetermined: int) -> tuple[int, int] | None:
    """What holds whoever the requests are about (``None`` when there are more requests than records)."""
    if received > records:
        return None
    return max(0, received - (records - permitted)), min(received, permitted + undetermined)


def estimate(
    by_month: Mapping[tuple[str, str, str, str, str], int],
    periods: Iterable[Period],
    regimes: Iterable[str],
    actions: Iterable[str],
    *,
    agency_of: Mapping[str, str] | None = None,
) -> list[Estimate]:
    """Every period × agency × regime × action with records. ``by_month`` counts records by (month, agency,
    regime, action, result), as :class:`~sanctuary.population.compare.Comparison` does; a published period
    is matched to the agencies whose code its agency names (``agency_of``: published agency → code)."""
    agencies = sorted({key[1] for key in by_month})
    out = []
    for period in periods:
        months = set(period.months())
        for agency in agencies:
            if period.agency is not None and (agency_of or {}).get(period.agency, period.agency) != agency:
                continue
            counts: Counter[tuple[str, str, str]] = Counter()
            seen = set()
            for (month, ag, regime, action, result), n in by_month.items():
                if ag == agency and month in months:
                    counts[(regime, action, result)] += n
                    seen.add(month)
            if not seen:
                continue
            for regime in regimes:
                for action in actions:
                    out.append(_one(period, agency, regime, action, counts, len(seen), len(months)))
    return out


def _one(
    period: Period, agency: str, regime: str, action: str, counts: Counter[tuple[str, str, str]], seen: int, months: int
) -> Estimate:
    records = sum(n for (r, a, _), n in counts.items() if r == regime and a == action)
    permitted, undetermined = counts[(regime, action, "permitted")], counts[(regime, action, "undetermined")]
    base = Estimate(period.label, agency, regime, action, seen, months, records, permitted, undetermined)
    if period.received is None:
        return base
    low, high = model_range(period.received, records, permitted, undetermined)
    hard = hard_bounds(period.received, records, permitted, undetermined)
    figure = next(((m, v, s) for m, a, v, s in period.published if a == action), None)
    return dataclasses.replace(
        base,
        received=period.received,
        model_low=low,
        model_high=high,
        hard_low=hard[0] if hard else None,
        hard_high=hard[1] if hard else None,
        published=figure[1] if figure else None,
        published_metric=figure[0] if figure else None,
        source=figure[2] if figure else None,
    )


def _range_text(low: int | None, high: int | None) -> str:
    if low is None or high is None:
        return "—"
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


def per_year_table(rows: list[Estimate]) -> str:
    """The per-year estimates as a Markdown table: the records each regime permits the action for (a range when
    the data leaves some undetermined) and, with a count of requests, the model's range and the hard bounds."""
    lines = [
        "| year | agency | regime | action | months with data | records | permitted for | requests (D) | "
        "model: honored or answered | whatever the spread |",
        "|---|---|---|---|---|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.period} | {r.agency} | {r.regime} | {r.action} | {r.months_with_data} of {r.months} | "
            f"{r.records:,} | {_range_text(r.permitted, r.permitted + r.undetermined)} | "
            f"{'—' if r.received is None else f'{r.received:,}'} | {_range_text(r.model_low, r.model_high)} | "
            f"{_range_text(r.hard_low, r.hard_high)} |"
        )
    return "\n".join(lines) + "\n"


def backtest_table(rows: list[Estimate]) -> str:
    """The backtest as a Markdown table: each published figure beside the model's range for the regime in force,
    and whether the figure falls inside it."""
    lines = [
        "| period | agency | regime in force | action | published | requests (D) | records (months with data) | "
        "model range | whatever the spread | published inside the model range? |",
        "|---|---|---|---|---|--:|--:|--:|--:|---|",
    ]
    for r in rows:
        if r.published is None or r.model_low is None or r.model_high is None:
            continue
        inside = "yes" if r.model_low <= r.published <= r.model_high else "no"
        lines.append(
            f"| {r.period} | {r.agency} | {r.regime} | {r.action} | {r.published_metric} = {r.published:,} "
            f"({r.source}) | {r.received:,} | {r.records:,} ({r.months_with_data} of {r.months}) | "
            f"{_range_text(r.model_low, r.model_high)} | {_range_text(r.hard_low, r.hard_high)} | {inside} |"
        )
    return "\n".join(lines) + "\n"


def given_counts(texts: Iterable[str]) -> dict[str, int]:
    """``--detainers FY2025=1200`` → ``{"FY2025": 1200}``; raises :class:`ValueError` naming the text."""
    out: dict[str, int] = {}
    for text in texts:
        label, _, value = text.partition("=")
        if not label.strip() or not value.strip().isdigit():
            raise ValueError(f"--detainers {text!r}: give YEAR=COUNT, e.g. FY2025=1200")
        if label.strip() in out:
            raise ValueError(f"--detainers {label.strip()} is given twice")
        out[label.strip()] = int(value)
    return out
