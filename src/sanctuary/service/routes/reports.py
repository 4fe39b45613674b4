"""Aggregates and the statutory reports (analysts and administrators): counts over the recorded decisions
and actions, never a case, a subject or a decision id. The counting is in
:func:`sanctuary.service.decisions.statistics` and, for the reports, the jurisdiction's own
(:meth:`~sanctuary.law.jurisdiction.Jurisdiction.reports`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel

from sanctuary.errors import InvalidInputError, NotFoundError
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.access import Analyst, Officer
from sanctuary.service.audit import ACTION, DECISION, MATTER, REPORT_INPUT
from sanctuary.service.bodies import bodies, takes
from sanctuary.service.decisions import find_decision, receipt, statistics
from sanctuary.service.docket import report_records
from sanctuary.service.models import RECEIPT
from sanctuary.service.reporting import statutory_reports
from sanctuary.service.signing import Signer
from sanctuary.service.store import Store


def report_router(store: Store, jurisdiction: Jurisdiction, signer: Signer) -> APIRouter:
    """The aggregates of a period, and a statutory report of ``jurisdiction``'s law as JSON, CSV or HTML."""
    router = APIRouter()
    inputs = bodies(jurisdiction).report_input  # the pack's (None: its reports take none)

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
        format: Literal["json", "csv", "html", "pdf"] = "json",
        view: Literal["detail", "publication"] = "detail",
        include_annual_reports: bool = False,
        through: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    ) -> dict[str, Any] | Response:
        """A statutory report (§ 9-131(f), § 14-154(f), § 9-205(f): ``year``; § 10-178(d): ``quarter``, e.g.
        2025Q3), computed from the recorded decisions and actions. ``view=publication``: the statutory items alone,
        in the statute's order and words, with notes (what the agency posts); ``detail``: every row, for audit.
        ``include_annual_reports`` (§ 10-178(d) only) keeps the requests the annual reports count. ``through``:
        the audit trail read only through that record, to regenerate a past report (its ``through_seq``)."""
        reports = statutory_reports(jurisdiction)  # loaded at the first report asked for
        period = reports.period_for(law, year=year, quarter=quarter)  # InvalidInputError naming the parameter: 422
        records = store.records()  # each docket matter counted once (report_records), as of ``through``
        if through is not None:
            records = (r for r in records if r.seq <= through)
        shown = reports.compute_report(
            report_records(records), law, period, include_annual_reports=include_annual_reports, view=view
        )
        if format == "csv":
            return PlainTextResponse(shown.to_csv(), media_type="text/csv")
        if format == "html":
            return HTMLResponse(shown.to_html())
        if format == "pdf":
            return Response(shown.to_pdf(), media_type="application/pdf")
        return shown.as_dict()

    @router.post("/v1/reports/inputs", tags=["reports"], status_code=201, response_model=None, responses=RECEIPT)
    @takes(Annotated[inputs if inputs is not None else dict[str, Any], Body()])
    def record_input(body: BaseModel, key: Officer) -> JSONResponse:
        """Record what a statutory report needs and no decision holds, in the pack's shapes (New York's: a SCAAP
        amount requested or received (§ 9-131(f)(6)), or a determination withholding a recorded request from the
        § 10-178(d) report, with its ground). Kept in the audit trail like every decision, so a report is computed
        from the trail alone."""
        if inputs is None:  # a body of no declared shape: refused by name, before anything is read
            raise InvalidInputError(f"the reports of the {jurisdiction.name} pack take no inputs", "input")
        refers_to = getattr(body, "decision_id", None)  # a determination about a recorded request
        if refers_to is not None and find_decision(store, refers_to) is None:
            raise NotFoundError(f"no decision {refers_to!r}", "decision_id")
        content = body.model_dump(mode="json", exclude_none=True)
        record = store.append(REPORT_INPUT, key.id, content, refers_to=refers_to)
        return JSONResponse(receipt(record, signer), status_code=201)

    return router
