"""The two guards around every request, below the routes: the body-size limit and the containment of
unexpected errors. They are plain ASGI middleware (not FastAPI dependencies) because both must act before
a route reads the body, or after a route has failed in a way no exception handler took."""

from __future__ import annotations

import logging
import traceback
import uuid
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctuary.service.problems import CONTROL, LOGGED_PATH_CHARS, STATUS_PROBLEMS, ProblemResponse, printable, problem

__all__ = ["LOGGED_PATH_CHARS", "BodyLimit", "Contain", "control_character_in", "printable", "too_large"]

# The service's one logger: its name is what a deployment filters on, so it stays ``sanctuary.service``.
log = logging.getLogger("sanctuary.service")


def control_character_in(scope: Scope) -> str | None:
    """Where a request's path or query string carries a control character (decoded), if it does: no
    resource or parameter of the service has one, and PostgreSQL cannot even compare text holding a NUL."""
    if CONTROL.search(scope["path"]):
        return "(path)"
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if CONTROL.search(name) or CONTROL.search(value):
            return printable(name, 60) or "(query)"
    return None


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413, whether or not it declares its length."""

    def __init__(self, app: ASGIApp, limit: int, larger: dict[str, int] | None = None) -> None:
        self.app, self.default, self.larger = app, limit, larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.default)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await too_large(limit, scope["path"])(scope, receive, send)
            return
        if declared is None:
            # No declared length (a chunked body): read it here, up to the limit, then hand it on whole.
            messages: list[Message] = []
            seen = 0
            while True:
                message = await receive()
                messages.append(message)
                seen += len(message.get("body", b""))
                if seen > limit:
                    await too_large(limit, scope["path"])(scope, receive, send)
                    return
                if message["type"] != "http.request" or not message.get("more_body", False):
                    break
            replay = iter(messages)

            async def replayed() -> Message:
                return next(replay, None) or await receive()

            await self.app(scope, replayed, send)
            return
        await self.app(scope, receive, send)


class Contain:
    """The outermost guard: an error no handler took becomes a 500 with an error id. The log gets the id, the
    error's type and where it happened — never its message, which may quote the request — and the error goes
    no further (the server would otherwise log it whole)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = control_character_in(scope)
        if where is not None:
            message = "control characters (such as NUL or a line break) are not allowed"
            refused = problem(STATUS_PROBLEMS[422], f"{where}: {message}", scope["path"],
                              errors=[{"path": where, "message": message}])  # fmt: skip
            await refused(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            error_id = uuid.uuid4().hex[:12]
            where = "".join(traceback.format_tb(exc.__traceback__)[-3:])
            path = printable(scope["path"])  # never the raw path: a crafted one would forge log lines
            log.error("error %s: %s in %s %s\n%s", error_id, type(exc).__name__, scope["method"], path, where)
            if not started:
                detail = f"an unexpected error; the server's log has it under the id {error_id}"
                answer = problem(STATUS_PROBLEMS[500], detail, scope["path"], error_id=error_id)
                await answer(scope, receive, send)


def too_large(limit: int, path: str) -> ProblemResponse:
    """The 413 answer, naming the limit so the caller knows how far to split a batch."""
    return problem(STATUS_PROBLEMS[413], f"the request body is over the limit of {limit:,} bytes", path)
