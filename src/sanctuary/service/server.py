"""How ``sanctuary serve`` runs the service: uvicorn, with a deadline for receiving each request and a limit
on the requests served at once.

uvicorn times out a keep-alive connection that sends nothing, but not one that sends a request slowly: any
byte resets its timer, so a client drip-feeding headers or a body holds a connection (and its file
descriptor) for as long as it likes, and about a thousand such clients locked every new client out. Here each
request must arrive whole — request line, headers and body — within :data:`RECEIVE_SECONDS` of the
connection opening or of the previous answer, or the connection is closed (with a 408 answer when a request
had begun). Past :data:`MAX_CONCURRENCY` connections and requests at once, the server answers 503 at once
instead of queueing. These answers, and the 400 for a request that cannot be parsed, are written by the server
itself, before any application runs; they are problem documents like every other error
(:func:`sanctuary.service.problems.raw_problem`), not uvicorn's plain text.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sanctuary.service.problems import problem_parts, raw_problem

RECEIVE_SECONDS = 20.0  # a 25 MiB upload at 10 Mbit/s takes 21 s; over a local network, well under
MAX_CONCURRENCY = 512  # connections and requests at once (the process's descriptors stay well within 1,024)


async def overloaded(scope: Any, receive: Any, send: Any) -> None:
    """The answer to a request past the limit of requests at once: 503 with ``Retry-After``, the service's
    application not run."""
    detail = "the server is serving too many requests at once: retry later"
    headers, content = problem_parts(503, detail, {"Retry-After": "1", "connection": "close"})
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def deadline_protocol(
    receive_seconds: float = RECEIVE_SECONDS, max_concurrency: int | None = None
) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol, closing a connection whose request does not arrive whole in time, and
    answering its own refusals (400, 408, and 503 past ``max_concurrency``) as problem documents."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class Deadline(HttpToolsProtocol):
        _receiving: asyncio.TimerHandle | None = None
        _begun = False  # whether a request has begun to arrive since the timer was armed

        def on_message_begin(self) -> None:
            self._begun = True
            super().on_message_begin()

        def on_headers_complete(self) -> None:
            over = max_concurrency is not None and (
                len(self.connections) >= max_concurrency or len(self.tasks) >= max_concurrency
            )
            if not over:
                super().on_headers_complete()
                return
            app, self.app = self.app, overloaded  # this request only: answered at once, the app not run
            try:
                super().on_headers_complete()
            finally:
                self.app = app

        def send_400_response(self, msg: str) -> None:
            self.transport.write(raw_problem(400, f"the request cannot be parsed as HTTP/1.1 ({msg})"))
            self.transport.close()

        def _arm(self) -> None:
            self._disarm()
            self._begun = False
            self._receiving = self.loop.call_later(receive_seconds, self._too_slow)

        def _disarm(self) -> None:
            if self._receiving is not None:
                self._receiving.cancel()
                self._receiving = None

        def _too_slow(self) -> None:
            self._receiving = None
            if self.transport.is_closing():
                return
            cycle = self.cycle
            if self._begun and (cycle is None or cycle.response_complete or not cycle.response_started):
                if cycle is not None and not cycle.response_complete:
                    cycle.disconnected = True  # the application's own answer, if it comes, goes nowhere
                detail = f"the request did not arrive whole within {receive_seconds:g} seconds"
                self.transport.write(raw_problem(408, detail))
            self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_message_complete(self) -> None:
            self._disarm()  # received whole: the app's own time is not the client's
            super().on_message_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request on this connection, if any, has the same time

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return Deadline


def run(application: Any, host: str, port: int, *, receive_seconds: float = RECEIVE_SECONDS) -> None:
    """Serve ``application`` until interrupted."""
    import uvicorn

    uvicorn.run(
        application,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        http=deadline_protocol(receive_seconds, MAX_CONCURRENCY),
    )
