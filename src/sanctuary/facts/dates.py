"""Dates known only to the year or the month (``2019``, ``2019-05``): a contract extension for the date of a
judgment, which a defender often knows only by its year. Such a date is the interval of its days; the law
decides on it only where every day of the interval gives the same answer. Knows no law."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

PARTIAL_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A year (``2019``) or a year and month (``2019-05``): every day from ``first`` to ``last``, both included."""

    text: str
    first: dt.date
    last: dt.date

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``2019`` or ``2019-05``; anything else is a :class:`ValueError` (pydantic reports it at the field)."""
        if not re.fullmatch(PARTIAL_PATTERN, text):
            raise ValueError("expected a date (YYYY-MM-DD), a year (YYYY) or a year and month (YYYY-MM)")
        year, _, month = text.partition("-")
        y = int(year)
        if y < 1:
            raise ValueError("the year must be 0001 or later")
        if not month:
            return cls(text, dt.date(y, 1, 1), dt.date(y, 12, 31))
        m = int(month)
        return cls(text, dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]))

    def __str__(self) -> str:
        return self.text

    def days(self, since: dt.date | None = None, until: dt.date | None = None) -> Iterator[dt.date]:
        """Every day of the interval, within ``since`` and ``until`` where given (the days a fact can take)."""
        day = max(self.first, since) if since else self.first
        end = min(self.last, until) if until else self.last
        while day <= end:
            yield day
            day += dt.timedelta(days=1)


def date_or_partial(value: Any) -> dt.date | PartialDate:
    """A full date (``2019-05-01``) or a partial one (``2019``, ``2019-05``), from the JSON text; one error
    message for both, naming the forms accepted."""
    if isinstance(value, dt.date | PartialDate):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a date (YYYY-MM-DD), a year (YYYY) or a year and month (YYYY-MM)")
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a date: {exc}") from None
    return PartialDate.parse(value)


#: A date field that also takes a year or a year and month (the contract extension for judgment dates).
DateOrPartial = Annotated[
    dt.date | PartialDate,
    PlainValidator(date_or_partial),
    PlainSerializer(lambda value: value.isoformat() if isinstance(value, dt.date) else value.text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": PARTIAL_PATTERN},
            ]
        }
    ),
]
