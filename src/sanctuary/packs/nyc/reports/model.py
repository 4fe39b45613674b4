"""What a computed report is: its rows (:class:`Row`) and the report itself (:class:`Report`).

Kept apart from the counting so that the shape of the output — a row per count the statute lists, with a value
that is ``None``, never 0, when the trail cannot supply it — can be read on its own. Printing a report as CSV or
HTML is at the end of this module: the HTML page is self-contained (no scripts, no outside requests) so
that it can be published or filed as it is, and it marks "not computable" rows so no reader takes them for zero.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import re
from dataclasses import dataclass, field
from typing import Any

from sanctuary.packs.nyc.reports.pdf import report_pdf
from sanctuary.packs.nyc.reports.periods import Period
from sanctuary.packs.nyc.reports.statute import TITLES
from sanctuary.service.audit import canonical


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
        if self.note and self.note.startswith("not supplied"):
            return "not supplied"
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
    through_seq: int = 0  # the last audit record read: the report regenerated through it is the same
    options: dict[str, Any] = field(default_factory=dict)  # the choices it was computed with (include_annual_reports)

    @property
    def title(self) -> str:
        return TITLES[self.law]

    def row(self, row_id: str) -> Row:
        """The row with this identifier (``KeyError`` if the report has none)."""
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)

    def fingerprint(self) -> str:
        """A hash of everything the report says but when it was generated: the same trail through the same record,
        the same law and choices, give the same fingerprint (a past report regenerated is shown identical)."""
        content = {k: v for k, v in self.as_dict(fingerprint=False).items() if k != "generated_at"}
        return "sha256:" + hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()

    def as_dict(self, *, fingerprint: bool = True) -> dict[str, Any]:
        out = {
            "law": self.law,
            "section": self.title,
            "view": "detail",
            "period": self.period.as_dict(),
            "generated_at": self.generated_at,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "records_read": self.records_read,
            "through_seq": self.through_seq,
            "options": self.options,
            "law_hashes": self.law_hashes,
            "computed_from": COMPUTED_FROM,
            "rows": [r.as_dict() for r in self.rows],
        }
        if fingerprint:
            out["fingerprint"] = self.fingerprint()
        return out

    def to_pdf(self) -> bytes:
        """Every row as a PDF, for filing with the audit record (the publication view has its own)."""
        rows = [(r.id, r.label, r.shown(), r.unit) for r in self.rows]
        return report_pdf(self.title, self.period.label, rows, [COMPUTED_FROM, f"Fingerprint {self.fingerprint()}."])

    def to_csv(self) -> str:
        """One line per row: id, label, unit, kind, value (empty when there is no single number), note."""
        return to_csv(self)

    def to_html(self) -> str:
        """A self-contained page (no scripts, no outside requests): one table per numbered item."""
        return to_html(self)


# --- the report printed: CSV and a self-contained HTML page ---------------------------------------------
# What every report says it was computed from: printed in its JSON (``computed_from``) and on its HTML page.
COMPUTED_FROM = (
    "Counted from the service's audit trail: each decision record (the request as recorded, with the case "
    "decided) and the action records the agency made afterwards. Counts are of recorded actions, not of the "
    "engine's decisions (R-3). Whether a request is a civil immigration detainer, whether the requester is a "
    "federal immigration authority, and whether the person was convicted of a violent or serious crime are "
    "the law pack's own tests, evaluated on the recorded case under the law in force on the date of each "
    "event (R-19, R-20). Each row is dated by the event it counts (R-2); facts that depend on later events are "
    "read up to the cut-off. Gap rows count records a statutory row could not place because a fact is "
    "unknown; detail rows are not asked for by the statute."
)


def _item_of(row_id: str) -> str:
    """The numbered item a row belongs to (``9-131(f)(9)``), for grouping the HTML tables."""
    bare = row_id.removeprefix("detail:")
    match = re.match(r"\d+-\d+\([a-z]\)(\(\d+\))?", bare)
    return match.group(0) if match else bare


def to_csv(report: Report) -> str:
    """One line per row: id, label, unit, kind, value (empty when there is no single number), note."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "label", "unit", "kind", "value", "note"])
    for r in report.rows:
        writer.writerow([r.id, r.label, r.unit, r.kind, "" if r.value is None else r.value, r.note or ""])
    return out.getvalue()


def to_html(report: Report) -> str:
    """A self-contained page (no scripts, no outside requests): one table per numbered item."""
    e = html.escape
    groups: dict[str, list[Row]] = {}
    for r in report.rows:
        groups.setdefault(_item_of(r.id), []).append(r)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(report.title)}</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
        "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}"
        "td.n{text-align:right;white-space:nowrap}tr.gap{background:#fff6e0}tr.detail{color:#555}"
        "tr.nc td.n{background:#fde2e2;font-weight:bold}code{font-size:90%}</style>",
        "</head><body>",
        f"<h1>{e(report.title)}</h1>",
        f"<p>Period: {e(report.period.label)}. Data cut-off: "
        f"{e(report.cutoff.isoformat() if report.cutoff else 'no records')}. Records read: {report.records_read}. "
        f"Generated {e(report.generated_at)}.</p>",
        f"<p>{e(COMPUTED_FROM)}</p>",
        f"<p>Law applied (law hash): {e(', '.join(report.law_hashes) or 'none')}.</p>",
        "<p>Rows marked <strong>not computable</strong> are counts the statute requires that the trail cannot "
        "supply; they are not zero.</p>",
    ]
    for item, rows in groups.items():
        parts.append(f"<h2>§ {e(item)}</h2>")
        parts.append(
            "<table><thead><tr><th>id</th><th>what is counted</th><th>unit</th><th>kind</th>"
            "<th>value</th><th>note</th></tr></thead><tbody>"
        )
        for r in rows:
            classes = [r.kind] + (["nc"] if r.value is None and r.low is None else [])
            parts.append(
                f'<tr class="{" ".join(classes)}" id="{e(r.id)}"><td><code>{e(r.id)}</code></td>'
                f"<td>{e(r.label)}</td><td>{e(r.unit)}</td><td>{e(r.kind)}</td>"
                f'<td class="n">{e(r.shown())}</td><td>{e(r.note or "")}</td></tr>'
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
