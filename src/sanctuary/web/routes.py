"""The pages and the JSON they use (``docs/web.md``). Nothing here is recorded: the workbench previews a
decision without recording it (an officer records one through ``POST /v1/decisions``), the law browser reads
the rule trees, and the comparison runs the population pipeline on the bundled sample or an upload."""

import datetime as dt
import re
import tempfile
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from sanctuary.engine import validate
from sanctuary.engine.compare import diff_regimes
from sanctuary.engine.door import answer as door_answer
from sanctuary.engine.door import door_guide
from sanctuary.engine.door import sheet as door_guidance_sheet
from sanctuary.engine.explain import explain
from sanctuary.errors import BODY, InvalidInputError
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.population.evaluate import Scenario
from sanctuary.population.pack import write_synthetic
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
MAX_UPLOAD_BYTES = 25 * 1_048_576
MAX_CSV = 10 * 1_048_576  # the transitions file sent with a comparison for the page to offer as a download
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

    @router.post("/v1/preview", tags=["web"])
    def preview(body: PreviewRequest) -> dict[str, Any]:
        """Decide and explain a case without recording it (the workbench's live answer)."""
        return explain(
            jurisdiction.case_format.parse_at(body.case, "case", partial(validate, jurisdiction=jurisdiction)),
            jurisdiction,
        )

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
        request_scenario: Annotated[
            str | None, Query(alias="request", description="The request supposed (default: ICE's usual request).")
        ] = None,
        dataset: Annotated[str, Query(pattern="^(sample|upload)$")] = "sample",
        filename: str | None = None,
    ) -> dict[str, Any]:
        """A population under several regimes: the report's summary, headline and charts (analysts)."""
        from starlette.concurrency import run_in_threadpool

        scenario = Scenario.from_options(jurisdiction, regimes, action, assume, request_scenario)
        upload: bytes | None = None
        if dataset == "upload":
            if not filename or not UPLOAD_NAME.match(filename):
                raise InvalidInputError("give the file's name, ending .csv, .csv.gz, .jsonl or .parquet", "filename")
            upload = await request.body()
            if not upload:
                raise InvalidInputError("the uploaded file is empty", BODY)
        return await run_in_threadpool(_compare, jurisdiction, scenario, upload, filename)

    return router


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
        changed = out / summary["transitions_file"]
        # Every changed record, for the page's download link, when it is a spreadsheet's size.
        csv_text = (
            changed.read_text(encoding="utf-8")
            if changed.suffix == ".csv" and changed.stat().st_size <= MAX_CSV
            else None
        )
    summary["sources"] = [{**s, "path": Path(s["path"]).name} for s in summary.get("sources", [])]
    return {"summary": summary, "headline": headline(summary), "charts": charts, "transitions_csv": csv_text}
