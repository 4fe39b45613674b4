"""What the service may ask of a jurisdiction pack beyond its law: the statutory reports its law requires of its
agencies, computed from the audit trail. The laws, their periods and their rows are the pack's; the service and the
``report`` command only ask for one and print it. Optional: a pack whose law requires no report provides none, and
asking for one is refused, naming the pack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from sanctuary.errors import InvalidInputError
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.audit import AuditRecord


class ReportPeriod(Protocol):
    """The days a statutory report covers, inclusive, as the pack's law fixes them, and their label."""

    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date: ...

    @property
    def label(self) -> str: ...


class ComputedReport(Protocol):
    """A statutory report computed from the audit trail: what the command and the service print or serve."""

    @property
    def law(self) -> str: ...

    @property
    def period(self) -> ReportPeriod: ...

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON: whatever rows the pack's law asks for, and, for ``sanctuary report --check`` to
        regenerate it, ``law``, ``period``, ``view`` (``detail`` or ``publication``), ``options`` (the arguments
        given, such as ``include_annual_reports``), ``through_seq`` (the last audit record read) and ``fingerprint``."""
        ...

    def to_csv(self) -> str: ...

    def to_html(self) -> str:
        """A self-contained page that can be published or filed as it is."""
        ...

    def to_pdf(self) -> bytes: ...

    def fingerprint(self) -> str:
        """A hash of what the report says (not when it was generated): regenerated from the same records, the same."""
        ...


#: The two views of a report: ``detail``, every row (gaps and details too), for audit; ``publication``, the
#: statutory items alone, in the statute's order and words, with notes on gaps and readings — what is posted.
VIEWS = ("detail", "publication")


class StatutoryReports(Protocol):
    """The reports the jurisdiction's law requires of its agencies, computed from the service's audit trail. The
    laws, their periods and their rows are the pack's: the core only asks for one and prints it."""

    @property
    def laws(self) -> Sequence[str]:
        """The keys of the laws that require a report (the ``law`` of the two methods below)."""
        ...

    def period_for(self, law: str, *, year: int | None = None, quarter: str | None = None) -> ReportPeriod:
        """The period of ``law``'s report for ``year`` or ``quarter``, as its schedule fixes it; raises
        :class:`~sanctuary.errors.InvalidInputError` naming the argument that cannot be used."""
        ...

    def compute_report(
        self,
        records: Iterable[AuditRecord],
        law: str,
        period: ReportPeriod,
        *,
        include_annual_reports: bool = False,
        view: str = "detail",
    ) -> ComputedReport:
        """``law``'s report for ``period`` from the audit ``records``, in ``view`` (one of :data:`VIEWS`; a law whose
        every row is a statutory item gives the same report in both); raises
        :class:`~sanctuary.errors.InvalidInputError` (field ``law``) for a law the pack does not know."""
        ...

    def check_action(
        self, decision: AuditRecord, earlier: Sequence[AuditRecord], action: Mapping[str, Any], recorded_on: dt.date
    ) -> AuditRecord | None:
        """Before ``action`` (an action body) is recorded on ``decision``, after the ``earlier`` action records: the
        earlier record it repeats (a retry), or ``None``; raises :class:`~sanctuary.errors.InvalidInputError` naming
        the field when the history it would make cannot have happened."""
        ...


@runtime_checkable
class Reporting(Protocol):
    """A pack whose law requires reports."""

    def reports(self) -> StatutoryReports:
        """The statutory reports of the jurisdiction's law. Loaded when asked for, not when a case is decided."""
        ...


def statutory_reports(jurisdiction: Jurisdiction) -> StatutoryReports:
    """The pack's reports; :class:`InvalidInputError` (field ``law``) for a pack whose law requires none."""
    if not isinstance(jurisdiction, Reporting):
        raise InvalidInputError(f"the law of the {jurisdiction.name} pack requires no statutory report", "law")
    return jurisdiction.reports()


def check_action(
    jurisdiction: Jurisdiction,
    decision: AuditRecord,
    earlier: Sequence[AuditRecord],
    action: Mapping[str, Any],
    recorded_on: dt.date,
) -> AuditRecord | None:
    """The pack's reports' check of an action before it is recorded (see :meth:`StatutoryReports.check_action`); a
    pack whose law requires no report has nothing to check, and every action is new."""
    if not isinstance(jurisdiction, Reporting):
        return None
    return jurisdiction.reports().check_action(decision, earlier, action, recorded_on)
