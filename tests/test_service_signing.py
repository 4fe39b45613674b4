"""Signed receipts and heads: a receipt the service gives is checked offline with nothing but the published
public key; a head signed and kept outside the database catches a trail rewritten consistently or cut, even
with its head moved."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sanctuary.cli import app as cli
from sanctuary.packs.nyc import NYC
from sanctuary.service.app import create_app
from sanctuary.service.audit import DECISION
from sanctuary.service.options import open_store
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.signing import Signer, receipt_statement, verify
from sanctuary.service.store import Store
from tests.test_service import _raw

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "examples" / "doc-detainer.json").read_text())
runner = CliRunner()


def test_a_receipt_is_checked_offline_with_the_published_key_only(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'trail.db'}")
    secret = store.create_key("desk", "officer")[1]
    client = TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32)))
    answer = client.post("/v1/decisions", json={"case": EXAMPLE}, headers={"X-API-Key": secret})
    assert answer.status_code == 201
    receipt = answer.json()
    published = client.get("/v1/signing-key").json()  # no key needed: an auditor has none
    assert published["alg"] == "Ed25519" and receipt["signature"]["key_id"] == published["key_id"]
    assert verify(receipt_statement(receipt), receipt["signature"], published["public_key"])
    forged = {**receipt, "record_hash": "sha256:" + "0" * 64}
    assert not verify(receipt_statement(forged), receipt["signature"], published["public_key"])
    assert not verify(receipt_statement(receipt), receipt["signature"], Signer.ephemeral().public_key)
    # The same check from the command line, with the receipt saved as the client got it.
    saved, bad = tmp_path / "receipt.json", tmp_path / "forged.json"
    saved.write_text(answer.text)
    bad.write_text(json.dumps(forged))
    key = published["public_key"]
    assert runner.invoke(cli, ["audit", "check", str(saved), "--public-key", key]).exit_code == 0
    assert runner.invoke(cli, ["audit", "check", str(bad), "--public-key", key]).exit_code == 1
    store.close()


def test_a_signed_head_kept_elsewhere_catches_a_consistent_rewrite_and_a_cut(tmp_path: Path) -> None:
    """The deployment's key (a file beside the database, owner-only) signs the head; an auditor keeps it and
    the public key. A trail cut back by two records with its head moved to match verifies as intact on its
    own, but not against the signed head; nor does a forged signed head."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    created = runner.invoke(cli, ["keys", "create", "--role", "officer", "--name", "desk", "--database", url])
    assert created.exit_code == 0
    filling = open_store(url, signing=True)  # the deployment's key signs each record, as the service does
    for n in range(3):
        filling.append(DECISION, "key_test", {"n": n})
    filling.close()
    signed = runner.invoke(cli, ["audit", "head", "--signed", "--database", url])
    assert signed.exit_code == 0, signed.output
    head = tmp_path / "head.json"
    head.write_text(signed.stdout)
    assert ((tmp_path / "audit.signing-key").stat().st_mode & 0o777) == 0o600
    public = json.loads(runner.invoke(cli, ["audit", "signing-key", "--database", url]).stdout)["public_key"]
    assert json.loads(signed.stdout)["head_seq"] == 4
    verify_head = ["audit", "verify", "--database", url, "--signed-head", str(head), "--public-key", public]
    assert runner.invoke(cli, verify_head).exit_code == 0
    assert runner.invoke(cli, ["audit", "check", str(head), "--public-key", public]).exit_code == 0

    store = Store(url)
    second = next(r for r in store.records() if r.seq == 2)
    _raw(store, "DELETE FROM audit WHERE seq > 2")
    _raw(store, "UPDATE chain_head SET seq = ?, hash = ? WHERE one = 1", (2, second.hash))
    store.close()
    assert runner.invoke(cli, ["audit", "verify", "--database", url]).exit_code == 0  # consistent on its own
    caught = runner.invoke(cli, verify_head)
    assert caught.exit_code == 1 and "record 4" in caught.stdout
    forged = {**json.loads(head.read_text()), "head_seq": 2, "head_hash": second.hash}
    head.write_text(json.dumps(forged))
    assert runner.invoke(cli, verify_head).exit_code == 1


def test_an_online_backup_is_one_consistent_moment_and_verifies(tmp_path: Path) -> None:
    """``audit backup`` while another connection appends: the copy's chain verifies, its head is a record of
    the copy, and the copy is readable by its owner only; an existing file is never overwritten."""
    import threading

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    store = Store(url)
    store.create_key("desk", "officer")
    stop = threading.Event()

    def appending() -> None:
        writer = Store(url)
        while not stop.is_set():
            writer.append(DECISION, "key_test", {"n": 1})
        writer.close()

    thread = threading.Thread(target=appending)
    thread.start()
    try:
        backed = runner.invoke(cli, ["audit", "backup", str(tmp_path / "copy.db"), "--database", url])
    finally:
        stop.set()
        thread.join()
    assert backed.exit_code == 0, backed.output
    copy = Store(f"sqlite:///{tmp_path / 'copy.db'}")
    count, problems = copy.check_chain()
    assert problems == [] and count >= 1
    assert ((tmp_path / "copy.db").stat().st_mode & 0o777) == 0o600
    copy.close()
    again = runner.invoke(cli, ["audit", "backup", str(tmp_path / "copy.db"), "--database", url])
    assert again.exit_code == 2 and "never overwrites" in again.output
    store.close()


# --- each record signed as it is appended -------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def trail_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh trail; on PostgreSQL, as the service's restricted role (which can append, as a forger with the
    service's database credentials could, but holds no signing key)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.db'}"
    fresh_database: Callable[[], str] = request.getfixturevalue("postgres_server")
    return fresh_database()


def _verify(url: str, *options: str) -> tuple[int, str, str]:
    done = runner.invoke(cli, ["audit", "verify", "--database", url, *options])
    return done.exit_code, done.stdout, done.stderr


def test_a_forged_record_appended_after_the_last_signed_head_is_named(trail_url: str, tmp_path: Path) -> None:
    """Someone with write access to the database but not the signing key appends a decision after the head an
    auditor last kept: the chain is consistent (hash, link, number, head all moved together), so neither the
    plain check nor the signed head sees it; each record's signature does, and names it."""
    signer = Signer.ephemeral()
    service = Store(trail_url, signer=signer)
    kept = [service.append(DECISION, "key_desk", {"n": n}) for n in range(3)]
    assert all(r.signature is not None for r in kept)
    head = tmp_path / "head.json"
    statement = {"head_seq": 3, "head_hash": kept[-1].hash, "at": "2026-12-04T00:00:00+00:00"}
    head.write_text(json.dumps({**statement, "signature": signer.sign(statement)}))
    forger = Store(trail_url)  # the database's credentials, no key
    forged = forger.append(DECISION, "key_desk", {"n": "forged"})
    assert _verify(trail_url)[0] == 0  # consistent in itself
    assert _verify(trail_url, "--signed-head", str(head), "--public-key", signer.public_key)[0] == 1
    code, out, _ = _verify(trail_url, "--public-key", signer.public_key)
    assert code == 1 and f"record 4 ({forged.id})" in out and "no signature" in out
    # A signature made with another key (or copied from another record) fails too, and is named.
    service.append(DECISION, "key_desk", {"n": 5})
    other = Store(trail_url, signer=Signer.ephemeral())
    other.append(DECISION, "key_desk", {"n": "forged, signed"})
    code, out, _ = _verify(trail_url, "--public-key", signer.public_key)
    assert code == 1 and "record 4" in out and "1 more record(s) after it fail" in out
    for opened in (other, forger, service):
        opened.close()


def test_records_from_before_signing_are_reported_unsigned_not_forged(trail_url: str) -> None:
    """A trail begun before records were signed: its first records have no signature. They are counted and
    their range given; the trail is intact, and records signed since are checked."""
    before = Store(trail_url)
    for n in range(3):
        before.append(DECISION, "key_desk", {"n": n})
    before.close()
    signer = Signer.ephemeral()
    after = Store(trail_url, signer=signer)  # the service upgraded: it signs from now on
    after.append(DECISION, "key_desk", {"n": 3})
    after.append(DECISION, "key_desk", {"n": 4})
    after.close()
    code, out, err = _verify(trail_url, "--public-key", signer.public_key)
    assert (code, out) == (0, ""), out
    assert "5 records (2 signed; 3 unsigned, written before records were signed: records 1–3); intact" in err
    code, out, _ = _verify(trail_url, "--public-key", Signer.ephemeral().public_key)  # not the deployment's key
    assert code == 1 and "record 4" in out and "does not match" in out


def test_every_record_the_service_writes_is_signed_with_its_receipts_key(tmp_path: Path) -> None:
    """Through the service: the decision and the key change it records carry the signature of the key that signs
    the receipts, published at /v1/signing-key; verify with that key alone finds every record signed."""
    url = f"sqlite:///{tmp_path / 'trail.db'}"
    store = Store(url)
    client = TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32)))
    secret = store.create_key("desk", "officer")[1]
    assert client.post("/v1/decisions", json={"case": EXAMPLE}, headers={"X-API-Key": secret}).status_code == 201
    public = client.get("/v1/signing-key").json()["public_key"]
    code, out, err = _verify(url, "--public-key", public)
    assert (code, out) == (0, "") and "2 records (2 signed); intact" in err
    admin = store.create_key("admin", "admin")[1]
    checked = client.get("/v1/audit/verify", headers={"X-API-Key": admin}).json()
    assert checked["intact"] and checked["signatures"] == "3 signed"
    forger = Store(url)  # the database's credentials, not the key
    forger.append(DECISION, "key_desk", {"n": "forged"})
    forger.close()
    checked = client.get("/v1/audit/verify", headers={"X-API-Key": admin}).json()
    assert not checked["intact"] and "record 4" in checked["problems"][0] and "no signature" in checked["problems"][0]
    store.close()


def test_a_postgresql_backup_is_a_pg_dump_whose_copy_is_checked_from_the_file(
    postgres_server: Callable[[], str], tmp_path: Path
) -> None:
    """``audit backup`` on PostgreSQL (as the service's restricted role) while another connection appends:
    pg_dump's one snapshot, in a new file readable by its owner only, whose trail is read back from the file
    and verifies; a dump edited afterwards, or cut short, does not."""
    import shutil
    import threading

    from sanctuary.service.backup import check_dump

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (PostgreSQL's client tools)")
    url = postgres_server()
    store = Store(url, signer=Signer.ephemeral())
    store.create_key("desk", "officer")
    for n in range(5):
        store.append(DECISION, "key_test", {"n": n, "text": "tab\there, line\nbreak, back\\slash, é"})
    stop = threading.Event()

    def appending() -> None:
        while not stop.is_set():
            store.append(DECISION, "key_test", {"n": "meanwhile"})

    thread = threading.Thread(target=appending)
    thread.start()
    dump = tmp_path / "trail.sql"
    try:
        backed = runner.invoke(cli, ["audit", "backup", str(dump), "--database", url])
    finally:
        stop.set()
        thread.join()
    assert backed.exit_code == 0, backed.output
    assert "intact" in backed.stderr and (dump.stat().st_mode & 0o777) == 0o600
    count, problems, head = check_dump(dump)
    assert problems == [] and count == head >= 6
    again = runner.invoke(cli, ["audit", "backup", str(dump), "--database", url])
    assert again.exit_code == 2 and "never overwrites" in again.output
    text = dump.read_text(encoding="utf-8")
    edited = tmp_path / "edited.sql"
    edited.write_text(text.replace('"n": 3', '"n": 33', 1), encoding="utf-8")
    assert any("edited" in p.problem for p in check_dump(edited)[1])
    lines = text.splitlines(keepends=True)
    end = lines.index("\\.\n", next(i for i, line in enumerate(lines) if line.startswith("COPY public.audit ")))
    cut = tmp_path / "cut.sql"
    cut.write_text("".join(lines[: end - 1] + lines[end:]), encoding="utf-8")  # the last record dropped
    assert any("deleted" in p.problem for p in check_dump(cut)[1])
    store.close()
