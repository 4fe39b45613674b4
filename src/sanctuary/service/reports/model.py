"""What a computed report is: its rows (:class:`Row`) and the report itself (:class:`Report`).

Kept apart from the counting so that the shape of the output — a row per count the statute lists, with a value
that is ``None``, never 0, when the trail cannot supply it — can be read on its own. Printing a report as CSV or
HTML is in :mod:`~sanctuary.service.reports.render`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sanctuary.service.reports import render
from sanctuary.service.reports.periods import Period
from sanctuary.service.reports.render import COMPUTED_FROM
from sanctuary.service.reports.statute import TITLES


@dataclass
class Row:
    """One line of a report. ``value`` is ``None`` when the number cannot be given: the note says why
    ("not computable: …", "not required for this period: …"), or, for a count of persons some of whose
    records have no person key, gives the range ``[low, high]`` (R-4), also in ``low`` and ``high``."""

    id: str
    label: str
    unit: str
    kind: str  # "statutory" | "gap" | "detail"
    value: int | None
    note: str | None = None
    low: int | None = None
    high: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "unit": self.unit,
            "kind": self.kind,
            "value": self.value,
            "note": self.note,
        }
        if self.low is not None or self.high is not None:
            out["range"] = [self.low, self.high]
        return out

    def shown(self) -> str:
        """The value as printed: the number, the range, or "not computable"."""
        if self.value is not None:
            return str(self.value)
        if self.low is not None and self.high is not None:
            return f"{self.low}–{self.high}"
        if self.note and self.note.startswith("not required"):
            return "not required"
        return "not computable"


@dataclass
class Report:
    """A computed report: its rows in the statute's order, then what it was computed from."""

    law: str
    period: Period
    rows: list[Row]
    records_read: int
    cutoff: dt.date | None = None
    law_hashes: list[str] = field(default_factory=list)
    generated_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    @property
    def title(self) -> str:
        return TITLES[self.law]

    def row(self, row_id: str) -> Row:
        """The row with this identifier (``KeyError`` if the report has none)."""
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "law": self.law,
            "section": self.title,
            "period": self.period.as_dict(),
            "generated_at": self.generated_at,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "records_read": self.records_read,
            "law_hashes": self.law_hashes,
            "computed_from": COMPUTED_FROM,
            "rows": [r.as_dict() for r in self.rows],
        }

    def to_csv(self) -> str:
        """One line per row: id, label, unit, kind, value (empty when there is no single number), note."""
        return render.to_csv(self)

    def to_html(self) -> str:
        """A self-contained page (no scripts, no outside requests): one table per numbered item."""
        return render.to_html(self)
