"""The docket's request bodies: a matter opened, its facts changed, what the agency did, the matter closed.

The case inside is the public contract without ``decision_date`` and ``regime``: the docket decides each matter
under the law in force on the day that matters (the expected release, or today), so it sets both itself. The
facts the reports count (``record``) and what an agency records doing are the jurisdiction's vocabulary, added to
these bodies per pack (:func:`sanctuary.service.bodies.bodies`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from sanctuary.service.models import Clear, Override

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def _plausible(moment: dt.datetime) -> dt.datetime:
    """A moment the clock can count from: years 1900 to 2199 (a deadline days later still fits a date)."""
    if not EARLIEST <= moment.date() <= LATEST:
        raise ValueError(f"must be between {EARLIEST} and {LATEST}")
    return moment


# A moment with its UTC offset, within years the docket can count hours in.
Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]
Day = Annotated[dt.date, Field(ge=EARLIEST, le=LATEST)]

CloseReason = Literal["released", "transferred", "withdrawn", "dismissed"]
MAX_COURT_DATES = 50


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Schedule(_Body):
    """When things are expected to happen (all optional; each may be corrected later)."""

    release_at: Moment | None = Field(
        None, description="When the person would otherwise be released (with its UTC offset): the hold's clock starts"
    )
    search_completed_at: Moment | None = Field(
        None, description="When the release-time database search ended, if after release_at (its time is added)"
    )
    court_dates: list[Day] | None = Field(None, max_length=MAX_COURT_DATES)


class MatterRequest(_Body):
    """A request as it arrives: the case (the facts as known), the schedule, the facts the reports count."""

    case: dict[str, Any] = Field(description="A case in the contract format, without decision_date and regime.")
    schedule: Schedule | None = None
    note: Clear | None = Field(None, max_length=500, description="Where the facts came from, for the timeline.")


class MatterChange(_Body):
    """Facts added or corrected: ``case`` is a JSON merge patch (RFC 7396) of the case — an object merges, a
    list or a value replaces, ``null`` removes (the fact becomes unknown); ``schedule`` replaces what it names."""

    case: dict[str, Any] | None = None
    schedule: Schedule | None = None
    note: Clear | None = Field(None, max_length=500, description="Why: the check that came back, the court's order…")


# What was done (``type`` and the fields that say more) is the pack's, added per jurisdiction by ``service/bodies.py``
# as ``record`` is to the two bodies above.
class MatterAction(_Body):
    """What the agency did. ``at`` defaults to now; a hold's clock starts at the schedule's ``release_at``."""

    at: Moment | None = None
    override: Override | None = Field(None, description="Record an action the decision in force does not permit")
    note: Clear | None = Field(None, max_length=500)


class MatterClose(_Body):
    reason: CloseReason
    at: Moment | None = None
    note: Clear | None = Field(None, max_length=500)
