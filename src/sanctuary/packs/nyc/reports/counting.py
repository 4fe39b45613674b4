"""How rows are counted: the part of the period a row covers, distinct persons, and the decision split.

Every section's rows are built through :class:`Builder` so that the report-wide rules hold everywhere: a row
not required for the period says so instead of giving a number (R-16, R-17); persons are counted once each,
and as a range when some records have no person key (R-4); the engine's decision only feeds ``detail`` rows
(R-3).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sanctuary.engine.decide import RESULTS as DECISION_RESULTS
from sanctuary.packs.nyc.reports.model import Row
from sanctuary.packs.nyc.reports.periods import Period
from sanctuary.packs.nyc.reports.trail import Action, Request

# The engine's outcomes for an action, as the detail:…decision_<result> rows split them ("none": no decision).
RESULTS = (*DECISION_RESULTS.values(), "none")  # the engine's results, then no decision recorded


@dataclass(frozen=True)
class Item:
    """One qualifying record: the request, the action counted (if the row counts actions), its date."""

    q: Request
    action: Action | None
    date: dt.date


def _groups(items: Iterable[Item]) -> tuple[dict[str, list[Item]], list[Item]]:
    """Items by person key, and the items that have none (each possibly a different person)."""
    keyed: dict[str, list[Item]] = defaultdict(list)
    keyless: list[Item] = []
    for item in items:
        if item.q.person_key:
            keyed[item.q.person_key].append(item)
        else:
            keyless.append(item)
    return keyed, keyless


@dataclass
class Window:
    """The part of the period a row covers, and what to say when it is not the whole period (R-16, R-17)."""

    start: dt.date | None  # None: the row is not required for this period at all
    end: dt.date
    note: str | None

    def __contains__(self, day: object) -> bool:
        return self.start is not None and isinstance(day, dt.date) and self.start <= day <= self.end


def window(period: Period, since: dt.date, why: str) -> Window:
    if period.end < since:
        return Window(None, period.end, f"not required for this period: {why}")
    if period.start < since:
        return Window(since, period.end, f"covers events from {since} only: {why}")
    return Window(period.start, period.end, None)


class Builder:
    """Accumulates rows, attaching the window's note to every row it builds."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def count(
        self,
        row_id: str,
        label: str,
        unit: str,
        n: int,
        w: Window,
        *,
        kind: str = "statutory",
        note: str | None = None,
    ) -> None:
        if w.start is None:
            self.rows.append(Row(row_id, label, unit, kind, None, w.note))
            return
        self.rows.append(Row(row_id, label, unit, kind, n, join_notes(w.note, note)))

    def none(self, row_id: str, label: str, unit: str, note: str, w: Window, *, kind: str = "statutory") -> None:
        self.rows.append(Row(row_id, label, unit, kind, None, w.note if w.start is None else note))

    def persons(
        self,
        row_id: str,
        label: str,
        items: list[Item],
        w: Window,
        select: Callable[[list[Item]], bool] = lambda _: True,
        *,
        kind: str = "statutory",
        key_gap: bool = True,
        note: str | None = None,
    ) -> None:
        """A count of distinct persons (R-4): each person once, whatever the number of records. ``select``
        decides, from all of a person's qualifying records, whether the person is in the row. Without a person
        key each record may be another person, so the row is a range and a gap row counts those records.
        ``note`` is added to the row's own note."""
        if w.start is None:
            self.rows.append(Row(row_id, label, "persons", kind, None, join_notes(w.note, note)))
            if key_gap:
                self.rows.append(Row(f"{row_id}.persons_without_key", _KEYLESS, "records", "gap", None, w.note))
            return
        keyed, keyless = _groups(items)
        exact = sum(1 for group in keyed.values() if select(group))
        loose = sum(1 for item in keyless if select([item]))
        if loose:
            low, high = max(exact, 1), exact + loose
            range_note = (
                f"range [{low}, {high}]: {loose} qualifying record(s) have no person key, so distinct persons "
                "cannot be counted exactly (R-4)"
            )
            self.rows.append(Row(row_id, label, "persons", kind, None, join_notes(w.note, range_note, note), low, high))
        else:
            self.rows.append(Row(row_id, label, "persons", kind, exact, join_notes(w.note, note)))
        if key_gap:
            self.rows.append(Row(f"{row_id}.persons_without_key", _KEYLESS, "records", "gap", loose, w.note))

    def decisions(self, row_id: str, items: list[Item], actions_of: Callable[[Item], tuple[str, ...]]) -> None:
        """detail:<row>.decision_<result>: the row's records by the engine's outcome for the action concerned
        (§ 2; R-3: shows, for example, holds made against a ``prohibited`` decision); and detail:<row>.overridden:
        those whose action was recorded over the decision, with an override and its reason (I-50)."""
        counts = dict.fromkeys(RESULTS, 0)
        for item in items:
            results = [item.q.results[a] for a in actions_of(item) if a in item.q.results]
            counts[_worst(results)] += 1
        for result in RESULTS:
            words = "no decision recorded for the action" if result == "none" else f"the engine's outcome: {result}"
            self.rows.append(
                Row(
                    f"detail:{row_id}.decision_{result}",
                    f"records of {row_id}; {words}",
                    "records",
                    "detail",
                    counts[result],
                )
            )
        overridden = sum(1 for item in items if item.action is not None and item.action.overridden)
        self.rows.append(
            Row(
                f"detail:{row_id}.overridden",
                f"records of {row_id} whose action was recorded over the decision it follows (an override, with its "
                "reason); counted in the row as what was done",
                "records",
                "detail",
                overridden,
                "I-50",
            )
        )


_KEYLESS = "qualifying records with no person key (each may or may not be another person)"


def _worst(results: list[str]) -> str:
    for result in ("prohibited", "undetermined", "permitted"):
        if result in results:
            return result
    return "none"


def join_notes(*notes: str | None) -> str | None:
    kept = [n for n in notes if n]
    return "; ".join(kept) if kept else None
