"""The pages and the JSON they use (``docs/web.md``). Nothing here is recorded: the workbench previews a
decision without recording it (an officer records one through ``POST /v1/decisions``), the law browser reads
the rule trees, and the comparison runs the population pipeline on the bundled sample or an upload."""

import re
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from sanctuary.engine.budget import validate_within_budget
from sanctuary.engine.compare import diff_regimes
from sanctuary.engine.explain import explain
from sanctuary.errors import BODY, BusyError, InvalidInputError
from sanctuary.facts.case import parse_case_at
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.population.evaluate import Scenario
from sanctuary.web import upload
from sanctuary.web.law import overview, rule_view

STATIC = Path(str(resources.files("sanctuary.web").joinpath("static")))
PAGES = {"/": "index.html", "/workbench": "workbench.html", "/compare": "compare.html", "/law": "law.html"}
SAMPLE_RECORDS = 5_000
# Previews need no key: however many arrive, at most this many are explained at once (the others get 503), so
# anonymous work holds at most two of the server's worker threads and officers' decisions go on.
PREVIEWS_AT_ONCE = 2
MAX_UPLOAD_BYTES = 25 * 1_048_576
# The formats a file name may tell (the loaders' own detection reads the header too).
UPLOAD_NAME = re.compile(r"^[\w .-]{1,120}\.(csv|csv\.gz|jsonl|ndjson|parquet)$", re.IGNORECASE)


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case: dict[str, Any] = Field(description="A case in the contract format (schema/case.schema.json).")


_samples: dict[str, Path] = {}  # by jurisdiction id


def sample_dataset(jurisdiction: Jurisdiction) -> Path:
    """The bundled sample: 5,000 synthetic records (seeded), made once per process by the jurisdiction's
    generator (calibrated on its public data)."""
    if jurisdiction.id not in _samples:
        folder = Path(tempfile.mkdtemp(prefix="sanctuary-sample-"))
        _samples[jurisdiction.id] = jurisdiction.write_synthetic(
            SAMPLE_RECORDS, folder / "synthetic-sample.parquet", 2026
        )
    return _samples[jurisdiction.id]


def build_router(jurisdiction: Jurisdiction, analyst: Callable[..., Any]) -> APIRouter:
    """The pages' routes. ``analyst`` is the service's dependency that admits analyst and admin keys."""
    router = APIRouter()

    def page(name: str) -> Callable[[], FileResponse]:
        def serve() -> FileResponse:
            return FileResponse(STATIC / name, media_type="text/html")

        return serve

    for path, name in PAGES.items():
        router.add_api_route(path, page(name), methods=["GET"], include_in_schema=False, response_class=HTMLResponse)

    previews = threading.BoundedSemaphore(PREVIEWS_AT_ONCE)

    @router.post("/v1/preview", tags=["web"])
    def preview(body: PreviewRequest) -> dict[str, Any]:
        """Decide and explain a case without recording it (the workbench's live answer). Needs no key, so at
        most two run at once (more: 503 with Retry-After), and the case's lists are capped
        (``sanctuary.engine.budget``)."""
        check = partial(validate_within_budget, jurisdiction=jurisdiction)
        case = parse_case_at(body.case, "case", check)
        if not previews.acquire(blocking=False):
            raise BusyError("other previews are being explained: try again in a moment")
        try:
            return explain(case, jurisdiction)
        finally:
            previews.release()

    @router.get("/v1/law", tags=["web"])
    def law() -> dict[str, Any]:
        """Every regime with its dates and sources, and the agencies and actions the rules cover."""
        return overview(jurisdiction)

    @router.get("/v1/law/diff", tags=["web"])
    def law_diff(old: str, new: str) -> dict[str, Any]:
        """What ``new`` changes against ``old``, clause by clause."""
        return diff_regimes(jurisdiction, old, new)

    @router.get("/v1/law/{regime_id}/{agency}/{action}", tags=["web"])
    def law_rule(regime_id: str, agency: str, action: str) -> dict[str, Any]:
        """One rule: its tree, with the clause each condition implements and the statute's words."""
        return rule_view(jurisdiction, regime_id, agency, action)

    @router.post("/v1/compare", tags=["web"], dependencies=[Depends(analyst)])
    async def compare(
        request: Request,
        regimes: Annotated[str, Query(description="Comma-separated; the first is the baseline.")],
        action: Annotated[list[str] | None, Query()] = None,
        assume: Annotated[list[str] | None, Query()] = None,
        dataset: Annotated[str, Query(pattern="^(sample|upload)$")] = "sample",
        filename: str | None = None,
    ) -> dict[str, Any]:
        """A population under several regimes: the report's summary, headline and charts (analysts)."""
        scenario = Scenario.from_options(jurisdiction, regimes, action, assume)
        if dataset == "sample":
            return await run_in_threadpool(_compare, jurisdiction, scenario, sample_dataset(jurisdiction))
        if not filename or not UPLOAD_NAME.match(filename):
            raise InvalidInputError("give the file's name, ending .csv, .csv.gz, .jsonl or .parquet", "filename")
        with tempfile.TemporaryDirectory(prefix="sanctuary-upload-") as folder:
            # Streamed to a file, checked by content and (gzip) inflated within bounds: web/upload.py.
            path = await upload.receive(request.stream(), Path(folder), filename)
            return await run_in_threadpool(_compare, jurisdiction, scenario, path)

    return router


def _compare(jurisdiction: Jurisdiction, scenario: Scenario, path: Path) -> Any:
    from sanctuary.population.compare import compare_paths
    from sanctuary.population.report import headline, write_report

    with tempfile.TemporaryDirectory(prefix="sanctuary-compare-") as folder:
        try:
            comparison = compare_paths([path], scenario, jurisdiction, chunk=200_000)
        except upload.READ_ERRORS as exc:  # whatever the loaders say of a file they cannot read
            raise InvalidInputError(f"the uploaded file cannot be read: {_first_line(exc)}", BODY) from None
        out = Path(folder) / "report"
        summary = write_report(comparison, out)
        charts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.svg"))}
    summary["sources"] = [{**s, "path": Path(s["path"]).name} for s in summary.get("sources", [])]
    return {"summary": summary, "headline": headline(summary), "charts": charts}


def _first_line(exc: BaseException) -> str:
    """The reader's message, cut to its first line and 300 characters (Polars' run to pages of hints)."""
    text = str(exc).strip().splitlines()
    return (text[0][:300] if text else "") or type(exc).__name__
