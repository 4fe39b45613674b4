"""One error format: every 4xx and 5xx the service and the pages' API routes answer is an RFC 9457 problem
document (``application/problem+json`` with ``type``, ``title``, ``status``, ``detail``, ``instance``; bad
input's field problems in ``errors``), whatever produced it — the framework, a key check, a guard, a route,
the one table of project errors, or an error nobody expected. And the OpenAPI description says so: the
Problem schema and the problem media type for every error it lists, and the case typed with the
jurisdiction's own case schema in every body that carries one."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctuary.errors import StoreUnavailableError
from sanctuary.packs.nyc import NYC
from sanctuary.service.app import create_app
from sanctuary.service.errors import CASE_BODIES
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from sanctuary.service.store import Store
from tests.problems import assert_problem

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "examples" / "doc-detainer.json").read_text())
LIMIT = 50_000  # the body limit of the app under test


@dataclass(frozen=True)
class Service:
    app: FastAPI
    client: TestClient
    store: Store
    keys: dict[str, str]

    def key(self, role: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('problems') / 'trail.db'}")
    keys = {role: store.create_key(f"problems {role}", role)[1] for role in ("officer", "analyst", "admin")}
    app = create_app(store, NYC, PrivacyPolicy(b"k" * 32), max_body_bytes=LIMIT)

    def broken() -> None:
        raise RuntimeError("an internal detail that must not be shown: /srv/secret.db")

    app.add_api_route("/v1/broken", broken, include_in_schema=False)  # a route that fails unexpectedly
    yield Service(app, TestClient(app, raise_server_exceptions=False), store, keys)
    store.close()


def _unavailable(service: Service) -> httpx.Response:
    """A decision while the store cannot answer now (a restart, a lock held too long)."""

    def down(*args: Any, **kwargs: Any) -> Any:
        raise StoreUnavailableError("the database does not answer now")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service.store, "append_many", down)
        answer: httpx.Response = service.client.post(
            "/v1/decisions", json={"case": EXAMPLE}, headers=service.key("officer")
        )
    return answer


# Each kind of failure, as a client meets it: (how to provoke it, the status, the problem's kind).
FAILURES: dict[str, tuple[Callable[[Service], httpx.Response], int, str]] = {
    "422 body": (lambda s: s.client.post("/v1/decisions", json={"case": {}}, headers=s.key("officer")), 422,
                 "invalid-input"),
    "422 body not JSON": (lambda s: s.client.post("/v1/decisions", content=b"{", headers={
        **s.key("officer"), "Content-Type": "application/json"}), 422, "invalid-input"),
    "422 case the law refuses": (lambda s: s.client.post("/v1/preview", json={"case": {**EXAMPLE, "regime": "x"}}),
                                 422, "invalid-input"),
    "422 path parameter": (lambda s: s.client.get("/v1/decisions/a%00b", headers=s.key("officer")), 422,
                           "invalid-input"),
    "422 query parameter": (lambda s: s.client.get("/v1/requests?limit=0", headers=s.key("officer")), 422,
                            "invalid-input"),
    "404 project": (lambda s: s.client.get("/v1/decisions/nope", headers=s.key("officer")), 404, "not-found"),
    "404 page route": (lambda s: s.client.get("/v1/law/nyc-1999/DOC/hold"), 404, "not-found"),
    "404 framework": (lambda s: s.client.get("/no/such/path"), 404, "not-found"),
    "404 static file": (lambda s: s.client.get("/static/no-such-file.js"), 404, "not-found"),
    "405": (lambda s: s.client.delete("/v1/decisions", headers=s.key("officer")), 405, "method-not-allowed"),
    "401": (lambda s: s.client.get("/v1/regimes"), 401, "unauthorized"),
    "403": (lambda s: s.client.get("/v1/stats", headers=s.key("officer")), 403, "forbidden"),
    "413": (lambda s: s.client.post("/v1/decisions", content=b" " * (LIMIT + 1), headers=s.key("officer")), 413,
            "too-large"),
    "503 with Retry-After": (_unavailable, 503, "unavailable"),
    "500 contained": (lambda s: s.client.get("/v1/broken"), 500, "internal-error"),
}  # fmt: skip


@pytest.mark.parametrize("failure", FAILURES)
def test_every_kind_of_failure_is_a_problem_document(service: Service, failure: str) -> None:
    provoke, status, kind = FAILURES[failure]
    response = provoke(service)
    assert response.status_code == status, response.text
    problem = assert_problem(response)
    assert problem["type"] == PROBLEM_BASE + kind
    assert problem["instance"] == response.request.url.raw_path.decode().split("?")[0]
    if status == 422:
        assert problem["errors"], "bad input names every problem with its path"
        assert all(p["message"] in problem["detail"] for p in problem["errors"][:3])


def test_the_headers_a_refusal_needs_are_kept(service: Service) -> None:
    """401 keeps its challenge, 405 the methods the path answers, 503 when to retry."""
    assert service.client.get("/v1/regimes").headers["www-authenticate"] == "ApiKey"
    assert service.client.delete("/v1/decisions", headers=service.key("officer")).headers["allow"] == "POST"
    assert _unavailable(service).headers["retry-after"] == "2"


def test_a_contained_500_shows_no_internals(service: Service) -> None:
    response = service.client.get("/v1/broken")
    problem = assert_problem(response)
    assert set(problem) == {"type", "title", "status", "detail", "instance", "error_id"}
    assert problem["error_id"] in problem["detail"]
    assert "RuntimeError" not in response.text and "secret" not in response.text and "Traceback" not in response.text


def test_a_conflict_names_its_field(service: Service) -> None:
    """A docket conflict (an idempotency key reused for another request) is 409, naming the header."""
    headers = {**service.key("officer"), "Idempotency-Key": "problems-conflict"}
    case = {k: v for k, v in EXAMPLE.items() if k not in ("decision_date", "regime")}
    assert service.client.post("/v1/requests", json={"case": case}, headers=headers).status_code == 201
    other = service.client.post("/v1/requests", json={"case": case, "note": "another"}, headers=headers)
    assert other.status_code == 409, other.text
    problem = assert_problem(other)
    assert problem["type"] == PROBLEM_BASE + "conflict" and problem["errors"][0]["path"] == "Idempotency-Key"


def test_the_instance_is_the_path_cut_short_without_control_characters(service: Service) -> None:
    long = service.client.get("/v1/decisions/" + "é" * 5_000, headers=service.key("officer"))
    instance = assert_problem(long)["instance"]
    assert instance == "/v1/decisions/" + "%C3%A9" * (200 - len("/v1/decisions/"))
    nul = assert_problem(service.client.get("/v1/decisions/a%00%0Ab", headers=service.key("officer")))
    assert nul["instance"] == "/v1/decisions/a%00%0Ab"


def _published(service: Service) -> dict[str, Any]:
    spec: dict[str, Any] = service.client.get("/openapi.json").json()
    return spec


def test_the_description_gives_every_error_the_problem_schema_and_media_type(service: Service) -> None:
    spec = _published(service)
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) >= {"type", "title", "status", "detail", "instance", "errors"}
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    listed = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status[0] in "45":
                    listed += 1
                    content = answer.get("content", {})
                    assert list(content) == [PROBLEM_MEDIA_TYPE], f"{method} {path} {status}"
                    assert content[PROBLEM_MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert listed > 100
    assert not {"HTTPValidationError", "ValidationError", "Problems", "Error"} & set(spec["components"]["schemas"])


@pytest.mark.parametrize("failure", ["422 body", "404 project", "401", "413", "503 with Retry-After", "500 contained"])
def test_problem_documents_match_the_published_schema(service: Service, failure: str) -> None:
    spec = _published(service)
    body = assert_problem(FAILURES[failure][0](service))
    jsonschema.validate(body, {"$ref": "#/components/schemas/Problem", "components": spec["components"]})


def _validates(spec: dict[str, Any], component: str, instance: Any) -> bool:
    schema = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    return bool(jsonschema.Draft202012Validator(schema).is_valid(instance))


def test_the_case_is_typed_in_every_body_that_carries_one(service: Service) -> None:
    """The description's case is the pack's case schema (what ``GET /v1/schema/case`` serves), so a client
    generated from it builds cases the service accepts: an example case fits every body, one with an unknown
    agency or a field the format lacks fits none."""
    spec = _published(service)
    schemas = spec["components"]["schemas"]
    served = service.client.get("/v1/schema/case", headers=service.key("officer")).json()
    assert set(schemas["Case"]["properties"]) == set(served["properties"])
    assert {f"Case{name}" for name in served["$defs"]} <= set(schemas)
    for body, component in CASE_BODIES.items():
        case = schemas[body]["properties"]["case"]
        refs = [option.get("$ref") for option in [case, *case.get("anyOf", [])]]
        assert f"#/components/schemas/{component}" in refs, body
    docket_case = {k: v for k, v in EXAMPLE.items() if k not in ("decision_date", "regime")}
    assert _validates(spec, "DecisionRequest", {"case": EXAMPLE})
    assert _validates(spec, "BatchRequest", {"items": [{"case": EXAMPLE}]})
    assert _validates(spec, "PreviewRequest", {"case": EXAMPLE})
    assert _validates(spec, "MatterRequest", {"case": docket_case})
    assert not _validates(spec, "MatterRequest", {"case": EXAMPLE})  # the docket sets the day and the regime
    wrong = copy.deepcopy(EXAMPLE)
    wrong["agency"] = "nobody"
    assert not _validates(spec, "DecisionRequest", {"case": wrong})
    assert not _validates(spec, "ExplainRequest", {"case": {**EXAMPLE, "surname": "x"}})
    accepted = service.client.post("/v1/preview", json={"case": EXAMPLE})
    refused = service.client.post("/v1/preview", json={"case": wrong})
    assert (accepted.status_code, refused.status_code) == (200, 422)
