"""The statutory reports: § 9-131(f) (DOC), § 14-154(f) (NYPD), § 9-205(f) (Probation), all annual, and
§ 10-178(d) (all agencies, quarterly), computed from the audit trail.

The specification is ``docs/law/reports.md``; its proposed readings are cited here as ``R-n``. Three rules
from it shape every line below:

- A report counts what the agency *recorded doing* (action records). The engine's decision never stands
  in for an action; it only feeds the ``detail:…decision_<result>`` rows (R-3).
- A fact the trail lacks is never guessed: a record that cannot be placed goes in a *gap* row that names
  the missing fact (never shared out, never dropped).
- Every count the statute lists is a row, even when the trail cannot fill it: then its value is ``None``
  and its note says "not computable: <why>" — never 0, never omitted.

Legal classifications (is this request a civil immigration detainer, is the requester a federal
immigration authority, was the person convicted of a violent or serious crime) are not re-implemented:
they are the law pack's own tests and trees, evaluated on the recorded case under the law in force on the
date of the event counted (§1.3, R-19, R-20). A regime a case named (a proposal, say) is ignored.

This module is pure: it reads :class:`~sanctuary.service.audit.AuditRecord` values and returns numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sanctuary.engine.evaluate import CaseView, evaluate
from sanctuary.facts.case import Case, CaseError, parse_case
from sanctuary.facts.truth import Tri, any_of
from sanctuary.law.nyc import NYC
from sanctuary.law.nyc.detainers import civil_immigration_detainer, convicted_of_violent_or_serious_crime
from sanctuary.law.nyc.requests import DetainerPresented, RequesterIsFederalImmigrationAuthority
from sanctuary.law.nyc.sections import DOC, DOP, NYPD, Section
from sanctuary.law.tree import Node
from sanctuary.service.audit import ACTION, DECISION, AuditRecord

LAWS = ("9-131", "14-154", "9-205", "10-178")
AGENCY = {"9-131": "DOC", "14-154": "NYPD", "9-205": "DOP"}
TITLES = {
    "9-131": "NYC Admin. Code § 9-131(f): Department of Correction, annual report on civil immigration detainers",
    "14-154": "NYC Admin. Code § 14-154(f): Police Department, annual report on civil immigration detainers",
    "9-205": "NYC Admin. Code § 9-205(f): Department of Probation, annual report on civil immigration detainers",
    "10-178": "NYC Admin. Code § 10-178(d): quarterly report of requests from non-local law enforcement agencies "
    "for support or assistance intended to further immigration enforcement",
}

# The first day of the law the project encodes (L.L. 2014/58 and 59). Earlier events are never counted.
ENCODED_FROM = dt.date(2014, 12, 14)
# L.L. 2017/228 § 4 and L.L. 2017/226 § 2: items "newly required" are reported for time from this day.
NEWLY_REQUIRED_FROM = dt.date(2018, 1, 30)
# The first annual report on the September schedule (L.L. 2017/228): earlier ones ran October – September.
SEPTEMBER_SCHEDULE_FROM_YEAR = 2018
FIRST_OCTOBER_REPORT_YEAR = 2015

REASONS = ("i", "ii", "iii", "iv")
REASON_WORDS = {
    "i": "had reason to believe that the persons in the department's custody are subject to removal",
    "ii": "initiated removal proceedings and served a notice to appear or other charging document",
    "iii": "served a warrant of arrest for removal proceedings",
    "iv": "obtained orders of deportation or removal from the United States",
}
# What a contract action asks for, as the information kinds of § 1.1 (R-12: citizenship counts as "other").
INFO_ASKED = {
    "info:custody_status": "incarceration_status",
    "info:release_date": "release_date",
    "info:court_date": "court_appearance_date",
    "info:other": "other",
    "info:citizenship_status": "citizenship_status",
}
# The contract action whose outcome a disclosed kind answers (for the decision split only).
GIVEN_TO_ACTION = {
    "incarceration_status": ("info:custody_status",),
    "release_date": ("info:release_date", "notify_release"),
    "court_appearance_date": ("info:court_date",),
    "appointment_date_or_time": ("info:other",),
    "other": ("info:other", "info:citizenship_status"),
}
CUSTODY_ENDING = ("transferred_to_federal_custody", "released_without_honoring", "hold_ended")
RESULTS = ("permitted", "prohibited", "undetermined", "none")

UNREADABLE_NOTE = (
    "decision records whose case the contract parser rejects, and action records that refer to no decision in "
    "the trail; they could not be placed in any row"
)


# --- periods -----------------------------------------------------------------------------------------------


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


def period_for(law: str, *, year: int | None = None, quarter: str | None = None) -> Period:
    """The period of a report.

    Annual laws (§§ 9-131(f), 14-154(f), 9-205(f)): ``year`` is the year the report is due. From 2018 it
    covers "the preceding twelve month period ending June 30": 1 July of ``year - 1`` to 30 June of ``year``,
    due 1 September (R-1). Before L.L. 2017/228 (reports due 2015–2017, §§ 9-131 and 14-154 only) it covered
    1 October to 30 September, due 15 October; the 2015 report is computed only from 2014-12-14 (R-17).
    § 9-205(f)'s first report is 2018's. § 10-178(d): ``quarter`` such as ``"2025Q3"``, a calendar quarter
    (R-18); the first is 2018-01-30 – 2018-03-31 (R-16). Raises :class:`ValueError` naming the bad argument."""
    if law not in LAWS:
        raise ValueError(f"law: unknown law {law!r}; expected one of {', '.join(LAWS)}")
    if law == "10-178":
        if year is not None:
            raise ValueError("year: § 10-178(d) is quarterly; give quarter (e.g. '2025Q3'), not year")
        if quarter is None:
            raise ValueError("quarter: § 10-178(d) needs a quarter such as '2025Q3'")
        if not isinstance(quarter, str) or not (match := re.fullmatch(r"(\d{4})Q([1-4])", quarter)):
            raise ValueError(f"quarter: {quarter!r} is not a quarter; write it as YYYYQn, e.g. '2025Q3'")
        y, q = int(match.group(1)), int(match.group(2))
        start = dt.date(y, 3 * q - 2, 1)
        end = (dt.date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - dt.timedelta(days=1)
        if end < NEWLY_REQUIRED_FROM:
            raise ValueError(
                f"quarter: {quarter} ends before § 10-178(d) applied (events from {NEWLY_REQUIRED_FROM}, "
                "L.L. 2017/228 § 4); the first quarter is 2018Q1"
            )
        label = f"{quarter} ({max(start, NEWLY_REQUIRED_FROM)} – {end})"
        if start < NEWLY_REQUIRED_FROM:
            label += f"; partial: § 10-178(d) applies from {NEWLY_REQUIRED_FROM} (R-16)"
        return Period(max(start, NEWLY_REQUIRED_FROM), end, label)
    if quarter is not None:
        raise ValueError(f"quarter: § {law}(f) is annual; give year (the year the report is due), not quarter")
    if year is None:
        raise ValueError(
            f"year: § {law}(f) needs year, the year the report is due (e.g. 2025 for 2024-07-01 – 2025-06-30)"
        )
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"year: must be an integer, got {year!r}")
    if law == "9-205" and year < SEPTEMBER_SCHEDULE_FROM_YEAR:
        raise ValueError(f"year: § 9-205(f)'s first report was due 2018-09-01; no report for {year}")
    if year < FIRST_OCTOBER_REPORT_YEAR:
        raise ValueError(
            f"year: the first report under the law this project encodes was due 2015-10-15; no report for {year} "
            "(earlier law is not encoded, R-17)"
        )
    if year > dt.MAXYEAR:
        raise ValueError(f"year: {year} is past the last year a calendar date can have ({dt.MAXYEAR})")
    if year < SEPTEMBER_SCHEDULE_FROM_YEAR:
        start, end, due = dt.date(year - 1, 10, 1), dt.date(year, 9, 30), dt.date(year, 10, 15)
        label = f"twelve months {start} – {end} (October schedule, report due {due})"
        if start < ENCODED_FROM:
            label += f"; partial: computed from {ENCODED_FROM} (R-17)"
        return Period(start, end, label)
    start, end, due = dt.date(year - 1, 7, 1), dt.date(year, 6, 30), dt.date(year, 9, 1)
    return Period(start, end, f"twelve months {start} – {end} (report due {due})")


# --- rows and reports --------------------------------------------------------------------------------------


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
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "label", "unit", "kind", "value", "note"])
        for r in self.rows:
            writer.writerow([r.id, r.label, r.unit, r.kind, "" if r.value is None else r.value, r.note or ""])
        return out.getvalue()

    def to_html(self) -> str:
        """A self-contained page (no scripts, no outside requests): one table per numbered item."""
        e = html.escape
        groups: dict[str, list[Row]] = {}
        for r in self.rows:
            groups.setdefault(_item_of(r.id), []).append(r)
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{e(self.title)}</title>",
            "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;line-height:1.4}"
            "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
            "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}"
            "td.n{text-align:right;white-space:nowrap}tr.gap{background:#fff6e0}tr.detail{color:#555}"
            "tr.nc td.n{background:#fde2e2;font-weight:bold}code{font-size:90%}</style>",
            "</head><body>",
            f"<h1>{e(self.title)}</h1>",
            f"<p>Period: {e(self.period.label)}. Data cut-off: "
            f"{e(self.cutoff.isoformat() if self.cutoff else 'no records')}. Records read: {self.records_read}. "
            f"Generated {e(self.generated_at)}.</p>",
            f"<p>{e(COMPUTED_FROM)}</p>",
            f"<p>Law applied (law hash): {e(', '.join(self.law_hashes) or 'none')}.</p>",
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


def _item_of(row_id: str) -> str:
    """The numbered item a row belongs to (``9-131(f)(9)``), for grouping the HTML tables."""
    bare = row_id.removeprefix("detail:")
    match = re.match(r"\d+-\d+\([a-z]\)(\(\d+\))?", bare)
    return match.group(0) if match else bare


# --- the trail, read -----------------------------------------------------------------------------------------


@dataclass
class _Action:
    id: str
    seq: int
    type: str
    date: dt.date
    given: tuple[str, ...] | None
    reason: str | None


@dataclass
class _Request:
    """A decision record, read: the request as recorded, the case decided, and the actions taken on it."""

    id: str
    seq: int
    agency: str
    received: dt.date
    case: Case
    raw_request: dict[str, Any]
    person_key: str | None
    detainer_ref: str | None
    reasons: frozenset[str]  # what the record states; empty: nothing recorded
    requester_agency: str | None
    results: dict[str, str]  # contract action -> the engine's result
    law_hash: str | None
    actions: list[_Action] = field(default_factory=list)

    def acts(self, *types: str) -> list[_Action]:
        return [a for a in self.actions if a.type in types]


@dataclass
class _Trail:
    requests: list[_Request]
    read: int
    unreadable: int
    cutoff: dt.date | None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _read(records: Iterable[AuditRecord]) -> _Trail:
    """Decision and action records into requests with their actions; other kinds are read and ignored.
    The cut-off is the last day on which the trail recorded anything (R-2)."""
    decisions: list[AuditRecord] = []
    actions: list[AuditRecord] = []
    read = 0
    cutoff: dt.date | None = None
    for record in records:
        read += 1
        try:
            day = dt.datetime.fromisoformat(record.at).date()
            cutoff = day if cutoff is None or day > cutoff else cutoff
        except ValueError:
            pass
        if record.kind == DECISION:
            decisions.append(record)
        elif record.kind == ACTION:
            actions.append(record)
    unreadable = 0
    by_id: dict[str, _Request] = {}
    for record in sorted(decisions, key=lambda r: r.seq):
        try:
            request = _request(record)
        except (CaseError, KeyError, TypeError, ValueError, AttributeError):
            unreadable += 1
            continue
        by_id[request.id] = request
    for record in sorted(actions, key=lambda r: r.seq):
        target = by_id.get(record.refers_to or "")
        try:
            body = record.body
            action = _Action(
                record.id,
                record.seq,
                str(body["type"]),
                _date(body["date"]),
                tuple(body["information_given"]) if body.get("information_given") is not None else None,
                body.get("reason"),
            )
        except (KeyError, TypeError, ValueError):
            target = None
        if target is None:
            unreadable += 1
            continue
        target.actions.append(action)
    return _Trail(list(by_id.values()), read, unreadable, cutoff)


def _request(record: AuditRecord) -> _Request:
    body = record.body
    case = parse_case(body["input"])
    facts = body.get("record") or {}
    subject = body.get("subject") or {}
    output = body.get("output") or {}
    return _Request(
        id=record.id,
        seq=record.seq,
        agency=case.agency,
        received=_date(facts["received"]) if facts.get("received") else case.decision_date,
        case=case,
        raw_request=dict(body["input"].get("request") or {}),
        person_key=subject.get("person_key") or None,
        detainer_ref=facts.get("detainer_reference") or None,
        reasons=frozenset(facts.get("detainer_reasons") or ()),
        requester_agency=facts.get("requester_agency") or None,
        results={o["action"]: o["result"] for o in output.get("outcomes", ())},
        law_hash=body.get("law_hash"),
    )


# --- the law pack's tests, applied ---------------------------------------------------------------------------

_SECTIONS: dict[str, Section] = {"DOC": DOC, "NYPD": NYPD, "DOP": DOP}
_DETAINER_NODES: dict[str, Node] = {k: civil_immigration_detainer(s) for k, s in _SECTIONS.items()}
# (a)(2) as the detainer clauses use it, with the look-back and without the NYPD "ever" proviso.
_CONVICTED_NODES: dict[str, Node] = {
    k: convicted_of_violent_or_serious_crime(s, f"report.{s.key}.convicted", s.convicted) for k, s in _SECTIONS.items()
}


def _params(day: dt.date) -> Mapping[str, Any] | None:
    """The parameters of the law in force on ``day`` (never a proposal, never a regime a case named; R-20)."""
    regime = NYC.regime_in_force(day)
    return regime.params if regime is not None else None


class _Classifier:
    """The § 1.3 classifications of a request, each computed once by the law pack's own tests."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, dt.date | None], Tri] = {}

    def _memo(self, key: tuple[str, str, dt.date | None], compute: Callable[[], Tri]) -> Tri:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def detainer(self, q: _Request) -> Tri:
        """Detainer(Q): the (a)(1) tree for a request to hold or transfer (I-15); for a request to notify of
        release, a detainer form must be presented (I-1, I-247N/G are not detainers); any other request is
        a detainer only if a detainer form is among its documents (it asks for no detention)."""

        def compute() -> Tri:
            view = CaseView(q.case, {})
            actions = set(q.case.request.actions)
            form = DetainerPresented().check(view).value
            values = [Tri.TRUE if form is Tri.TRUE else Tri.FALSE]
            if actions & {"hold", "transfer"}:
                values.append(evaluate(_DETAINER_NODES.get(q.agency, _DETAINER_NODES["DOC"]), view).value)
            if "notify_release" in actions:
                values.append(form)
            return any_of(values)

        return self._memo((q.id, "detainer", None), compute)

    def info_asked(self, q: _Request) -> frozenset[str]:
        """Q.information_asked: the info:* actions, and a notification of release asked without a detainer
        form (I-1: then it is an information request about the release date)."""
        asked = {INFO_ASKED[a] for a in q.case.request.actions if a in INFO_ASKED}
        notify = "notify_release" in q.case.request.actions
        if notify and DetainerPresented().check(CaseView(q.case, {})).value is Tri.FALSE:
            asked.add("release_date")
        return frozenset(asked)

    def fia(self, q: _Request) -> Tri:
        """FIA(Q): ``RequesterIsFederalImmigrationAuthority`` under the definition in force on Q.received (I-7,
        R-19)."""

        def compute() -> Tri:
            params = _params(q.received)
            if params is None:
                return Tri.UNKNOWN
            return RequesterIsFederalImmigrationAuthority().check(CaseView(q.case, params)).value

        return self._memo((q.id, "fia", None), compute)

    def vsc(self, q: _Request, on: dt.date) -> Tri:
        """VSC(Q): "convicted of a violent or serious crime" ((a)(2), the look-back applied, no "ever"
        proviso; R-11) on the case recorded for the event, under the law in force on the event's date."""

        def compute() -> Tri:
            params = _params(on)
            if params is None:
                return Tri.UNKNOWN
            node = _CONVICTED_NODES.get(q.agency, _CONVICTED_NODES["DOC"])
            return evaluate(node, CaseView(q.case, params)).value

        return self._memo((q.id, "vsc", on), compute)

    @staticmethod
    def tsdb(q: _Request) -> Tri:
        return Tri.of(q.case.person.tsdb_possible_match)


# --- counting helpers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """One qualifying record: the request, the action counted (if the row counts actions), its date."""

    q: _Request
    action: _Action | None
    date: dt.date


def _groups(items: Iterable[_Item]) -> tuple[dict[str, list[_Item]], list[_Item]]:
    """Items by person key, and the items that have none (each possibly a different person)."""
    keyed: dict[str, list[_Item]] = defaultdict(list)
    keyless: list[_Item] = []
    for item in items:
        if item.q.person_key:
            keyed[item.q.person_key].append(item)
        else:
            keyless.append(item)
    return keyed, keyless


@dataclass
class _Window:
    """The part of the period a row covers, and what to say when it is not the whole period (R-16, R-17)."""

    start: dt.date | None  # None: the row is not required for this period at all
    end: dt.date
    note: str | None

    def __contains__(self, day: object) -> bool:
        return self.start is not None and isinstance(day, dt.date) and self.start <= day <= self.end


def _window(period: Period, since: dt.date, why: str) -> _Window:
    if period.end < since:
        return _Window(None, period.end, f"not required for this period: {why}")
    if period.start < since:
        return _Window(since, period.end, f"covers events from {since} only: {why}")
    return _Window(period.start, period.end, None)


class _Builder:
    """Accumulates rows, attaching the window's note to every row it builds."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def count(
        self,
        row_id: str,
        label: str,
        unit: str,
        n: int,
        w: _Window,
        *,
        kind: str = "statutory",
        note: str | None = None,
    ) -> None:
        if w.start is None:
            self.rows.append(Row(row_id, label, unit, kind, None, w.note))
            return
        self.rows.append(Row(row_id, label, unit, kind, n, _join(w.note, note)))

    def none(self, row_id: str, label: str, unit: str, note: str, w: _Window, *, kind: str = "statutory") -> None:
        self.rows.append(Row(row_id, label, unit, kind, None, w.note if w.start is None else note))

    def persons(
        self,
        row_id: str,
        label: str,
        items: list[_Item],
        w: _Window,
        select: Callable[[list[_Item]], bool] = lambda _: True,
        *,
        kind: str = "statutory",
        key_gap: bool = True,
    ) -> None:
        """A count of distinct persons (R-4): each person once, whatever the number of records. ``select``
        decides, from all of a person's qualifying records, whether the person is in the row. Without a person
        key each record may be another person, so the row is a range and a gap row counts those records."""
        if w.start is None:
            self.rows.append(Row(row_id, label, "persons", kind, None, w.note))
            if key_gap:
                self.rows.append(Row(f"{row_id}.persons_without_key", _KEYLESS, "records", "gap", None, w.note))
            return
        keyed, keyless = _groups(items)
        exact = sum(1 for group in keyed.values() if select(group))
        loose = sum(1 for item in keyless if select([item]))
        if loose:
            low, high = max(exact, 1), exact + loose
            note = (
                f"range [{low}, {high}]: {loose} qualifying record(s) have no person key, so distinct persons "
                "cannot be counted exactly (R-4)"
            )
            self.rows.append(Row(row_id, label, "persons", kind, None, _join(w.note, note), low, high))
        else:
            self.rows.append(Row(row_id, label, "persons", kind, exact, w.note))
        if key_gap:
            self.rows.append(Row(f"{row_id}.persons_without_key", _KEYLESS, "records", "gap", loose, w.note))

    def decisions(self, row_id: str, items: list[_Item], actions_of: Callable[[_Item], tuple[str, ...]]) -> None:
        """detail:<row>.decision_<result>: the row's records by the engine's outcome for the action concerned
        (§ 2; R-3: shows, for example, holds made against a ``prohibited`` decision)."""
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


_KEYLESS = "qualifying records with no person key (each may or may not be another person)"


def _worst(results: list[str]) -> str:
    for result in ("prohibited", "undetermined", "permitted"):
        if result in results:
            return result
    return "none"


def _join(*notes: str | None) -> str | None:
    kept = [n for n in notes if n]
    return "; ".join(kept) if kept else None


def _stating(reason: str) -> Callable[[list[_Item]], bool]:
    """A person held on some detainer stating ``reason``."""
    return lambda group: any(reason in i.q.reasons for i in group)


def _ended_for(reason: str) -> Callable[[list[_Item]], bool]:
    """A person some hold of whose ended for ``reason``."""
    return lambda group: any(i.action is not None and i.action.reason == reason for i in group)


def _last(group: list[_Item]) -> _Item:
    return max(group, key=lambda i: (i.date, i.action.seq if i.action else i.q.seq))


# --- detainers (the annual reports' items on detainers) -------------------------------------------------------


@dataclass
class _Detainer:
    """One detainer: the copies recorded of it (same ``detainer_reference``, R-5), dated by the first."""

    copies: list[_Request]

    @property
    def received(self) -> dt.date:
        return min(q.received for q in self.copies)

    @property
    def reasons(self) -> frozenset[str]:
        return frozenset(r for q in self.copies for r in q.reasons) - {"unknown"}

    def actions(self, *types: str) -> list[_Action]:
        return [a for q in self.copies for a in q.acts(*types)]

    def disposition(self) -> str:
        """Disposition(detainer), read from the actions only, never from the decision (R-9)."""
        if self.actions("transferred_to_federal_custody"):
            return "honored_by_transfer"
        if self.actions("held_beyond_release"):
            return "honored_by_hold"
        if self.actions("notified_of_release"):
            return "honored_by_notification"
        if self.actions("released_without_honoring"):
            return "not_honored"
        if self.actions("detainer_withdrawn"):
            return "withdrawn"
        return "pending"


DISPOSITIONS = (
    "honored_by_hold",
    "honored_by_notification",
    "honored_by_transfer",
    "not_honored",
    "withdrawn",
    "pending",
)


def _detainers(requests: list[_Request], c: _Classifier) -> list[_Detainer]:
    groups: dict[str, list[_Request]] = defaultdict(list)
    for q in requests:
        if c.detainer(q) is Tri.TRUE:
            groups[f"ref:{q.detainer_ref}" if q.detainer_ref else f"id:{q.id}"].append(q)
    return [_Detainer(copies) for copies in groups.values()]


def _in_effect(q: _Request, day: dt.date) -> bool:
    """The detainer had not been withdrawn before ``day`` (R-8, R-9: a withdrawn detainer is not honored or
    refused afterwards)."""
    return not any(a.date < day for a in q.acts("detainer_withdrawn"))


def _action_items(requests: Iterable[_Request], types: tuple[str, ...], w: _Window) -> list[_Item]:
    return [_Item(q, a, a.date) for q in requests for a in q.acts(*types) if a.date in w and _in_effect(q, a.date)]


def _detainer_rows(
    b: _Builder, law: str, requests: list[_Request], c: _Classifier, period: Period, *, doc: bool
) -> None:
    """Items (1)–(4) of § 14-154(f) and § 9-205(f), and (1)–(3), (7) of § 9-131(f) (with its reasons)."""
    p = f"{law}(f)"
    since, why = (
        (NEWLY_REQUIRED_FROM, "§ 9-205(f) is reported for events from 2018-01-30 (L.L. 2017/226 § 2; R-16)")
        if law == "9-205"
        else (ENCODED_FROM, "law before 2014-12-14 is not encoded (R-17)")
    )
    w = _window(period, since, why)
    detainer_qs = [q for q in requests if c.detainer(q) is Tri.TRUE]

    # (1) detainers lodged / received, one per detainer, not per copy.
    lodged = [d for d in _detainers(requests, c) if d.received in w]
    words = "lodged with the department" if doc else "received from federal immigration authorities"
    b.count(f"{p}(1)", f"civil immigration detainers {words}", "detainers", len(lodged), w)
    if doc:
        for r in REASONS:
            b.count(
                f"{p}(1)({r})",
                f"detainers of (1) for which federal immigration authorities {REASON_WORDS[r]}",
                "detainers",
                sum(1 for d in lodged if r in d.reasons),
                w,
                note="a detainer stating several reasons counts under each (R-6)",
            )
        b.count(
            f"{p}(1).other_reason",
            'detainers of (1) giving a reason other than (i)–(iv) ("including, but not limited to")',
            "detainers",
            sum(1 for d in lodged if "other" in d.reasons),
            w,
        )
        b.count(
            f"{p}(1).reason_unknown",
            "detainers of (1) with no reason recorded (never inferred; R-6)",
            "detainers",
            sum(1 for d in lodged if not d.reasons & {*REASONS, "other"}),
            w,
            kind="gap",
        )
    undetermined = [q for q in requests if c.detainer(q) is Tri.UNKNOWN and q.received in w]
    b.count(
        f"{p}(1).detainer_undetermined",
        "requests received in the period for which the recorded case does not tell whether a civil immigration "
        "detainer was lodged (e.g. a notification request whose documents are not recorded)",
        "requests",
        len(undetermined),
        w,
        kind="gap",
    )
    dispositions = defaultdict(int, {v: 0 for v in DISPOSITIONS})
    for d in lodged:
        dispositions[d.disposition()] += 1
    for v in DISPOSITIONS:
        b.count(
            f"detail:{p}(1).disposition.{v}",
            f"detainers of (1) by what was done, as of the cut-off: {v.replace('_', ' ')}",
            "detainers",
            dispositions[v],
            w,
            kind="detail",
        )

    # (2) persons held beyond release (R-7; for Probation any hold in answer to a detainer).
    held = _action_items(detainer_qs, ("held_beyond_release",), w)
    held_words = (
        "persons held pursuant to civil immigration detainers"
        if law == "9-205"
        else "persons held pursuant to civil immigration detainers beyond the time when they would otherwise be "
        "released"
    )
    b.persons(f"{p}(2)", held_words, held, w)
    if doc:
        for r in REASONS:
            b.persons(
                f"{p}(2)({r})",
                f"persons of (2) held on a detainer for which federal immigration authorities {REASON_WORDS[r]}",
                held,
                w,
                _stating(r),
                key_gap=False,
            )
        b.persons(
            f"{p}(2).other_reason",
            "persons of (2) held on a detainer giving another reason",
            held,
            w,
            lambda g: any("other" in i.q.reasons for i in g),
            key_gap=False,
        )
        b.persons(
            f"{p}(2).reason_unknown",
            "persons of (2) held only on detainers whose reason is not recorded",
            held,
            w,
            lambda g: all(not i.q.reasons & {*REASONS, "other"} for i in g),
            kind="gap",
            key_gap=False,
        )
    b.decisions(f"{p}(2)", held, lambda _: ("hold",))

    # (3) persons transferred pursuant to detainers.
    transferred = _action_items(detainer_qs, ("transferred_to_federal_custody",), w)
    b.persons(
        f"{p}(3)",
        "persons transferred to the custody of federal immigration authorities pursuant to civil immigration detainers",
        transferred,
        w,
    )
    if law == "9-205":
        row = b.rows[-2]  # the statutory row; the last is its persons_without_key gap row
        row.note = _join(
            row.note,
            "a person taken into federal custody at a Probation office or appointment is counted only if recorded "
            "as transferred_to_federal_custody: the trail has no taken_into_federal_custody_at_premises action",
        )
    b.decisions(f"{p}(3)", transferred, lambda i: ("transfer",) if "transfer" in i.q.results else ("hold",))
    if doc:
        # (4), (5): classified on the facts recorded for the person's last transfer in the period (§ 3.4).
        def record_is(vsc: Tri, tsdb: Tri | None = None) -> Callable[[list[_Item]], bool]:
            def select(group: list[_Item]) -> bool:
                last = _last(group)
                return c.vsc(last.q, last.date) is vsc and (tsdb is None or c.tsdb(last.q) is tsdb)

            return select

        b.persons(
            f"{p}(4)",
            "persons of (3) who had at least one conviction for a violent or serious crime (R-11)",
            transferred,
            w,
            record_is(Tri.TRUE),
            key_gap=False,
        )
        b.persons(
            f"{p}(5)",
            "persons of (3) who had no convictions for a violent or serious crime and were identified as possible "
            "matches in the terrorist screening database",
            transferred,
            w,
            record_is(Tri.FALSE, Tri.TRUE),
            key_gap=False,
        )
        b.persons(
            f"{p}(3).vsc_undetermined",
            "persons of (3) whose record does not tell whether they were convicted of a violent or serious crime; "
            "in neither (4) nor (5)",
            transferred,
            w,
            record_is(Tri.UNKNOWN),
            kind="gap",
            key_gap=False,
        )
        b.persons(
            f"{p}(5).tsdb_unknown",
            "persons of (3) with no conviction for a violent or serious crime whose terrorist-screening status is "
            "not recorded",
            transferred,
            w,
            record_is(Tri.FALSE, Tri.UNKNOWN),
            kind="gap",
            key_gap=False,
        )
        b.persons(
            f"detail:{p}(5).neither",
            "persons of (3) with no conviction for a violent or serious crime and no terrorist-screening match",
            transferred,
            w,
            record_is(Tri.FALSE, Tri.FALSE),
            kind="detail",
            key_gap=False,
        )
        b.none(
            f"{p}(6).requested",
            "amount of state criminal alien assistance (SCAAP) funding requested from the federal government",
            "dollars",
            "not computable: a financial figure DOC must supply, with its federal award year; it is not an event "
            "in the audit trail (R-24)",
            w,
        )
        b.none(
            f"{p}(6).received",
            "amount of state criminal alien assistance (SCAAP) funding received from the federal government",
            "dollars",
            "not computable: a financial figure DOC must supply, with its federal award year; it is not an event "
            "in the audit trail (R-24)",
            w,
        )

    # (7) / (4): persons for whom detainers were not honored, dated by the end of custody.
    refused = _action_items(detainer_qs, ("released_without_honoring",), w)
    item = "(7)" if doc else "(4)"
    qualifier = "" if law == "9-205" else " pursuant to subdivision b"
    b.persons(
        f"{p}{item}",
        f"persons for whom civil immigration detainers were not honored{qualifier}",
        refused,
        w,
    )
    b.decisions(f"{p}{item}", refused, lambda _: ("hold",))

    if doc:
        # (8): by the reason recorded for the end of the hold, never inferred from its length.
        ended = _action_items(detainer_qs, ("hold_ended",), w)
        statutory = ("hold_period_expired", "federal_disavowed_custody")
        b.persons(
            f"{p}(8)",
            "persons held beyond release and not transferred because the 48-hour hold period of 8 CFR § 287.7 "
            "expired or federal immigration authorities disavowed an intention to assume custody",
            ended,
            w,
            lambda g: any(i.action is not None and i.action.reason in statutory for i in g),
        )
        b.persons(
            f"{p}(8).reason_other_or_unknown",
            "persons whose hold ended, not by transfer, for another reason or for one not recorded",
            ended,
            w,
            lambda g: any(i.action is not None and i.action.reason not in (*statutory, "transferred") for i in g),
            kind="gap",
            key_gap=False,
        )
        for reason in statutory:
            b.persons(
                f"detail:{p}(8).{reason}",
                f"persons of (8) whose hold ended for this reason: {reason.replace('_', ' ')}",
                ended,
                w,
                _ended_for(reason),
                kind="detail",
                key_gap=False,
            )


# --- information requests and responses ------------------------------------------------------------------------


def _facilitation(item: _Item, requests: list[_Request]) -> str:
    """R-15: "yes" when, on or after the response, the person's custody ended by transfer to federal immigration
    custody; "no" when it ended otherwise; "pending" when the trail records no end by the cut-off. The person is
    followed through other requests to the same agency by person key; without a key, only this request."""
    q = item.q
    same = [r for r in requests if r.agency == q.agency and (r is q or (q.person_key and r.person_key == q.person_key))]
    ends = sorted(
        (a for r in same for a in r.acts(*CUSTODY_ENDING) if a.date >= item.date),
        key=lambda a: (a.date, a.seq),
    )
    if not ends:
        return "pending"
    first = ends[0]
    transferred = first.type == "transferred_to_federal_custody" or (
        first.type == "hold_ended" and first.reason == "transferred"
    )
    return "yes" if transferred else "no"


def _information_rows(
    b: _Builder, law: str, requests: list[_Request], c: _Classifier, period: Period, *, probation: bool
) -> None:
    """§ 9-131(f)(9), § 14-154(f)(5), § 9-205(f)(5): requests from federal immigration authorities for
    information, the responses honoring them, and their disaggregation (R-12 – R-15)."""
    item = "(9)" if law == "9-131" else "(5)"
    p = f"{law}(f){item}"
    w = _window(period, NEWLY_REQUIRED_FROM, "newly required by L.L. 2017/228 § 4 / 2017/226 § 2 (R-16)")
    custody = (
        ""
        if probation
        else (
            "; the trail records no custody fact, so every request about the person decided is taken to concern a "
            "person in the department's custody (the contract decides about a person the agency holds)"
        )
    )
    info_qs = [q for q in requests if c.info_asked(q)]
    asked = [q for q in info_qs if c.fia(q) is Tri.TRUE]
    in_period = [q for q in asked if q.received in w]
    b.count(
        f"{p}.requests",
        "requests from federal immigration authorities for a person's incarceration status, release dates, court "
        "appearance dates" + (", scheduled appointment dates or times" if probation else "") + " or any other "
        "information, whatever their stated purpose",
        "requests",
        len(in_period),
        w,
        note=("one request record concerns one person (R-12)" + custody),
    )
    b.count(
        f"{p}.requests.fia_unknown",
        "information requests received in the period whose requester is not known to be, or not to be, a federal "
        "immigration authority",
        "requests",
        sum(1 for q in info_qs if c.fia(q) is Tri.UNKNOWN and q.received in w),
        w,
        kind="gap",
    )
    b.count(
        f"{p}.requests.no_action_recorded",
        "requests of the row above with neither an answer nor a refusal recorded by the cut-off",
        "requests",
        sum(1 for q in in_period if not q.acts("information_answered", "information_refused")),
        w,
        kind="gap",
    )
    b.count(
        f"detail:{p}.requests.purpose_unrelated",
        "requests of the row above stated to be unrelated to civil immigration enforcement",
        "requests",
        sum(1 for q in in_period if q.case.request.purpose == "unrelated_to_immigration_enforcement"),
        w,
        kind="detail",
    )

    responses = [_Item(q, a, a.date) for q in asked for a in q.acts("information_answered") if a.date in w]
    b.count(
        f"{p}.responses",
        "responses honoring such requests (any full or partial disclosure; R-13)",
        "responses",
        len(responses),
        w,
    )
    b.decisions(
        f"{p}.responses",
        responses,
        lambda i: tuple(a for g in (i.action.given if i.action and i.action.given else ()) for a in GIVEN_TO_ACTION[g]),
    )
    b.count(
        f"{p}.responses.vsc_undetermined",
        "responses whose person's record does not tell whether they were convicted of a violent or serious "
        "crime; in none of (i) to (iii)",
        "responses",
        sum(1 for i in responses if c.vsc(i.q, i.date) is Tri.UNKNOWN),
        w,
        kind="gap",
    )
    b.count(
        f"{p}.responses.information_given_unknown",
        "responses with no record of what kinds of information they disclosed; in no kind row",
        "responses",
        sum(1 for i in responses if i.action is not None and i.action.given is None),
        w,
        kind="gap",
    )
    kinds: tuple[tuple[str, frozenset[str], str], ...] = (
        ("incarceration_status", frozenset({"incarceration_status"}), "incarceration status"),
        ("release_dates", frozenset({"release_date"}), "release dates"),
        ("court_appearance_dates", frozenset({"court_appearance_date"}), "court appearance dates"),
    )
    if probation:
        kinds += (
            (
                "scheduled_appointment_dates_or_times",
                frozenset({"appointment_date_or_time"}),
                "scheduled appointment dates or times",
            ),
            ("other", frozenset({"other"}), "other types of information (including citizenship or immigration status)"),
        )
    else:
        kinds += (
            (
                "other",
                frozenset({"other", "appointment_date_or_time"}),
                "other types of information (including citizenship or immigration status)",
            ),
        )
    classes = (
        ("i", "concerning a person with no convictions for a violent or serious crime", Tri.FALSE, None),
        ("ii", "concerning a person with at least one conviction for a violent or serious crime", Tri.TRUE, None),
        (
            "iii",
            "concerning a person with no convictions for a violent or serious crime who was identified as a possible "
            "match in the terrorist screening database (a subset of (i); R-14)",
            Tri.FALSE,
            Tri.TRUE,
        ),
    )
    for numeral, words, vsc, tsdb in classes:
        rows = [i for i in responses if c.vsc(i.q, i.date) is vsc and (tsdb is None or c.tsdb(i.q) is tsdb)]
        cp = f"{p}({numeral})"
        b.count(cp, f"responses {words}", "responses", len(rows), w)
        for key, given, kind_words in kinds:
            b.count(
                f"{cp}.{key}",
                f"responses of ({numeral}) that included {kind_words}",
                "responses",
                sum(1 for i in rows if i.action is not None and given & set(i.action.given or ())),
                w,
                note="a response that included several kinds counts under each (R-13)",
            )
        facilitation = [_facilitation(i, requests) for i in rows]
        b.count(
            f"{cp}.transfer_facilitated",
            f"responses of ({numeral}) after which the person passed from the department into federal immigration "
            "custody (R-15; causation is not assessed)",
            "responses",
            facilitation.count("yes"),
            w,
        )
        b.count(
            f"{cp}.transfer_not_facilitated",
            f"responses of ({numeral}) whose person's custody ended otherwise (R-15)",
            "responses",
            facilitation.count("no"),
            w,
        )
        b.count(
            f"{cp}.transfer_pending",
            f"responses of ({numeral}) whose person's custody end is not recorded by the cut-off",
            "responses",
            facilitation.count("pending"),
            w,
            kind="gap",
        )
        if numeral == "i":
            b.count(
                f"{p}(iii).tsdb_unknown",
                "responses of (i) whose person's terrorist-screening status is not recorded; not placed in (iii)",
                "responses",
                sum(1 for i in rows if c.tsdb(i.q) is Tri.UNKNOWN),
                w,
                kind="gap",
            )
            b.count(
                f"detail:{cp}.neither",
                "responses of (i) with no terrorist-screening match: neither exception of (h)(1)(i) (R-14)",
                "responses",
                sum(1 for i in rows if c.tsdb(i.q) is Tri.FALSE),
                w,
                kind="detail",
            )
    if probation:
        b.count(
            f"detail:{p}.responses.appointment_included",
            "responses that disclosed an appointment date or time, all classes together",
            "responses",
            sum(1 for i in responses if i.action is not None and "appointment_date_or_time" in (i.action.given or ())),
            w,
            kind="detail",
        )


# --- § 10-178(d) --------------------------------------------------------------------------------------------


def _in_annual_reports(q: _Request, c: _Classifier) -> bool:
    """Whether a statutory row of § 9-131(f), § 14-154(f) or § 9-205(f) counts this request: a detainer, or an
    information request from a federal immigration authority, received by DOC, NYPD or Probation (R-22)."""
    if q.agency not in AGENCY.values():
        return False
    return c.detainer(q) is Tri.TRUE or (bool(c.info_asked(q)) and c.fia(q) is Tri.TRUE)


def _kinds(q: _Request, c: _Classifier) -> list[str]:
    """Q.kind (R-21): a request may be of several kinds (a detainer with a question about court dates)."""
    actions = set(q.case.request.actions)
    kinds = []
    if c.detainer(q) is Tri.TRUE:
        kinds.append("detainer")
    elif actions & {"hold", "transfer"}:
        kinds.append("transfer")  # a request to hold or hand over that is not (known to be) a detainer
    if c.info_asked(q):
        kinds.append("information")
    if q.acts("access_granted", "access_refused"):
        kinds.append("access")
    if "office_on_premises" in actions:
        kinds.append("other_assistance")
    return kinds or ["kind_undetermined"]


def _citywide_rows(
    b: _Builder, requests: list[_Request], c: _Classifier, period: Period, *, include_annual: bool
) -> None:
    """§ 10-178(d): requests from non-local law enforcement agencies for support or assistance intended to further
    immigration enforcement, and the actions taken in response, by requesting and receiving agency (R-21)."""
    p = "10-178(d)"
    w = _window(period, NEWLY_REQUIRED_FROM, "§ 10-178(d) applies from 2018-01-30 (L.L. 2017/228 § 4; R-16)")
    in_scope: list[_Request] = []
    left_out = unknown_scope = defaulted = unnamed = 0
    for q in requests:
        if q.received < NEWLY_REQUIRED_FROM:
            continue
        received_now = q.received in w
        # The contract's requesters are all federal, and RecordFacts.requester_agency names the requesting
        # agency, city agencies never being requesters in the trail's vocabulary: any named requester is
        # "non-local".
        requester = q.requester_agency or q.case.request.from_
        if requester is None:
            unknown_scope += received_now
            continue
        # "Intended to further immigration enforcement": the recorded purpose (§ 6.6: the contract's two
        # purposes cannot separate criminal re-entry enforcement, which (a) also includes).
        if q.case.request.purpose != "civil_immigration_enforcement":
            continue
        if not include_annual and _in_annual_reports(q, c):
            left_out += received_now
            continue
        in_scope.append(q)
        if received_now:
            defaulted += "purpose" not in q.raw_request
            unnamed += q.requester_agency is None

    def name(q: _Request) -> str:
        return q.requester_agency or str(q.case.request.from_)

    cells: dict[tuple[str, str], list[_Request]] = defaultdict(list)
    for q in in_scope:
        if q.received in w:
            cells[(name(q), q.agency)].append(q)
    scope_note = (
        "requests for other assistance (staff, equipment, premises, joint operations) appear only as far as the "
        "contract's office_on_premises action records them; the trail has no other_assistance kind"
    )
    annual_note = (
        "requests counted in the § 9-131(f), § 14-154(f) or § 9-205(f) reports are left out (R-22)"
        if not include_annual
        else "requests counted in the annual reports are included, as the designated office chose (R-22)"
    )
    b.count(
        f"{p}.requests",
        "requests from non-local law enforcement agencies for support or assistance intended to further "
        "immigration enforcement, all cells together",
        "requests",
        sum(len(v) for v in cells.values()),
        w,
        note=_join(annual_note, scope_note, "one request record concerns one person (R-12)"),
    )
    for (requester, agency), qs in sorted(cells.items()):
        cell = f"{p}.requests[{requester},{agency}]"
        b.count(cell, f"requests from {requester} received by {agency}", "requests", len(qs), w)
        kinds: dict[str, int] = defaultdict(int)
        for q in qs:
            for kind in _kinds(q, c):
                kinds[kind] += 1
        for kind in sorted(kinds):
            b.count(
                f"{cell}.{kind}",
                f"requests from {requester} received by {agency}, of kind {kind.replace('_', ' ')}",
                "requests",
                kinds[kind],
                w,
                note="a request of several kinds counts under each (R-21)",
            )

    # Actions taken in response, refusals included. A withdrawal is the federal authority's act, not a
    # response of the city, so it is not listed.
    acted: dict[tuple[str, str, str], int] = defaultdict(int)
    for q in in_scope:
        for a in q.actions:
            if a.date in w and a.type != "detainer_withdrawn":
                acted[(name(q), q.agency, a.type)] += 1
    b.count(
        f"{p}.actions",
        "actions taken in response to such requests, all cells together",
        "actions",
        sum(acted.values()),
        w,
        note=annual_note,
    )
    for (requester, agency, kind), n in sorted(acted.items()):
        b.count(
            f"{p}.actions[{requester},{agency},{kind}]",
            f"actions of type {kind.replace('_', ' ')} by {agency} on requests from {requester}",
            "actions",
            n,
            w,
        )
    b.count(
        f"{p}.requests.no_action_recorded",
        "requests of the quarter with no action recorded by the cut-off",
        "requests",
        sum(1 for qs in cells.values() for q in qs if not [a for a in q.actions if a.type != "detainer_withdrawn"]),
        w,
        kind="gap",
    )
    b.count(
        f"{p}.requests.requester_unnamed",
        "requests whose requesting agency is recorded only as a contract group (e.g. OTHER_FEDERAL); shown under "
        "that group",
        "requests",
        unnamed,
        w,
        kind="gap",
    )
    for proviso, words in (
        ("interference", "(i): disclosure would interfere with law enforcement investigations"),
        (
            "public_safety",
            "(ii): related to actions under clause (i) of subdivision e and would compromise public safety",
        ),
    ):
        b.count(
            f"{p}.withheld.{proviso}",
            f"records withheld under proviso {words}",
            "requests",
            0,
            w,
            kind="gap",
            note="the trail's vocabulary records no withholding determination, so this report withheld nothing; "
            "the determination is the agency's, applied before publication (R-23). No small-cell suppression is "
            "applied: flagged for review",
        )
    b.count(
        f"detail:{p}.in_annual_reports",
        "requests of the quarter left out because a § 9-131(f), § 14-154(f) or § 9-205(f) row counts them (R-22)",
        "requests",
        left_out,
        w,
        kind="detail",
    )
    b.count(
        f"detail:{p}.purpose_defaulted",
        "requests in the table whose purpose was not stated and is read as the contract's default, civil "
        "immigration enforcement",
        "requests",
        defaulted,
        w,
        kind="detail",
    )
    b.count(
        f"detail:{p}.requests.immigration_enforcement_unknown",
        "requests whose requester is not recorded, so whether they are in scope is unknown; not in the table",
        "requests",
        unknown_scope,
        w,
        kind="detail",
    )


# --- the report ----------------------------------------------------------------------------------------------


def _law_hashes(period: Period) -> list[str]:
    """The law hashes of the regimes in force during the period (two when it straddles 2026-01-29; R-19, R-20)."""
    days = [max(period.start, ENCODED_FROM), period.end, dt.date(2026, 1, 29)]
    hashes: list[str] = []
    for day in days:
        regime = NYC.regime_in_force(day) if day in period else None
        if regime is not None and (h := NYC.law_hash(regime)) not in hashes:
            hashes.append(h)
    return hashes


def compute_report(
    records: Iterable[AuditRecord], law: str, period: Period, *, include_annual_reports: bool = False
) -> Report:
    """The report ``law`` requires for ``period``, computed from the audit trail ``records``.

    ``include_annual_reports`` (§ 10-178(d) only) keeps in the quarterly table the requests the annual reports
    already count; by default they are left out and their number shown (R-22)."""
    if law not in LAWS:
        raise ValueError(f"law: unknown law {law!r}; expected one of {', '.join(LAWS)}")
    trail = _read(records)
    c = _Classifier()
    b = _Builder()
    if law == "10-178":
        prefix = "10-178(d)"
        requests = trail.requests
        _citywide_rows(b, requests, c, period, include_annual=include_annual_reports)
    else:
        prefix = f"{law}(f)"
        requests = [q for q in trail.requests if q.agency == AGENCY[law]]
        _detainer_rows(b, law, requests, c, period, doc=law == "9-131")
        _information_rows(b, law, requests, c, period, probation=law == "9-205")
    whole = _Window(period.start, period.end, None)
    b.count(f"{prefix}.records_unreadable", UNREADABLE_NOTE, "records", trail.unreadable, whole, kind="gap")
    differs = 0
    for q in requests:
        regime = NYC.regime_in_force(q.received) if q.received in period else None
        differs += regime is not None and q.law_hash != NYC.law_hash(regime)
    b.count(
        f"detail:{prefix}.law_hash_differs",
        "requests received in the period whose recorded decision was made under a different law hash from the "
        "one this report applies (R-20)",
        "requests",
        differs,
        whole,
        kind="detail",
    )
    return Report(law, period, b.rows, trail.read, trail.cutoff, _law_hashes(period))
