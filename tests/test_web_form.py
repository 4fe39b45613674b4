"""The workbench's form (``GET /v1/form/case``, ``sanctuary.web.form``) as the page reads it: every field of the
pack's case format described with the control its type calls for, and the pack's hint naming only fields that
exist (a typo in a hint would silently drop a field from the page)."""

from __future__ import annotations

from typing import Any

import pytest

from sanctuary import jurisdictions
from sanctuary.facts.form import FormHint
from sanctuary.web.form import case_form


@pytest.fixture(scope="module")
def form() -> dict[str, Any]:
    return case_form(jurisdictions.load("nyc"))


def _hint_paths(hint: FormHint) -> set[str]:
    named = {path for group in hint.groups for row in group.rows for path in row}
    return named | set(hint.facts) | set(hint.memo) | set(hint.fields)


def test_every_field_the_hint_names_exists_in_the_schema(form: dict[str, Any]) -> None:
    hint = jurisdictions.load("nyc").case_format.form
    assert _hint_paths(hint) - set(form["fields"]) == set()
    for path, field in form["fields"].items():
        item_fields = {p.removeprefix(f"{path}[].") for p in form["fields"] if p.startswith(f"{path}[].")}
        assert {name for row in field["rows"] for name in row} <= item_fields, path
        for names in field["details"].values():
            assert set(names) <= item_fields, path


def test_controls_follow_the_schemas_types(form: dict[str, Any]) -> None:
    fields = form["fields"]
    assert fields["decision_date"]["control"] == "date"
    assert fields["person.tsdb_possible_match"]["control"] == "tristate"  # not known, yes, no: never a guess
    assert fields["person.convictions"]["control"] == "list"  # a repeatable group of the item's fields
    assert fields["person.convictions[].level"]["control"] == "select"
    assert [c["value"] for c in fields["person.convictions[].level"]["choices"]] == [
        "felony",
        "misdemeanor",
        "violation",
    ]
    assert fields["person.convictions[].judgment_date"]["control"] == "partial_date"
    assert fields["person.convictions[].offense_date"]["control"] == "date"
    assert fields["person.arrest_history[].charges"]["control"] == "strings"
    assert fields["request.actions"]["control"] == "checkboxes"


def test_new_yorks_form_keeps_its_order_and_words(form: dict[str, Any]) -> None:
    """The page New York's users know: the request, what was presented, what was asked for; then the person."""
    assert [g["legend"] for g in form["groups"]] == ["The request", "What was presented", "What was asked for"]
    assert form["groups"][0]["rows"] == [["agency"], ["decision_date", "request.from"], ["regime"]]
    documents = form["fields"]["request.documents"]
    assert documents["control"] == "checklist"
    assert documents["details"] == {
        "warrant": ["signer", "probable_cause", "authorizes_immigration_custody", "presented_with_detainer"]
    }
    assert form["fields"]["person.convictions[].court"]["control"] == "select"  # an open code, offered as a list
    assert form["fields"]["person.convictions"]["label"] == "Judgments of conviction"
    assert form["facts"][:3] == ["person.instant_arrest_date", "person.convictions", "person.pending_charges"]
    # A field the hint does not name keeps the pack's question as its words, or its own name.
    assert form["fields"]["person.outstanding_removal_warrant"]["label"] == "Outstanding removal warrant"


def test_the_form_route_needs_no_key() -> None:
    from fastapi.testclient import TestClient

    from sanctuary.service.app import create_app
    from sanctuary.service.privacy import PrivacyPolicy
    from sanctuary.service.store import Store

    store = Store("sqlite:///:memory:")
    try:
        client = TestClient(create_app(store, jurisdictions.load("nyc"), PrivacyPolicy(b"k" * 32)))
        answer = client.get("/v1/form/case")
        assert answer.status_code == 200
        assert answer.json()["schema"]["title"].startswith("sanctuary case")
    finally:
        store.close()
