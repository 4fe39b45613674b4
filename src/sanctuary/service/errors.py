"""What the service answers when it refuses, and how its OpenAPI description says so.

Bad input gets 422 with the path of each problem — the same shape whether pydantic, the case contract's
parser or a route found it — so a client handles one form of error. The framework's own 422 shape is
replaced in both the answers (the handlers here) and the description (:func:`openapi`), which also lists the
401, 403, 404, 413 and 500 answers where they can happen: the framework cannot know of them, since they
come from dependencies, middleware and handlers it does not look into.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sanctuary.errors import BODY, HTTP_STATUSES, SanctuaryError, UnavailableError, http_status
from sanctuary.facts.case import CaseError, Problem, format_path


async def invalid_body(request: Request, exc: RequestValidationError) -> JSONResponse:
    """The framework's validation errors as the service's problems: a path and a message each."""
    problems = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            problems.append({"path": "(body)", "message": "the body is not valid JSON"})
            continue
        loc = tuple(p for p in error.get("loc", ()) if p != "body")
        problems.append({"path": format_path(loc) or "(body)", "message": str(error.get("msg", "invalid"))})
    return JSONResponse({"detail": problems}, status_code=422)


async def project_error(request: Request, exc: Exception) -> JSONResponse:
    """The answer to a project error, by the one table (:data:`sanctuary.errors.HTTP_STATUSES`): 422 with every
    problem and its path (a case's problems, or the one field), 409 with the field, 404 with the message."""
    assert isinstance(exc, SanctuaryError)
    status = http_status(exc)
    if isinstance(exc, UnavailableError):  # nothing was done: the client may send it again, later
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": str(exc.retry_after)})
    if status not in (409, 422):  # a conflict names its field as a problem does
        return JSONResponse({"detail": str(exc)}, status_code=status)
    problems = exc.problems if isinstance(exc, CaseError) else [Problem(exc.field or BODY, str(exc))]
    return JSONResponse({"detail": [{"path": p.path, "message": p.message} for p in problems]}, status_code=status)


def handle_project_errors(app: FastAPI) -> None:
    """Register :func:`project_error` for every family the table gives a 4xx or a 503 (the rest stay contained
    500s)."""
    for error_class, status in HTTP_STATUSES.items():
        if status < 500 or status == 503:
            app.add_exception_handler(error_class, project_error)


async def invalid_case(request: Request, exc: CaseError) -> JSONResponse:
    """A case (or an action) the contract refuses: every problem it found, with its path."""
    return JSONResponse({"detail": [{"path": p.path, "message": p.message} for p in exc.problems]}, 422)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """The framework's answer to an HTTP error, but for a body it could not read: that is bad input too."""
    if exc.status_code == 400:  # a body the framework could not read (not UTF-8, say): bad input, like the rest
        return JSONResponse({"detail": [{"path": "(body)", "message": "the body cannot be read as JSON"}]}, 422)
    return await http_exception_handler(request, exc)


def openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI description, saying what the service really answers: its own 422 shape (a list of
    problems with paths), and 401, 403, 404 and 413 where they can happen."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                         tags=app.openapi_tags)  # fmt: skip
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Problem"] = {
        "type": "object",
        "required": ["path", "message"],
        "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
    }
    schemas["Problems"] = {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}},
    }
    schemas["Error"] = {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}, "error_id": {"type": "string"}},
    }
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            _document_errors(path, method, operation.setdefault("responses", {}), bool(operation.get("security")))
    app.openapi_schema = schema
    return schema


def _document_errors(path: str, method: str, responses: dict[str, Any], secured: bool) -> None:
    """Add to one operation's responses the errors it can answer, each with its body's schema."""

    def answer(description: str, name: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }

    if secured:
        responses["401"] = answer("No API key, an unknown one, or a revoked one (recorded).", "Error")
        responses["403"] = answer("The key's role may not do this (recorded).", "Error")
    if path != "/healthz":
        responses["422"] = answer("Invalid input: every problem, with its path.", "Problems")
    if "{" in path:
        responses["404"] = answer("No such decision, regime or key.", "Error")
    if method in ("post", "put", "patch"):
        responses["413"] = answer("The body is over the size limit.", "Error")
    responses["500"] = answer("An unexpected error, with an id for the server's log.", "Error")
    if path != "/healthz" and (secured or method == "post"):
        responses["503"] = answer("The database cannot answer now; nothing was done: retry after Retry-After.", "Error")
    if path == "/healthz":
        responses["503"] = {"description": "The service runs but its database does not answer."}
