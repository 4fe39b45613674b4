"""The service's PostgreSQL role: prepared by the schema's owner with ``sanctuary audit grant``, it may read and
append records and nothing more — it cannot update or delete a record, nor drop, disable or replace the
append-only trigger — and the service runs under it (every PostgreSQL test of the service does: conftest's
``postgres_server`` hands out URLs of that role). Without the schema in place it says what to run."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctuary.cli import app as cli
from sanctuary.errors import StoreError
from sanctuary.service.audit import DECISION
from sanctuary.service.signing import Signer
from sanctuary.service.store import Store
from tests.conftest import SERVICE_ROLE, owner_url

psycopg = pytest.importorskip("psycopg")
runner = CliRunner()

# What someone holding the service's database credentials (but not the owner's) might try, each refused.
ATTEMPTS = [
    "UPDATE audit SET body = '{}' WHERE seq = 1",
    "DELETE FROM audit WHERE seq = 2",
    "TRUNCATE audit",  # TRUNCATE fires no row trigger: it must not be granted
    "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
    "ALTER TABLE audit DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_append_only ON audit",
    "DROP TABLE audit",
    "CREATE OR REPLACE FUNCTION sanctuary_append_only() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ "
    "LANGUAGE plpgsql",
    "SET session_replication_role = replica",  # replica mode skips ordinary triggers
    "UPDATE api_keys SET role = 'admin'",
    "UPDATE api_keys SET revoked = NULL",  # un-revoke: the column may be set, once, never cleared
    "UPDATE api_keys SET revoked = 'again' WHERE revoked IS NOT NULL",
    "DELETE FROM api_keys",
    "UPDATE chain_head SET seq = seq",  # allowed (the head moves on every append): the control, see below
    "DELETE FROM idempotency",
    "ALTER TABLE audit OWNER TO sanctuary_service",
]


@pytest.fixture
def service_url(postgres_server: Callable[[], str]) -> str:
    return postgres_server()


def _as_service(url: str, statement: str) -> str | None:
    """Run ``statement`` as the service's role; the error PostgreSQL gives, or None if it ran."""
    with psycopg.connect(url, autocommit=True) as connection:
        try:
            connection.execute(statement)
        except psycopg.Error as exc:
            return str(exc).splitlines()[0]
    return None


def test_the_service_role_cannot_alter_the_trigger_or_touch_a_record(service_url: str) -> None:
    assert f"postgresql://{SERVICE_ROLE}@" in service_url
    store = Store(service_url)
    assert not store.owns_schema
    records = [store.append(DECISION, "key_desk", {"n": n}) for n in range(3)]
    gone = store.create_key("gone", "officer")[0]
    assert store.revoke_key(gone.id)  # what the role may do: revoke an active key
    refused = {statement: _as_service(service_url, statement) for statement in ATTEMPTS}
    allowed = {s for s, error in refused.items() if error is None}
    assert allowed == {"UPDATE chain_head SET seq = seq"}, refused
    for statement, error in refused.items():
        if error is not None:
            assert re.search(r"permission denied|must be owner|append-only|only be revoked", error), (statement, error)
    assert [r.hash for r in store.records()][:3] == [r.hash for r in records]
    assert store.check_chain() == (5, [])  # the key's creation and revocation are records too
    store.close()


def test_the_owner_is_still_stopped_by_the_trigger(service_url: str) -> None:
    """The owner (here a superuser) may drop the trigger, which is why the service must not run as the owner;
    but with the trigger in place even the owner's update or delete is refused."""
    store = Store(service_url)
    store.append(DECISION, "key_desk", {"n": 1})
    for statement in ("UPDATE audit SET body = '{}'", "DELETE FROM audit"):
        with psycopg.connect(owner_url(service_url), autocommit=True) as owner, pytest.raises(psycopg.Error) as error:
            owner.execute(statement)
        assert "append-only" in str(error.value)
    owner_store = Store(owner_url(service_url))
    assert owner_store.owns_schema  # `sanctuary serve` warns when it runs so
    owner_store.close()
    store.close()


def test_without_the_schema_the_service_role_says_what_the_owner_must_run(service_url: str) -> None:
    empty = "empty_" + re.sub(r"\W", "", service_url.split("@/")[1].split("?")[0])
    with psycopg.connect(owner_url(service_url), autocommit=True) as owner:
        owner.execute(f"CREATE DATABASE {empty}")
    url = re.sub(r"@/\w+\?", f"@/{empty}?", service_url)
    with pytest.raises(StoreError, match=r"lacks the service's schema \(audit, .*sanctuary audit grant"):
        Store(url)
    listed = runner.invoke(cli, ["keys", "list", "--database", url])
    assert listed.exit_code == 2 and "sanctuary audit grant" in listed.output
    granted = runner.invoke(
        cli, ["audit", "grant", "--database", owner_url(url), "--service-role", SERVICE_ROLE], catch_exceptions=False
    )
    assert granted.exit_code == 0, granted.output
    store = Store(url)  # now in place: nothing to create, nothing refused
    assert store.append(DECISION, "key_desk", {"n": 1}).seq == 1
    store.close()


def test_audit_grant_refuses_the_owner_and_an_unknown_role_and_prints_its_sql(service_url: str, tmp_path: Path) -> None:
    owner = owner_url(service_url)
    itself = runner.invoke(cli, ["audit", "grant", "--database", owner, "--service-role", "sanctuary"])
    assert itself.exit_code == 2 and "owns nothing" in itself.output
    unknown = runner.invoke(cli, ["audit", "grant", "--database", owner, "--service-role", "nobody_here"])
    assert unknown.exit_code == 2 and "CREATE ROLE nobody_here" in unknown.output
    bad = runner.invoke(cli, ["audit", "grant", "--sql", "--service-role", "x; DROP TABLE audit"])
    assert bad.exit_code == 2 and "a role name of lower-case letters" in bad.output
    sql = runner.invoke(cli, ["audit", "grant", "--sql", "--service-role", "desk_service"])
    assert sql.exit_code == 0 and "CREATE TRIGGER audit_append_only" in sql.stdout
    grants = [line for line in sql.stdout.splitlines() if line.startswith("GRANT")]
    assert grants and all("desk_service" in line for line in grants)
    assert not any(word in line for line in grants for word in ("DELETE", "TRUNCATE", "ALL")), grants
    assert "GRANT SELECT, INSERT ON audit, idempotency TO desk_service;" in grants


def test_a_trail_from_before_signing_gets_its_column_from_the_owner(service_url: str) -> None:
    """A trail made before records were signed has no ``signature`` column: the service's role says so (it may
    not add it); the owner's `audit grant` adds it; the old records read as unsigned. (SQLite adds it itself.)"""
    store = Store(service_url)
    store.append(DECISION, "key_desk", {"n": 1})
    store.close()
    with psycopg.connect(owner_url(service_url), autocommit=True) as owner:
        owner.execute("ALTER TABLE audit DROP COLUMN signature")
    with pytest.raises(StoreError, match=r"\(the column audit\.signature\)"):
        Store(service_url)
    granted = runner.invoke(cli, ["audit", "grant", "--database", owner_url(service_url)])
    assert granted.exit_code == 0, granted.output
    store = Store(service_url)
    assert [r.signature for r in store.records()] == [None]
    store.close()


def test_a_sqlite_trail_from_before_signing_gets_its_column_when_opened(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as connection:
        columns = "seq BIGINT PRIMARY KEY, id TEXT, kind TEXT, at TEXT, actor TEXT, refers_to TEXT, body TEXT, "
        connection.execute(f"CREATE TABLE audit ({columns} prev_hash TEXT, hash TEXT)")
    migrated = Store(f"sqlite:///{old}", signer=Signer.ephemeral())
    assert migrated.append(DECISION, "key_desk", {"n": 1}).signature is not None
    assert next(iter(migrated.records())).signature is not None
    migrated.close()
