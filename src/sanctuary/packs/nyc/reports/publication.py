"""The publication view of a report: what an agency would post as it is.

The full report (:class:`~sanctuary.packs.nyc.reports.model.Report`) carries every gap and detail row, for audit. The
statute asks for less: its numbered items, in its order and words. This view keeps only those (the statutory rows),
as a short table, and gathers below it, as notes in plain words, what a reader must know to read the numbers right:
counts the trail could not give or nobody supplied, ranges, records a row could not place, the readings chosen
where the statute's words allow two and what the other reading would give, and a change of law inside the period.
It names its source so that it can be regenerated from the audit trail and shown identical (``fingerprint``).

It prints as JSON, CSV, a self-contained HTML page, and a PDF (drawn with matplotlib, already a dependency, with no
date in its metadata, so that the same report gives the same file).
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from typing import Any

from sanctuary.packs.nyc.reports.model import Report, Row
from sanctuary.packs.nyc.reports.pdf import report_pdf

# The detail rows that hold the other reading of a statutory item (the statutory row's key, the detail row's key,
# and what the note says), by law.
_OTHER_READINGS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "9-131": (
        (
            "(3)",
            "(3).without_notice_pickups",
            "Item (3) counts as transferred pursuant to a detainer a person taken into federal custody after the "
            "department notified federal immigration authorities of the release, without a hold ({extra} such "
            "person(s) this period). Reporting them separately, as the department has published them, item (3) "
            "would be {other}.",
        ),
        (
            "(4)",
            "(4).any_conviction",
            'Items (4), (5) and (9)(i)–(iii) apply the definition of "convicted of a violent or serious crime" in '
            "§ 9-131(a)(2), with its five-year look-back. Counting every judgment for a violent or serious crime, "
            "however old, item (4) would be {other}.",
        ),
    ),
    "10-178": (
        (
            ".requests",
            ".requests.other_reading",
            'The last sentence of (d) relieves this report of "information contained in" the annual reports of '
            "§§ 9-131, 14-154 and 9-205. Read the other way (those reports give no requester or quarter, so their "
            "requests are not contained in them), the total of requests would be {other}.",
        ),
    ),
}
_LOOKBACK = {
    "14-154": 'Items (5)(i)–(iii) apply the definition of "convicted of a violent or serious crime" in § 14-154(a)(2), '
    "with its five-year look-back, and without the proviso that applies only to holds under (b)(2).",
    "9-205": 'Items (5)(i)–(iii) apply the definition of "convicted of a violent or serious crime" of § 9-131(a)(2), '
    "with its five-year look-back.",
}


def _prefix(report: Report) -> str:
    return f"{report.law}(d)" if report.law == "10-178" else f"{report.law}(f)"


@dataclass
class Publication:
    """A report's statutory items alone, in the statute's order and words, with notes for its gaps and readings."""

    report: Report

    @property
    def law(self) -> str:
        return self.report.law

    @property
    def period(self) -> Any:
        return self.report.period

    def fingerprint(self) -> str:
        return self.report.fingerprint()

    def _rows(self) -> list[Row]:
        return [row for row in self.report.rows if row.kind == "statutory"]

    def items(self) -> list[tuple[str, str, str, str]]:
        """(item, what is counted, the number as printed, unit) for each statutory row, in order."""
        prefix = _prefix(self.report)
        out = []
        for row in self._rows():
            out.append((_item(row.id.removeprefix(prefix), self.law), row.label, _shown(row), row.unit))
        return out

    def notes(self) -> list[str]:
        """What a reader must know: the source, counts not given, ranges, unplaced records, readings, changes of law."""
        r = self.report
        prefix = _prefix(r)
        notes = [
            f"Computed from the audit trail of recorded requests and the actions the agency recorded, through record "
            f"{r.through_seq} (data cut-off {r.cutoff.isoformat() if r.cutoff else 'none'}); the counts are of "
            f"actions recorded, not of decisions. Fingerprint {r.fingerprint()}."
        ]
        for row in r.rows:
            item = row.id.removeprefix(prefix).split(".", 1)[0]
            if row.kind == "statutory" and row.value is None and row.note:
                notes.append(f"{item or row.id}: {_unsourced(row.note)}.")
        notes.extend(
            f"{row.label[0].upper()}{row.label[1:]}: {row.value} ({row.unit})."
            for row in r.rows
            if row.kind == "gap" and row.value
        )
        notes.extend(
            f"{row.value} action(s) were recorded over the decision they follow (an override, with its reason; "
            "I-50): they are counted in the items above as what was done, and the full report shows them item by "
            "item (…overridden)."
            for row in r.rows
            if row.id.endswith(".actions_overridden") and row.value
        )
        notes.extend(self._readings())
        for row in r.rows:
            if row.kind == "detail" and ".from_" in row.id:
                day = row.id.rsplit(".from_", 1)[1].replace("_", "-")
                notes.append(
                    f"The law in force changed on {day}: each event is judged under the law of its own day; the full "
                    "report shows every item split at that day."
                )
                break
        return notes

    def _readings(self) -> list[str]:
        r = self.report
        prefix = _prefix(r)
        values = {row.id: row for row in r.rows}
        out = []
        for key, other_key, words in _OTHER_READINGS.get(r.law, ()):
            main, other = values.get(f"{prefix}{key}"), values.get(f"detail:{prefix}{other_key}")
            if main is None or other is None or (other.value is None and other.low is None):
                continue
            extra = ""
            if key == "(3)" and (pickups := values.get(f"detail:{prefix}(3).notified_not_held")) is not None:
                extra = _shown(pickups)
            out.append(words.format(other=_shown(other), extra=extra))
        if r.law in _LOOKBACK:
            out.append(_LOOKBACK[r.law])
        item = "(9)" if r.law == "9-131" else "(5)"
        moved = values.get(f"detail:{prefix}{item}(i).no_outside_lookback")
        if moved is not None and moved.value:
            out.append(
                f"{moved.value} response(s) of {item}(i) concern a person whose only judgments for a violent or "
                "serious crime are older than the look-back; counting every judgment however old, they would be in "
                f"{item}(ii)."
            )
        return out

    def as_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "law": r.law,
            "section": r.title,
            "view": "publication",
            "period": r.period.as_dict(),
            "generated_at": r.generated_at,
            "through_seq": r.through_seq,
            "options": r.options,
            "fingerprint": r.fingerprint(),
            "items": [
                {"item": i, "label": label, "value": row.value, "shown": v, "unit": u}
                for (i, label, v, u), row in zip(self.items(), self._rows(), strict=True)
            ],
            "notes": self.notes(),
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["item", "what is counted", "number", "unit"])
        writer.writerows(self.items())
        writer.writerow([])
        writer.writerows([["note", n, "", ""] for n in self.notes()])
        return out.getvalue()

    def to_html(self) -> str:
        """A self-contained page (no scripts, no outside requests), ready to post."""
        e = html.escape
        r = self.report
        rows = "".join(
            f'<tr><td>{e(i)}</td><td>{e(label)}</td><td class="n">{e(v)}</td><td>{e(u)}</td></tr>'
            for i, label, v, u in self.items()
        )
        notes = "".join(f"<li>{e(n)}</li>" for n in self.notes())
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{e(r.title)}</title><style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;"
            "line-height:1.4}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3em .5em;"
            "text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap}</style></head><body>\n"
            f"<h1>{e(r.title)}</h1>\n<p>Reporting period: {e(r.period.label)}.</p>\n"
            "<table><thead><tr><th>item</th><th>what is counted</th><th>number</th><th>unit</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>\n<h2>Notes</h2>\n<ol>{notes}</ol>\n</body></html>\n"
        )

    def to_pdf(self) -> bytes:
        """The same table and notes as a PDF, paginated, with no creation date (the same report, the same bytes)."""
        return report_pdf(self.report.title, self.report.period.label, self.items(), self.notes())


def _item(bare: str, law: str) -> str:
    """The item a row answers, as a reader cites it: "(1)(i)", "(9)(i) release dates"; § 10-178(d)'s rows are all
    of (d)."""
    if law == "10-178":
        return "(d)"
    head, _, tail = bare.partition(".")
    return f"{head} {tail.replace('_', ' ')}" if tail else head


def _shown(row: Row) -> str:
    if row.unit == "dollars" and row.value is not None:
        return f"${row.value:,}"
    return row.shown()


def _unsourced(note: str) -> str:
    """A note as the public reads it: without the service's route or the project's reading codes."""
    return note.replace(" (POST /v1/reports/inputs)", "").rstrip(".")
