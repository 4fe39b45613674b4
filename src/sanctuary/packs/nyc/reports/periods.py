"""Reporting periods: which days a report covers, and the dates on which the laws began to apply.

A period is fixed by the statute's schedule, not chosen by the caller: the annual reports changed from an
October to a July year with L.L. 2017/228 (R-1), § 9-205(f) and § 10-178(d) apply only from 2018-01-30 (R-16),
and nothing before 2014-12-14 is encoded (R-17). Those dates live here because rows elsewhere are cut to them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sanctuary.errors import InvalidInputError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.reports.statute import LAWS

# Read from the regimes (regimes.toml), not written again here.
LAWS_IN_ORDER = sorted(
    (r for r in NYC.regimes.values() if r.status == "law"), key=lambda r: r.in_force_from or dt.date.min
)
# The first day of the law whose reports these are (L.L. 2014/58 and 59: the first regime with the 2014 detainer
# clause, "9-131(b)"). Earlier events are never counted, although earlier laws are encoded for decisions.
ENCODED_FROM: dt.date = next(r.in_force_from for r in LAWS_IN_ORDER if "9-131(b)" in r.provisions and r.in_force_from)
# The day § 10-178 took effect (L.L. 2017/228): with L.L. 2017/228 § 4 and L.L. 2017/226 § 2, items "newly
# required" are reported for time from this day (R-16).
NEWLY_REQUIRED_FROM: dt.date = next(d for r in LAWS_IN_ORDER if isinstance(d := r.provisions.get("10-178"), dt.date))
# The first annual report on the September schedule (L.L. 2017/228): earlier ones ran October – September.
SEPTEMBER_SCHEDULE_FROM_YEAR = 2018
FIRST_OCTOBER_REPORT_YEAR = 2015


@dataclass(frozen=True)
class Period:
    """A reporting period, inclusive at both ends, in New York local dates."""

    start: dt.date
    end: dt.date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


def _invalid(message: str) -> InvalidInputError:
    """Invalid input whose field is the argument the message begins with (``year: …``)."""
    return InvalidInputError(message, message.partition(":")[0])


def period_for(law: str, *, year: int | None = None, quarter: str | None = None) -> Period:
    """The period of a report.

    Annual laws (§§ 9-131(f), 14-154(f), 9-205(f)): ``year`` is the year the report is due. From 2018 it
    covers "the preceding twelve month period ending June 30": 1 July of ``year - 1`` to 30 June of ``year``,
    due 1 September (R-1). Before L.L. 2017/228 (reports due 2015–2017, §§ 9-131 and 14-154 only) it covered
    1 October to 30 September, due 15 October; the 2015 report is computed only from 2014-12-14 (R-17).
    § 9-205(f)'s first report is 2018's. § 10-178(d): ``quarter`` such as ``"2025Q3"``, a calendar quarter
    (R-18); the first is 2018-01-30 – 2018-03-31 (R-16). Raises :class:`~sanctuary.errors.InvalidInputError`
    (a ``ValueError``) whose field is the bad argument."""
    if law not in LAWS:
        raise _invalid(f"law: unknown law {law!r}; expected one of {', '.join(LAWS)}")
    if law == "10-178":
        if year is not None:
            raise _invalid("year: § 10-178(d) is quarterly; give quarter (e.g. '2025Q3'), not year")
        if quarter is None:
            raise _invalid("quarter: § 10-178(d) needs a quarter such as '2025Q3'")
        if not isinstance(quarter, str) or not (match := re.fullmatch(r"(\d{4})Q([1-4])", quarter)):
            raise _invalid(f"quarter: {quarter!r} is not a quarter; write it as YYYYQn, e.g. '2025Q3'")
        y, q = int(match.group(1)), int(match.group(2))
        start = dt.date(y, 3 * q - 2, 1)
        end = (dt.date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - dt.timedelta(days=1)
        if end < NEWLY_REQUIRED_FROM:
            raise _invalid(
                f"quarter: {quarter} ends before § 10-178(d) applied (events from {NEWLY_REQUIRED_FROM}, "
                "L.L. 2017/228 § 4); the first quarter is 2018Q1"
            )
        label = f"{quarter} ({max(start, NEWLY_REQUIRED_FROM)} – {end})"
        if start < NEWLY_REQUIRED_FROM:
            label += f"; partial: § 10-178(d) applies from {NEWLY_REQUIRED_FROM} (R-16)"
        return Period(max(start, NEWLY_REQUIRED_FROM), end, label)
    if quarter is not None:
        raise _invalid(f"quarter: § {law}(f) is annual; give year (the year the report is due), not quarter")
    if year is None:
        raise _invalid(
            f"year: § {law}(f) needs year, the year the report is due (e.g. 2025 for 2024-07-01 – 2025-06-30)"
        )
    if isinstance(year, bool) or not isinstance(year, int):
        raise _invalid(f"year: must be an integer, got {year!r}")
    if law == "9-205" and year < SEPTEMBER_SCHEDULE_FROM_YEAR:
        raise _invalid(f"year: § 9-205(f)'s first report was due 2018-09-01; no report for {year}")
    if year < FIRST_OCTOBER_REPORT_YEAR:
        raise _invalid(
            f"year: the first report under the law this project encodes was due 2015-10-15; no report for {year} "
            "(earlier law is not encoded, R-17)"
        )
    if year > dt.MAXYEAR:
        raise _invalid(f"year: {year} is past the last year a calendar date can have ({dt.MAXYEAR})")
    if year < SEPTEMBER_SCHEDULE_FROM_YEAR:
        start, end, due = dt.date(year - 1, 10, 1), dt.date(year, 9, 30), dt.date(year, 10, 15)
        label = f"twelve months {start} – {end} (October schedule, report due {due})"
        if start < ENCODED_FROM:
            label += f"; partial: computed from {ENCODED_FROM} (R-17)"
        return Period(start, end, label)
    start, end, due = dt.date(year - 1, 7, 1), dt.date(year, 6, 30), dt.date(year, 9, 1)
    return Period(start, end, f"twelve months {start} – {end} (report due {due})")
