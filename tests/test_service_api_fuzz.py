"""Property-based tests of the HTTP API against its own OpenAPI description, and of the recorded refusals.

Schemathesis generates requests for every operation the app publishes at ``/openapi.json`` (valid ones, and
invalid ones: wrong types, missing fields, odd strings) and sends them to the app in-process, with a key of
the role the operation needs. Whatever it sends, the service must never answer 5xx: a bad request is the
caller's problem (4xx), and a 500 means an input the service did not expect. Where schemathesis can check
cheaply that an answer matches the published description (status code, content type, body schema), it does.
Random JSON rarely makes a valid case, so valid cases from ``tests/strategies.py`` are also sent, and the
answer must be exactly what the engine decides in-process. The gaps the fuzzing once found (a 500 for a blank
key name; a description without the service's 422 shape or its 401 and 403) have tests of their own. Every
refusal is a problem document (``application/problem+json``), as the description says; the case in each body
that carries one is described by the pack's case schema, so the generated cases are shaped like real ones.

Every refusal for a missing or insufficient key must itself be in the audit trail (``access_denied``): the
trail is the record of who tried what, not only of what was decided.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sanctuary.engine import decide
from sanctuary.facts.case import CaseError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case
from sanctuary.service.app import create_app
from sanctuary.service.audit import ACCESS_DENIED
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.problems import PROBLEM_MEDIA_TYPE
from sanctuary.service.store import Store
from tests.strategies import full_cases, partial_of

# Enough to reach every operation with valid and invalid input, small enough for < 60 s on two cores; set
# SANCTUARY_FUZZ_EXAMPLES for a longer search.
MAX_EXAMPLES = int(os.environ.get("SANCTUARY_FUZZ_EXAMPLES", "25"))


@dataclass(frozen=True)
class Service:
    """The app under test, its store, and one key secret per role."""

    app: FastAPI
    store: Store
    secrets: dict[str, str]


def _service(folder: Path) -> Service:
    store = Store(f"sqlite:///{folder / 'trail.db'}")
    secrets = {role: store.create_key(f"fuzz {role}", role)[1] for role in ("officer", "analyst", "admin")}
    return Service(create_app(store, NYC, PrivacyPolicy(b"k" * 32)), store, secrets)


# Schemathesis parametrizes the test when the module is imported, so the app (on a temporary store) is built
# then. (Its lazy loader, ``schemathesis.pytest.from_fixture``, relies on pytest's private ``Node._nodeid``,
# which pytest 9 no longer has.) The fixture below closes the store and removes the folder afterwards.
_FOLDER = tempfile.TemporaryDirectory(prefix="sanctuary-fuzz-")
SERVICE = _service(Path(_FOLDER.name))
schema = schemathesis.openapi.from_asgi("/openapi.json", SERVICE.app)


@pytest.fixture(scope="module", autouse=True)
def service() -> Iterator[Service]:
    yield SERVICE
    SERVICE.store.close()
    _FOLDER.cleanup()


# The role each tag's operations need (see the ``Officer``/``Analyst``/``Admin`` dependencies in app.py).
# The key sent with each operation, by its tag ("web": the pages' JSON — public, but for the comparison, which
# needs an analyst).
ROLE_BY_TAG = {
    "decisions": "officer",
    "law": "officer",
    "reports": "analyst",
    "admin": "admin",
    "web": "analyst",
    "docket": "officer",
}


def _role(case: schemathesis.Case[Any]) -> str:
    tags = case.operation.definition.raw.get("tags") or ["law"]
    return ROLE_BY_TAG[tags[0]]


# What a refusal may be: a body that is not UTF-8 text (400), a bad or missing key (401), the wrong role (403),
# no such decision, regime, key or matter (404), a method the path lacks (405), a docket change the matter's
# state or decision does not allow (409), a body over the limit (413), invalid input (422).
REFUSALS = {400, 401, 403, 404, 405, 409, 413, 422}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_input_makes_the_service_fail(case: schemathesis.Case[Any], service: Service) -> None:
    """Whatever is sent with the right key: never a 5xx, and every answer — success or refusal — matches the
    published description (status, content type, body schema)."""
    response = case.call(headers={"X-API-Key": service.secrets[_role(case)]})
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    case.validate_response(response, checks=checks)
    assert response.status_code < 300 or response.status_code in REFUSALS, response.text[:300]
    if response.status_code >= 400:
        assert response.headers["content-type"] == [PROBLEM_MEDIA_TYPE], response.text[:300]
        assert response.json()["status"] == response.status_code


def test_a_blank_key_name_is_refused() -> None:
    """A key name of only whitespace is refused with 422 (it once reached the store, which refused it: 500)."""
    client = TestClient(SERVICE.app, raise_server_exceptions=False)
    response = client.post(
        "/v1/keys", json={"name": " ", "role": "admin"}, headers={"X-API-Key": SERVICE.secrets["admin"]}
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["path"] == "name"


@given(case=full_cases().flatmap(lambda full: st.sampled_from([full]) | partial_of(full)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_service_answers_what_the_engine_decides(case: dict[str, Any]) -> None:
    """For valid cases (every fact given, or some unknown), the service's answer is the engine's, recorded as
    given: 201 with exactly ``decide(case).as_dict()`` and a record holding it, or 422 exactly when the engine
    refuses the case (a regime not in force on that date). Random JSON alone rarely makes a valid case, so this
    is what reaches the engine through HTTP."""
    try:
        expected: dict[str, Any] | None = decide(parse_case(case), NYC).as_dict()
    except CaseError:
        expected = None
    client = TestClient(SERVICE.app)
    response = client.post("/v1/decisions", json={"case": case}, headers={"X-API-Key": SERVICE.secrets["officer"]})
    if expected is None:
        assert response.status_code == 422, response.text
        return
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["decision"] == expected
    record = SERVICE.store.get(receipt["id"])
    assert record is not None and record.hash == receipt["record_hash"]
    assert record.body["input"] == case and record.body["output"] == expected


def _published(path: str) -> dict[str, Any]:
    """The OpenAPI description as the app publishes it."""
    client = TestClient(SERVICE.app)
    spec: dict[str, Any] = client.get(path).json()
    return spec


def test_422_bodies_match_the_published_schema() -> None:
    spec = _published("/openapi.json")
    client = TestClient(SERVICE.app)
    response = client.post("/v1/decisions", json={"case": {}}, headers={"X-API-Key": SERVICE.secrets["officer"]})
    assert response.status_code == 422
    content = spec["paths"]["/v1/decisions"]["post"]["responses"]["422"]["content"]
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE and list(content) == [PROBLEM_MEDIA_TYPE]
    jsonschema.validate(response.json(), {**content[PROBLEM_MEDIA_TYPE]["schema"], "components": spec["components"]})


def test_refusals_are_published() -> None:
    spec = _published("/openapi.json")
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if operation.get("security") and not {"401", "403"} <= set(operation["responses"])
    ]
    assert not undocumented, f"no 401/403 documented for: {undocumented}"
    # The operations that need no key: the pages' public JSON (the law, a preview, the door's answers, a reform
    # check and documents, which record nothing), and the public signing key.
    public = {
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if not operation.get("security")
    }
    assert public == {
        "GET /healthz",
        "GET /v1/signing-key",  # the public key that checks receipts: an auditor has no key
        "POST /v1/preview",
        "POST /v1/reforms",
        "POST /v1/documents/memo",
        "POST /v1/documents/letter",
        "GET /v1/law",
        "GET /v1/law/diff",
        "GET /v1/law/{regime_id}/{agency}/{action}",
        "GET /v1/door/form",
        "POST /v1/door",
        "GET /v1/door/sheet/{setting}",
    }


def test_refusals_are_answered_and_recorded(tmp_path: Path) -> None:
    """No key: 401 with the ``WWW-Authenticate`` challenge. A key of the wrong role: 403. Both recorded in
    the trail as ``access_denied`` with the path and status, never the secret presented."""
    built = _service(tmp_path)
    client = TestClient(built.app)
    case = {"agency": "DOC", "decision_date": "2024-03-01", "request": {"actions": ["hold"]}, "person": {}}
    try:
        anonymous = client.post("/v1/decisions", json={"case": case})
        assert anonymous.status_code == 401
        assert anonymous.headers.get("www-authenticate") == "ApiKey"
        wrong_role = client.get("/v1/stats", headers={"X-API-Key": built.secrets["officer"]})
        assert wrong_role.status_code == 403
        unknown = client.get("/v1/regimes", headers={"X-API-Key": "sk_not-a-key"})
        assert unknown.status_code == 401

        denied = list(built.store.records((ACCESS_DENIED,)))
        seen = [(r.body["method"], r.body["path"], r.body["status"], r.actor) for r in denied]
        officer = next(k.id for k in built.store.api_keys() if k.role == "officer")
        assert seen == [
            ("POST", "/v1/decisions", 401, "anonymous"),
            ("GET", "/v1/stats", 403, officer),
            ("GET", "/v1/regimes", 401, "anonymous"),
        ]
        for record in denied:
            assert "sk_" not in str(record.body), "a refusal record must not hold the secret presented"
        assert not list(built.store.records(("decision",))), "a refused request must decide nothing"
    finally:
        client.close()
        built.store.close()
