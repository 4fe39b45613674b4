"""Free text beside a case may hold a person's identity (issue 13, item 6; the policy: ``service/privacy.py``): the
detainer form's number is stored as a keyed hash, and every field kept in clear refuses what is shaped like a
person's identifier — and an agency's name what reads as a person's — with a 422 naming the field, never repeating
the value.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctuary.facts.identifiers import identifier_in
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.recording import looks_like_a_name
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice about its test client's HTTP library
    from fastapi.testclient import TestClient

CASE: dict[str, Any] = json.loads(Path("examples/doc-detainer.json").read_text(encoding="utf-8"))
KEY = b"k" * 32


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Store]]:
    from sanctuary.service.app import create_app

    store = Store(f"sqlite:///{tmp_path / 'audit.db'}")
    officer = {"X-API-Key": store.create_key("desk", "officer")[1]}
    yield TestClient(create_app(store, NYC, PrivacyPolicy(KEY)), raise_server_exceptions=False), officer, store
    store.close()


Client = tuple[TestClient, dict[str, str], Store]


def refused(answer: Any, field: str, secret: str) -> None:
    """A 422 naming ``field``, whose body never repeats ``secret``."""
    assert answer.status_code == 422, answer.text
    assert [p["path"] for p in answer.json()["errors"]] == [field], answer.text
    assert secret not in answer.text


def test_the_detainer_form_number_is_stored_as_a_keyed_hash_and_still_found(client: Client) -> None:
    """``record.detainer_reference`` may be the person's A-number: the trail holds its keyed hash, and a listing by
    the number asked in clear still finds the decision (the hash of the number asked)."""
    http, officer, store = client
    answer = http.post("/v1/decisions", json={"case": CASE, "record": {"detainer_reference": "A012345678"}},
                       headers=officer)  # fmt: skip
    assert answer.status_code == 201, answer.text
    record = store.get(answer.json()["id"])
    assert record is not None
    assert record.body["record"]["detainer_reference"] == PrivacyPolicy(KEY).keyed("A012345678")
    assert "A012345678" not in json.dumps(record.body)
    listed = http.get("/v1/decisions", params={"detainer_reference": "A012345678"}, headers=officer).json()
    assert [d["id"] for d in listed["decisions"]] == [record.id]


def test_a_deployment_keeping_identifiers_keeps_the_form_number(tmp_path: Path) -> None:
    policy = PrivacyPolicy(KEY, keep_identifiers=True)
    assert policy.record({"detainer_reference": "D-1"}) == {"detainer_reference": "D-1"}
    assert PrivacyPolicy(KEY).record({"received": "2025-01-01"}) == {"received": "2025-01-01"}


def test_a_docket_matter_s_form_number_is_hashed_when_opened_and_when_corrected(client: Client) -> None:
    http, officer, store = client
    case = {k: v for k, v in CASE.items() if k not in ("decision_date", "regime")}
    opened = http.post("/v1/requests", json={"case": case, "record": {"detainer_reference": "D-77"}}, headers=officer)
    assert opened.status_code == 201, opened.text
    mid = opened.json()["id"]
    changed = http.patch(f"/v1/requests/{mid}", json={"record": {"detainer_reference": "D-78"}}, headers=officer)
    assert changed.status_code == 200, changed.text
    trail = json.dumps([r.body for r in store.following(mid)])
    assert "D-77" not in trail and "D-78" not in trail
    assert changed.json()["record"]["detainer_reference"] == PrivacyPolicy(KEY).keyed("D-78")


@pytest.mark.parametrize(
    ("agency", "why"),
    [("other: John Smith", "person's name"), ("other: Mary J. Jones", "person's name"),
     ("other: A012-345-678", "A-number"), ("other: 123-45-6789", "Social Security")],
)  # fmt: skip
def test_an_other_agency_that_reads_as_a_person_is_refused(client: Client, agency: str, why: str) -> None:
    """§ 10-178(d) prints the requesting agency's name in clear, one cell per agency: a name that reads as a person's,
    or holds an identifier's shape, is refused naming ``record.requester_agency``."""
    http, officer, _ = client
    answer = http.post("/v1/decisions", json={"case": CASE, "record": {"requester_agency": agency}}, headers=officer)
    refused(answer, "record.requester_agency", agency.removeprefix("other: "))
    assert why in answer.text


@pytest.mark.parametrize(
    "agency", ["other: Nassau County Police Department", "other: Interpol", "other: New Jersey State Police"]
)
def test_an_other_agency_named_as_an_agency_is_recorded(client: Client, agency: str) -> None:
    http, officer, _ = client
    answer = http.post("/v1/decisions", json={"case": CASE, "record": {"requester_agency": agency}}, headers=officer)
    assert answer.status_code == 201, answer.text


def test_an_override_reason_holding_an_identifier_is_refused(client: Client) -> None:
    http, officer, store = client
    case = copy.deepcopy(CASE)
    case["request"]["documents"] = case["request"]["documents"][:2]  # no judicial warrant: the hold is prohibited
    decided = http.post("/v1/decisions", json={"case": case}, headers=officer).json()["id"]
    body = {"type": "held_beyond_release", "date": CASE["decision_date"],
            "override": {"reason": "ordered for NYSID 12345678K"}}  # fmt: skip
    refused(http.post(f"/v1/decisions/{decided}/actions", json=body, headers=officer), "override.reason", "12345678K")
    assert list(store.following(decided)) == []


def test_a_docket_note_holding_an_identifier_is_refused(client: Client) -> None:
    http, officer, _ = client
    case = {k: v for k, v in CASE.items() if k not in ("decision_date", "regime")}
    answer = http.post("/v1/requests", json={"case": case, "note": "SSN 123 45 6789 per ICE"}, headers=officer)
    refused(answer, "note", "6789")


def test_a_scaap_source_holding_an_identifier_is_refused(client: Client) -> None:
    http, officer, _ = client
    item = {"input": "scaap", "step": "requested", "amount": 1, "date": "2025-10-15", "award_year": 2025,
            "source": "file 123456789"}  # fmt: skip
    refused(http.post("/v1/reports/inputs", json=item, headers=officer), "scaap.source", "123456789")


def test_a_charge_outside_new_york_holding_an_identifier_is_refused(client: Client) -> None:
    """A judgment outside New York names its charge in free text, which explanations repeat: never the person."""
    http, officer, _ = client
    case = copy.deepcopy(CASE)
    case["person"]["convictions"][0] |= {"court": "NJ", "charge": "N.J.S.A. 2C:15-1 (A-012-345-678)"}
    answer = http.post("/v1/decisions", json={"case": case}, headers=officer)
    refused(answer, "case.person.convictions[0].charge", "345-678")
    case["person"]["convictions"][0]["charge"] = "N.J.S.A. 2C:15-1"
    assert http.post("/v1/decisions", json={"case": case}, headers=officer).status_code == 201


# --- the shapes, as properties ----------------------------------------------------------------------------------

digits = st.integers(0, 9).map(str)
citations = st.one_of(
    st.builds("{} U.S.C. § {}".format, st.integers(1, 54), st.integers(1, 9999)),
    st.builds("N.J.S.A. 2C:{}-{}".format, st.integers(1, 99), st.integers(1, 99)),
    st.builds("PL {}.{}({})".format, st.integers(100, 499), st.integers(0, 99), st.integers(1, 9)),
    st.builds("Cal. Penal Code § {}".format, st.integers(1, 99999)),
    st.dates().map(str),
    st.integers(0, 10**8).map("${:,}".format),
)


@given(citations)
def test_a_citation_a_date_or_an_amount_is_never_taken_for_an_identifier(text: str) -> None:
    assert identifier_in(text) is None


@given(
    st.sampled_from(["{}{}{}-{}{}-{}{}{}{}", "A{}{}{}-{}{}{}-{}{}{}", "{}{}{}{}{}{}{}{}K", "{}{}{}{}{}{}{}{}{}"]),
    st.lists(digits, min_size=9, max_size=9),
    st.sampled_from(["", "per ICE ", "subject: "]),
)
def test_an_identifier_s_shape_is_found_wherever_it_stands(shape: str, ds: list[str], before: str) -> None:
    assert identifier_in(f"{before}{shape.format(*ds)} (see file)") is not None


def test_a_name_is_told_from_an_agency_by_its_words() -> None:
    assert looks_like_a_name("John Smith") and looks_like_a_name("Ann O'Brien")
    assert not looks_like_a_name("Drug Task Force") and not looks_like_a_name("Nassau County Sheriff")
    assert not looks_like_a_name("john smith")  # not capitalised: not read as a name (and not refused)


def test_the_facts_hashed_are_those_the_pack_marks_as_identifying() -> None:
    """Which record facts may identify a person is the pack's to say (``KEYED_HASH`` on the field): New York marks
    the detainer form's number; a model that marks nothing has nothing hashed; a deployment keeping identifiers
    hashes nothing."""
    from pydantic import BaseModel, Field

    from sanctuary.packs.nyc.recording import RecordFacts
    from sanctuary.service.privacy import KEYED_HASH, identifier_facts

    class Marked(BaseModel):
        number: str | None = Field(None, json_schema_extra=KEYED_HASH)
        agency: str | None = None

    assert identifier_facts(RecordFacts) == ("detainer_reference",)
    assert identifier_facts(Marked) == ("number",) and identifier_facts(None) == ()
    facts = {"number": "A012345678", "agency": "ICE"}
    stored = PrivacyPolicy(KEY).for_record(Marked).record(facts)
    assert stored["agency"] == "ICE" and stored["number"].startswith("hmac-sha256:")
    assert PrivacyPolicy(KEY).record(facts) == facts  # no model: nothing marked
    assert PrivacyPolicy(KEY, keep_identifiers=True).for_record(Marked).record(facts) == facts
    assert PrivacyPolicy(KEY).for_record(Marked).record(stored) == stored  # hashed once, not again
