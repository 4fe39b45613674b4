"""Counting the hours of a hold the law limits, e.g. "forty-eight hours, excluding Saturdays, Sundays and holidays,
beyond the time when such person would otherwise be released" (NYC Admin. Code § 14-154(b)(2)).

How the hours are counted is interpretation I-100 (docs/law/nyc/interpretations.md): the hours run only on days
the limit does not exclude, day boundaries taken in the jurisdiction's local time; an excluded day stops the
clock from its midnight to the next. The holidays are the deployment's list (none by default: every weekday then
counts, so the deadline computed is never later than the law's).

Pure: no database, no HTTP, no reading of the system clock — the caller passes every moment, so tests run on
any moment they choose without sleeping.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sanctuary.errors import InvalidInputError

#: What a docket asks for the time: the current moment, timezone-aware. Tests pass a fixed or stepped one.
Clock = Callable[[], dt.datetime]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MAX_DAYS = 3_660  # a limit of hours always ends within this many days unless every day is excluded


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Calendar:
    """Where the days of a limit are counted: the local time zone (when a Saturday begins) and the holidays."""

    zone: str = "UTC"
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def excluded(self, day: dt.date, excluding: tuple[str, ...]) -> bool:
        """Whether ``day`` is one the limit does not count (its weekday named in ``excluding``, or a holiday)."""
        if _WEEKDAYS[day.weekday()] in excluding:
            return True
        return "holiday" in excluding and day in self.holidays


def holidays_from(path: Path) -> frozenset[dt.date]:
    """The holidays listed in a file, one ISO date a line (``#`` starts a comment; blank lines are skipped)."""
    days = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidInputError(f"cannot read the holidays file {path}: {exc.strerror}", "SANCTUARY_HOLIDAYS") from None
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            days.add(dt.date.fromisoformat(text))
        except ValueError:
            raise InvalidInputError(
                f"{path} line {number}: {text!r} is not a date (YYYY-MM-DD)", "SANCTUARY_HOLIDAYS"
            ) from None
    return frozenset(days)


def deployment_calendar(zone: str) -> Calendar:
    """The calendar of this deployment: ``zone`` (the jurisdiction's), and the holidays of the file named by
    ``SANCTUARY_HOLIDAYS``, if set (I-100: without it, no day is excluded as a holiday)."""
    named = os.environ.get("SANCTUARY_HOLIDAYS")
    return Calendar(zone, holidays_from(Path(named)) if named else frozenset())


def _next_midnight(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The start of the local day after ``moment``'s, as an aware moment (daylight-saving days are 23 or 25 h)."""
    local = moment.astimezone(tz)
    following = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return following.astimezone(dt.UTC)


def deadline(start: dt.datetime, max_hours: int, excluding: tuple[str, ...], calendar: Calendar) -> dt.datetime:
    """The moment ``max_hours`` counted hours after ``start`` are used up. Hours on excluded days do not count
    (I-100); a limit that starts on an excluded day starts counting at the next counted day's midnight."""
    if start.tzinfo is None:
        raise ValueError("the start of a hold must be an aware moment")
    tz = calendar.tz()
    left = dt.timedelta(hours=max_hours)
    moment = start.astimezone(dt.UTC)
    for _ in range(_MAX_DAYS):
        end_of_day = _next_midnight(moment, tz)
        if not calendar.excluded(moment.astimezone(tz).date(), excluding):
            if moment + left <= end_of_day:
                return moment + left
            left -= end_of_day - moment
        moment = end_of_day
    raise ValueError(f"no counted day within {_MAX_DAYS} days of {start.isoformat()}")


def counted_hours(start: dt.datetime, end: dt.datetime, excluding: tuple[str, ...], calendar: Calendar) -> float:
    """The counted hours between ``start`` and ``end`` (0 if ``end`` is not after ``start``)."""
    tz = calendar.tz()
    total = dt.timedelta(0)
    moment, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    while moment < end:
        boundary = min(_next_midnight(moment, tz), end)
        if not calendar.excluded(moment.astimezone(tz).date(), excluding):
            total += boundary - moment
        moment = boundary
    return total.total_seconds() / 3600
