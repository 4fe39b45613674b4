"""A real ``sanctuary serve`` on loopback, for the end-to-end tests of the web pages and the screenshots:
a fresh SQLite trail in a temporary folder, an analyst key, and the server stopped afterwards."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Server:
    url: str
    analyst_key: str
    database: str  # the server's SQLite address, for a test that makes keys of other roles (the docket's officer)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PACKS = Path(__file__).resolve().parent / "packs"


def example_county_site(folder: Path) -> list[str]:
    """Example County installed as pip would (a ``.dist-info`` declaring its entry point) in ``folder``: the paths
    to put on ``PYTHONPATH`` so a ``sanctuary`` process finds it."""
    info = folder / "example_county-0.1.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: example-county\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[sanctuary.jurisdictions]\nexample = example_county:PACK\n", encoding="utf-8"
    )
    return [str(folder), str(PACKS)]


@contextmanager
def running_server(jurisdiction: str | None = None, path: list[str] | None = None) -> Iterator[Server]:
    """Start the service (of ``jurisdiction``, found on ``path`` as well as the installed packages), wait until it
    answers ``/healthz`` (at most 60 s), yield it, stop it."""
    folder = Path(tempfile.mkdtemp(prefix="sanctuary-web-"))
    database = f"sqlite:///{folder / 'audit.db'}"
    command = [sys.executable, "-m", "sanctuary.cli", *(["--jurisdiction", jurisdiction] if jurisdiction else [])]
    env = {**os.environ, "SANCTUARY_PII_KEY": "00" * 32}
    if path:
        env["PYTHONPATH"] = os.pathsep.join([*path, *filter(None, [os.environ.get("PYTHONPATH")])])
    created = subprocess.run(
        [*command, "keys", "create", "--role", "analyst", "--name", "web tests", "--database", database],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    key = json.loads(created.stdout)["secret"]
    port = _free_port()
    server = subprocess.Popen(
        [*command, "serve", "--database", database, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped: {server.stderr.read().decode() if server.stderr else ''}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /healthz within 60 s")
            time.sleep(0.1)
        yield Server(url, key, database)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)
