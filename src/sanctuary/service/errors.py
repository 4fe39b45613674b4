"""What the service answers when it refuses, and how its OpenAPI description says so.

Every refusal and every failure is an RFC 9457 problem document (:mod:`sanctuary.service.problems`): bad
input gets 422 with the path of each problem in ``errors`` — the same shape whether pydantic, the case
contract's parser or a route found it — and the rest their status's kind, so a client handles one form of
error. A project error's status and kind come from the one table (:data:`sanctuary.errors.HTTP_PROBLEMS`);
the framework's own errors (401 and 403 from the key check, 404, 405) from their status. The framework's
422 shape is replaced in both the answers (the handlers here) and the description (:func:`openapi`), which
also lists the 401, 403, 404, 413, 500 and 503 answers where they can happen — the framework cannot know of
them, since they come from dependencies, middleware and handlers it does not look into — and types the case
in each body that carries one with the jurisdiction's own case schema (the one ``GET /v1/schema/case``
serves).
"""

from __future__ import annotations

import copy
import http
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException as StarletteHTTPException

from sanctuary.errors import BODY, HTTP_PROBLEMS, SanctuaryError, UnavailableError, http_problem
from sanctuary.facts.case import CaseError, CaseFormat, format_path
from sanctuary.service.docket import SET_BY_DOCKET
from sanctuary.service.problems import (
    PROBLEM_BASE,
    PROBLEM_MEDIA_TYPE,
    STATUS_PROBLEMS,
    ProblemResponse,
    field_errors,
    problem,
    status_problem,
    summary,
)


async def invalid_body(request: Request, exc: RequestValidationError) -> ProblemResponse:
    """The framework's validation errors as the service's problems: a path and a message each."""
    pairs = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            pairs.append((BODY, "the body is not valid JSON"))
            continue
        loc = tuple(p for p in error.get("loc", ()) if p != "body")
        pairs.append((format_path(loc) or BODY, str(error.get("msg", "invalid"))))
    errors = field_errors(pairs)
    return problem(STATUS_PROBLEMS[422], summary(errors), request.url.path, errors=errors)


async def project_error(request: Request, exc: Exception) -> ProblemResponse:
    """The answer to a project error, by the one table (:data:`sanctuary.errors.HTTP_PROBLEMS`): 422 with every
    problem and its path (a case's problems, or the one field); any other with the message, and the field
    it names, if any, in ``errors``; 503 with ``Retry-After`` (nothing was done: the client may send it again)."""
    assert isinstance(exc, SanctuaryError)
    kind = http_problem(exc)
    if isinstance(exc, CaseError) and exc.problems:
        errors = field_errors((p.path, p.message) for p in exc.problems)
    elif exc.field or kind.status == 422:
        errors = field_errors([(exc.field or BODY, str(exc))])
    else:
        errors = None
    retry = {"Retry-After": str(exc.retry_after)} if isinstance(exc, UnavailableError) else None
    detail = summary(errors) if errors and kind.status == 422 else str(exc) or kind.title
    return problem(kind, detail, request.url.path, errors=errors, headers=retry)


def handle_project_errors(app: FastAPI) -> None:
    """Register :func:`project_error` for every family the table gives a 4xx or a 503 (the rest stay contained
    500s, answered by :class:`~sanctuary.service.middleware.Contain`)."""
    for error_class, kind in HTTP_PROBLEMS.items():
        if kind.status < 500 or kind.status == 503:
            app.add_exception_handler(error_class, project_error)


async def http_error(request: Request, exc: StarletteHTTPException) -> ProblemResponse:
    """The framework's HTTP errors (a refused key, no such path, a method the path lacks) as problems, their
    headers (``WWW-Authenticate``, ``Allow``) kept; a body the framework could not read (not UTF-8, say) is
    bad input, like the rest."""
    path = request.url.path
    if exc.status_code == 400:
        errors = field_errors([(BODY, "the body cannot be read as JSON")])
        return problem(STATUS_PROBLEMS[422], summary(errors), path, errors=errors)
    kind = status_problem(exc.status_code)
    detail = exc.detail if isinstance(exc.detail, str) else kind.title
    if detail == _phrase(exc.status_code):  # the framework's bare words: say what they mean here
        detail = _framework_detail(request, exc)
    return problem(kind, detail, path, headers=exc.headers)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _framework_detail(request: Request, exc: StarletteHTTPException) -> str:
    if exc.status_code == 404:
        return "nothing is served at this path"
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        return f"this path does not answer {request.method}" + (f" (it answers {allowed})" if allowed else "")
    return status_problem(exc.status_code).title


def openapi(app: FastAPI, case_format: CaseFormat | None = None) -> dict[str, Any]:
    """The OpenAPI description, saying what the service really answers: problem documents (with the field
    problems of bad input) for 401, 403, 404, 413, 422, 500 and 503 where they can happen, and the case typed
    by ``case_format``'s schema in every body that carries one."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                         tags=app.openapi_tags)  # fmt: skip
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.update(PROBLEM_SCHEMAS)
    if case_format is not None:
        type_cases(schemas, case_format.json_schema())
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            _document_errors(path, method, responses, bool(operation.get("security")))
            for status, answer in responses.items():
                if str(status)[0] in "45":
                    answer["content"] = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    app.openapi_schema = schema
    return schema


PROBLEM_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "An RFC 9457 problem document: the one shape of every 4xx and 5xx answer.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {
                "type": "string",
                "format": "uri",
                "description": f"The kind of problem, stable: {PROBLEM_BASE}<kind> (docs/service.md lists them).",
            },
            "title": {"type": "string", "description": "The kind in words (the same for every problem of a kind)."},
            "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status."},
            "detail": {"type": "string", "description": "What went wrong this time, in words."},
            "instance": {
                "type": "string",
                "format": "uri-reference",
                "description": "The request's path (percent-encoded, cut to 200 characters).",
            },
            "errors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FieldProblem"},
                "description": "Bad input (and a refusal naming its field): every problem, with its field path.",
            },
            "error_id": {"type": "string", "description": "A 500's id in the server's log."},
        },
    },
    "FieldProblem": {
        "type": "object",
        "required": ["path", "message"],
        "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
    },
}

#: The request bodies that carry a case, with the case schema's component each property is typed by: a case as
#: the contract has it, or as the docket takes it (without the day and the regime, which the docket sets). A
#: docket change's ``case`` is a merge patch (``null`` removes a fact), not a case: it stays an object.
CASE_BODIES: dict[str, str] = {
    "DecisionRequest": "Case",
    "ExplainRequest": "Case",
    "PreviewRequest": "Case",
    "ReformRequest": "Case",
    "MatterRequest": "DocketCase",
}


def type_cases(schemas: dict[str, Any], case_schema: dict[str, Any]) -> None:
    """Add the jurisdiction's case schema to ``schemas`` (``Case``, ``DocketCase``, and its definitions as
    ``Case<Name>``) and point the ``case`` property of each of :data:`CASE_BODIES` at it."""
    found = copy.deepcopy(case_schema)
    found.pop("$schema", None)
    definitions = found.pop("$defs", {})
    schemas.update({f"Case{name}": _moved(value) for name, value in definitions.items()})
    schemas["Case"] = _moved(found)
    docket = copy.deepcopy(schemas["Case"])
    for name in SET_BY_DOCKET:
        docket.get("properties", {}).pop(name, None)
    docket["required"] = [r for r in docket.get("required", []) if r not in SET_BY_DOCKET]
    docket["description"] = "A case as the docket takes it: without decision_date and regime, which it sets."
    schemas["DocketCase"] = docket
    for body, component in CASE_BODIES.items():
        properties = schemas.get(body, {}).get("properties", {})
        if "case" not in properties:
            continue
        typed = {"$ref": f"#/components/schemas/{component}"}
        given = properties["case"]
        nullable = any(option.get("type") == "null" for option in given.get("anyOf", []))
        properties["case"] = {"anyOf": [typed, {"type": "null"}]} if nullable else typed
        if "description" in given:
            properties["case"]["description"] = given["description"]


def _moved(schema: Any) -> Any:
    """``schema`` with its references to its own definitions (``#/$defs/X``) pointing at the components."""
    if isinstance(schema, dict):
        moved = {key: _moved(value) for key, value in schema.items()}
        ref = moved.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            moved["$ref"] = "#/components/schemas/Case" + ref.removeprefix("#/$defs/")
        return moved
    if isinstance(schema, list):
        return [_moved(item) for item in schema]
    return schema


def _document_errors(path: str, method: str, responses: dict[str, Any], secured: bool) -> None:
    """Add to one operation's responses the errors it can answer (each a problem document)."""

    def answer(description: str) -> dict[str, Any]:
        return {"description": description}

    if secured:
        responses["401"] = answer("No API key, an unknown one, or a revoked one (recorded; WWW-Authenticate).")
        responses["403"] = answer("The key's role may not do this (recorded).")
    if path != "/healthz":
        responses["422"] = answer("Invalid input: every problem, with its path, in errors.")
    if "{" in path:
        responses.setdefault("404", answer("No such decision, regime, key or matter."))
    if method in ("post", "put", "patch"):
        responses["413"] = answer("The body is over the size limit.")
    responses["500"] = answer("An unexpected error, with an id for the server's log (error_id).")
    if path == "/healthz":
        responses["503"] = answer("The service runs but its database does not answer (Retry-After).")
    elif secured or method == "post":
        responses["503"] = answer("The database cannot answer now, or too many previews at once; nothing was done: "
                                  "retry after Retry-After.")  # fmt: skip
