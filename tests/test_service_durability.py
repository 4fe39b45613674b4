"""An acknowledged decision survives the server being killed outright, and the trail stays intact.

The service answers 201 only after the decision's record is committed (SQLite WAL, ``synchronous=FULL``), so
a client holding a receipt can rely on it: killing the process with SIGKILL (no shutdown, no flush, no
chance to finish a transaction) while requests are in flight must lose none of the decisions already
acknowledged, and must leave a chain that ``sanctuary audit verify`` accepts. Requests that were in flight
at the kill may or may not be recorded: the client got no receipt for them, so either is correct. After a
restart the service must go on appending to the same chain.

The server is ``sanctuary serve`` in its own process on 127.0.0.1 with a temporary database, driven by a few
threads. The test is bounded in time (every wait has a deadline) and asserts nothing about timing.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from sanctuary.service.audit import DECISION
from sanctuary.service.store import Store

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
THREADS = 4
ACKNOWLEDGED_BEFORE_KILL = 150
DEADLINE_SECONDS = 90  # for the whole load phase; the test fails (it does not hang) if it is reached
PER_THREAD_MAX_REQUESTS = 20_000


def _command() -> list[str]:
    script = Path(sys.executable).with_name("sanctuary")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from sanctuary.cli import main; main()"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(database: str, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``sanctuary serve`` on a free loopback port, ready (``/healthz`` answers); skips the test if it cannot
    start. The process is killed on the way out whatever happened."""
    port = _free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*_command(), "serve", "--database", database, "--host", HOST, "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"`sanctuary serve` did not start: {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _case(n: int) -> dict[str, Any]:
    """The example case, varied a little so the records differ (agency, dates, actions)."""
    case: dict[str, Any] = json.loads((ROOT / "examples" / "doc-detainer.json").read_text(encoding="utf-8"))
    case["agency"] = ("DOC", "NYPD", "DOP")[n % 3]
    case["decision_date"] = f"2024-03-{1 + n % 28:02d}"
    case["request"]["actions"] = [["hold"], ["hold", "notify_release"], ["info:court_date"]][n % 3]
    return case


class Load:
    """Threads posting decisions until told to stop or the server goes away; what they were acknowledged."""

    def __init__(self, base: str, secret: str) -> None:
        self.base, self.secret = base, secret
        self.lock = threading.Lock()
        self.acknowledged: dict[str, str] = {}  # decision id → record hash (the receipt)
        self.unexpected: list[str] = []  # any answer but 201 before the kill
        self.failed_after_kill = 0  # requests in flight (or started) when the server was killed
        self.in_flight = 0
        self.enough = threading.Event()
        self.killed = threading.Event()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(t,), daemon=True) for t in range(THREADS)]

    def _run(self, offset: int) -> None:
        with httpx.Client(base_url=self.base, headers={"X-API-Key": self.secret}, timeout=30) as client:
            for n in range(offset, offset + THREADS * PER_THREAD_MAX_REQUESTS, THREADS):
                if self.stop.is_set():
                    return
                with self.lock:
                    self.in_flight += 1
                try:
                    response = client.post("/v1/decisions", json={"case": _case(n)})
                except httpx.HTTPError as exc:
                    with self.lock:
                        if self.killed.is_set():
                            self.failed_after_kill += 1
                        else:
                            self.unexpected.append(f"{type(exc).__name__}: {exc}")
                    return  # the server is gone
                finally:
                    with self.lock:
                        self.in_flight -= 1
                with self.lock:
                    if response.status_code == 201:
                        receipt = response.json()
                        self.acknowledged[receipt["id"]] = receipt["record_hash"]
                        if len(self.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL:
                            self.enough.set()
                    elif not self.killed.is_set():
                        self.unexpected.append(f"HTTP {response.status_code}: {response.text[:200]}")
                        return

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_acknowledged_decisions_survive_sigkill(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'trail.db'}"
    store = Store(database)
    _, secret = store.create_key("durability test", "officer")
    store.close()
    log = tmp_path / "server.log"

    with serving(database, log) as (process, base), Load(base, secret) as load:
        assert load.enough.wait(DEADLINE_SECONDS), f"fewer than {ACKNOWLEDGED_BEFORE_KILL} decisions acknowledged"
        # Kill at a moment when at least one request is on its way (the threads send back to back).
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            with load.lock:
                if load.in_flight:
                    load.killed.set()
                    process.send_signal(signal.SIGKILL)
                    acknowledged_at_kill = len(load.acknowledged)
                    break
            time.sleep(0)
        else:
            pytest.fail("no request was ever in flight")
        process.wait(timeout=30)
        for thread in load.threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in load.threads), "a client thread did not stop"

    assert process.returncode == -signal.SIGKILL
    assert not load.unexpected, f"answers other than 201 before the kill: {load.unexpected[:5]}"
    assert load.failed_after_kill >= 1, "no request was cut off by the kill"
    assert len(load.acknowledged) >= acknowledged_at_kill >= ACKNOWLEDGED_BEFORE_KILL

    store = Store(database)
    try:
        missing = []
        for decision_id, record_hash in load.acknowledged.items():
            record = store.get(decision_id)
            if record is None or record.kind != DECISION or record.hash != record_hash:
                missing.append(decision_id)
        assert not missing, f"{len(missing)} acknowledged decision(s) not in the trail as acknowledged: {missing[:5]}"
        recorded = sum(1 for _ in store.records((DECISION,)))
        # In-flight requests may have been recorded without an answer; none acknowledged may be missing.
        assert recorded >= len(load.acknowledged)
    finally:
        store.close()

    verified = subprocess.run(
        [*_command(), "audit", "verify", "--database", database],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, f"audit verify after SIGKILL: {verified.stdout}{verified.stderr}"

    # The service starts again on the crashed database and goes on with the same chain.
    with serving(database, log) as (_, base):
        again = httpx.post(f"{base}/v1/decisions", json={"case": _case(0)}, headers={"X-API-Key": secret}, timeout=30)
        assert again.status_code == 201, again.text
    receipts = [f"--receipt={h}" for h in [*load.acknowledged.values(), again.json()["record_hash"]]]
    verified = subprocess.run(
        [*_command(), "audit", "verify", "--database", database, *receipts],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, f"audit verify after restart: {verified.stdout}{verified.stderr}"
