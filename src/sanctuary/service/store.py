"""Where the audit trail and the API keys live: SQLite by default (a file, nothing to install), PostgreSQL
with a database URL. Both run the same statements through the same small class; only the connection, the
placeholders, the locking and the append-only triggers differ.

An append is one transaction: read the head, write the sealed record, move the head, commit. It returns only
after the commit, so a decision the service acknowledges is durably recorded (SQLite: write-ahead log with
``synchronous=FULL``; PostgreSQL: its default synchronous commit). Appends are serialised (a lock in the
process, and ``BEGIN IMMEDIATE`` or an advisory lock in the database, so two processes cannot fork the chain).
Updates and deletes of records are refused by triggers; the chain shows them if the triggers are bypassed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from sanctuary.errors import InvalidInputError, StoreError, StoreUnavailableError
from sanctuary.service.audit import GENESIS, KEY_CHANGE, AuditRecord, ChainProblem, key_problems, seal, verify
from sanctuary.service.signing import Signer, record_statement

Role = Literal["officer", "analyst", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
T = TypeVar("T")

_TABLES = """
CREATE TABLE IF NOT EXISTS audit (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    refers_to TEXT,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    signature TEXT
);
CREATE INDEX IF NOT EXISTS audit_refers_to ON audit (refers_to);
CREATE TABLE IF NOT EXISTS chain_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    actor TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    record_ids TEXT NOT NULL,
    PRIMARY KEY (actor, key)
);
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE TABLE IF NOT EXISTS matters (
    id TEXT PRIMARY KEY,
    actor TEXT NOT NULL,
    idempotency_key TEXT,
    state TEXT NOT NULL,
    opened TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (actor, idempotency_key)
);
CREATE INDEX IF NOT EXISTS matters_state ON matters (state);
"""

_SQLITE_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""

_POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION sanctuary_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON audit;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
FOR EACH ROW EXECUTE FUNCTION sanctuary_append_only();
CREATE OR REPLACE FUNCTION sanctuary_revocation_is_final() RETURNS trigger AS $$
BEGIN
    IF OLD.revoked IS NOT NULL OR NEW.revoked IS NULL OR (NEW.id, NEW.name, NEW.role, NEW.secret_hash, NEW.created)
        IS DISTINCT FROM (OLD.id, OLD.name, OLD.role, OLD.secret_hash, OLD.created) THEN
        RAISE EXCEPTION 'an API key can only be revoked, once';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS api_keys_revoke_only ON api_keys;
CREATE TRIGGER api_keys_revoke_only BEFORE UPDATE ON api_keys
FOR EACH ROW EXECUTE FUNCTION sanctuary_revocation_is_final();
"""

# What the service's schema needs on PostgreSQL, each named when it is missing: the tables, the signature
# column (added after the first release), the append-only trigger and the keys' (a revocation is final: the
# service's role, which may set ``revoked``, cannot un-revoke a key or change anything else of it), enabled.
_POSTGRES_MISSING = """
SELECT t.name FROM unnest(ARRAY['audit', 'chain_head', 'idempotency', 'api_keys', 'matters']) AS t(name)
WHERE to_regclass(t.name) IS NULL
UNION ALL SELECT 'the column audit.signature' WHERE to_regclass('audit') IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('audit') AND attname = 'signature' AND NOT attisdropped)
UNION ALL SELECT 'the trigger audit_append_only, enabled' WHERE NOT EXISTS (
    SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('audit') AND tgname = 'audit_append_only' AND tgenabled <> 'D')
UNION ALL SELECT 'the trigger api_keys_revoke_only, enabled' WHERE NOT EXISTS (
    SELECT 1 FROM pg_trigger
    WHERE tgrelid = to_regclass('api_keys') AND tgname = 'api_keys_revoke_only' AND tgenabled <> 'D')
"""

# Whether the role connected could remove the append-only guarantee: a superuser, or a member of the role that
# owns the trail's table (only an owner may drop or disable a trigger).
_POSTGRES_OWNS = """
SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE')
FROM pg_class c, pg_roles r WHERE c.oid = to_regclass('audit') AND r.rolname = current_user
"""

SERVICE_ROLE = "sanctuary_service"  # the role `sanctuary audit grant` prepares by default


def postgres_grants(service_role: str) -> str:
    """The privileges the service needs on PostgreSQL, and no more, for ``service_role`` (which must not own
    the tables): it reads and appends records (never UPDATE or DELETE on ``audit``, no TRUNCATE, no
    ownership, so it can neither drop nor disable the trigger), moves the chain's head, records idempotency
    keys, creates keys and sets a key's ``revoked`` (no other column), and keeps the docket's matters."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", service_role):
        raise InvalidInputError(
            f"a role name of lower-case letters, digits and underscores (got {service_role!r})", "service_role"
        )
    return (
        f"REVOKE ALL ON audit, chain_head, idempotency, api_keys, matters FROM {service_role};\n"
        f"GRANT SELECT, INSERT ON audit, idempotency TO {service_role};\n"
        f"GRANT SELECT, INSERT, UPDATE ON chain_head TO {service_role};\n"
        f"GRANT SELECT, INSERT, UPDATE (revoked) ON api_keys TO {service_role};\n"
        f"GRANT SELECT, INSERT, UPDATE ON matters TO {service_role};\n"
    )


def postgres_schema() -> str:
    """The statements that create the service's tables and the append-only trigger (run by the owner)."""
    return _TABLES + "ALTER TABLE audit ADD COLUMN IF NOT EXISTS signature TEXT;\n" + _POSTGRES_TRIGGERS


def _prepare_postgres(db: Any) -> bool:
    """Create what the schema lacks (the tables, the signature column, the trigger), and say whether the role
    connected owns it. Nothing is created when the schema is in place: a service role without the right to
    create it (as it should run) then works; when something is missing and the role may not create it, a
    :class:`StoreError` says what is missing and how the owner prepares it."""
    import psycopg

    missing = [str(row[0]) for row in db.execute(_POSTGRES_MISSING).fetchall()]
    if missing:
        try:
            with db.cursor() as cursor:
                cursor.execute(postgres_schema())
        except psycopg.errors.InsufficientPrivilege as exc:
            db.rollback()
            user = db.execute("SELECT current_user").fetchone()[0]
            raise StoreError(
                f"the database lacks the service's schema ({', '.join(missing)}) and the role {user} may not "
                f"create it ({str(exc).splitlines()[0]}): as the owner of the schema, run `sanctuary audit grant "
                f"--database postgresql://OWNER@… --service-role {user}` first (docs/service.md)"
            ) from None
    row = db.execute(_POSTGRES_OWNS).fetchone()
    db.commit()
    return bool(row and row[0])


_COLUMNS = "seq, id, kind, at, actor, refers_to, body, prev_hash, hash, signature"
_KEY_COLUMNS = "id, name, role, created, revoked"
_APPEND_LOCK = 7_301_131  # PostgreSQL advisory lock held while appending (any number the deployment does not use)


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    name: str
    role: str
    created: str
    revoked: str | None

    def as_dict(self) -> dict[str, Any]:
        """The key as an administrator may see it: everything but its secret, which the store never has."""
        return {"id": self.id, "name": self.name, "role": self.role, "created": self.created, "revoked": self.revoked}


@dataclass(frozen=True, slots=True)
class Once:
    """A client's idempotency key for one request: who sent it, the key, and a hash of the request (the same
    key with another request is refused)."""

    actor: str
    key: str
    request_hash: str


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def secret_hash(secret: str) -> str:
    # Keys are 256-bit random tokens: a plain hash is enough to keep them out of the database.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Store:
    """The audit trail and the keys, in one database. Safe to share between threads.

    A database that cannot answer (PostgreSQL restarting, a SQLite writer holding the lock past
    ``busy_timeout`` seconds) makes an operation raise :class:`StoreUnavailableError`, never a driver's error.
    A PostgreSQL connection found lost is dropped and opened again; an operation that found it lost before
    it committed anything is tried once more on the new one, so the first request after a restart is
    answered. One that lost it while committing is not retried (whether its commit arrived is unknown): the
    client is answered 503 and no acknowledgement is ever given for a record that may not be there."""

    def __init__(self, url: str, *, busy_timeout: float = 5.0, signer: Signer | None = None) -> None:
        self.url = url
        # Signs each record as it is appended (None: records are written unsigned, as before signing existed).
        self.signer = signer
        # PostgreSQL: whether the role connected may drop or disable the append-only trigger (it owns the
        # trail's table, or is a superuser): the service should run under a role that may not (`audit grant`).
        self.owns_schema = True
        self.busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._committing = False  # set while a commit is on its way (a failure then leaves the outcome unknown)
        self.dialect, db = _connect(url, busy_timeout)
        self._db: Any = db  # None while a lost PostgreSQL connection waits to be opened again
        # The SQLite database's file (None: PostgreSQL, or SQLite in memory), read from the address once.
        self.file = Path(_sqlite_path(url)) if self.dialect == "sqlite" and _sqlite_path(url) != ":memory:" else None
        try:
            if self.dialect == "postgresql":
                self.owns_schema = _prepare_postgres(db)
            else:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.executescript(_TABLES + _SQLITE_TRIGGERS)
                if "signature" not in {row[1] for row in db.execute("PRAGMA table_info(audit)")}:
                    db.execute("ALTER TABLE audit ADD COLUMN signature TEXT")  # a trail from before signing
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot prepare the database: {exc}") from None

    # --- plumbing -------------------------------------------------------------------------------------

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.dialect == "postgresql" else statement

    @staticmethod
    def _storable(params: tuple[Any, ...]) -> bool:
        """Whether every text parameter can be stored or compared: PostgreSQL's text cannot hold a NUL (it
        refuses the statement), and no identifier the store gives out has one."""
        return not any(isinstance(p, str) and "\x00" in p for p in params)

    def _connection(self) -> Any:
        """The connection, opened again if it was lost (a :class:`StoreUnavailableError` if it cannot be)."""
        if self._db is None:
            try:
                self._db = _connect(self.url, self.busy_timeout)[1]
            except StoreError as exc:
                raise StoreUnavailableError(f"the database cannot be reached: {exc}") from None
        return self._db

    def _run(self, work: Callable[[Any], T]) -> T:
        """``work(connection)`` under the lock: rolled back if it fails; tried once more on a new connection if
        the connection was lost before any commit; a database that cannot answer is StoreUnavailableError."""
        with self._lock:
            for attempt in (1, 2):
                db = self._connection()
                self._committing = False
                try:
                    return work(db)
                except BaseException as exc:
                    with contextlib.suppress(Exception):  # nothing was open, or the connection is gone
                        db.execute("ROLLBACK") if self.dialect == "sqlite" else db.rollback()
                    reason = _unavailable(exc)
                    if reason is None:
                        raise
                    if self.dialect == "postgresql":
                        with contextlib.suppress(Exception):
                            db.close()
                        self._db = None
                    if attempt == 2 or self._committing or self.dialect == "sqlite":
                        raise StoreUnavailableError(f"the database cannot answer now ({reason})") from None
            raise AssertionError("unreachable")  # pragma: no cover

    def _begin(self, db: Any) -> None:
        if self.dialect == "sqlite":
            db.execute("BEGIN IMMEDIATE")
        else:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_APPEND_LOCK,))

    def _commit(self, db: Any) -> None:
        self._committing = True
        db.execute("COMMIT") if self.dialect == "sqlite" else db.commit()

    def _query(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        def read(db: Any) -> list[tuple[Any, ...]]:
            rows = db.execute(self._sql(statement), params).fetchall()
            if self.dialect == "postgresql":
                db.commit()  # end the read transaction (reads see the latest commits)
            return list(rows)

        return self._run(read)

    def _write(self, statement: str, params: tuple[Any, ...] = ()) -> int:
        def write(db: Any) -> int:
            self._begin(db)
            count = int(db.execute(self._sql(statement), params).rowcount)
            self._commit(db)
            return count

        return self._run(write)

    def backup(self, destination: Path) -> None:
        """Copy a SQLite trail, while the service may append, to a new file (created 0600) by SQLite's
        online backup API: the copy is one consistent moment of the database, head and records together. (A
        plain file copy of a database being written can yield a shorter trail that verifies as intact.)
        PostgreSQL's is ``pg_dump``, whose snapshot is consistent too."""
        if self.dialect != "sqlite" or self.file is None:
            raise InvalidInputError("an online backup here is of a SQLite file; for PostgreSQL use pg_dump", "database")
        if destination.exists():
            raise InvalidInputError(f"{destination} exists: a backup never overwrites a file", "destination")
        _, copy = _connect(f"sqlite:///{destination}", self.busy_timeout)
        try:
            self._run(lambda db: db.backup(copy))
        finally:
            copy.close()

    def grant(self, service_role: str) -> None:
        """Give ``service_role`` the privileges the service needs on this PostgreSQL database
        (:func:`postgres_grants`), run by the owner of the schema (this store's role), which has just created
        it. The service role must exist, and must not be the owner."""
        import psycopg

        grants = postgres_grants(service_role)
        if self.dialect != "postgresql":
            raise InvalidInputError("roles are PostgreSQL's: a SQLite file is guarded by its file's mode", "database")

        def grant(db: Any) -> None:
            owner = db.execute("SELECT current_user").fetchone()[0]
            member = db.execute(
                "SELECT pg_has_role(%s, current_user, 'USAGE') OR rolsuper FROM pg_roles WHERE rolname = %s",
                (service_role, service_role),
            ).fetchone()
            if owner == service_role or (member and member[0]):
                raise InvalidInputError(f"{service_role} is (or acts as) the owner, or is a superuser: the service "
                                        "needs a role of its own that owns nothing", "service_role")  # fmt: skip
            with db.cursor() as cursor:
                cursor.execute(grants)
            db.commit()

        try:
            self._run(grant)
        except psycopg.errors.UndefinedObject:
            raise InvalidInputError(
                f"no role {service_role}: create it first (CREATE ROLE {service_role} LOGIN PASSWORD '…')",
                "service_role",
            ) from None

    def ping(self) -> None:
        """Ask the database a trivial question: :class:`StoreUnavailableError` if it cannot answer now."""
        self._query("SELECT 1")

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # --- the audit trail ------------------------------------------------------------------------------

    def append(
        self, kind: str, actor: str, body: dict[str, Any], *, refers_to: str | None = None, once: Once | None = None
    ) -> AuditRecord:
        """Seal ``body`` as the next record and commit it; returns only once it is durable (``once``: see
        :meth:`append_many`)."""
        return self.append_many([(kind, actor, body, refers_to)], once)[0]

    def append_many(
        self,
        entries: list[tuple[str, str, dict[str, Any], str | None]],
        once: Once | None = None,
        also: Callable[[list[AuditRecord], Callable[[str, tuple[Any, ...]], int]], None] | None = None,
    ) -> list[AuditRecord]:
        """Seal ``(kind, actor, body, refers_to)`` entries as the next records, all in one transaction: all
        are durable when this returns, or none is written. With ``once`` (a client's idempotency key), a
        request already recorded under that key returns the records it made, and writes nothing: a retry is
        one record, counted once; the same key for a different request is invalid input. ``also`` is called in
        the same transaction with the sealed records and a function running one statement (returning its row
        count): what it writes (the docket's current state of a matter) commits with the records, and if it
        raises nothing is written."""

        def append(db: Any) -> list[AuditRecord]:
            self._begin(db)
            if once is not None and (earlier := self._earlier(db, once)) is not None:
                db.execute("ROLLBACK") if self.dialect == "sqlite" else db.rollback()  # nothing to write
                return earlier
            records = self._seal_into(db, entries)
            if also is not None:
                also(records, lambda statement, params: int(db.execute(self._sql(statement), params).rowcount))
            if once is not None:
                ids = json.dumps([r.id for r in records])
                db.execute(
                    self._sql("INSERT INTO idempotency (actor, key, request_hash, record_ids) VALUES (?, ?, ?, ?)"),
                    (once.actor, once.key, once.request_hash, ids),
                )
            self._commit(db)
            return records

        return self._run(append)

    def _seal_into(self, db: Any, entries: list[tuple[str, str, dict[str, Any], str | None]]) -> list[AuditRecord]:
        """Seal ``entries`` as the next records and move the head, in the transaction open on ``db``."""
        row = db.execute(self._sql("SELECT seq, hash FROM chain_head WHERE one = 1")).fetchone()
        seq, previous = (int(row[0]), str(row[1])) if row else (0, GENESIS)
        records = []
        for kind, actor, body, refers_to in entries:
            seq += 1
            record = seal(seq, str(uuid.uuid4()), kind, now(), actor, refers_to, body, previous)
            if self.signer is not None:  # ~36 µs: a forged record appended later cannot carry a valid one
                record = dataclasses.replace(record, signature=self.signer.sign(record_statement(record.hash)))
            db.execute(
                self._sql(f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                (record.seq, record.id, record.kind, record.at, record.actor, record.refers_to,
                 json.dumps(record.body, ensure_ascii=False), record.prev_hash, record.hash,
                 None if record.signature is None else json.dumps(record.signature)),
            )  # fmt: skip
            records.append(record)
            previous = record.hash
        if row:
            statement = "UPDATE chain_head SET seq = ?, hash = ? WHERE one = 1"
        else:
            statement = "INSERT INTO chain_head (seq, hash, one) VALUES (?, ?, 1)"
        db.execute(self._sql(statement), (seq, previous))
        return records

    def _earlier(self, db: Any, once: Once) -> list[AuditRecord] | None:
        """The records made by the request already recorded under ``once``'s key, if one was (read inside
        the append's transaction, which holds the write lock: two retries at once cannot both write)."""
        found = db.execute(
            self._sql("SELECT request_hash, record_ids FROM idempotency WHERE actor = ? AND key = ?"),
            (once.actor, once.key),
        ).fetchone()
        if found is None:
            return None
        if found[0] != once.request_hash:
            raise InvalidInputError("this Idempotency-Key was already used for a different request", "Idempotency-Key")
        ids: list[str] = json.loads(found[1])
        marks = ", ".join("?" for _ in ids)
        rows = db.execute(self._sql(f"SELECT {_COLUMNS} FROM audit WHERE id IN ({marks}) ORDER BY seq"), tuple(ids))
        return [stored_record(r) for r in rows.fetchall()]

    def select(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read of the tables beside the trail (the docket's matters), with ``?`` placeholders."""
        return self._query(statement, params)

    def get(self, record_id: str) -> AuditRecord | None:
        if not self._storable((record_id,)):
            return None  # no record's id holds a NUL
        rows = self._query(f"SELECT {_COLUMNS} FROM audit WHERE id = ?", (record_id,))
        return stored_record(rows[0]) if rows else None

    def following(self, record_id: str) -> list[AuditRecord]:
        """The records that refer to ``record_id`` (the actions recorded on a decision), in order."""
        if not self._storable((record_id,)):
            return []
        rows = self._query(f"SELECT {_COLUMNS} FROM audit WHERE refers_to = ? ORDER BY seq", (record_id,))
        return [stored_record(r) for r in rows]

    def records(
        self, kinds: tuple[str, ...] | None = None, batch: int = 5_000, after: int = 0
    ) -> Iterator[AuditRecord]:
        """Every record (numbered after ``after``) in sequence order, read in batches, so a long trail is not
        held in memory."""
        where = f" AND kind IN ({', '.join('?' for _ in kinds)})" if kinds else ""
        while True:
            rows = self._query(
                f"SELECT {_COLUMNS} FROM audit WHERE seq > ?{where} ORDER BY seq LIMIT ?",
                (after, *(kinds or ()), batch),
            )
            for row in rows:
                yield stored_record(row)
            if len(rows) < batch:
                return
            after = int(rows[-1][0])

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[tuple[tuple[int, str] | None, Iterator[AuditRecord], list[ApiKey]]]:
        """The head, every record and the API keys as of one moment, read on a connection of its own, so
        appends go on meanwhile and a check of the chain never sees a record newer than the head it compares
        with (SQLite: one read transaction of the write-ahead log; PostgreSQL: a repeatable-read transaction)."""
        if self.dialect == "sqlite" and self.file is None:
            # One connection only: nothing else can append meanwhile.
            yield self.head(), self.records(), self.api_keys()
            return
        try:
            _, reader = _connect(self.url, self.busy_timeout)
        except StoreError as exc:
            raise StoreUnavailableError(f"the database cannot be reached: {exc}") from None
        try:
            if self.dialect == "sqlite":
                reader.execute("BEGIN")
            else:
                reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            row = reader.execute("SELECT seq, hash FROM chain_head WHERE one = 1").fetchone()
            head = (int(row[0]), str(row[1])) if row else None
            keys = [ApiKey(*r) for r in reader.execute(f"SELECT {_KEY_COLUMNS} FROM api_keys").fetchall()]

            def rows() -> Iterator[AuditRecord]:
                cursor = reader.cursor(name="audit") if self.dialect == "postgresql" else reader.cursor()
                cursor.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq")
                while batch := cursor.fetchmany(5_000):
                    yield from (stored_record(r) for r in batch)

            yield head, rows(), keys
        finally:
            with contextlib.suppress(Exception):
                reader.rollback() if self.dialect == "postgresql" else reader.execute("ROLLBACK")
            reader.close()

    def head(self) -> tuple[int, str] | None:
        rows = self._query("SELECT seq, hash FROM chain_head WHERE one = 1")
        return (int(rows[0][0]), str(rows[0][1])) if rows else None

    def check_chain(self, also: Callable[[AuditRecord], None] | None = None) -> tuple[int, list[ChainProblem]]:
        """Verify the whole chain as of one moment (a :meth:`snapshot`), while appends go on, and the API keys
        against the trail's key changes (:func:`~sanctuary.service.audit.key_problems`): the number of records
        read and every problem found. ``also`` sees each record as it is read (the check of each record's
        signature, :class:`~sanctuary.service.signing.RecordSignatures`), in the same single pass."""
        try:
            with self.snapshot() as (head, records, keys):
                changes: list[AuditRecord] = []  # the key changes, kept as the chain's check reads past them

                def keeping() -> Iterator[AuditRecord]:
                    for record in records:
                        if also is not None:
                            also(record)
                        if record.kind == KEY_CHANGE:
                            changes.append(record)
                        yield record

                count, problems = verify(keeping(), head)
                return count, problems + key_problems(changes, [(k.id, k.role, k.revoked is not None) for k in keys])
        except Exception as exc:
            reason = _unavailable(exc)
            if reason is None:
                raise
            raise StoreUnavailableError(f"the database cannot answer now ({reason})") from None

    # --- API keys -------------------------------------------------------------------------------------

    def create_key(self, name: str, role: str, actor: str = "cli") -> tuple[ApiKey, str]:
        """A new key: its record, and the secret (shown once; only its hash is stored). The key's row and the
        trail's record of its creation (by ``actor``) are written in one transaction: a key the trail does not
        explain was put there behind the store's back, and the check of the chain reports it."""
        if role not in ROLES:
            raise InvalidInputError(f"role must be one of {', '.join(ROLES)} (got {role!r})", "role")
        if not name.strip():
            raise InvalidInputError("a key needs a name (who or what system holds it)", "name")
        if any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise InvalidInputError("a key's name may not hold control characters (such as NUL)", "name")
        key = ApiKey("key_" + secrets.token_hex(6), name.strip(), role, now(), None)
        secret = "sk_" + secrets.token_urlsafe(32)

        def create(db: Any) -> None:
            self._begin(db)
            db.execute(
                self._sql(
                    "INSERT INTO api_keys (id, name, role, secret_hash, created, revoked) VALUES (?, ?, ?, ?, ?, NULL)"
                ),
                (key.id, key.name, key.role, secret_hash(secret), key.created),
            )
            self._seal_into(db, [(KEY_CHANGE, actor, {"change": "created", "key": key.id, "role": key.role}, None)])
            self._commit(db)

        self._run(create)
        return key, secret

    def find_key(self, secret: str) -> ApiKey | None:  # the secret is hashed: any text can be looked up
        rows = self._query(
            "SELECT id, name, role, created, revoked FROM api_keys WHERE secret_hash = ?", (secret_hash(secret),)
        )
        return ApiKey(*rows[0]) if rows else None

    def api_keys(self) -> list[ApiKey]:
        rows = self._query("SELECT id, name, role, created, revoked FROM api_keys ORDER BY created")
        return [ApiKey(*r) for r in rows]

    def revoke_key(self, key_id: str, actor: str = "cli") -> bool:
        """Revoke an active key, and record that ``actor`` did, in one transaction; False if no such key."""
        if not self._storable((key_id,)):
            return False  # no key's id holds a NUL

        def revoke(db: Any) -> bool:
            self._begin(db)
            statement = "UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL"
            if int(db.execute(self._sql(statement), (now(), key_id)).rowcount) == 1:
                self._seal_into(db, [(KEY_CHANGE, actor, {"change": "revoked", "key": key_id}, None)])
                self._commit(db)
                return True
            db.execute("ROLLBACK") if self.dialect == "sqlite" else db.rollback()
            return False

        return self._run(revoke)


def _unavailable(exc: BaseException) -> str | None:
    """Why ``exc`` means the database cannot answer now (a lost or refused connection, a lock held past the
    wait), or None for any other error (which is not the database's state, and stays what it is)."""
    if isinstance(exc, sqlite3.OperationalError) and any(w in str(exc) for w in ("locked", "busy")):
        return "another writer holds the database's lock"
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return "the connection to PostgreSQL was lost or refused"
    return None


UNREADABLE = "(unreadable)"  # the key of the body given to a record whose stored body is not a JSON object


def stored_record(row: tuple[Any, ...]) -> AuditRecord:
    """A record as stored. A body that is not a JSON object (written behind the store's back) is kept as
    ``{"(unreadable)": its first 200 characters}``: its hash then does not match, and the check names the
    record as edited instead of failing with the whole trail unread."""
    seq, id, kind, at, actor, refers_to, body, prev_hash, hash, signed = row
    try:
        content = json.loads(body)
    except (TypeError, ValueError):
        content = None
    if not isinstance(content, dict):
        content = {UNREADABLE: str(body)[:200]}
    return AuditRecord(int(seq), id, kind, at, actor, refers_to, content, prev_hash, hash, _signature(signed))


def _signature(stored: str | None) -> dict[str, str] | None:
    """A record's stored signature; one that is not a JSON object is kept as an empty one, which fails its
    check (a signature was there, so the record is not taken for one written before records were signed)."""
    if stored is None:
        return None
    try:
        signature = json.loads(stored)
    except (TypeError, ValueError):
        return {}
    return signature if isinstance(signature, dict) else {}


def _sqlite_path(url: str) -> str:
    """The file a SQLite address names (``sqlite:///audit.db`` or a bare path), or ``:memory:``."""
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url


def _connect(url: str, busy_timeout: float = 5.0) -> tuple[str, Any]:
    """A connection to the database ``url`` names, and its dialect."""
    if url.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError("PostgreSQL needs the psycopg package") from exc
        try:
            return "postgresql", psycopg.connect(url, autocommit=False, connect_timeout=5)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to the PostgreSQL database: {exc}") from None
    path = _sqlite_path(url)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            # Created readable by its owner only (SQLite gives its -wal and -shm files the same mode): the
            # trail holds every case decided. (It was created world-readable.)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        return "sqlite", sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the SQLite database {path!r}: {exc}") from None


def default_url(folder: Path | None = None) -> str:
    return f"sqlite:///{(folder or Path.cwd()) / 'sanctuary.db'}"
