"""What the engine needs from a jurisdiction pack — and nothing more, so packs can be added without
touching the engine (California's Values Act, Chicago's Welcoming City Ordinance, …)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sanctuary.facts.case import Case, Problem
from sanctuary.law.regime import Regime
from sanctuary.law.tree import Clause, Rule

if TYPE_CHECKING:  # the population machinery (and Polars) is loaded only by what reads populations
    from sanctuary.population.records import PublicFormat
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
        """The report as JSON."""
        ...

    def to_csv(self) -> str: ...

    def to_html(self) -> str:
        """A self-contained page that can be published or filed as it is."""
        ...


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
        self, records: Iterable[AuditRecord], law: str, period: ReportPeriod, *, include_annual_reports: bool = False
    ) -> ComputedReport:
        """``law``'s report for ``period`` from the audit ``records``; raises
        :class:`~sanctuary.errors.InvalidInputError` (field ``law``) for a law the pack does not know."""
        ...


class Jurisdiction(Protocol):
    id: str
    name: str

    @property
    def regimes(self) -> Mapping[str, Regime]: ...

    @property
    def agencies(self) -> Mapping[str, str]:
        """The agencies the rules tell apart (an agency not named is read as the last one), with their names."""
        ...

    @property
    def actions(self) -> Mapping[str, str]:
        """The actions the rules decide, in the pack's words (for pages and reports)."""
        ...

    def regime_in_force(self, day: dt.date) -> Regime | None:
        """The law in force on ``day``, or ``None`` if the pack encodes none for that day."""
        ...

    def rule(self, regime: Regime, agency: str, action: str, *, day: dt.date, by_date: bool) -> Rule:
        """The rule on ``action`` for ``agency``; ``by_date``: the regime was chosen by the decision date, so
        provisions not yet in effect on ``day`` do not apply."""
        ...

    def statute_words(self, clause: Clause, regime: Regime) -> str | None:
        """The words of ``clause`` as in force under ``regime`` (``None`` where the pack holds no text)."""
        ...

    def problems(self, case: Case) -> list[Problem]:
        """What the jurisdiction's own law says is impossible in a case the contract accepts (a class of offense
        the criminal law contradicts), each with its field path: such a case is invalid input."""
        ...

    def law_changes(self) -> frozenset[dt.date]:
        """The days on which the answer of a test of one item may change for the same facts — the law's dated
        lists (a crime added to a list) — so that an evaluator may run such a test once per period between them
        rather than once per decision date."""
        ...

    def law_hash(self, regime: Regime) -> str:
        """A content hash of all the law data ``regime`` uses (declaration, lists, rule trees)."""
        ...

    def public_formats(self) -> Sequence[PublicFormat]:
        """The jurisdiction's public data the comparison reads (custody snapshots, arrests, …): how each file
        is recognised and read as tables. The core names no such format: they are the pack's."""
        ...

    def write_synthetic(self, records: int, path: Path, seed: int) -> Path:
        """Write ``records`` synthetic people (``record_id`` starting ``synthetic-``), calibrated on the
        jurisdiction's public data, to ``path`` (a ``.parquet`` file, else a folder in the tables layout);
        returns where. Raises :class:`ValueError` when the pack has no generator, :class:`OSError` when it
        cannot write."""
        ...

    def reports(self) -> StatutoryReports:
        """The statutory reports of the jurisdiction's law (none: ``laws`` empty, and ``period_for`` raises
        :class:`~sanctuary.errors.InvalidInputError`). Loaded when asked for, not when a case is decided."""
        ...


@runtime_checkable
class Reformable(Protocol):
    """A jurisdiction that reads reform files: proposals its users write as changes to its regimes. Optional: a
    pack without a reform format is told apart by this protocol, and a reform file given to it is invalid input."""

    def with_reform(self, text: str, source: str) -> Jurisdiction:
        """This jurisdiction with one more regime: the proposal a reform file states (TOML ``text``; ``source``
        names it in refusals). Raises :class:`~sanctuary.law.reform.ReformError` (invalid input) naming the line and
        the field when the file contradicts itself or names what does not exist."""
        ...

    def reform_schema(self) -> dict[str, Any]:
        """The JSON Schema of the jurisdiction's reform file."""
        ...
