"""The two guards around every request, below the routes: the body-size limit and the containment of
unexpected errors. They are plain ASGI middleware (not FastAPI dependencies) because both must act before
a route reads the body, or after a route has failed in a way no exception handler took."""

from __future__ import annotations

import logging
import re
import traceback
import uuid
from urllib.parse import parse_qsl

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The service's one logger: its name is what a deployment filters on, so it stays ``sanctuary.service``.
log = logging.getLogger("sanctuary.service")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
LOGGED_PATH_CHARS = 200  # how much of a request's path a log line or an audit record keeps


def printable(text: str, limit: int = LOGGED_PATH_CHARS) -> str:
    """``text`` as a log line or a record may quote it: control characters (a newline that would start a
    forged log line, a NUL) written as ``\\xNN`` escapes, backslashes doubled so an escape cannot be faked,
    and cut to ``limit`` characters with a mark saying how much was cut."""
    cut = text[:limit]
    escaped = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", cut.replace("\\", "\\\\"))
    return escaped + (f"…(+{len(text) - limit} characters)" if len(text) > limit else "")


def control_character_in(scope: Scope) -> str | None:
    """Where a request's path or query string carries a control character (decoded), if it does: no
    resource or parameter of the service has one, and PostgreSQL cannot even compare text holding a NUL."""
    if _CONTROL.search(scope["path"]):
        return "(path)"
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if _CONTROL.search(name) or _CONTROL.search(value):
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
            await too_large(limit)(scope, receive, send)
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
                    await too_large(limit)(scope, receive, send)
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
            problem = {"path": where, "message": "control characters (such as NUL or a line break) are not allowed"}
            await JSONResponse({"detail": [problem]}, status_code=422)(scope, receive, send)
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
                answer = JSONResponse({"detail": "internal error", "error_id": error_id}, status_code=500)
                await answer(scope, receive, send)


def too_large(limit: int) -> JSONResponse:
    """The 413 answer, naming the limit so the caller knows how far to split a batch."""
    return JSONResponse({"detail": f"the request body is over the limit of {limit:,} bytes"}, status_code=413)
