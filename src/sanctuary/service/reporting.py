"""What the service may ask of a jurisdiction pack beyond its law: the statutory reports its law requires of its
agencies, computed from the audit trail. The laws, their periods and their rows are the pack's; the service and the
``report`` command only ask for one and print it. Optional: a pack whose law requires no report provides none, and
asking for one is refused, naming the pack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from sanctuary.errors import ConflictError, InvalidInputError
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


@dataclass(frozen=True, slots=True)
class HoldActions:
    """The recorded actions that run a hold's clock in the docket, in the pack's words: the docket counts the hours a
    hold lasts against the limit the decision sets, but which recorded action starts a hold, ends one, or is a
    transfer is the pack's vocabulary, not the core's."""

    decided: str  # the decided action whose outcome carries the hold's limits (its ``limits``)
    starts: str  # the recorded action that starts a hold (refused while one runs)
    ends: tuple[str, ...]  # recorded actions that end a running hold
    ends_only_a_hold: tuple[str, ...] = ()  # of those, the ones that mean nothing without a running hold
    transfers: tuple[str, ...] = ()  # recorded transfers: a matter closes as "transferred" only after one


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

    @property
    def holds(self) -> HoldActions | None:
        """The recorded actions that start, end and transfer a hold (the docket's clock); ``None``: the law holds no
        one, and the docket keeps no clock."""
        ...

    @property
    def record_facts(self) -> type[BaseModel]:
        """The facts about a request the reports count and a case does not hold: the ``record`` of a decision's
        and a docket matter's body (a pydantic model refusing what it does not declare; all fields optional)."""
        ...

    @property
    def action_fields(self) -> type[BaseModel]:
        """What an agency records doing about a request: the fields an action body adds to the core's day and
        override — at least ``type`` (what was done, in the words :meth:`carried_out` reads), and whatever says
        more. A pydantic model; its checks of one field against another are its own validators."""
        ...

    @property
    def report_inputs(self) -> Any:
        """What ``POST /v1/reports/inputs`` takes (figures and determinations a report needs and no decision holds):
        a pydantic model, or a discriminated union of them; ``None`` when the reports take none. A body with a
        ``decision_id`` refers to that recorded decision (404 if there is none)."""
        ...

    def carried_out(
        self, action_type: str, information_given: Iterable[str] | None, decided: Collection[str]
    ) -> Sequence[str]:
        """The decided actions (the engine's, of ``decided``: those the decision has an outcome for) whose outcomes
        an action of ``action_type`` carries out: each must be ``permitted`` for the action to follow the decision.
        Empty: the action declines, or the law checks it against no decision. Which action needs which outcome is
        the pack's law; the service and the docket only apply it (:func:`follows_decision`)."""
        ...


@runtime_checkable
class Reporting(Protocol):
    """A pack whose law requires reports."""

    def reports(self) -> StatutoryReports:
        """The statutory reports of the jurisdiction's law. Loaded when asked for, not when a case is decided."""
        ...


def record_facts(jurisdiction: Jurisdiction) -> type[BaseModel] | None:
    """The pack's model of the facts about a request its reports count; ``None`` for a pack that records none."""
    return jurisdiction.reports().record_facts if isinstance(jurisdiction, Reporting) else None


def hold_actions(jurisdiction: Jurisdiction) -> HoldActions | None:
    """The pack's words for the actions that run a hold's clock; ``None`` for a pack that records no actions."""
    return jurisdiction.reports().holds if isinstance(jurisdiction, Reporting) else None


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


NOT_DECIDED = "not decided"  # the result of an action the decision has no outcome for (the request did not ask it)


def follows_decision(
    jurisdiction: Jurisdiction, output: Mapping[str, Any], action: Mapping[str, Any], override: str | None
) -> dict[str, Any]:
    """Whether ``action`` (an action body: ``type``, ``information_given``) follows the decision ``output`` (a
    decision as :func:`sanctuary.engine.decide` writes it), by the pack's law (:meth:`StatutoryReports.carried_out`).
    Returns what is recorded with the action: ``checked`` (each decided action it carries out, with its result) and,
    when some result is not ``permitted`` — prohibited, undetermined, or not decided (I-51, I-101) — ``override``
    (its ``reason`` and the results it goes ``over``). Raises :class:`~sanctuary.errors.ConflictError` (field
    ``type``) naming each result and the clauses its outcome cites when no ``override`` reason is given, and
    :class:`~sanctuary.errors.InvalidInputError` (field ``type``) for a pack that declares no actions an agency
    records. The docket and ``POST /v1/decisions/{id}/actions`` both check through here: one rule."""
    if not isinstance(jurisdiction, Reporting):
        raise InvalidInputError(f"the {jurisdiction.name} pack declares no actions an agency records", "type")
    outcomes = {str(o["action"]): o for o in output.get("outcomes", ())}
    given = action.get("information_given")
    needed = jurisdiction.reports().carried_out(str(action["type"]), given, tuple(outcomes))
    results = {a: str(outcomes[a]["result"]) if a in outcomes else NOT_DECIDED for a in needed}
    refused = {a: r for a, r in results.items() if r != "permitted"}
    if refused and override is None:
        said = "; ".join(_why(a, r, outcomes.get(a)) for a, r in refused.items())
        raise ConflictError(
            f"the decision does not permit {action['type']} ({said}); to record it anyway, give an override with its "
            "reason (it is recorded, and the reports count it apart)",
            "type",
        )
    checked: dict[str, Any] = {"checked": results}
    if refused:
        checked["override"] = {"reason": override, "over": refused}
    return checked


def _why(action: str, result: str, outcome: Mapping[str, Any] | None) -> str:
    """One refused result in words, with the clauses its outcome cites."""
    if outcome is None:
        return f"{action}: the request did not ask for it, so no decision permits it"
    cited = ", ".join(str(c) for c in outcome.get("citations") or ())
    return f"{action} is {result}" + (f" under {cited}" if cited else "")
