"""An online backup of a PostgreSQL trail that proves itself: ``pg_dump`` to a new file, then the copy's chain
checked from the file alone.

``pg_dump`` reads the whole database in one snapshot (the head, the records and the keys of one moment, while
the service goes on appending) and writes SQL that ``psql`` restores. Its output is checked, not trusted: the
``COPY`` blocks of the trail's tables are read back from the file (PostgreSQL's text format), and the records
are verified against the head and the keys exactly as ``sanctuary audit verify`` would verify the database —
so a dump cut short, or one of a broken trail, is reported, not kept as a good backup. (SQLite's backup is
SQLite's online backup API, :meth:`sanctuary.service.store.Store.backup`.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sanctuary.errors import InvalidInputError, StoreError
from sanctuary.service.audit import KEY_CHANGE, AuditRecord, ChainProblem, key_problems, verify
from sanctuary.service.store import stored_record

_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _unescape(field: str) -> str | None:
    r"""A value of PostgreSQL's COPY text format: ``\N`` is NULL; backslash escapes as the format defines."""
    if field == r"\N":
        return None

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in _ESCAPES:
            return _ESCAPES[code]
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return code

    return re.sub(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", one, field)


def copy_blocks(path: Path) -> dict[str, list[dict[str, str | None]]]:
    """The rows of every ``COPY table (columns) FROM stdin;`` block of a plain-format dump, by table name
    (without its schema), each row a dict by column name. Read line by line: a dump may be large."""
    tables: dict[str, list[dict[str, str | None]]] = {}
    header = re.compile(r"^COPY (?:[\w\"]+\.)?\"?(\w+)\"? \(([^)]*)\) FROM stdin;$")
    columns: list[str] | None = None
    rows: list[dict[str, str | None]] = []
    with path.open(encoding="utf-8") as dump:
        for line in dump:
            line = line.rstrip("\n")
            if columns is None:
                if found := header.match(line):
                    columns = [c.strip().strip('"') for c in found.group(2).split(",")]
                    rows = tables.setdefault(found.group(1), [])
                continue
            if line == "\\.":
                columns = None
                continue
            rows.append(dict(zip(columns, (_unescape(f) for f in line.split("\t")), strict=True)))
    return tables


def _records(rows: list[dict[str, str | None]]) -> Iterator[AuditRecord]:
    names = ("seq", "id", "kind", "at", "actor", "refers_to", "body", "prev_hash", "hash", "signature")
    for row in sorted(rows, key=lambda r: int(r["seq"] or 0)):
        yield stored_record(tuple(row.get(name) for name in names))


def check_dump(path: Path) -> tuple[int, list[ChainProblem], int]:
    """Verify the trail a plain-format dump holds: the number of records, every problem (as ``audit verify``
    names them, the keys included), and the head's number."""
    tables = copy_blocks(path)
    if "audit" not in tables or "chain_head" not in tables:
        return 0, [ChainProblem(None, None, "the dump holds no audit trail (no COPY of audit and chain_head)")], 0
    heads = tables["chain_head"]
    head = (int(heads[0]["seq"] or 0), str(heads[0]["hash"])) if heads else None
    records = list(_records(tables["audit"]))
    count, problems = verify(records, head)
    changes = [r for r in records if r.kind == KEY_CHANGE]
    keys = [(str(k["id"]), str(k["role"]), k["revoked"] is not None) for k in tables.get("api_keys", [])]
    return count, problems + key_problems(changes, keys), head[0] if head else 0


def pg_dump(url: str, destination: Path) -> None:
    """Dump the database ``url`` names into ``destination`` (a new file, created 0600): schema and data, in
    one snapshot, as SQL that ``psql`` restores. Needs ``pg_dump`` (PostgreSQL's client tools)."""
    program = shutil.which("pg_dump")
    if program is None:
        raise StoreError("pg_dump was not found: install PostgreSQL's client tools (Debian: postgresql-client)")
    try:
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInputError(f"{destination} exists: a backup never overwrites a file", "destination") from None
    with os.fdopen(descriptor, "wb") as out:
        done = subprocess.run(
            [program, "--format=plain", "--no-owner", "--no-privileges", f"--dbname={url}"],
            stdout=out,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    if done.returncode != 0:
        destination.unlink(missing_ok=True)
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise StoreError(f"pg_dump failed: {reason[-1] if reason else f'exit {done.returncode}'}")
