"""Shared test helpers: building cases from small dictionaries, and the shared data folder (optional)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sanctuary.engine import Decision, decide
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case

#: The team's shared public data, beside the project. Tests that use it skip cleanly when it is absent.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ABSENT = "<absent>"


def merge(base: Any, change: Any) -> Any:
    """Deep-merge ``change`` into a copy of ``base``: dicts merge, anything else replaces, and the string
    ``"<absent>"`` removes the key (so that a scenario can make a fact unknown)."""
    if isinstance(base, dict) and isinstance(change, dict):
        out = copy.deepcopy(base)
        for key, value in change.items():
            if value == ABSENT:
                out.pop(key, None)
            else:
                out[key] = merge(out.get(key), value)
        return out
    return copy.deepcopy(change)


def run(case: dict[str, Any]) -> Decision:
    return decide(parse_case(case), NYC)


def outcome(case: dict[str, Any], action: str | None = None) -> dict[str, Any]:
    decision = run(case).as_dict()
    outcomes: list[dict[str, Any]] = decision["outcomes"]
    if action is None:
        return outcomes[0]
    return next(o for o in outcomes if o["action"] == action)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not present at {SHARED_DATA}")
    return SHARED_DATA


# --- PostgreSQL for the service's store tests ---------------------------------------------------------------


def _postgres_binaries() -> Path | None:
    """The folder of initdb and pg_ctl: on the PATH, or where Debian's ``postgresql`` package puts them."""
    import glob
    import shutil

    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A throwaway PostgreSQL server on a Unix socket (no TCP port), started with the machine's own binaries
    (Debian's ``postgresql``; ``.ci/run`` installs it when missing); as root it runs as the ``postgres`` user.
    Yields a function making a fresh empty database and returning its URL. Skips, saying why, when no server
    can be started."""
    import os
    import pwd
    import shutil
    import socket
    import subprocess
    import tempfile

    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL tests skipped: no initdb/pg_ctl (install Debian's postgresql package)")
    # A folder of its own under the system's temporary folder: pytest's are closed to other users, and as
    # root the server runs as the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="sanctuary-pg-"))
    data, sockets = folder / "data", folder
    prefix: list[str] = []
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("PostgreSQL tests skipped: running as root and there is no postgres user to run the server")
        os.chown(folder, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:  # a port number for the socket file's name (nothing listens on TCP)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = f"-k {sockets} -p {port} -c listen_addresses='' -c fsync=on"
    try:
        subprocess.run(
            [*prefix, str(binaries / "initdb"), "-D", str(data), "-U", "sanctuary", "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        # The server's own output goes to a log file: pg_ctl's pipes would otherwise stay open with it.
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
             "-t", "60", "start"],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=90,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"PostgreSQL tests skipped: the server could not be started ({exc}; {detail.decode()[-300:]})")
    import psycopg

    base = f"postgresql://sanctuary@/postgres?host={sockets}&port={port}"
    counter = iter(range(1_000_000))
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {SERVICE_ROLE} LOGIN")  # owns nothing: see restricted()

    def fresh_database() -> str:
        name = f"t{next(counter)}"
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return restricted(f"postgresql://sanctuary@/{name}?host={sockets}&port={port}")

    try:
        yield fresh_database
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


SERVICE_ROLE = "sanctuary_service"


def restricted(owner_url: str) -> str:
    """The URL of the service's restricted role on the database ``owner_url`` names, once its owner has
    created the schema and granted that role only what the service needs (``sanctuary audit grant``): every
    PostgreSQL test of the service runs as that role, which cannot drop or disable the append-only trigger,
    nor update or delete a record."""
    from sanctuary.service.store import Store

    owner = Store(owner_url)
    try:
        owner.grant(SERVICE_ROLE)
    finally:
        owner.close()
    return owner_url.replace("postgresql://sanctuary@", f"postgresql://{SERVICE_ROLE}@", 1)


def owner_url(url: str) -> str:
    """The URL of the owner (here a superuser) of the database a restricted role's ``url`` names: how a test
    tampers with the trail behind the service's back."""
    return url.replace(f"postgresql://{SERVICE_ROLE}@", "postgresql://sanctuary@", 1)


class RestartablePostgres:
    """A PostgreSQL server of its own (a test may stop and start it under a running service), on a Unix socket,
    with one database; :attr:`url` names it."""

    def __init__(self, binaries: Path) -> None:
        import os
        import pwd
        import tempfile

        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="sanctuary-pg-fault-"))
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")  # KeyError: no postgres user (the caller skips)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.port = 40_000 + os.getpid() % 20_000
        self.url = f"postgresql://sanctuary@/fault?host={self.folder}&port={self.port}"

    def _pg_ctl(self, *arguments: str) -> None:
        import subprocess

        subprocess.run(
            [*self.prefix, str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data"), *arguments],
            check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=90,
        )  # fmt: skip

    def create(self) -> None:
        import subprocess

        import psycopg

        subprocess.run(
            [*self.prefix, str(self.binaries / "initdb"), "-D", str(self.folder / "data"), "-U", "sanctuary",
             "--auth=trust", "-E", "UTF8"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self.start()
        with psycopg.connect(self.url.replace("/fault?", "/postgres?"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE fault")
            admin.execute(f"CREATE ROLE {SERVICE_ROLE} LOGIN")
        self.url = restricted(self.url)  # the service runs as its restricted role here too

    def start(self) -> None:
        options = f"-k {self.folder} -p {self.port} -c listen_addresses=''"
        self._pg_ctl("-o", options, "-l", str(self.folder / "log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "stop")

    def remove(self) -> None:
        import contextlib
        import shutil
        import subprocess

        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def restartable_postgres() -> Any:
    """A PostgreSQL server of the test's own, which it may stop and start (:class:`RestartablePostgres`).
    Skips, saying why, when none can be started."""
    import subprocess

    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL tests skipped: no initdb/pg_ctl (install Debian's postgresql package)")
    try:
        server = RestartablePostgres(binaries)
    except KeyError:
        pytest.skip("PostgreSQL tests skipped: running as root and there is no postgres user to run the server")
    try:
        server.create()
    except (subprocess.SubprocessError, OSError) as exc:
        server.remove()
        pytest.skip(f"PostgreSQL tests skipped: the server could not be started ({exc})")
    try:
        yield server
    finally:
        server.remove()
