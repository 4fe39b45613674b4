"""The one shape of every error the service answers: an RFC 9457 problem document.

Every 4xx and 5xx — a project error (by the one table, :data:`sanctuary.errors.HTTP_PROBLEMS`), the
framework's own (no such path, a method the path lacks, a key refused), the body limit, a contained 500, and
the server's own answers before the application runs (a request that cannot be parsed, one that does not
arrive in time, too many at once) — is ``application/problem+json`` with these members:

- ``type``: a URI naming the kind of problem, stable across releases: :data:`PROBLEM_BASE` followed by the
  kind (``https://sanctuary.invalid/problems/invalid-input``). The host is under ``.invalid`` (RFC 2606) on
  purpose: the URI is an identifier a client compares, not a page to fetch; docs/service.md lists the kinds.
- ``title``: the kind in words, the same for every problem of that kind;
- ``status``: the HTTP status, repeated;
- ``detail``: what went wrong this time, in words;
- ``instance``: the request's path, cut to :data:`INSTANCE_CHARS` characters and percent-encoded, so it holds
  no control character (a crafted path cannot forge anything where the document is shown or logged);
- ``errors`` (bad input, and any problem that names its field): every problem with its field path,
  ``[{"path": "person.convictions[0].level", "message": "…"}]``;
- ``error_id`` (a contained 500): the id under which the server's log has the error.

This module imports nothing of the service, so the middleware, the handlers and the server can all use it.
"""

from __future__ import annotations

import http
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from fastapi.responses import JSONResponse

from sanctuary.errors import HTTP_PROBLEMS, HttpProblem, InvalidInputError, NotFoundError, SanctuaryError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://sanctuary.invalid/problems/"
INSTANCE_CHARS = 200  # how much of a request's path a problem document quotes

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
LOGGED_PATH_CHARS = 200  # how much of a request's path a log line or an audit record keeps

#: The problems answered by status rather than by a project error: the framework's (401 and 403 from the key
#: check, 404 for a path nothing serves, 405), the guards' (413, the contained 500) and the server's (400 for
#: a request it cannot parse, 408 for one that does not arrive in time, 503 when too many are served at once).
STATUS_PROBLEMS: dict[int, HttpProblem] = {
    400: HttpProblem(400, "unreadable-request", "The request cannot be read"),
    401: HttpProblem(401, "unauthorized", "A valid API key is needed"),
    403: HttpProblem(403, "forbidden", "The key's role may not do this"),
    404: HTTP_PROBLEMS[NotFoundError],
    405: HttpProblem(405, "method-not-allowed", "The path does not answer this method"),
    408: HttpProblem(408, "request-timeout", "The request did not arrive in time"),
    413: HttpProblem(413, "too-large", "The request body is over the size limit"),
    422: HTTP_PROBLEMS[InvalidInputError],
    500: HTTP_PROBLEMS[SanctuaryError],
    503: HttpProblem(503, "overloaded", "The server is serving too many requests"),
}


def printable(text: str, limit: int = LOGGED_PATH_CHARS) -> str:
    """``text`` as a log line or a record may quote it: control characters (a newline that would start a
    forged log line, a NUL) written as ``\\xNN`` escapes, backslashes doubled so an escape cannot be faked,
    and cut to ``limit`` characters with a mark saying how much was cut."""
    cut = text[:limit]
    escaped = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", cut.replace("\\", "\\\\"))
    return escaped + (f"…(+{len(text) - limit} characters)" if len(text) > limit else "")


def instance(path: str) -> str:
    """A request's path as a problem's ``instance``: cut to :data:`INSTANCE_CHARS` characters and
    percent-encoded (a relative URI reference with no control character, space or quote)."""
    return quote(path[:INSTANCE_CHARS], safe="/:@!$&'()*+,;=-._~")


def status_problem(status: int) -> HttpProblem:
    """The kind of a problem answered by status: from :data:`STATUS_PROBLEMS`, or the status's own name."""
    known = STATUS_PROBLEMS.get(status)
    if known is not None:
        return known
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = f"HTTP {status}"
    return HttpProblem(status, re.sub(r"[^a-z0-9]+", "-", phrase.lower()).strip("-"), phrase)


def field_errors(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """The ``errors`` member: each problem's field path and message."""
    return [{"path": path, "message": message} for path, message in pairs]


def summary(errors: list[dict[str, str]], shown: int = 3) -> str:
    """A ``detail`` for a list of field problems: the first few, each with its path, and how many more."""
    words = "; ".join(f"{e['path']}: {e['message']}" if e["path"] else e["message"] for e in errors[:shown])
    more = len(errors) - shown
    return words + (f"; and {more} more (see errors)" if more > 0 else "")


def problem_body(
    kind: HttpProblem,
    detail: str,
    path: str | None,
    errors: list[dict[str, str]] | None = None,
    **extensions: str,
) -> dict[str, Any]:
    """The problem document: its members in the order RFC 9457 lists them, then the extensions."""
    body: dict[str, Any] = {"type": PROBLEM_BASE + kind.kind, "title": kind.title, "status": kind.status}
    body["detail"] = detail
    if path is not None:
        body["instance"] = instance(path)
    if errors is not None:
        body["errors"] = errors
    return body | extensions


class ProblemResponse(JSONResponse):
    """A JSON response served as ``application/problem+json``."""

    media_type = PROBLEM_MEDIA_TYPE


def problem(
    kind: HttpProblem,
    detail: str,
    path: str | None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: str,
) -> ProblemResponse:
    """The answer: :func:`problem_body` with the kind's status, and ``headers`` (``Retry-After``,
    ``WWW-Authenticate``, ``Allow``) kept."""
    body = problem_body(kind, detail, path, errors, **extensions)
    return ProblemResponse(body, status_code=kind.status, headers=dict(headers) if headers else None)


def problem_parts(
    status: int, detail: str, headers: Mapping[str, str] | None = None
) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """A problem document's headers and body, for the server to send where no application runs (a request it
    cannot parse, one too slow, one too many): no ``instance``, as the path may not be known."""
    content = json.dumps(problem_body(status_problem(status), detail, None)).encode()
    fields = {"content-type": PROBLEM_MEDIA_TYPE, **(headers or {}), "content-length": str(len(content))}
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in fields.items()], content


def raw_problem(status: int, detail: str, headers: Mapping[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 response holding a problem document, after which the server closes the connection."""
    fields, content = problem_parts(status, detail, {**(headers or {}), "connection": "close"})
    head = f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\n".encode("latin-1")
    return head + b"".join(name + b": " + value + b"\r\n" for name, value in fields) + b"\r\n" + content
