"""The service when its database fails under it: PostgreSQL restarted under load, a SQLite lock held past the
wait. The service must say so (503 with ``Retry-After``, and ``/healthz`` telling the truth), recover by itself
when the database is back (no restart of the service), and never acknowledge a decision it did not record.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from sanctuary.packs.nyc import NYC
from sanctuary.service.app import create_app
from sanctuary.service.audit import DECISION
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import Store
from tests.conftest import RestartablePostgres
from tests.problems import assert_problem

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "examples" / "doc-detainer.json").read_text())


class Load:
    """Clients deciding the example case as fast as they are answered, each on a thread of its own, keeping
    every status and the id of every acknowledged (201) decision."""

    def __init__(self, app: Any, secret: str, clients: int = 2) -> None:
        self.app, self.secret = app, secret
        self.statuses: list[int] = []
        self.acknowledged: list[str] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]

    def _client(self) -> None:
        client = TestClient(self.app, raise_server_exceptions=False)
        while not self.stop.is_set():
            answer = client.post("/v1/decisions", json={"case": EXAMPLE}, headers={"X-API-Key": self.secret})
            self.statuses.append(answer.status_code)
            if answer.status_code == 201:
                self.acknowledged.append(answer.json()["id"])
            elif answer.status_code == 503:
                assert answer.headers.get("retry-after"), answer.headers
                time.sleep(0.05)

    def wait_for(self, status: int, after: int = 0, timeout: float = 60.0) -> None:
        """Until some answer after the ``after``-th has ``status``."""
        deadline = time.monotonic() + timeout
        while status not in self.statuses[after:]:
            assert time.monotonic() < deadline, f"no {status} within {timeout} s: {Counter(self.statuses[after:])}"
            time.sleep(0.05)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_the_service_recovers_when_postgresql_restarts_under_load(restartable_postgres: RestartablePostgres) -> None:
    """PostgreSQL stopped while decisions arrive: 503 with Retry-After (and /healthz 503) while it is down,
    201 again once it is back, with the same service; every acknowledged decision is in the trail afterwards,
    and the chain is intact."""
    store = Store(restartable_postgres.url)
    secret = store.create_key("load", "officer")[1]
    app = create_app(store, NYC, PrivacyPolicy(b"k" * 32))
    health = TestClient(app, raise_server_exceptions=False)
    assert health.get("/healthz").status_code == 200
    with Load(app, secret) as load:
        load.wait_for(201)
        restartable_postgres.stop("fast")  # terminates every session: the service's connection is lost
        down = len(load.statuses)
        load.wait_for(503, after=down)
        outage = health.get("/healthz")
        assert outage.status_code == 503 and assert_problem(outage)["type"].endswith("/unavailable")
        assert outage.headers["retry-after"]
        restartable_postgres.start()
        back = len(load.statuses)
        load.wait_for(201, after=back)
        assert health.get("/healthz").status_code == 200
    assert set(load.statuses) <= {201, 503}, Counter(load.statuses)
    recorded = {record.id for record in store.records((DECISION,))}
    assert set(load.acknowledged) <= recorded, "an acknowledged decision is missing from the trail"
    count, problems = store.check_chain()
    assert not problems and count >= len(load.acknowledged)
    store.close()


def test_a_sqlite_lock_held_past_the_wait_is_503_with_retry_after(tmp_path: Path) -> None:
    """Another writer holds the database (``BEGIN IMMEDIATE``) longer than the store waits: the decision is
    answered 503 with Retry-After, nothing is recorded, and it is recorded once the lock is let go. Reads go on
    meanwhile (write-ahead log), so /healthz stays ok."""
    path = tmp_path / "trail.db"
    store = Store(f"sqlite:///{path}", busy_timeout=0.2)
    secret = store.create_key("officer", "officer")[1]
    client = TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32)), raise_server_exceptions=False)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        held = client.post("/v1/decisions", json={"case": EXAMPLE}, headers={"X-API-Key": secret})
        assert held.status_code == 503, held.text
        assert held.headers["retry-after"] == "2" and "lock" in assert_problem(held)["detail"]
        assert client.get("/healthz").status_code == 200
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert list(store.records((DECISION,))) == []
    again = client.post("/v1/decisions", json={"case": EXAMPLE}, headers={"X-API-Key": secret})
    assert again.status_code == 201
    store.close()


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A plain ASGI app: reads the request's body, answers 200."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


def _read_until_closed(connection: socket.socket, seconds: float) -> bytes | None:
    """What the server sends on ``connection`` until it closes it, or ``None`` if it is not closed within
    ``seconds``."""
    connection.settimeout(seconds)
    received = b""
    try:
        while chunk := connection.recv(1024):
            received += chunk
    except TimeoutError:
        return None
    return received


def _raw_problem(answer: bytes) -> tuple[int, dict[str, str], dict[str, Any]]:
    """The status, headers and problem document of a raw HTTP/1.1 answer."""
    head, _, content = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    document: dict[str, Any] = json.loads(content)
    assert headers["content-type"] == "application/problem+json" and headers["connection"] == "close"
    assert int(headers["content-length"]) == len(content)
    status = int(lines[0].split()[1])
    assert document["status"] == status and document["type"].startswith("https://sanctuary.invalid/problems/")
    assert document["title"] and document["detail"]
    return status, headers, document


@contextlib.contextmanager
def _serving(app: Any, receive_seconds: float, max_concurrency: int | None = None) -> Iterator[int]:
    """``app`` served by uvicorn with the service's protocol, in a thread; yields the port."""
    import uvicorn

    from sanctuary.service.server import deadline_protocol

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    protocol = deadline_protocol(receive_seconds, max_concurrency)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, http=protocol, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_a_request_that_does_not_arrive_whole_in_time_is_cut_off() -> None:
    """With a deadline of 0.5 s (``serve`` has 20 s): a client that opens a connection and sends headers
    byte by byte, each byte well within uvicorn's keep-alive timeout, is answered 408 (a problem document)
    and disconnected; an ordinary request, and a second one on the same connection, are answered, and the
    connection is closed, with nothing sent, when no third comes in time."""
    with _serving(_hello, 0.5) as port:
        with socket.create_connection(("127.0.0.1", port)) as drip:
            started = time.monotonic()
            with contextlib.suppress(OSError):  # the server may close it mid-drip
                for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:
                    drip.sendall(bytes([byte]))
                    time.sleep(0.05)
            answer = _read_until_closed(drip, 5.0)
            assert answer is not None and time.monotonic() - started < 4.0
            assert _raw_problem(answer)[0] == 408
        with socket.create_connection(("127.0.0.1", port)) as ordinary:
            for _ in range(2):
                ordinary.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                answer = b""
                while not answer.endswith(b"\r\n\r\nok"):
                    answer += ordinary.recv(1024) or b"(closed)"
                    assert not answer.endswith(b"(closed)"), answer
                assert answer.startswith(b"HTTP/1.1 200")
            assert _read_until_closed(ordinary, 5.0) == b""  # then nothing more for longer than the deadline


def test_the_servers_own_refusals_are_problem_documents() -> None:
    """What the server answers before any application runs is a problem document too: 400 for bytes that are
    not HTTP, and 503 with Retry-After past the requests served at once (one, here: the connection itself)."""
    with _serving(_hello, 5.0) as port, socket.create_connection(("127.0.0.1", port)) as garbled:
        garbled.sendall(b"NOT HTTP AT ALL\x00\r\n\r\n")
        answer = _read_until_closed(garbled, 5.0)
        assert answer is not None and _raw_problem(answer)[0] == 400
    with _serving(_hello, 5.0, max_concurrency=1) as port, socket.create_connection(("127.0.0.1", port)) as one:
        one.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = _read_until_closed(one, 5.0)
        assert answer is not None
        status, headers, _ = _raw_problem(answer)
        assert status == 503 and headers["retry-after"] == "1"
