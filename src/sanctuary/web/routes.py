"""The pages and the JSON they use (``docs/web.md``). Nothing here is recorded: the workbench previews a
decision without recording it (an officer records one through ``POST /v1/decisions``), the law browser reads
the rule trees, and the comparison runs the population pipeline on the bundled sample or an upload."""

import json
import re
import tempfile
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from sanctuary.engine import validate
from sanctuary.engine.compare import diff_regimes
from sanctuary.engine.explain import explain
from sanctuary.errors import BODY, InvalidInputError
from sanctuary.facts.case import parse_case_at
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.population.evaluate import Scenario
from sanctuary.web.law import overview, rule_view

STATIC = Path(str(resources.files("sanctuary.web").joinpath("static")))
PAGES = {"/": "index.html", "/workbench": "workbench.html", "/compare": "compare.html", "/law": "law.html"}
SAMPLE_RECORDS = 5_000
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

    @router.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """The pages' icon (an SVG), where browsers ask for it: no 404 in every page's log."""
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @router.post("/v1/preview", tags=["web"])
    def preview(body: PreviewRequest) -> dict[str, Any]:
        """Decide and explain a case without recording it (the workbench's live answer)."""
        return explain(parse_case_at(body.case, "case", partial(validate, jurisdiction=jurisdiction)), jurisdiction)

    _document_routes(router, jurisdiction)

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
        from starlette.concurrency import run_in_threadpool

        scenario = Scenario.from_options(jurisdiction, regimes, action, assume)
        upload: bytes | None = None
        if dataset == "upload":
            if not filename or not UPLOAD_NAME.match(filename):
                raise InvalidInputError("give the file's name, ending .csv, .csv.gz, .jsonl or .parquet", "filename")
            upload = await request.body()
            if not upload:
                raise InvalidInputError("the uploaded file is empty", BODY)
        return await run_in_threadpool(_compare, jurisdiction, scenario, upload, filename)

    return router


def _document_routes(router: APIRouter, jurisdiction: Jurisdiction) -> None:
    """The documents to file: a memo (HTML) and a letter to the agency (.docx), from a case; nothing recorded."""

    @router.post("/v1/documents/memo", tags=["web"], response_class=HTMLResponse)
    def memo(body: PreviewRequest) -> HTMLResponse:
        """The memo to file for a case (HTML, printable): facts relied on, outcomes, clauses and their words,
        what would change each outcome. Nothing is recorded."""
        from sanctuary.documents import memo_html

        case, explanation = _explained(body, jurisdiction)
        return HTMLResponse(memo_html(case, explanation, jurisdiction.agencies))

    @router.post("/v1/documents/letter", tags=["web"])
    def letter(body: PreviewRequest) -> Response:
        """A letter to the agency for a case (Word .docx). Nothing is recorded."""
        from sanctuary.documents import letter_docx

        case, explanation = _explained(body, jurisdiction)
        return Response(
            letter_docx(case, explanation, jurisdiction.agencies),
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={"Content-Disposition": 'attachment; filename="letter.docx"'},
        )


def _explained(body: PreviewRequest, jurisdiction: Jurisdiction) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case as the contract reads it (every fact given, as JSON) and its explanation; 422 if invalid."""
    case = parse_case_at(body.case, "case", partial(validate, jurisdiction=jurisdiction))
    return json.loads(case.model_dump_json(by_alias=True, exclude_unset=True)), explain(case, jurisdiction)


def _compare(jurisdiction: Jurisdiction, scenario: Scenario, upload: bytes | None, filename: str | None) -> Any:
    from sanctuary.population.compare import compare_paths
    from sanctuary.population.report import headline, write_report

    with tempfile.TemporaryDirectory(prefix="sanctuary-compare-") as folder:
        if upload is None:
            path = sample_dataset(jurisdiction)
        else:
            path = Path(folder) / Path(filename or "upload.csv").name
            path.write_bytes(upload)
        try:
            comparison = compare_paths([path], scenario, jurisdiction, chunk=200_000)
        except (ValueError, OSError) as exc:  # whatever the loaders say of a file they cannot read
            raise InvalidInputError(str(exc), BODY) from None
        out = Path(folder) / "report"
        summary = write_report(comparison, out)
        charts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.svg"))}
    summary["sources"] = [{**s, "path": Path(s["path"]).name} for s in summary.get("sources", [])]
    return {"summary": summary, "headline": headline(summary), "charts": charts}
