"""The statutory reports: § 9-131(f) (DOC), § 14-154(f) (NYPD), § 9-205(f) (Probation), all annual, and
§ 10-178(d) (all agencies, quarterly), computed from the audit trail.

The specification is ``docs/law/nyc/reports.md``; its proposed readings are cited here as ``R-n``. Three rules
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

This package is the New York pack's, not the core's: it imports the pack and the core's record type
(:class:`~sanctuary.service.audit.AuditRecord`); the core reaches it only through
:meth:`~sanctuary.law.jurisdiction.Jurisdiction.reports` (:data:`REPORTS`), which imports it when a report is asked
for. It is pure: it reads audit records and returns numbers.
Its modules, in the order a reader might take them:

- ``statute``: the four laws' keys, agencies and titles;
- ``periods``: the reporting periods and the dates the laws began to apply (R-1, R-16, R-17);
- ``model``: a report's rows, and the report as JSON, CSV and HTML;
- ``history``: what happened to a request, its actions read in order as one history: every way of recording an
  event read as that event, retries once, impossible histories set apart (I-60 – I-62); the service's check of an
  action before it is recorded (:meth:`NewYorkReports.check_action`) is the same;
- ``trail``: the audit trail read into requests, the histories of the actions taken on them, and the report
  inputs (SCAAP amounts, withholding determinations) (R-2);
- ``classify``: the law pack's tests applied to a recorded request (R-19, R-20);
- ``counting``: windows, counts of distinct persons, the decision split (R-3, R-4);
- ``declaration``: a report's rows declared as data (key, words, unit, kind, selector), and the one loop that
  writes them;
- ``detainers`` and ``information``: the declared rows of the three annual reports;
- ``quarterly``: the declared rows of § 10-178(d);
- ``compute``: each law's declaration, and :func:`compute_report`, which reads the trail and writes it;
- ``publication``: the publication view: the statutory items alone, with notes on gaps and readings;
- ``pdf``: either view as a PDF.

Only the names below are the package's interface; the rest is internal to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from sanctuary.errors import InvalidInputError
from sanctuary.packs.nyc import recording
from sanctuary.packs.nyc.actions import carried_out
from sanctuary.packs.nyc.reports.compute import compute_report
from sanctuary.packs.nyc.reports.history import check, same
from sanctuary.packs.nyc.reports.model import Report, Row
from sanctuary.packs.nyc.reports.periods import Period, period_for
from sanctuary.packs.nyc.reports.publication import Publication
from sanctuary.packs.nyc.reports.statute import LAWS
from sanctuary.packs.nyc.reports.trail import Action, action_of, received_of
from sanctuary.service.audit import AuditRecord
from sanctuary.service.reporting import HoldActions, ReportPeriod

__all__ = ["LAWS", "REPORTS", "NewYorkReports", "Period", "Report", "Row", "compute_report", "period_for"]


class NewYorkReports:
    """The four reports behind :class:`~sanctuary.service.reporting.StatutoryReports`, the interface the
    ``report`` command and ``GET /v1/reports/{law}`` use: the functions above, unchanged."""

    @property
    def laws(self) -> Sequence[str]:
        return LAWS

    def period_for(self, law: str, *, year: int | None = None, quarter: str | None = None) -> Period:
        return period_for(law, year=year, quarter=quarter)

    def compute_report(
        self,
        records: Iterable[AuditRecord],
        law: str,
        period: ReportPeriod,
        *,
        include_annual_reports: bool = False,
        view: str = "detail",
    ) -> Report | Publication:
        """A period given by another than :meth:`period_for` is read as its days and label; the publication view
        is the report's statutory items with their notes (:class:`Publication`)."""
        own = period if isinstance(period, Period) else Period(period.start, period.end, period.label)
        report = compute_report(records, law, own, include_annual_reports=include_annual_reports)
        return Publication(report) if view == "publication" else report

    def check_action(
        self, decision: AuditRecord, earlier: Sequence[AuditRecord], action: Mapping[str, Any], recorded_on: dt.date
    ) -> AuditRecord | None:
        """Before an action is recorded on ``decision``: the earlier action record it repeats (a retry: answer with
        that record, record nothing), or ``None`` when it is new and can have happened. Raises
        :class:`~sanctuary.errors.InvalidInputError` naming the field when the history it would make is impossible:
        dated after today, before the request was received, or ruled out by what was recorded before (I-61)."""
        given = action.get("information_given")
        new = Action("new", 0, str(action["type"]), dt.date.fromisoformat(str(action["date"])),
                     tuple(given) if given is not None else None, action.get("reason"))  # fmt: skip
        before = [(record, read) for record in earlier if (read := action_of(record)) is not None]
        for record, read in before:
            if same(read, new):
                return record
        problem = check(received_of(decision), recorded_on, [read for _, read in before], new)
        if problem is not None:
            raise InvalidInputError(f"{problem[0]}: {problem[1]}", problem[0])
        return None

    @property
    def holds(self) -> HoldActions:
        """A hold beyond release starts the docket's clock; its end, a transfer or a release ends it
        (``recording.HOLDS``)."""
        return recording.HOLDS

    @property
    def record_facts(self) -> type[BaseModel]:
        """The detainer's reference and reasons, the requesting agency, the day received (``recording.py``)."""
        return recording.RecordFacts

    @property
    def action_fields(self) -> type[BaseModel]:
        """The ten actions the reports count, with the information given and why a hold ended (``recording.py``)."""
        return recording.ActionFields

    @property
    def report_inputs(self) -> Any:
        """SCAAP amounts (§ 9-131(f)(6)) and withholdings (§ 10-178(d)) (``recording.py``)."""
        return recording.ReportInput

    def carried_out(
        self, action_type: str, information_given: Iterable[str] | None, decided: Collection[str]
    ) -> tuple[str, ...]:
        """The decided actions an action carries out (:func:`sanctuary.packs.nyc.actions.carried_out`)."""
        return carried_out(action_type, information_given, decided)


REPORTS = NewYorkReports()
