"""The JSON the web pages use: the workbench's preview is the engine's decision (and records nothing), the
law browser shows every rule with the statute's words, the comparison runs the population pipeline."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctuary.engine import decide
from sanctuary.facts.case import CaseError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import ACTIONS, parse_case
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import Store
from tests.conftest import SHARED_DATA
from tests.strategies import full_cases, partial_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice about its test client's HTTP library
    from fastapi.testclient import TestClient

CASE = json.loads((Path(__file__).resolve().parents[1] / "examples" / "doc-detainer.json").read_text())


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store, str]]:
    from sanctuary.service.app import create_app

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'audit.db'}")
    analyst = store.create_key("analyst", "analyst")[1]
    yield TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32)), raise_server_exceptions=False), store, analyst
    store.close()


@given(case=full_cases().flatmap(lambda full: st.sampled_from([full]) | partial_of(full)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_workbench_preview_is_the_engines_decision_and_records_nothing(
    case: dict[str, Any], web: tuple[TestClient, Store, str]
) -> None:
    client, store, _ = web
    before = store.head()
    answer = client.post("/v1/preview", json={"case": case})
    try:
        expected = decide(parse_case(case), NYC).as_dict()
    except CaseError:
        assert answer.status_code == 422
        return
    assert answer.status_code == 200, answer.text
    shown = {o["action"]: (o["result"], o["citations"], o["missing"]) for o in answer.json()["outcomes"]}
    assert shown == {o["action"]: (o["result"], o["citations"], o["missing"]) for o in expected["outcomes"]}
    assert store.head() == before


def test_an_invalid_case_gets_its_problems_with_paths(web: tuple[TestClient, Store, str]) -> None:
    client, _, _ = web
    bad = json.loads(json.dumps(CASE))
    bad["person"]["convictions"][0]["level"] = "crime"
    answer = client.post("/v1/preview", json={"case": bad})
    assert answer.status_code == 422
    assert [p["path"] for p in answer.json()["errors"]] == ["case.person.convictions[0].level"]


def test_what_only_the_law_rules_out_is_placed_in_the_case_too(web: tuple[TestClient, Store, str]) -> None:
    # An attempt of a class E felony stated as a felony (PL § 110.05(7), I-32), and an unknown regime: problems the
    # contract's parser cannot see, placed where the case stands in the body, as the parser's own are.
    client, _, _ = web
    bad = json.loads(json.dumps(CASE))
    bad["person"]["convictions"] = [{"charge": "PL 265.01-b", "inchoate": "attempt", "level": "felony"}]
    bad["regime"] = "atlantis"
    answer = client.post("/v1/preview", json={"case": bad})
    assert answer.status_code == 422
    assert [p["path"] for p in answer.json()["errors"]] == ["case.regime", "case.person.convictions[0].level"]


def test_every_rule_is_shown_with_the_statutes_words(web: tuple[TestClient, Store, str]) -> None:
    client, _, _ = web
    overview = client.get("/v1/law").json()
    assert [r["id"] for r in overview["regimes"]] == list(NYC.regimes)
    assert [a["id"] for a in overview["actions"]] == list(ACTIONS)
    without_words = []
    for regime in NYC.regimes:
        for agency in NYC.agencies:
            for action in ACTIONS:
                rule = client.get(f"/v1/law/{regime}/{agency}/{action}").json()

                def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
                    yield node
                    for child in node.get("children", []):
                        yield from walk(child)

                for node in walk(rule["tree"]):
                    for clause in node["clauses"]:
                        if clause["cite"].startswith("NYC Admin. Code") and not clause["words"]:
                            without_words.append((regime, agency, action, clause["cite"]))
    assert without_words == []
    assert client.get("/v1/law/nyc-2017/DOC/fly").status_code == 404


def test_the_difference_between_two_regimes(web: tuple[TestClient, Store, str]) -> None:
    client, _, _ = web
    diff = client.get("/v1/law/diff", params={"old": "nyc-2017", "new": "adams-2024"}).json()
    assert {(r["agency"], r["action"]) for r in diff["rules"]} >= {("DOC", "hold"), ("NYPD", "hold")}
    assert client.get("/v1/law/diff", params={"old": "nyc-2017", "new": "nope"}).status_code == 422


def test_comparing_two_regimes_on_the_sample_follows_the_law(web: tuple[TestClient, Store, str]) -> None:
    """With a judicial warrant assumed, the proposal permits holds current law prohibits — never the reverse
    for the sample's people (the proposal only adds grounds to honor a detainer)."""
    client, _, analyst = web
    answer = client.post(
        "/v1/compare",
        params={"regimes": "nyc-2017,adams-2024", "assume": "judicial-warrant", "action": "hold"},
        headers={"X-API-Key": analyst},
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    summary = result["summary"]
    assert summary["records"] == 5_000 and summary["synthetic"] is True
    moves = {(t["from_result"], t["to_result"]): t["records"] for t in summary["transitions"]}
    assert moves.get(("prohibited", "permitted"), 0) > 0 and ("permitted", "prohibited") not in moves
    assert sum(moves.values()) == 5_000
    assert result["headline"] and result["charts"]["outcomes"].lstrip().startswith("<?xml")
    assert client.post("/v1/compare", params={"regimes": "nyc-2017"}).status_code == 401
    bad = client.post("/v1/compare", params={"regimes": "nyc-2017,mars"}, headers={"X-API-Key": analyst})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "regimes"


def test_an_uploaded_file_is_compared_and_a_bad_one_refused(web: tuple[TestClient, Store, str], tmp_path: Path) -> None:
    client, _, analyst = web
    headers = {"X-API-Key": analyst, "content-type": "application/octet-stream"}
    lines = [json.dumps(CASE), json.dumps(CASE | {"agency": "NYPD"})]
    answer = client.post(
        "/v1/compare",
        params={"regimes": "nyc-2017,repeal-2024", "dataset": "upload", "filename": "cases.jsonl"},
        content="\n".join(lines).encode(),
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["summary"]["records"] == 2
    refused = client.post(
        "/v1/compare",
        params={"regimes": "nyc-2017", "dataset": "upload", "filename": "../../etc/passwd"},
        content=b"x",
        headers=headers,
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["path"] == "filename"


def test_a_real_doc_snapshot_uploaded(web: tuple[TestClient, Store, str]) -> None:
    snapshot = (
        SHARED_DATA / "nyc-doc-daily-inmates-in-custody" / "snapshots" / "DOC_Inmates_InCustody_Daily_20190630.csv"
    )
    if not snapshot.exists():
        pytest.skip(f"shared data absent: {snapshot}")
    client, _, analyst = web
    answer = client.post(
        "/v1/compare",
        params={"regimes": "nyc-2017,adams-2024", "dataset": "upload", "filename": snapshot.name,
                "assume": ["judicial-warrant", "no-conviction-history"]},
        content=snapshot.read_bytes(),
        headers={"X-API-Key": analyst, "content-type": "application/octet-stream"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    summary = answer.json()["summary"]
    rows = sum(1 for _ in snapshot.open(encoding="utf-8", errors="replace")) - 1
    assert sum(summary["outcomes"]["nyc-2017"]["hold"].values()) == summary["records"] == rows


def test_contradictory_assumptions_and_an_unknown_request_are_refused_naming_both(
    web: tuple[TestClient, Store, str],
) -> None:
    client, _, analyst = web
    both = client.post(
        "/v1/compare",
        params=[("regimes", "nyc-2017"), ("assume", "judicial-warrant"), ("assume", "no-judicial-warrant")],
        headers={"X-API-Key": analyst},
    )
    assert both.status_code == 422
    problem = both.json()["errors"][0]
    assert problem["path"] == "assume"
    assert "'judicial-warrant'" in problem["message"] and "'no-judicial-warrant'" in problem["message"]
    unknown = client.post(
        "/v1/compare", params={"regimes": "nyc-2017", "request": "smoke-signals"}, headers={"X-API-Key": analyst}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["path"] == "request"


def test_the_law_overview_offers_the_request_scenarios_in_words(web: tuple[TestClient, Store, str]) -> None:
    client, _, _ = web
    requests = client.get("/v1/law").json()["requests"]
    assert requests[0]["id"] == "usual" and "I-200" in requests[0]["words"]
    assert {r["id"] for r in requests} == {"usual", "judicial-warrant", "information-only"}


def test_a_reform_file_posted_is_checked_compared_and_not_recorded(web: tuple[TestClient, Store, str]) -> None:
    client, store, _ = web
    root = Path(__file__).resolve().parents[1]
    reform = (root / "examples" / "reforms" / "adams-2024-three-robberies.toml").read_text(encoding="utf-8")
    case = dict(CASE, request={"from": "ICE", "documents": [{"type": "letter"}], "actions": ["info:release_date"]})
    case["person"] = dict(
        CASE["person"],
        arrest_history=[{"date": d, "charges": ["PL 160.10"]} for d in ("2021-03-01", "2022-03-01", "2023-03-01")],
        tsdb_possible_match=False,
        convictions=[],
    )
    before = len(list(store.records()))
    answer = client.post("/v1/reforms", json={"reform": reform, "case": case})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["regime"]["id"] == "adams-2024-three-robberies" and body["regime"]["status"] == "proposal"
    assert body["regime"]["law_hash"].startswith("sha256:")
    assert {r["agency"] for r in body["diff"]["rules"]} == {"DOC", "NYPD", "DOP"}
    results = body["comparison"]["outcomes"][0]["results"]
    assert results == {"nyc-2017": "prohibited", "adams-2024-three-robberies": "permitted"}
    assert len(list(store.records())) == before
    bad = client.post("/v1/reforms", json={"reform": reform.replace('base = "nyc-2017"', 'base = "nyc-2071"')})
    assert bad.status_code == 422
    line = reform.splitlines().index('base = "nyc-2017"') + 1
    assert bad.json()["errors"] == [
        {"path": "base", "message": f"reform:{line}: base: unknown regime 'nyc-2071' (known: "
         + ", ".join(NYC.regimes) + ")"}
    ]  # fmt: skip
    assert "adams-2024-three-robberies" not in client.get("/v1/law").text  # the service's law is unchanged
    assert client.post("/v1/reforms", json={"reform": "\ufeff" + reform}).status_code == 200  # a byte-order mark
    unknown = client.post("/v1/reforms", json={"reform": reform, "baseline": "nyc-2071"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["path"] == "baseline"


DEFENDER = json.loads((Path(__file__).resolve().parent / "fixtures" / "defender.json").read_text())


def test_documents_to_file_state_the_facts_the_clauses_and_what_would_change_them(
    web: tuple[TestClient, Store, str],
) -> None:
    import io

    from docx import Document

    client, store, _ = web
    before = len(list(store.records()))
    memo = client.post("/v1/documents/memo", json={"case": DEFENDER})
    assert memo.status_code == 200 and memo.headers["content-type"].startswith("text/html")
    for text in ("PL 120.05", "Would change if", "at least 41 days in custody", "§ 9-131(b)(1)(i)", "judicial warrant"):
        assert text in memo.text, text
    letter = client.post("/v1/documents/letter", json={"case": DEFENDER})
    assert letter.status_code == 200
    words = "\n".join(p.text for p in Document(io.BytesIO(letter.content)).paragraphs)
    assert "To: Department of Correction" in words
    assert "It would be permitted if: Judgment 1 (PL 120.05): at least 41 days in custody" in words
    assert "I-200, signed by immigration officer" in words
    assert len(list(store.records())) == before  # nothing recorded
    bad = client.post("/v1/documents/letter", json={"case": dict(DEFENDER, decision_date="2024-13-01")})
    assert bad.status_code == 422


def test_the_favicon_is_served_and_every_source_links_to_its_own_page(web: tuple[TestClient, Store, str]) -> None:
    from urllib.parse import urlparse

    client, _, _ = web
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    for regime in client.get("/v1/law").json()["regimes"]:
        for source in regime["sources"]:
            if source.get("url"):
                assert urlparse(source["url"]).path.strip("/"), (regime["id"], source["url"])  # not a home page
