"""Aggregates and the statutory reports (analysts and administrators): counts over the recorded decisions
and actions, never a case, a subject or a decision id. The counting is in
:func:`sanctuary.service.decisions.statistics` and, for the reports, the jurisdiction's own
(:meth:`~sanctuary.law.jurisdiction.Jurisdiction.reports`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.access import Analyst
from sanctuary.service.audit import ACTION, DECISION, MATTER
from sanctuary.service.decisions import statistics
from sanctuary.service.docket import report_records
from sanctuary.service.store import Store


def report_router(store: Store, jurisdiction: Jurisdiction) -> APIRouter:
    """The aggregates of a period, and a statutory report of ``jurisdiction``'s law as JSON, CSV or HTML."""
    router = APIRouter()

    @router.get("/v1/stats", tags=["reports"])
    def stats(
        key: Analyst,
        since: Annotated[dt.date | None, Query(alias="from")] = None,
        until: Annotated[dt.date | None, Query(alias="to")] = None,
    ) -> dict[str, Any]:
        """Aggregates only: decisions by agency, regime, action and result, and actions by type, for the
        decision dates (or action dates) in the period."""
        return statistics(report_records(store.records((DECISION, ACTION, MATTER))), since, until)

    @router.get("/v1/reports/{law}", tags=["reports"], response_model=None)
    def report(
        law: str,
        key: Analyst,
        year: int | None = None,
        quarter: str | None = None,
        format: Literal["json", "csv", "html"] = "json",
    ) -> dict[str, Any] | Response:
        """A statutory report (§ 9-131(f), § 14-154(f), § 9-205(f): ``year``; § 10-178(d): ``quarter``, e.g.
        2025Q3), computed from the recorded decisions and actions."""
        reports = jurisdiction.reports()  # loaded at the first report asked for
        period = reports.period_for(law, year=year, quarter=quarter)  # InvalidInputError naming the parameter: 422
        computed = reports.compute_report(report_records(store.records()), law, period)  # a matter counted once
        if format == "csv":
            return PlainTextResponse(computed.to_csv(), media_type="text/csv")
        if format == "html":
            return HTMLResponse(computed.to_html())
        return computed.as_dict()

    return router
