"""The decision service: the audit chain and its tampering, the store on SQLite and on PostgreSQL (the same
tests on both), access by role, bad input, the privacy policy, replay, and the service's commands."""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanctuary.cli import app as cli
from sanctuary.packs.nyc import NYC
from sanctuary.service.audit import ACCESS_DENIED, ACTION, DECISION, GENESIS, AuditRecord, seal, verify
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import Store
from tests.conftest import owner_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice about its test client's HTTP library
    from fastapi.testclient import TestClient

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CASE = json.loads((EXAMPLES / "doc-detainer.json").read_text())
runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.db'}"
    fresh_database: Callable[[], str] = request.getfixturevalue("postgres_server")
    return fresh_database()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    yield opened
    opened.close()


def _raw(store: Store, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Change the database behind the store's back, as someone with direct access to it could: with the
    append-only triggers switched off."""
    if store.dialect == "sqlite":
        store._db.execute("DROP TRIGGER IF EXISTS audit_no_update")
        store._db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        store._db.execute(statement, params)
    else:  # as the database's owner: the service's own role may not touch the trigger (test_service_role.py)
        import psycopg

        with psycopg.connect(owner_url(store.url), autocommit=True) as owner:
            owner.execute("ALTER TABLE audit DISABLE TRIGGER audit_append_only")
            owner.execute("ALTER TABLE api_keys DISABLE TRIGGER api_keys_revoke_only")
            owner.execute(statement.replace("?", "%s"), params)


def _filled(store: Store, n: int = 5) -> list[AuditRecord]:
    return [store.append(DECISION, "key_test", {"n": i, "text": f"decision {i}"}) for i in range(1, n + 1)]


# --- the chain ------------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=8)), min_size=1, max_size=8))
def test_a_chain_built_by_sealing_verifies_and_any_edit_is_named(bodies: list[dict[str, Any]]) -> None:
    records, previous = [], GENESIS
    for i, body in enumerate(bodies, start=1):
        record = seal(i, f"r{i}", DECISION, "2026-01-01T00:00:00", "a", None, body, previous)
        records.append(record)
        previous = record.hash
    assert verify(records, (len(records), previous)) == (len(records), [])
    edited = list(records)
    target = len(records) // 2
    original = edited[target]
    edited[target] = AuditRecord(
        original.seq, original.id, original.kind, original.at, original.actor, original.refers_to,
        {**original.body, "changed": True}, original.prev_hash, original.hash,
    )  # fmt: skip
    _, problems = verify(edited, (len(records), previous))
    assert [p.seq for p in problems] == [original.seq] and "edited" in problems[0].problem


def test_the_store_keeps_an_intact_chain_and_its_head(store: Store) -> None:
    records = _filled(store)
    assert [r.seq for r in store.records()] == [1, 2, 3, 4, 5]
    assert store.head() == (5, records[-1].hash)
    assert verify(store.records(), store.head()) == (5, [])
    assert store.get(records[2].id) == records[2]


def test_records_cannot_be_updated_or_deleted_through_the_database(store: Store) -> None:
    _filled(store, 2)
    for statement in ("UPDATE audit SET body = '{}' WHERE seq = 1", "DELETE FROM audit WHERE seq = 1"):
        # SQLite: the trigger refuses; PostgreSQL: the service's role may not even try (test_service_role.py)
        with pytest.raises(Exception, match="append-only" if store.dialect == "sqlite" else "permission denied"):
            store._write(statement)
    assert verify(store.records(), store.head())[1] == []


def test_an_edited_record_is_named(store: Store) -> None:
    records = _filled(store)
    _raw(store, "UPDATE audit SET body = ? WHERE seq = 3", (json.dumps({"n": 3, "text": "something else"}),))
    _, problems = verify(store.records(), store.head())
    assert [(p.seq, p.id) for p in problems] == [(3, records[2].id)]
    assert "edited" in problems[0].problem


def test_a_deleted_record_is_named(store: Store) -> None:
    _filled(store)
    _raw(store, "DELETE FROM audit WHERE seq = 3")
    _, problems = verify(store.records(), store.head())
    assert {p.seq for p in problems} == {4}
    assert any("3 before it are missing: deleted" in p.problem for p in problems)


def test_reordered_records_are_named(store: Store) -> None:
    _filled(store)
    # Swap records 2 and 3 in the sequence (their contents and hashes go with them).
    _raw(store, "UPDATE audit SET seq = 100 WHERE seq = 2")
    _raw(store, "UPDATE audit SET seq = 2 WHERE seq = 3")
    _raw(store, "UPDATE audit SET seq = 3 WHERE seq = 100")
    _, problems = verify(store.records(), store.head())
    assert {p.seq for p in problems} >= {2, 3}
    assert all(p.seq in (2, 3, 4) for p in problems)


def test_records_cut_from_the_end_are_found_by_the_head(store: Store) -> None:
    _filled(store)
    _raw(store, "DELETE FROM audit WHERE seq >= 4")
    _, problems = verify(store.records(), store.head())
    assert len(problems) == 1 and "ends at record 3 but its head says 5" in problems[0].problem


def test_a_batch_is_written_whole_or_not_at_all(store: Store) -> None:
    _filled(store, 1)
    with pytest.raises(TypeError):
        store.append_many([(DECISION, "k", {"ok": 1}, None), (DECISION, "k", {"bad": object()}, None)])
    assert [r.seq for r in store.records()] == [1]
    assert verify(store.records(), store.head())[1] == []


def test_concurrent_appends_keep_one_chain(store: Store) -> None:
    def work(worker: int) -> None:
        for i in range(20):
            store.append(DECISION, f"w{worker}", {"i": i})

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    count, problems = verify(store.records(), store.head())
    assert (count, problems) == (80, [])


def test_a_check_while_decisions_are_appended_sees_no_false_break(store: Store) -> None:
    """The chain is checked as of one moment (a snapshot): records appended meanwhile are not newer than
    the head it compares with."""
    _filled(store, 3)
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            store.append(DECISION, "writer", {"x": 1})

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(15):
            with store.snapshot() as (head, records, _keys):
                count, problems = verify(records, head)
            assert problems == [] and head is not None and count == head[0]
    finally:
        stop.set()
        thread.join()
    assert verify(store.records(), store.head())[1] == []


# --- the HTTP service -------------------------------------------------------------------------------------


@pytest.fixture
def service(store: Store) -> tuple[TestClient, dict[str, str], Store]:
    from sanctuary.service.app import create_app

    keys = {role: store.create_key(f"test {role}", role)[1] for role in ("officer", "analyst", "admin")}
    client = TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32)), raise_server_exceptions=False)
    return client, keys, store


def _as(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"X-API-Key": keys[role]}


def test_a_decision_is_recorded_before_it_is_answered_and_can_be_fetched(
    service: tuple[TestClient, dict[str, str], Store],
) -> None:
    client, keys, store = service
    answer = client.post("/v1/decisions", json={"case": CASE}, headers=_as(keys, "officer"))
    assert answer.status_code == 201
    receipt = answer.json()
    record = store.get(receipt["id"])
    assert record is not None and record.hash == receipt["record_hash"]
    assert record.body["output"] == receipt["decision"] and record.body["input"] == CASE
    assert record.body["law_hash"] == receipt["decision"]["provenance"]["law_hash"]
    fetched = client.get(f"/v1/decisions/{receipt['id']}", headers=_as(keys, "officer")).json()
    assert fetched["body"]["output"] == receipt["decision"] and fetched["actions"] == []
    action = client.post(
        f"/v1/decisions/{receipt['id']}/actions",
        json={"type": "notified_of_release", "date": CASE["decision_date"]},
        headers=_as(keys, "officer"),
    )
    assert action.status_code == 201
    fetched = client.get(f"/v1/decisions/{receipt['id']}", headers=_as(keys, "officer")).json()
    assert [a["body"]["type"] for a in fetched["actions"]] == ["notified_of_release"]
    assert verify(store.records(), store.head())[1] == []


def test_roles_decide_who_may_do_what_and_every_refusal_is_recorded(
    service: tuple[TestClient, dict[str, str], Store],
) -> None:
    client, keys, store = service
    decided = client.post("/v1/decisions", json={"case": CASE}, headers=_as(keys, "officer")).json()["id"]
    expected = {
        ("post", "/v1/decisions", "analyst"): 403,
        ("post", "/v1/decisions", "admin"): 403,
        ("get", f"/v1/decisions/{decided}", "analyst"): 403,
        ("get", "/v1/stats", "officer"): 403,
        ("get", "/v1/stats", "analyst"): 200,
        ("get", "/v1/keys", "analyst"): 403,
        ("get", "/v1/keys", "admin"): 200,
        ("get", "/v1/audit/verify", "officer"): 403,
        ("get", "/v1/regimes", "analyst"): 200,
    }
    for (method, path, role), status in expected.items():
        body = {"json": {"case": CASE}} if method == "post" else {}
        answer = getattr(client, method)(path, headers=_as(keys, role), **body)
        assert answer.status_code == status, (method, path, role)
    assert client.get("/v1/regimes").status_code == 401
    assert client.get("/v1/regimes", headers={"X-API-Key": "sk_not-a-key"}).status_code == 401
    denied = [r for r in store.records() if r.kind == ACCESS_DENIED]
    # Eight refusals of seven kinds (the analyst refused twice for the officer's role): one record a kind a
    # minute, the second refusal of a kind counted in the kind's next record.
    assert len(denied) == 7
    assert all("sk_" not in json.dumps(r.body) for r in denied)  # the secret presented is never stored
    # Analysts see aggregates, never a case or a decision id.
    stats = client.get("/v1/stats", headers=_as(keys, "analyst")).text
    assert decided not in stats and "instant_arrest_date" not in stats


def test_refusals_are_recorded_at_a_bounded_rate_with_the_path_cut(
    service: tuple[TestClient, dict[str, str], Store],
) -> None:
    """A flood of requests without a key adds one record, not one each; the next record of the kind, a window
    later, says how many were not recorded; a 60,000-character path is kept cut to 200 characters."""
    client, _, store = service
    for _ in range(300):
        assert client.get("/v1/decisions/" + "x" * 60_000).status_code == 401
    denied = list(store.records((ACCESS_DENIED,)))
    assert len(denied) == 1 and denied[0].body["unrecorded_before"] == 0
    assert len(denied[0].body["path"]) < 250 and denied[0].body["path"].endswith("characters)")
    client.app.state.refusals.window = 0.0  # type: ignore[attr-defined]  # the window has passed
    assert client.get("/v1/regimes").status_code == 401
    denied = list(store.records((ACCESS_DENIED,)))
    assert len(denied) == 2 and denied[1].body["unrecorded_before"] == 299


def test_a_revoked_admin_key_stops_at_once_even_when_revoked_by_another_process(
    service: tuple[TestClient, dict[str, str], Store],
) -> None:
    """An admin key revoked in the database by another process (``sanctuary keys revoke``, here the store
    directly) cannot mint a key at its next request: no key is cached."""
    client, keys, store = service
    created = client.post("/v1/keys", json={"name": "admin 2", "role": "admin"}, headers=_as(keys, "admin")).json()
    second = {"X-API-Key": created["secret"]}
    assert client.get("/v1/keys", headers=second).status_code == 200
    assert store.revoke_key(created["id"])  # not through the service
    minted = client.post("/v1/keys", json={"name": "mine", "role": "admin"}, headers=second)
    assert minted.status_code == 401, minted.text


@pytest.mark.parametrize("role", ["officer", "analyst", "admin"])
def test_a_revocation_by_another_instance_takes_effect_at_once_for_every_key(
    store_url: str, tmp_path: Path, role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two instances of the service on one database, each with its own store (connection), as two processes
    are: a key revoked through one — or with `sanctuary keys revoke`, a third process — is refused by the other
    at its very next request, whatever its role (keys are looked up on every request, not cached)."""
    from sanctuary.service.app import create_app

    monkeypatch.chdir(tmp_path)  # where the command line keeps a PostgreSQL deployment's signing key
    first, second = Store(store_url), Store(store_url)
    admin = first.create_key("admin", "admin")[1]
    clients = [
        TestClient(create_app(opened, NYC, PrivacyPolicy(b"k" * 32)), raise_server_exceptions=False)
        for opened in (first, second)
    ]
    path = {"officer": "/v1/decisions?limit=1", "analyst": "/v1/stats", "admin": "/v1/keys"}[role]
    for revoke_with in ("service", "cli"):
        created = clients[0].post("/v1/keys", json={"name": "desk", "role": role}, headers={"X-API-Key": admin})
        key = {"X-API-Key": created.json()["secret"]}
        assert clients[1].get(path, headers=key).status_code == 200  # known to the other instance
        if revoke_with == "service":
            assert (
                clients[0].delete(f"/v1/keys/{created.json()['id']}", headers={"X-API-Key": admin}).status_code == 200
            )
        else:
            revoked = runner.invoke(cli, ["keys", "revoke", created.json()["id"], "--database", store_url])
            assert revoked.exit_code == 0, revoked.output
        refused = clients[1].get(path, headers=key)
        assert refused.status_code == 401 and "revoked" in refused.text, (revoke_with, refused.text)
    first.close()
    second.close()


def test_revoked_keys_are_refused(service: tuple[TestClient, dict[str, str], Store]) -> None:
    client, keys, _ = service
    created = client.post("/v1/keys", json={"name": "desk 2", "role": "officer"}, headers=_as(keys, "admin")).json()
    assert client.get("/v1/regimes", headers={"X-API-Key": created["secret"]}).status_code == 200
    assert client.delete(f"/v1/keys/{created['id']}", headers=_as(keys, "admin")).status_code == 200
    assert client.get("/v1/regimes", headers={"X-API-Key": created["secret"]}).status_code == 401


def test_bad_input_gets_422_with_the_path_of_each_problem_and_nothing_is_recorded(
    service: tuple[TestClient, dict[str, str], Store],
) -> None:
    client, keys, store = service
    before = store.head()
    bad = json.loads(json.dumps(CASE))
    bad["person"]["instant_arrest_date"] = "2030-01-01"
    answer = client.post("/v1/decisions", json={"case": bad}, headers=_as(keys, "officer"))
    assert answer.status_code == 422
    assert [p["path"] for p in answer.json()["errors"]] == ["case.person.instant_arrest_date"]
    batch = client.post(
        "/v1/decisions/batch", json={"items": [{"case": CASE}, {"case": bad}]}, headers=_as(keys, "officer")
    )
    assert batch.status_code == 422
    assert [p["path"] for p in batch.json()["errors"]] == ["items[1].case.person.instant_arrest_date"]
    alone = client.post("/v1/decisions/batch", json={"items": [{"case": bad}]}, headers=_as(keys, "officer"))
    assert [p["path"] for p in alone.json()["errors"]] == ["items[0].case.person.instant_arrest_date"]
    not_json = client.post(
        "/v1/decisions", content=b"{", headers={**_as(keys, "officer"), "content-type": "application/json"}
    )
    assert not_json.status_code == 422 and not_json.json()["errors"][0]["path"] == "(body)"
    unknown_field = client.post("/v1/decisions", json={"case": CASE, "extra": 1}, headers=_as(keys, "officer"))
    assert unknown_field.status_code == 422 and unknown_field.json()["errors"][0]["path"] == "extra"
    assert store.head() == before
    too_big = client.post(
        "/v1/decisions",
        content=b" " * 2_000_000,
        headers={**_as(keys, "officer"), "content-type": "application/json"},
    )
    assert too_big.status_code == 413

    def chunks() -> Iterator[bytes]:  # no declared length: the body arrives in pieces
        for _ in range(40):
            yield b" " * 50_000

    too_big_chunked = client.post(
        "/v1/decisions", content=chunks(), headers={**_as(keys, "officer"), "content-type": "application/json"}
    )
    assert too_big_chunked.status_code == 413
    not_utf8 = client.post(
        "/v1/decisions", content=b"\x80", headers={**_as(keys, "officer"), "content-type": "application/json"}
    )
    assert not_utf8.status_code == 422 and not_utf8.json()["errors"][0]["path"] == "(body)"
    assert store.head() == before
    missing = client.post("/v1/decisions/nope/actions", json={"type": "notified_of_release", "date": "2024-03-01"},
                          headers=_as(keys, "officer"))  # fmt: skip
    assert missing.status_code == 404


def test_a_batch_is_recorded_together(service: tuple[TestClient, dict[str, str], Store]) -> None:
    client, keys, store = service
    items = [{"case": json.loads(p.read_text())} for p in sorted(EXAMPLES.glob("*.json"))]
    answer = client.post("/v1/decisions/batch", json={"items": items}, headers=_as(keys, "officer"))
    assert answer.status_code == 201
    ids = [d["id"] for d in answer.json()["decisions"]]
    assert [r.id for r in store.records((DECISION,))] == ids
    assert verify(store.records(), store.head())[1] == []


# --- privacy ----------------------------------------------------------------------------------------------


def test_identifiers_are_kept_only_as_keyed_hashes_unless_the_deployment_opts_in(tmp_path: Path) -> None:
    from sanctuary.service.app import create_app

    for keep in (False, True):
        path = tmp_path / f"keep-{keep}.db"
        store = Store(f"sqlite:///{path}")
        secret = store.create_key("desk", "officer")[1]
        client = TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32, keep_identifiers=keep)))
        subject = {"person_id": "NYSID-04417321Q", "name": "Jane Q. Example"}
        answer = client.post("/v1/decisions", json={"case": CASE, "subject": subject}, headers={"X-API-Key": secret})
        stored = store.get(answer.json()["id"])
        assert stored is not None
        assert stored.body["subject"]["person_key"] == PrivacyPolicy(b"k" * 32).keyed("NYSID-04417321Q")
        assert stored.body["subject"]["person_key"] != PrivacyPolicy(b"j" * 32).keyed("NYSID-04417321Q")
        store.close()
        on_disk = b"".join(p.read_bytes() for p in tmp_path.glob(f"keep-{keep}.db*"))
        assert (b"NYSID-04417321Q" in on_disk) is keep and (b"Jane Q. Example" in on_disk) is keep


def test_the_pii_key_is_created_once_and_readable_by_its_owner_only(tmp_path: Path, monkeypatch: Any) -> None:
    from sanctuary.service.privacy import load_key

    monkeypatch.delenv("SANCTUARY_PII_KEY", raising=False)
    path = tmp_path / "deployment.pii-key"
    first = load_key(path)
    assert load_key(path) == first and len(first) == 32
    assert path.stat().st_mode & 0o077 == 0
    monkeypatch.setenv("SANCTUARY_PII_KEY", "zz")
    with pytest.raises(ValueError, match="hexadecimal"):
        load_key(path)


# --- replay and the commands ------------------------------------------------------------------------------


def test_replay_agrees_with_a_decision_of_todays_engine_and_shows_a_difference(tmp_path: Path) -> None:
    from sanctuary.service.decisions import record_decisions, replay
    from sanctuary.service.models import DecisionRequest

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    store = Store(url)
    (record,) = record_decisions(store, NYC, PrivacyPolicy(b"k" * 32), "cli", [DecisionRequest(case=CASE)])
    assert replay(record, NYC)["agrees"] is True
    result = runner.invoke(cli, ["audit", "replay", record.id, "--database", url])
    assert result.exit_code == 0, result.output
    # A decision recorded by an engine that answered differently (here: written so, in a valid chain).
    then = json.loads(json.dumps(record.body))
    then["output"]["outcomes"][0]["result"] = "prohibited"
    other = store.append(DECISION, "old-engine", then)
    found = replay(other, NYC)
    assert found["agrees"] is False and found["results_agree"] is False
    assert found["differences"][0]["field"] == f"{then['output']['outcomes'][0]['action']}.result"
    assert runner.invoke(cli, ["audit", "replay", other.id, "--database", url]).exit_code == 1
    assert runner.invoke(cli, ["audit", "replay", "no-such-id", "--database", url]).exit_code == 2


def test_keys_and_audit_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    created = runner.invoke(cli, ["keys", "create", "--role", "analyst", "--name", "council staff", "--database", url])
    assert created.exit_code == 0, created.output
    key = json.loads(created.stdout)
    assert key["secret"].startswith("sk_") and key["role"] == "analyst"
    listed = runner.invoke(cli, ["keys", "list", "--database", url])
    assert key["id"] in listed.stdout and key["secret"] not in listed.stdout
    assert runner.invoke(cli, ["keys", "create", "--role", "boss", "--name", "x", "--database", url]).exit_code == 2
    head = runner.invoke(cli, ["audit", "head", "--database", url]).stdout.strip()
    assert runner.invoke(cli, ["audit", "verify", "--database", url, "--expect-head", head]).exit_code == 0
    assert runner.invoke(cli, ["keys", "revoke", key["id"], "--database", url]).exit_code == 0
    store = Store(url)
    assert [r.kind for r in store.records()] == ["key_change", "key_change"]
    _raw(store, "DELETE FROM audit WHERE seq = 1")
    broken = runner.invoke(cli, ["audit", "verify", "--database", url])
    assert broken.exit_code == 1 and "record 2" in broken.stdout
    # A receipt a client kept, for a record no longer there.
    missing = runner.invoke(cli, ["audit", "verify", "--database", url, "--receipt", "sha256:" + "1" * 64])
    assert "no such record" in missing.stdout
    assert ACTION  # (the action kind is exercised through the HTTP tests)


# --- statutory reports through the service and the command ----------------------------------------------


def test_a_report_counts_the_recorded_detainers_and_holds(service: tuple[TestClient, dict[str, str], Store]) -> None:
    """Three DOC detainers received in the year to June 30, 2024 (two about one person), one outside it; two
    holds recorded. The report counts 3 detainers and 1 person held."""
    client, keys, _ = service
    officer = _as(keys, "officer")
    decided = []
    for day, person in (("2023-07-01", "A-1"), ("2024-03-01", "A-1"), ("2024-06-30", "B-2"), ("2024-07-01", "C-3")):
        case = json.loads(json.dumps(CASE)) | {"decision_date": day}
        case["person"]["instant_arrest_date"] = case["person"]["pending_charges"][0]["arrest_date"] = "2023-06-01"
        body = {"case": case, "subject": {"person_id": person}, "record": {"received": day}}
        decided.append(client.post("/v1/decisions", json=body, headers=officer).json()["id"])
    for decision_id, day in ((decided[0], "2023-07-02"), (decided[1], "2024-03-02")):
        hold = {"type": "held_beyond_release", "date": day}
        assert client.post(f"/v1/decisions/{decision_id}/actions", json=hold, headers=officer).status_code == 201
    answer = client.get("/v1/reports/9-131", params={"year": 2024}, headers=_as(keys, "analyst"))
    assert answer.status_code == 200
    rows = {row["id"]: row for row in answer.json()["rows"]}
    assert rows["9-131(f)(1)"]["value"] == 3
    assert rows["9-131(f)(2)"]["value"] == 1  # one person, held twice
    assert rows["9-131(f)(6).requested"]["value"] is None  # SCAAP amounts are not in the trail: not computable
    csv_text = client.get("/v1/reports/9-131", params={"year": 2024, "format": "csv"}, headers=_as(keys, "admin"))
    assert csv_text.headers["content-type"].startswith("text/csv") and "9-131(f)(1)" in csv_text.text
    html = client.get("/v1/reports/9-131", params={"year": 2024, "format": "html"}, headers=_as(keys, "analyst"))
    assert "9-131(f)(9)(iii)" in html.text
    assert (
        client.get("/v1/reports/9-131", params={"quarter": "2024Q1"}, headers=_as(keys, "analyst")).status_code == 422
    )
    assert client.get("/v1/reports/9-131", params={"year": 2024}, headers=officer).status_code == 403


def test_the_report_command_writes_json_csv_and_html(tmp_path: Path) -> None:
    from sanctuary.service.decisions import record_decisions
    from sanctuary.service.models import DecisionRequest

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    store = Store(url)
    record_decisions(store, NYC, PrivacyPolicy(b"k" * 32), "cli", [DecisionRequest(case=CASE)])
    out = tmp_path / "report"
    result = runner.invoke(cli, ["report", "--law", "9-131", "--year", "2024", "--out", str(out), "--database", url])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "report.json").read_text())
    assert {r["id"]: r["value"] for r in summary["rows"]}["9-131(f)(1)"] == 1
    assert (out / "report.csv").read_text().startswith("id,") and "<table" in (out / "report.html").read_text()
    bad = runner.invoke(cli, ["report", "--law", "9-999", "--year", "2024", "--database", url])
    assert bad.exit_code == 2 and "9-999" in bad.output


def test_the_privacy_key_file_sits_beside_the_sqlite_file_and_never_names_memory(tmp_path: Path) -> None:
    from sanctuary.service.commands import _key_file

    on_disk = Store(f"sqlite:///{tmp_path / 'audit.db'}")
    assert _key_file(on_disk, None) == tmp_path / "audit.pii-key"
    for url in ("sqlite:///:memory:", ":memory:"):
        assert _key_file(Store(url), None) == Path.cwd() / "sanctuary.pii-key"


def test_an_impossible_action_is_refused_naming_the_field_and_a_retry_is_recorded_once(
    service: tuple[TestClient, dict[str, str], Store],
) -> None:
    """§ 9-131(f): recording refuses what cannot have happened (I-61), and a retried POST of the same action is not
    a second action (I-62): the answer is the first receipt, and the trail holds one record."""
    client, keys, store = service
    officer = _as(keys, "officer")
    case = json.loads(json.dumps(CASE))
    body = {"case": case, "subject": {"person_id": "P-1"}, "record": {"received": case["decision_date"]}}
    decided = client.post("/v1/decisions", json=body, headers=officer).json()["id"]
    path = f"/v1/decisions/{decided}/actions"
    future = client.post(path, json={"type": "held_beyond_release", "date": "2999-01-01"}, headers=officer)
    assert future.status_code == 422 and "date" in future.text and "recorded" in future.text
    before = client.post(path, json={"type": "held_beyond_release", "date": "2000-01-01"}, headers=officer)
    assert before.status_code == 422 and "date" in before.text
    hold = {"type": "held_beyond_release", "date": case["decision_date"]}
    first = client.post(path, json=hold, headers=officer)
    again = client.post(path, json=hold, headers=officer)
    assert (first.status_code, again.status_code) == (201, 200) and first.json() == again.json()
    expired = {"type": "hold_ended", "date": case["decision_date"], "reason": "hold_period_expired"}
    assert client.post(path, json=expired, headers=officer).status_code == 201
    released = client.post(
        path, json={"type": "released_without_honoring", "date": case["decision_date"]}, headers=officer
    )
    assert released.status_code == 422 and "type" in released.text and "honored" in released.text
    assert [r.body["type"] for r in store.following(decided)] == ["held_beyond_release", "hold_ended"]


def test_a_new_sqlite_trail_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """The database file, and the write-ahead log SQLite makes beside it, are created 0600: the trail holds
    every case decided. An existing file keeps the mode its owner gave it."""
    store = Store(f"sqlite:///{tmp_path / 'new' / 'audit.db'}")
    store.append(DECISION, "key_test", {"n": 1})
    for name in ("audit.db", "audit.db-wal"):
        assert ((tmp_path / "new" / name).stat().st_mode & 0o777) == 0o600, name
    store.close()


def test_a_retried_post_with_an_idempotency_key_is_recorded_once(
    service: tuple[TestClient, dict[str, str], Store],
) -> None:
    """A client that did not hear the answer sends the same request again with the same Idempotency-Key: the
    same answer (the same record and signature), one record; the same key with another request is 422
    naming the header. Keys are the sending API key's own: another officer's same key is another request."""
    client, keys, store = service
    officer = {**_as(keys, "officer"), "Idempotency-Key": "desk-7-req-1"}
    first = client.post("/v1/decisions", json={"case": CASE}, headers=officer)
    again = client.post("/v1/decisions", json={"case": CASE}, headers=officer)
    assert first.status_code == again.status_code == 201
    assert first.headers["location"] == f"/v1/decisions/{first.json()['id']}"
    assert client.get(first.headers["location"], headers=_as(keys, "officer")).status_code == 200
    assert again.json() == first.json()
    assert [r.id for r in store.records((DECISION,))] == [first.json()["id"]]
    other = client.post("/v1/decisions", json={"case": {**CASE, "agency": "NYPD"}}, headers=officer)
    assert other.status_code == 422 and other.json()["errors"][0]["path"] == "Idempotency-Key"
    action = {"type": "held_beyond_release", "date": "2024-03-01"}
    on = f"/v1/decisions/{first.json()['id']}/actions"
    acted = [client.post(on, json=action, headers={**officer, "Idempotency-Key": "act-1"}) for _ in range(2)]
    assert acted[0].status_code == 201 and acted[0].json() == acted[1].json()
    assert len(store.following(first.json()["id"])) == 1
    batch = {"items": [{"case": CASE}, {"case": CASE}]}
    batches = [
        client.post("/v1/decisions/batch", json=batch, headers={**officer, "Idempotency-Key": "b"}) for _ in "12"
    ]
    assert batches[0].json() == batches[1].json() and len(list(store.records((DECISION,)))) == 3
    assert (
        client.post("/v1/decisions", json={"case": CASE}, headers={**officer, "Idempotency-Key": "a b"}).status_code
        == 422
    )


def test_a_record_whose_body_is_not_json_is_named_not_a_crash(store: Store) -> None:
    """One row rewritten with a body that is not JSON: the check reads the whole trail and names that record."""
    _filled(store, 3)
    _raw(store, "UPDATE audit SET body = ? WHERE seq = 2", ("{not json",))
    count, problems = store.check_chain()
    assert count == 3
    assert [(p.seq, p.problem) for p in problems] == [(2, "its content does not match its hash: edited")]


def test_keys_the_trail_does_not_explain_are_reported(store: Store) -> None:
    """Someone with the database inserts an admin key, and un-revokes a revoked one, behind the store's back:
    the chain is intact, but the check names both keys (every key change is recorded with its row, in one
    transaction)."""
    kept, _ = store.create_key("records office", "admin")
    gone, _ = store.create_key("old desk", "officer")
    assert store.revoke_key(gone.id, "key_test")
    assert store.check_chain()[1] == []
    _raw(store, "INSERT INTO api_keys (id, name, role, secret_hash, created, revoked) VALUES (?, ?, ?, ?, ?, NULL)",
         ("key_forged", "me", "admin", "0" * 64, "2026-01-01"))  # fmt: skip
    _raw(store, "UPDATE api_keys SET revoked = NULL WHERE id = ?", (gone.id,))
    _raw(store, "UPDATE api_keys SET role = ? WHERE id = ?", ("officer", kept.id))
    problems = sorted(str(p) for p in store.check_chain()[1])
    assert problems == sorted([
        "the chain: API key key_forged (admin): no record of the trail created it: inserted",
        f"the chain: API key {gone.id} (officer): the trail revoked it but the keys table holds it active: un-revoked",
        f"the chain: API key {kept.id} (officer): the trail created it as admin: its role was changed",
    ])  # fmt: skip


def test_an_explained_decision_records_its_subject_like_any_decision(
    service: tuple[TestClient, dict[str, str], Store],
) -> None:
    client, keys, store = service
    body = {"case": CASE, "subject": {"person_id": "NYSID 123"}, "record": {"detainer_reference": "D-1"}}
    answer = client.post("/v1/explain", json=body, headers=_as(keys, "officer"))
    assert answer.status_code == 201, answer.text
    record = store.get(answer.json()["id"])
    assert record is not None and record.body["explained"] is True
    assert record.body["record"] == {"detainer_reference": PrivacyPolicy(b"k" * 32).keyed("D-1")}  # as privacy.py says
    assert record.body["subject"] and "NYSID 123" not in json.dumps(record.body["subject"])  # a keyed hash


def test_decisions_are_listed_by_filter_a_page_at_a_time(service: tuple[TestClient, dict[str, str], Store]) -> None:
    """Officers list the recorded decisions: filtered by agency, an outcome's result, the detainer reference
    and the decision date; pages of `limit` chained by `next` give each decision once, oldest first."""
    client, keys, _ = service
    officer = _as(keys, "officer")
    made = []
    for agency, reference in (("DOC", "D-1"), ("NYPD", "D-2"), ("DOC", "D-3")):
        body = {"case": {**CASE, "agency": agency}, "record": {"detainer_reference": reference}}
        answer = client.post("/v1/decisions", json=body, headers=officer)
        assert answer.status_code == 201, answer.text
        made.append(answer.json())
    doc = client.get("/v1/decisions", params={"agency": "DOC"}, headers=officer).json()
    assert [d["id"] for d in doc["decisions"]] == [made[0]["id"], made[2]["id"]] and doc["next"] is None
    hashed = PrivacyPolicy(b"k" * 32).keyed("D-1")  # the form's number is stored as a keyed hash (privacy.py)
    assert doc["decisions"][0]["detainer_reference"] == hashed and "input" not in doc["decisions"][0]
    by_reference = client.get("/v1/decisions", params={"detainer_reference": "D-2"}, headers=officer).json()
    assert [d["id"] for d in by_reference["decisions"]] == [made[1]["id"]]
    result = made[0]["decision"]["outcomes"][0]["result"]
    with_result = client.get("/v1/decisions", params={"result": result, "agency": "DOC"}, headers=officer).json()
    assert made[0]["id"] in [d["id"] for d in with_result["decisions"]]
    day = CASE["decision_date"]
    assert client.get("/v1/decisions", params={"to": "1999-01-01"}, headers=officer).json()["decisions"] == []
    assert len(client.get("/v1/decisions", params={"from": day, "to": day}, headers=officer).json()["decisions"]) == 3
    seen, after = [], "0"
    while after is not None:
        page = client.get("/v1/decisions", params={"limit": 1, "after": after}, headers=officer).json()
        seen += [d["id"] for d in page["decisions"]]
        after = page["next"]
    assert seen == [m["id"] for m in made]
    assert client.get("/v1/decisions", headers=_as(keys, "analyst")).status_code == 403
