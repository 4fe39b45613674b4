"""How ``sanctuary serve`` runs the service: uvicorn, with a deadline for receiving each request and a limit
on the requests served at once.

uvicorn times out a keep-alive connection that sends nothing, but not one that sends a request slowly: any
byte resets its timer, so a client drip-feeding headers or a body holds a connection (and its file
descriptor) for as long as it likes, and about a thousand such clients locked every new client out. Here each
request must arrive whole — request line, headers and body — within :data:`RECEIVE_SECONDS` of the
connection opening or of the previous answer, or the connection is closed. Past :data:`MAX_CONCURRENCY`
connections and requests at once, uvicorn answers 503 at once instead of queueing.
"""

from __future__ import annotations

import asyncio
from typing import Any

RECEIVE_SECONDS = 20.0  # a 25 MiB upload at 10 Mbit/s takes 21 s; over a local network, well under
MAX_CONCURRENCY = 512  # connections and requests at once (the process's descriptors stay well within 1,024)


def deadline_protocol(receive_seconds: float = RECEIVE_SECONDS) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol, closing a connection whose request does not arrive whole in time."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class Deadline(HttpToolsProtocol):
        _receiving: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._receiving = self.loop.call_later(receive_seconds, self._too_slow)

        def _disarm(self) -> None:
            if self._receiving is not None:
                self._receiving.cancel()
                self._receiving = None

        def _too_slow(self) -> None:
            self._receiving = None
            if not self.transport.is_closing():
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
        http=deadline_protocol(receive_seconds),
        limit_concurrency=MAX_CONCURRENCY,
    )
