"""The pages and the JSON they use (``docs/web.md``). Nothing here is recorded: the workbench previews a
decision without recording it (an officer records one through ``POST /v1/decisions``), the law browser reads
the rule trees, and the comparison runs the population pipeline on the bundled sample or an upload."""

import datetime as dt
import json
import re
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from sanctuary.engine.budget import validate_within_budget
from sanctuary.engine.compare import compare_case, diff_regimes
from sanctuary.engine.door import answer as door_answer
from sanctuary.engine.door import door_guide
from sanctuary.engine.door import sheet as door_guidance_sheet
from sanctuary.engine.explain import explain
from sanctuary.errors import BODY, BusyError, InvalidInputError
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.law.reform import reformable
from sanctuary.population.evaluate import Scenario
from sanctuary.population.pack import write_synthetic
from sanctuary.web import upload
from sanctuary.web.law import overview, rule_view

STATIC = Path(str(resources.files("sanctuary.web").joinpath("static")))
PAGES = {
    "/": "index.html",
    "/workbench": "workbench.html",
    "/compare": "compare.html",
    "/law": "law.html",
    "/door": "door.html",
    "/door/sheet": "door-sheet.html",
}
SAMPLE_RECORDS = 5_000
# Previews need no key: however many arrive, at most this many are explained at once (the others get 503), so
# anonymous work holds at most two of the server's worker threads and officers' decisions go on.
PREVIEWS_AT_ONCE = 2
MAX_UPLOAD_BYTES = 25 * 1_048_576
MAX_CSV = 10 * 1_048_576  # the transitions file sent with a comparison for the page to offer as a download
# The formats a file name may tell (the loaders' own detection reads the header too).
UPLOAD_NAME = re.compile(r"^[\w .-]{1,120}\.(csv|csv\.gz|jsonl|ndjson|parquet)$", re.IGNORECASE)


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case: dict[str, Any] = Field(description="A case in the contract format (schema/case.schema.json).")


class ReformRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reform: str = Field(max_length=262_144, description="A reform file's TOML text (docs/reform-format.md).")
    baseline: str = Field(default="nyc-2017", max_length=64, description="The regime the proposal is compared with.")
    case: dict[str, Any] | None = Field(default=None, description="A case to decide under both (optional).")


_samples: dict[str, Path] = {}  # by jurisdiction id


def sample_dataset(jurisdiction: Jurisdiction) -> Path:
    """The bundled sample: 5,000 synthetic records (seeded), made once per process by the jurisdiction's
    generator (calibrated on its public data)."""
    if jurisdiction.id not in _samples:
        folder = Path(tempfile.mkdtemp(prefix="sanctuary-sample-"))
        _samples[jurisdiction.id] = write_synthetic(
            jurisdiction, SAMPLE_RECORDS, folder / "synthetic-sample.parquet", 2026
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

    _preview_route(router, jurisdiction)
    _door_routes(router, jurisdiction)
    _document_routes(router, jurisdiction)

    @router.get("/v1/law", tags=["web"])
    def law() -> dict[str, Any]:
        """Every regime with its dates and sources, and the agencies and actions the rules cover."""
        return overview(jurisdiction)

    @router.get("/v1/law/diff", tags=["web"])
    def law_diff(old: str, new: str) -> dict[str, Any]:
        """What ``new`` changes against ``old``, clause by clause."""
        return diff_regimes(jurisdiction, old, new)

    @router.post("/v1/reforms", tags=["web"])
    def reform(body: ReformRequest) -> dict[str, Any]:
        """A reform file checked and set against a regime, recording nothing: its proposal with the hash of its law
        data, what it changes clause by clause, and, given a case, the case under both. A file that cannot be used
        is a 422 naming its line and field."""
        return reform_answer(jurisdiction, body)

    @router.get("/v1/law/{regime_id}/{agency}/{action}", tags=["web"])
    def law_rule(regime_id: str, agency: str, action: str) -> dict[str, Any]:
        """One rule: its tree, with the clause each condition implements and the statute's words."""
        return rule_view(jurisdiction, regime_id, agency, action)

    _compare_route(router, jurisdiction, analyst)
    return router


def _preview_route(router: APIRouter, jurisdiction: Jurisdiction) -> None:
    previews = threading.BoundedSemaphore(PREVIEWS_AT_ONCE)

    @router.post("/v1/preview", tags=["web"])
    def preview(body: PreviewRequest) -> dict[str, Any]:
        """Decide and explain a case without recording it (the workbench's live answer). Needs no key, so at
        most two run at once (more: 503 with Retry-After), and the case's lists are capped
        (``sanctuary.engine.budget``)."""
        check = partial(validate_within_budget, jurisdiction=jurisdiction)
        case = jurisdiction.case_format.parse_at(body.case, "case", check)
        if not previews.acquire(blocking=False):
            raise BusyError("other previews are being explained: try again in a moment")
        try:
            return explain(case, jurisdiction)
        finally:
            previews.release()


def _door_routes(router: APIRouter, jurisdiction: Jurisdiction) -> None:
    """The worker at the door: the form, an answer, a setting's sheet (public; nothing recorded)."""

    @router.get("/v1/door/form", tags=["web"])
    def door_form() -> dict[str, Any]:
        """The door page's questions and choices, in the jurisdiction's words."""
        return door_guide(jurisdiction).form()

    @router.post("/v1/door", tags=["web"])
    def door(body: Annotated[dict[str, Any], Body(description="A door question (docs/law/nyc/door.md).")]) -> Any:
        """Answer a worker at the door: the result, one sentence, the clause, what to say, whom to call, the
        duties that follow and what would change it. Nothing is recorded."""
        return door_answer(body, jurisdiction, today=dt.date.today())

    @router.get("/v1/door/sheet/{setting}", tags=["web"])
    def door_sheet(setting: str) -> dict[str, Any]:
        """A setting's one-page guidance sheet."""
        return door_guidance_sheet(jurisdiction, setting, today=dt.date.today())


def _compare_route(router: APIRouter, jurisdiction: Jurisdiction, analyst: Callable[..., Any]) -> None:
    @router.post("/v1/compare", tags=["web"], dependencies=[Depends(analyst)])
    async def compare(
        request: Request,
        regimes: Annotated[str, Query(description="Comma-separated; the first is the baseline.")],
        action: Annotated[list[str] | None, Query()] = None,
        assume: Annotated[list[str] | None, Query()] = None,
        request_scenario: Annotated[
            str | None, Query(alias="request", description="The request supposed (default: the pack's usual one).")
        ] = None,
        dataset: Annotated[str, Query(pattern="^(sample|upload)$")] = "sample",
        filename: str | None = None,
    ) -> dict[str, Any]:
        """A population under several regimes: the report's summary, headline and charts (analysts)."""
        scenario = Scenario.from_options(jurisdiction, regimes, action, assume, request_scenario)
        if dataset == "sample":
            return await run_in_threadpool(_compare, jurisdiction, scenario, sample_dataset(jurisdiction))
        if not filename or not UPLOAD_NAME.match(filename):
            raise InvalidInputError("give the file's name, ending .csv, .csv.gz, .jsonl or .parquet", "filename")
        with tempfile.TemporaryDirectory(prefix="sanctuary-upload-") as folder:
            # Streamed to a file, checked by content and (gzip) inflated within bounds: web/upload.py.
            path = await upload.receive(request.stream(), Path(folder), filename)
            return await run_in_threadpool(_compare, jurisdiction, scenario, path)


def reform_answer(jurisdiction: Jurisdiction, body: ReformRequest) -> dict[str, Any]:
    if body.baseline not in jurisdiction.regimes:
        known = ", ".join(jurisdiction.regimes)
        raise InvalidInputError(f"unknown regime {body.baseline!r} (known: {known})", "baseline")
    derived = reformable(jurisdiction, "reform").with_reform(body.reform, "reform")
    reform_id = next(r for r in derived.regimes if r not in jurisdiction.regimes)
    regime = derived.regimes[reform_id]
    answer: dict[str, Any] = {
        "regime": regime.describe() | {"law_hash": derived.law_hash(regime)},
        "diff": diff_regimes(derived, body.baseline, reform_id),
    }
    if body.case is not None:
        check = partial(validate_within_budget, jurisdiction=derived)
        case = derived.case_format.parse_at(body.case, "case", check)
        answer["comparison"] = compare_case(case, derived, [body.baseline, reform_id])
    return answer


def _document_routes(router: APIRouter, jurisdiction: Jurisdiction) -> None:
    """The documents to file: a memo (HTML) and a letter to the agency (.docx), from a case; nothing recorded."""

    @router.post("/v1/documents/memo", tags=["web"], response_class=HTMLResponse)
    def memo(body: PreviewRequest) -> HTMLResponse:
        """The memo to file for a case (HTML, printable): facts relied on, outcomes, clauses and their words,
        what would change each outcome. Nothing is recorded."""
        from sanctuary.documents import memo_html

        case, explanation = _explained(body, jurisdiction)
        return HTMLResponse(memo_html(case, explanation, jurisdiction.agencies))

    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    described: dict[int | str, dict[str, Any]] = {
        200: {"description": "The letter (.docx).", "content": {docx: {"schema": {"format": "binary"}}}}
    }

    @router.post("/v1/documents/letter", tags=["web"], response_class=Response, responses=described)
    def letter(body: PreviewRequest) -> Response:
        """A letter to the agency for a case (Word .docx). Nothing is recorded."""
        from sanctuary.documents import letter_docx

        case, explanation = _explained(body, jurisdiction)
        return Response(
            letter_docx(case, explanation, jurisdiction.agencies),
            media_type=docx,
            headers={"Content-Disposition": 'attachment; filename="letter.docx"'},
        )


def _explained(body: PreviewRequest, jurisdiction: Jurisdiction) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case as the contract reads it (every fact given, as JSON) and its explanation; 422 if invalid. The case's
    lists are capped as a preview's are (``sanctuary.engine.budget``): these routes need no key either."""
    check = partial(validate_within_budget, jurisdiction=jurisdiction)
    case = jurisdiction.case_format.parse_at(body.case, "case", check)
    return json.loads(case.model_dump_json(by_alias=True, exclude_unset=True)), explain(case, jurisdiction)


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
        changed = out / summary["transitions_file"]
        # Every changed record, for the page's download link, when it is a spreadsheet's size.
        csv_text = (
            changed.read_text(encoding="utf-8")
            if changed.suffix == ".csv" and changed.stat().st_size <= MAX_CSV
            else None
        )
    summary["sources"] = [{**s, "path": Path(s["path"]).name} for s in summary.get("sources", [])]
    return {"summary": summary, "headline": headline(summary), "charts": charts, "transitions_csv": csv_text}


def _first_line(exc: BaseException) -> str:
    """The reader's message, cut to its first line and 300 characters (Polars' run to pages of hints)."""
    text = str(exc).strip().splitlines()
    return (text[0][:300] if text else "") or type(exc).__name__
