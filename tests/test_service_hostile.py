"""The service under hostile input, on SQLite and on PostgreSQL: whatever arrives, never an answer of 500 or
more. Generated inputs (hypothesis) of the kinds an attack on the service used: dates at and past the limits
of the case format and of Python's dates, NULs and other control characters in every string, in paths, in
query strings and in key names, deeply nested and huge JSON, lists over the service's caps, long paths,
corrupt uploads (Parquet, gzip, CSV, JSON lines) and compressed bombs. Each backend gets more than 800 of
them; ``test_at_least_800_hostile_inputs_were_sent`` counts what was sent when the whole module runs.

Every refusal is an RFC 9457 problem document (``tests/problems.py``). Beside them, the refusals are checked
for what they say: a corrupt upload or a bomb is 422 naming the body, a
NUL in a path is 422 on PostgreSQL too (PostgreSQL cannot compare text holding a NUL), a list over its cap is
422 naming the list, and a crafted path cannot forge a log line.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import polars as pl
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctuary.engine.budget import DEFAULT_CAP as MAX_CONVICTIONS  # person.convictions: the default cap
from sanctuary.packs.nyc import NYC
from sanctuary.service.app import create_app
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import Store
from sanctuary.web import upload
from tests.problems import assert_problem
from tests.strategies import full_cases

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "examples" / "doc-detainer.json").read_text())
HOSTILE_TESTS = {"bodies", "cases", "paths", "headers", "uploads"}
MINIMUM = 800


@dataclass
class Target:
    """A service on one backend, its keys, and what the hostile tests sent it."""

    backend: str
    client: TestClient
    store: Store
    secrets: dict[str, str]
    decision_id: str
    sent: int = 0
    ran: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)

    def send(self, method: str, path: str, **kwargs: Any) -> int:
        """Send one request; fail on any answer of 500 or more, naming the request. A ``json`` body is sent as
        Python writes it, NaN and Infinity included (which strict JSON has not: hostile too)."""
        if "json" in kwargs:
            kwargs["content"] = json.dumps(kwargs.pop("json"))
            kwargs["headers"] = {**kwargs.get("headers", {}), "Content-Type": "application/json"}
        response = self.client.request(method, path, **kwargs)
        self.sent += 1
        self.statuses[response.status_code] += 1
        assert response.status_code < 500, f"{method} {path[:200]!r}: {response.status_code} {response.text[:300]}"
        if response.status_code >= 400:
            assert_problem(response)  # every refusal in the one shape, whatever provoked it
        return int(response.status_code)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'trail.db'}"
    else:
        fresh_database: Callable[[], str] = request.getfixturevalue("postgres_server")
        url = fresh_database()
    store = Store(url)
    secrets = {role: store.create_key(f"hostile {role}", role)[1] for role in ("officer", "analyst", "admin")}
    client = TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32)), raise_server_exceptions=False)
    made = client.post("/v1/decisions", json={"case": EXAMPLE}, headers={"X-API-Key": secrets["officer"]})
    assert made.status_code == 201, made.text
    yield Target(request.param, client, store, secrets, made.json()["id"])
    store.close()


def hostile(examples: int) -> settings:
    """Hypothesis' settings here: a fixed number of generated inputs, the same each run (derandomized), no
    deadline (PostgreSQL's commits vary), and no health check that would stop a slow or fixture-bound test."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


# --- what an attacker sends -----------------------------------------------------------------------------------

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028", "\ufeff"])
HOSTILE_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8") | CONTROL, max_size=40),
    st.sampled_from(
        ["\x00", "a\x00b", "\n[forged] log line", "\r\n", "%00", "../../etc/passwd", "'; DROP TABLE audit;--"]
    ),
)
LONG_TEXT = st.sampled_from([1_000, 20_000, 60_000]).map(lambda n: "a" * n)  # (httpx sends no URL over 64 KiB)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),  # 0001-01-01 to 9999-12-31
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01",
                     "2024-02-30", "2023-02-29", "0000-00-00", "+10000-01-01", "2024-1-1", "2024-01-01T00:00:00"]),
)  # fmt: skip
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), HOSTILE_TEXT, LONG_TEXT, DATES)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(HOSTILE_TEXT, inner, max_size=4), max_leaves=20
)


def _deep(depth: int, kind: str) -> str:
    return ("[" * depth + "]" * depth) if kind == "list" else ('{"a":' * depth + "1" + "}" * depth)


def _paths(case: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a case's JSON (each dict key and list index)."""
    yield prefix
    if isinstance(case, dict):
        for key, value in case.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(case, list):
        for index, value in enumerate(case):
            yield from _paths(value, (*prefix, index))


def _replace(case: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(case))
    holder = copy
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return copy


@st.composite
def hostile_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case with one place replaced by something hostile: a date at or past the limits, a hostile
    string, random JSON, a list far over its cap, or deep nesting."""
    case = draw(full_cases())
    path = draw(st.sampled_from(list(_paths(case))))
    value = draw(
        st.one_of(
            DATES,
            HOSTILE_TEXT,
            JSON,
            st.integers(MAX_CONVICTIONS + 1, 2_000).map(lambda n: [EXAMPLE["person"]["convictions"][0]] * n),
            st.integers(1, 200).map(lambda n: [{"from": "2020-01-01", "to": "2020-01-02"}] * n),
        )
    )
    replaced: dict[str, Any] = _replace(case, path, value) if path else case
    return replaced


ROUTES_WITH_BODY = ["/v1/decisions", "/v1/decisions/batch", "/v1/explain", "/v1/preview", "/v1/keys"]


def _role(path: str) -> str:
    return "admin" if path.startswith(("/v1/keys", "/v1/audit")) else "analyst" if "report" in path else "officer"


# --- the generated inputs --------------------------------------------------------------------------------------


@given(route=st.sampled_from([*ROUTES_WITH_BODY, "/v1/decisions/{id}/actions"]), body=JSON, keyed=st.booleans())
@hostile(220)
def test_bodies(target: Target, route: str, body: Any, keyed: bool) -> None:
    """Random JSON with hostile strings and dates, as the whole body or inside the fields routes expect."""
    target.ran.add("bodies")
    path = route.replace("{id}", target.decision_id)
    headers = {"X-API-Key": target.secrets[_role(path)]} if keyed else {}
    target.send("POST", path, json=body, headers=headers)
    wrapped = {"items": [{"case": body}]} if route.endswith("batch") else {"case": body, "name": body, "type": body}
    target.send("POST", path, json=wrapped, headers=headers)


@given(case=hostile_cases(), route=st.sampled_from(["/v1/preview", "/v1/decisions", "/v1/explain"]))
@hostile(200)
def test_cases(target: Target, case: dict[str, Any], route: str) -> None:
    """A case with one hostile place, to the routes that decide (one input each)."""
    target.ran.add("cases")
    target.send("POST", route, json={"case": case}, headers={"X-API-Key": target.secrets["officer"]})


GET_ROUTES = [
    "/v1/decisions/{}",
    "/v1/regimes/{}",
    "/v1/reports/{}",
    "/v1/law/{}/DOC/hold",
    "/v1/law/nyc-2017/{}/hold",
    "/v1/keys/{}",
    "/{}",
]


@given(
    route=st.sampled_from(GET_ROUTES),
    segment=(HOSTILE_TEXT | LONG_TEXT).filter(bool),
    query=st.dictionaries(
        st.sampled_from(["from", "to", "year", "quarter", "format", "old", "new", "after", "limit", "agency"]),
        HOSTILE_TEXT | st.integers().map(str),
    ),
    keyed=st.booleans(),
    method=st.sampled_from(["GET", "DELETE", "POST"]),
)
@hostile(200)
def test_paths(target: Target, route: str, segment: str, query: dict[str, str], keyed: bool, method: str) -> None:
    """Hostile path segments (NULs, line breaks, 60,000 characters) and query strings, with and without a key."""
    target.ran.add("paths")
    path = route.format(quote(segment, safe=""))
    headers = {"X-API-Key": target.secrets[_role(path)]} if keyed else {}
    target.send(method, path, params=query, headers=headers)
    target.send("GET", "/v1/stats", params=query, headers={"X-API-Key": target.secrets["analyst"]})
    target.send("GET", "/v1/decisions", params=query, headers={"X-API-Key": target.secrets["officer"]})


@given(
    key=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", "", "a/b"]),
    body=st.binary(max_size=300) | st.sampled_from([_deep(100_000, "list").encode(), _deep(50_000, "dict").encode()]),
    route=st.sampled_from(ROUTES_WITH_BODY),
    idempotency=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300),
)
@hostile(120)
def test_headers(target: Target, key: str, content_type: str, body: bytes, route: str, idempotency: str) -> None:
    """Odd keys, idempotency keys, content types and raw bodies (bytes that are not UTF-8, JSON nested 100,000
    deep)."""
    target.ran.add("headers")
    target.send("POST", route, content=body, headers={"X-API-Key": key, "Content-Type": content_type})
    officer = {"X-API-Key": target.secrets["officer"], "Content-Type": content_type, "Idempotency-Key": idempotency}
    target.send("POST", route, content=body, headers=officer)


def _parquet() -> bytes:
    buffer = io.BytesIO()
    pl.DataFrame({"record_id": ["1"], "case": [json.dumps(EXAMPLE)]}).write_parquet(buffer)
    return buffer.getvalue()


VALID_FILES = {
    "x.parquet": _parquet(),
    "x.csv.gz": gzip.compress(f"record_id,case\n1,{json.dumps(json.dumps(EXAMPLE))}\n".encode()),
    "x.jsonl": (json.dumps(EXAMPLE) + "\n").encode(),
}


@st.composite
def corrupt_uploads(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid upload cut, flipped or padded; or random bytes under a name; or a gzip stream of garbage."""
    name = draw(st.sampled_from([*sorted(VALID_FILES), "y.csv", "y.ndjson"]))
    data = VALID_FILES.get(name, b"record_id,case\n")
    how = draw(st.sampled_from(["cut", "flip", "random", "pad", "gzip-garbage"]))
    if how == "cut":
        data = data[: draw(st.integers(1, max(1, len(data) - 1)))]
    elif how == "flip":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    elif how == "random":
        data = draw(st.binary(min_size=1, max_size=400))
    elif how == "pad":
        data = data + draw(st.binary(min_size=1, max_size=64))
    else:
        data = gzip.compress(draw(st.binary(max_size=400)))
    return name, data


@given(upload=corrupt_uploads())
@hostile(60)
def test_uploads(target: Target, upload: tuple[str, bytes]) -> None:
    """Corrupt files to the comparison (an analyst's route): refused or read, never a failure of the service."""
    target.ran.add("uploads")
    name, data = upload
    params = {"regimes": "nyc-2014,nyc-2017", "dataset": "upload", "filename": name}
    target.send("POST", "/v1/compare", params=params, content=data, headers={"X-API-Key": target.secrets["analyst"]})


def test_at_least_800_hostile_inputs_were_sent(target: Target) -> None:
    """The count of generated inputs, when the whole module ran on this backend (not under ``-k``)."""
    if target.ran != HOSTILE_TESTS:
        pytest.skip(f"only {sorted(target.ran)} of the hostile tests ran on {target.backend}")
    assert target.sent >= MINIMUM, (target.sent, target.statuses)
    assert all(status < 500 for status in target.statuses)


# --- what the refusals say ---------------------------------------------------------------------------------------


def _compare(target: Target, name: str, data: bytes) -> Any:
    params = {"regimes": "nyc-2014,nyc-2017", "dataset": "upload", "filename": name}
    return target.client.post(
        "/v1/compare", params=params, content=data, headers={"X-API-Key": target.secrets["analyst"]}
    )


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("x.parquet", b"PAR1garbagePAR1", "cannot be read"),
        ("x.parquet", b"\x00" * 100, "not a Parquet file"),
        ("x.csv.gz", b"\x1f\x8b\x08garbage", "not a valid gzip stream"),
        ("x.csv.gz", gzip.compress(b"record_id,case\n" * 1000)[:40], "ends too early"),
        ("x.csv.gz", b"plain text", "not a gzip stream"),
        ("x.csv.gz", gzip.compress(b"a" * (upload.MAX_LINE_BYTES + 10)), "line longer than"),
    ],
)
def test_a_corrupt_upload_is_refused_naming_the_body(target: Target, name: str, data: bytes, says: str) -> None:
    answer = _compare(target, name, data)
    assert answer.status_code == 422, answer.text
    problem = assert_problem(answer)["errors"][0]
    assert problem["path"] == "(body)" and says in problem["message"]


def test_a_gzip_bomb_is_refused_before_it_is_inflated_whole(target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small stream that would inflate past the limit (lowered here, so the test stays fast) is refused
    while it is being inflated; the same stream under the limit is read."""
    bomb = gzip.compress(b"record_id,case\n" + b"1,{}\n" * 200_000)  # ~1 MB inflated, a few KB sent
    monkeypatch.setattr(upload, "MAX_INFLATED_BYTES", 100_000)
    refused = _compare(target, "bomb.csv.gz", bomb)
    assert refused.status_code == 422 and "inflates to more than 100,000 bytes" in refused.text
    monkeypatch.setattr(upload, "MAX_INFLATED_BYTES", 10_000_000)
    assert _compare(target, "bomb.csv.gz", bomb).status_code == 200


def test_a_nul_or_line_break_in_a_path_is_refused_and_never_reaches_the_database(target: Target) -> None:
    for path in ["/v1/decisions/a%00b", "/v1/keys/a%00b", "/v1/decisions/x%0Ay"]:
        method = "DELETE" if "keys" in path else "GET"
        answer = target.client.request(method, path, headers={"X-API-Key": target.secrets[_role(path)]})
        assert answer.status_code == 422, answer.text
        assert assert_problem(answer)["errors"][0]["path"] == "(path)"


def test_a_list_over_its_cap_is_refused_naming_it(target: Target) -> None:
    case = json.loads(json.dumps(EXAMPLE))
    case["person"]["convictions"] = case["person"]["convictions"] * (MAX_CONVICTIONS + 1)
    for route in ("/v1/preview", "/v1/decisions"):
        answer = target.client.post(route, json={"case": case}, headers={"X-API-Key": target.secrets["officer"]})
        assert answer.status_code == 422, answer.text
        assert assert_problem(answer)["errors"] == [
            {"path": "case.person.convictions", "message": f"{MAX_CONVICTIONS + 1} items: a service decides at most "
             f"{MAX_CONVICTIONS} here (docs/service.md)"}
        ]  # fmt: skip
    case["person"]["convictions"] = case["person"]["convictions"][:MAX_CONVICTIONS]
    assert target.client.post("/v1/preview", json={"case": case}).status_code == 200


def test_an_unexpected_error_logs_the_path_escaped_and_cut(
    target: Target, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path quoted in the log cannot forge a line or flood it: control characters are escaped (those in a
    path are refused before, so the escaping is checked on its own), and the path is cut short. The failure
    is provoked by a store that breaks."""
    from sanctuary.service.middleware import printable

    assert printable("a\nb\x00c\\x0a") == "a\\x0ab\\x00c\\\\x0a"

    def broken(record_id: str) -> None:
        raise RuntimeError(record_id)

    monkeypatch.setattr(target.store, "get", broken)
    with caplog.at_level(logging.ERROR, logger="sanctuary.service"):
        answer = target.client.get("/v1/decisions/" + "z" * 60_000, headers={"X-API-Key": target.secrets["officer"]})
    assert answer.status_code == 500 and "error_id" in assert_problem(answer)
    assert "RuntimeError" not in answer.text and "z" * 300 not in answer.text  # no internals, the path cut short
    (line,) = [r.getMessage() for r in caplog.records if r.name == "sanctuary.service"]
    assert "z" * 60_000 not in line and "characters)" in line and len(line.split("\n")[0]) < 400


def test_previews_beyond_those_at_once_are_503_with_retry_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Previews need no key: past the number explained at once (none, here) the answer is 503 with Retry-After,
    never a queue that holds the server."""
    from sanctuary.web import routes

    monkeypatch.setattr(routes, "PREVIEWS_AT_ONCE", 0)
    store = Store(f"sqlite:///{tmp_path / 'trail.db'}")
    client = TestClient(create_app(store, NYC, PrivacyPolicy(b"k" * 32)))
    answer = client.post("/v1/preview", json={"case": EXAMPLE})
    assert answer.status_code == 503 and answer.headers["retry-after"] == "1", answer.text
    assert assert_problem(answer)["type"].endswith("/busy")
    assert client.post("/v1/preview", json={"case": {}}).status_code == 422  # an invalid case: still 422
    store.close()
