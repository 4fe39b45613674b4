"""Signed receipts and heads: a receipt the service gives is checked offline with nothing but the published
public key; a head signed and kept outside the database catches a trail rewritten consistently or cut, even
with its head moved."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sanctuary.cli import app as cli
from sanctuary.packs.nyc import NYC
from sanctuary.service.app import create_app
from sanctuary.service.audit import DECISION
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
    filling = Store(url)
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
