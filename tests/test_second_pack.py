"""A second jurisdiction, fictional and small (``tests/packs/example_county``), installed as an entry point and run
through every use of the core: decide, explain, diff, compare, serve (with its pages' API) and report.

The pack shares nothing with New York's but the core's case frame; if any of these tests needs New York, the core
knows New York."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import polars as pl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sanctuary import jurisdictions
from sanctuary.cli import app
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.population.tables import Breakdown, Tables, TablesLayout, read_tables, write_tables
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.store import Store

PACKS = Path(__file__).resolve().parent / "packs"
runner = CliRunner()

CASE: dict[str, Any] = {
    "agency": "SHERIFF",
    "decision_date": "2026-06-01",
    "request": {"actions": ["hold", "share_address"], "warrant": "administrative"},
    "person": {"convictions": [{"level": "felony", "date": "2019-02-01"}]},
}


@pytest.fixture(scope="module", autouse=True)
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jurisdiction]:
    """Install the pack as pip would: its package on ``sys.path`` and a ``.dist-info`` declaring the entry point."""
    site = tmp_path_factory.mktemp("site")
    info = site / "example_county-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: example-county\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[sanctuary.jurisdictions]\nexample = example_county:PACK\n", encoding="utf-8"
    )
    sys.path[:0] = [str(site), str(PACKS)]
    try:
        yield jurisdictions.load("example")
    finally:
        sys.path.remove(str(site))
        sys.path.remove(str(PACKS))
        jurisdictions.select(None)


def cli(*args: str, stdin: str | None = None) -> Any:
    result = runner.invoke(app, ["--jurisdiction", "example", *args], input=stdin)
    return result


def test_the_pack_is_found_by_its_entry_point(installed: Jurisdiction) -> None:
    assert set(jurisdictions.available()) >= {"nyc", "example"}
    assert installed.name == "Example County (fictional)"
    assert "sanctuary.packs.nyc" not in type(installed).__module__


def test_decide_applies_the_packs_rules(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    result = cli("decide", str(path))
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    outcomes = {o["action"]: o for o in decision["outcomes"]}
    assert decision["regime"] == "example-2020"
    assert outcomes["hold"]["result"] == "prohibited"  # § 2-1(a): an administrative warrant is not enough
    assert outcomes["share_address"]["result"] == "permitted"  # § 2-1(b): a felony within ten years
    assert "Example County Code § 2-1(b)" in outcomes["share_address"]["citations"]


def test_an_unknown_fact_is_undetermined_and_named(tmp_path: Path) -> None:
    case = {**CASE, "request": {"actions": ["hold"]}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    (outcome,) = json.loads(cli("decide", str(path)).stdout)["outcomes"]
    assert outcome["result"] == "undetermined"
    assert outcome["missing"] == ["request.warrant"]


def test_the_packs_case_format_is_enforced_naming_the_field(tmp_path: Path) -> None:
    """New York's facts are unknown fields here; the pack's own check (a conviction after the decision) applies."""
    path = tmp_path / "case.json"
    bad = {**CASE, "request": {"actions": ["hold"], "documents": []}}
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = cli("decide", str(path))
    assert result.exit_code == 2
    assert "request.documents" in result.stderr
    later = {**CASE, "person": {"convictions": [{"level": "felony", "date": "2027-01-01"}]}}
    path.write_text(json.dumps(later), encoding="utf-8")
    result = cli("decide", str(path))
    assert result.exit_code == 2
    assert "person.convictions[0].date" in result.stderr


def test_schema_is_the_packs() -> None:
    schema = json.loads(cli("schema").stdout)
    assert set(schema["$defs"]["Request"]["properties"]) == {"actions", "warrant"}
    assert "Example County" in schema["description"]


def test_explain_names_the_clauses_and_asks_the_packs_question(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**CASE, "request": {"actions": ["hold"]}}), encoding="utf-8")
    result = cli("explain", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    explanation = json.loads(result.stdout)
    assert explanation["questions"][0]["path"] == "request.warrant"
    assert explanation["questions"][0]["question"] == "Which warrant did the requester present?"
    tree = explanation["outcomes"][0]["tree"]
    assert tree["clauses"][0]["cite"] == "Example County Code § 2-1(a)"
    assert tree["clauses"][0]["words"].startswith("A county officer shall not hold")


def test_would_change_if_finds_the_packs_changes(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    decision = json.loads(cli("decide", str(path), "--explain").stdout)
    hold = next(o for o in decision["outcomes"] if o["action"] == "hold")
    paths = [c["path"] for change in hold["would_change_if"] for c in change["changes"]]
    assert "request.warrant" in paths


def test_diff_shows_the_proposals_change() -> None:
    result = cli("diff", "example-2020", "example-any-warrant")
    assert result.exit_code == 0, result.output
    assert "hold" in result.stdout
    assert "2-1(a)" in result.stdout


def test_decide_side_by_side_under_both_regimes(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    result = cli("decide", str(path), "--regimes", "example-2020,example-any-warrant")
    assert result.exit_code == 0, result.output
    compared = json.loads(result.stdout)
    assert "hold" in json.dumps(compared["differences"])


def test_compare_counts_a_population_of_the_packs_cases(tmp_path: Path) -> None:
    lines = [
        CASE,
        {**CASE, "request": {"actions": ["hold"], "warrant": "judicial"}},
        {**CASE, "request": {"actions": ["hold"]}},
    ]
    data = tmp_path / "cases.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "report"
    result = cli("compare", str(data), "--regimes", "example-2020,example-any-warrant", "--out", str(out))
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["records"] == 3
    outcomes = summary["outcomes"]
    # § 2-1(a): one judicial warrant, one administrative, one unknown; the proposal honors the administrative one.
    assert outcomes["example-2020"]["hold"] == {"permitted": 1, "prohibited": 1, "undetermined": 1, "invalid": 0}
    assert outcomes["example-any-warrant"]["hold"]["permitted"] == 2
    # Example County names no request to suppose: nothing of New York's is supposed for its cases.
    assert summary["scenario"]["base_request"] == {}
    assert "I-247" not in json.dumps(summary)
    # Example County declares no breakdowns: none counted, none shown, none of New York's in the changed records.
    assert summary["breakdowns"] == {}
    assert "<h3>By " not in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "transitions.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "record_id,action,example-2020,example-any-warrant,charge"
    )


@pytest.fixture
def service(installed: Jurisdiction, tmp_path: Path) -> Iterator[tuple[TestClient, Store, str]]:
    from sanctuary.service.app import create_app

    store = Store(f"sqlite:///{tmp_path / 'audit.db'}")
    officer = store.create_key("sheriff desk", "officer")[1]
    yield (
        TestClient(create_app(store, installed, PrivacyPolicy(b"k" * 32)), raise_server_exceptions=False),
        store,
        officer,
    )
    store.close()


def test_the_service_decides_records_and_reports_under_the_pack(service: tuple[TestClient, Store, str]) -> None:
    client, _, key = service
    headers = {"X-API-Key": key}
    answer = client.post("/v1/decisions", json={"case": CASE}, headers=headers)
    assert answer.status_code in (200, 201), answer.text
    assert {o["action"]: o["result"] for o in answer.json()["decision"]["outcomes"]} == {
        "hold": "prohibited",
        "share_address": "permitted",
    }
    bad = client.post("/v1/decisions", json={"case": {**CASE, "agency": "sheriff"}}, headers=headers)
    assert bad.status_code == 422
    assert "case.agency" in bad.text
    schema = client.get("/v1/schema/case", headers=headers).json()
    assert "warrant" in schema["$defs"]["Request"]["properties"]
    assert bad.headers["content-type"] == "application/problem+json"
    assert [p["path"] for p in bad.json()["errors"]] == ["case.agency"]


def test_the_description_types_the_case_with_the_packs_schema(service: tuple[TestClient, Store, str]) -> None:
    """The OpenAPI description's case is Example County's (its warrant and its actions), not New York's."""
    import jsonschema

    client, _, _ = service
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert schemas["DecisionRequest"]["properties"]["case"]["$ref"] == "#/components/schemas/Case"
    assert set(schemas["CaseRequest"]["properties"]) == {"actions", "warrant"}
    body = {"$ref": "#/components/schemas/DecisionRequest", "components": spec["components"]}
    jsonschema.validate({"case": CASE}, body)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"case": {**CASE, "request": {"actions": ["hold"], "warrant": "I-247A"}}}, body)
    with pytest.raises(jsonschema.ValidationError):  # New York's action, not the county's
        jsonschema.validate({"case": {**CASE, "request": {"actions": ["notify"]}}}, body)


def test_an_action_is_checked_against_the_pack_s_own_law(service: tuple[TestClient, Store, str]) -> None:
    """§ 2-1(a) of Example County: a hold only on a judicial warrant. Its reports declare that a hold beyond release
    carries out the decided ``hold``: after a prohibited hold it is refused (409, ``type``) unless overridden."""
    client, _, key = service
    headers = {"X-API-Key": key}
    decided = client.post("/v1/decisions", json={"case": CASE}, headers=headers).json()["id"]
    hold = {"type": "held_beyond_release", "date": CASE["decision_date"]}
    refused = client.post(f"/v1/decisions/{decided}/actions", json=hold, headers=headers)
    assert refused.status_code == 409 and refused.json()["errors"][0]["path"] == "type"
    assert "§ 2-1(a)" in refused.text
    over = {**hold, "override": {"reason": "the sheriff's order"}}
    assert client.post(f"/v1/decisions/{decided}/actions", json=over, headers=headers).status_code == 201


def test_the_docket_runs_a_hold_s_clock_in_the_pack_s_own_words(service: tuple[TestClient, Store, str]) -> None:
    """The docket's clock of a hold is started and ended by the pack's recorded actions (Example County's
    ``held_beyond_release`` and ``released``), and a matter closes as transferred only after a transfer the pack
    names — Example County names none, so it never does."""
    client, _, key = service
    headers = {"X-API-Key": key}
    case = {k: v for k, v in CASE.items() if k != "decision_date"} | {
        "request": {"actions": ["hold"], "warrant": "judicial"}
    }
    opened = client.post("/v1/requests", json={"case": case}, headers=headers)
    assert opened.status_code == 201, opened.text
    mid = opened.json()["id"]
    held = client.post(f"/v1/requests/{mid}/actions", json={"type": "held_beyond_release"}, headers=headers)
    assert held.status_code == 201, held.text
    assert held.json()["clock"]["status"] == "running"
    again = client.post(f"/v1/requests/{mid}/actions", json={"type": "held_beyond_release"}, headers=headers)
    assert again.status_code == 409 and "already running" in again.text
    ended = client.post(f"/v1/requests/{mid}/actions", json={"type": "released"}, headers=headers).json()
    assert ended["clock"]["ended_at"] is not None
    refused = client.post(f"/v1/requests/{mid}/close", json={"reason": "transferred"}, headers=headers)
    assert refused.status_code == 409 and refused.json()["errors"][0]["path"] == "reason"
    assert client.post(f"/v1/requests/{mid}/close", json={"reason": "released"}, headers=headers).status_code == 200


def test_the_service_takes_the_pack_s_own_recording_vocabulary(service: tuple[TestClient, Store, str]) -> None:
    """What a body says that is a jurisdiction's law is the pack's: Example County's facts about a request (the
    warrant's number, ICE or CBP) and its actions (a hold beyond release, a release, an address shared) are
    accepted; New York's (a requesting agency, a notification of release, a SCAAP amount) are refused, each with
    422 naming its field."""
    client, _, key = service
    headers = {"X-API-Key": key}
    record = {"warrant_number": "W-2026-17", "requested_by": "ICE"}
    decided = client.post("/v1/decisions", json={"case": CASE, "record": record}, headers=headers)
    assert decided.status_code == 201, decided.text
    assert client.get(f"/v1/decisions/{decided.json()['id']}", headers=headers).json()["body"]["record"] == record

    def refused(path: str, body: dict[str, Any]) -> list[str]:
        answer = client.post(path, json=body, headers=headers)
        assert answer.status_code == 422, answer.text
        return [e["path"] for e in answer.json()["errors"]]

    assert refused("/v1/decisions", {"case": CASE, "record": {"requester_agency": "ICE"}}) == [
        "record.requester_agency"
    ]
    assert refused("/v1/decisions", {"case": CASE, "record": {"requested_by": "NYSP"}}) == ["record.requested_by"]
    actions = f"/v1/decisions/{decided.json()['id']}/actions"
    day = CASE["decision_date"]
    assert refused(actions, {"type": "notified_of_release", "date": day}) == ["type"]
    assert refused(actions, {"type": "released", "date": day, "information_given": ["release_date"]}) == [
        "information_given"
    ]
    shared = client.post(actions, json={"type": "address_shared", "date": day}, headers=headers)
    assert shared.status_code == 201, shared.text  # § 2-1(b): a recent felony, the address may be shared
    scaap = {"input": "scaap", "step": "received", "amount": 1, "date": day, "award_year": 2026}
    assert refused("/v1/reports/inputs", scaap) == ["input"]


def test_the_description_shows_the_pack_s_recording_vocabulary(service: tuple[TestClient, Store, str]) -> None:
    """The OpenAPI description's record and action bodies are Example County's, with their exact values."""
    client, _, _ = service
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert set(schemas["RecordFacts"]["properties"]) == {"warrant_number", "requested_by"}
    assert schemas["DecisionRequest"]["properties"]["record"]["anyOf"][0] == {
        "$ref": "#/components/schemas/RecordFacts"
    }
    assert schemas["ActionRequest"]["properties"]["type"]["enum"] == [
        "held_beyond_release",
        "released",
        "address_shared",
    ]
    assert schemas["MatterAction"]["properties"]["type"]["enum"] == [
        "held_beyond_release",
        "released",
        "address_shared",
    ]
    assert not {"ScaapAmount", "Withholding"} & set(schemas)


class WithoutReports:
    """Example County without its reports: a pack that declares no facts, actions or inputs to record."""

    def __init__(self, pack: Jurisdiction) -> None:
        self._pack = pack

    def __getattr__(self, name: str) -> Any:
        if name == "reports":
            raise AttributeError(name)
        return getattr(self._pack, name)


def test_a_pack_without_reports_decides_and_refuses_what_it_cannot_record(
    installed: Jurisdiction, tmp_path: Path
) -> None:
    from sanctuary.service.app import create_app
    from sanctuary.service.reporting import Reporting

    bare = WithoutReports(installed)
    assert not isinstance(bare, Reporting)
    store = Store(f"sqlite:///{tmp_path / 'bare.db'}")
    headers = {"X-API-Key": store.create_key("desk", "officer")[1]}
    client = TestClient(create_app(store, bare, PrivacyPolicy(b"k" * 32)), raise_server_exceptions=False)
    decided = client.post("/v1/decisions", json={"case": CASE}, headers=headers)
    assert decided.status_code == 201, decided.text
    with_record = client.post("/v1/decisions", json={"case": CASE, "record": {}}, headers=headers)
    assert [e["path"] for e in with_record.json()["errors"]] == ["record"]
    actions = f"/v1/decisions/{decided.json()['id']}/actions"
    for body in ({"date": CASE["decision_date"]}, {"type": "held_beyond_release", "date": CASE["decision_date"]}):
        answer = client.post(actions, json=body, headers=headers)
        assert answer.status_code == 422 and [e["path"] for e in answer.json()["errors"]] == ["type"], answer.text
    store.close()


def test_the_pages_api_runs_on_the_pack(service: tuple[TestClient, Store, str]) -> None:
    client, _, _ = service
    law = client.get("/v1/law").json()
    assert [a["id"] for a in law["actions"]] == ["hold", "share_address"]
    preview = client.post("/v1/preview", json={"case": {**CASE, "request": {"actions": ["hold"]}}})
    assert preview.status_code == 200, preview.text
    assert preview.json()["outcomes"][0]["result"] == "undetermined"
    for page in ("/workbench", "/law", "/compare", "/door", "/docket", "/"):
        assert client.get(page).status_code == 200, page
    door = client.get("/v1/door/form")  # the pack has no door guide (an optional protocol): refused by name
    assert door.status_code in (404, 422) and "Example County" in door.text


def test_the_workbench_form_is_the_packs_own(service: tuple[TestClient, Store, str]) -> None:
    """The pack gives no form hint: the workbench's form follows its schema — its agencies, its actions, its warrant as
    a select with its question's words, its convictions a repeatable group of a level (a select) and a date."""
    client, _, _ = service
    form = client.get("/v1/form/case").json()
    fields = form["fields"]
    assert [c["value"] for c in fields["agency"]["choices"]] == ["SHERIFF", "OTHER"]
    assert [c["value"] for c in fields["request.actions"]["choices"]] == ["hold", "share_address"]
    assert fields["request.actions"]["control"] == "checkboxes"
    assert fields["request.warrant"]["control"] == "select"
    assert fields["request.warrant"]["label"] == "Which warrant did the requester present?"
    assert [c["value"] for c in fields["request.warrant"]["choices"]] == ["judicial", "administrative", "none"]
    assert fields["person.convictions"]["control"] == "list"
    assert fields["person.convictions"]["rows"] == [["level"], ["date"]]
    assert fields["person.convictions[].level"]["control"] == "select"
    assert fields["person.convictions[].date"]["control"] == "date"
    top = [path for group in form["groups"] for row in group["rows"] for path in row]
    assert top == ["agency", "decision_date", "regime", "request.warrant", "request.actions"]
    assert form["facts"] == ["person.convictions"]
    assert "I-247A" not in json.dumps(form) and "DOC" not in json.dumps(form)


def test_report_counts_the_recorded_decisions(service: tuple[TestClient, Store, str], tmp_path: Path) -> None:
    """``sanctuary report`` computes the pack's own report (§ 2-3, annual) from the audit trail."""
    client, _, key = service
    headers = {"X-API-Key": key}
    for _ in range(2):
        assert client.post("/v1/decisions", json={"case": CASE}, headers=headers).status_code in (200, 201)
    database = f"sqlite:///{tmp_path / 'audit.db'}"
    result = cli("report", "--law", "2-3", "--year", "2026", "--database", database)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert {"action": "hold", "result": "prohibited", "count": 2} in rows
    assert {"action": "share_address", "result": "permitted", "count": 2} in rows
    assert json.loads(cli("report", "--law", "2-3", "--year", "2025", "--database", database).stdout)["rows"] == []
    refused = cli("report", "--law", "2-3", "--quarter", "2026Q1", "--database", database)
    assert refused.exit_code == 2
    assert "annual" in refused.stderr


class _WithTables:
    """Example County with a tables layout of its own, written here (the pack itself declares none)."""

    def __init__(self, pack: Jurisdiction, layout: TablesLayout) -> None:
        self._pack, self._layout = pack, layout

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pack, name)

    def tables_layout(self) -> TablesLayout:
        return self._layout


def _example_tables() -> tuple[TablesLayout, Tables]:
    """Example County's case model as tables (the request's warrant; the person's convictions, each a level and a
    date), and eight records: warrants judicial, administrative, unknown and no request; convictions recent, old,
    of unknown date, after the decision (invalid), none, unknown; and a record without a case."""
    conviction = pl.Struct({"level": pl.String, "date": pl.String})
    layout = TablesLayout(
        request=pl.Struct({"warrant": pl.String}), person=pl.Struct({"convictions": pl.List(conviction)})
    )
    warrants = ["judicial", "administrative", None, "judicial", "administrative", "judicial", None, "judicial"]
    records = pl.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(8)],
            "agency": ["SHERIFF"] * 6 + [None, "SHERIFF"],
            "decision_date": ["2026-06-01"] * 8,
            "request": pl.Series([{"warrant": w} for w in warrants], dtype=layout.request),
            "convictions_known": [True, True, False, True, True, True, False, True],
        }
    ).with_columns(pl.when(pl.col("record_id") != "r3").then(pl.col("request")).alias("request"))  # r3: none
    convictions = pl.DataFrame(
        {
            "record": [0, 3, 3, 4, 7],
            "level": ["felony", "misdemeanor", "felony", "felony", "felony"],
            "date": ["2019-02-01", "2025-01-01", None, "2010-01-01", "2027-01-01"],
        }
    )
    return layout, Tables.of(layout, records, convictions=convictions)


def test_a_pack_declaring_a_tables_layout_is_compared_from_a_tables_folder(
    installed: Jurisdiction, tmp_path: Path
) -> None:
    """The tables layout is derived from what the pack declares, not from New York's: a tables folder in Example
    County's layout (its own columns and item table) is written, read, and decided by the columnar evaluator, with
    the results of the same cases decided one by one by the single-case engine."""
    from sanctuary.population.columnar import ColumnarDecider
    from sanctuary.population.compare import compare_paths
    from sanctuary.population.evaluate import PatternDecider, Scenario

    layout, tables = _example_tables()
    pack = cast(Jurisdiction, _WithTables(installed, layout))
    folder = write_tables(tables, tmp_path / "population")
    assert sorted(p.name for p in folder.iterdir()) == ["convictions.parquet", "records.parquet"]
    scenario = Scenario(regimes=("example-2020", "example-any-warrant"), actions=("hold", "share_address"))
    columnar = ColumnarDecider(pack, scenario)
    assert columnar.supports()
    (chunk,) = read_tables(folder, 100, layout)
    by_table = columnar.decide_tables(chunk)
    one_by_one = PatternDecider(pack, scenario).decide_frame(chunk.frame())
    columns = [f"{r}|{a}" for r in scenario.regimes for a in scenario.actions]
    assert by_table.select(columns).equals(one_by_one.select(columns))
    comparison = compare_paths([folder], scenario, pack)
    assert comparison.columnar_records == 8
    outcomes = comparison.summary()["outcomes"]
    # § 2-1(a): judicial warrants r0, r5; administrative r1, r4; unknown r2 (and r3, no request); r6 no case, r7 a
    # conviction after the decision: invalid. The proposal honors the administrative warrants.
    assert outcomes["example-2020"]["hold"] == {"permitted": 2, "prohibited": 2, "undetermined": 2, "invalid": 2}
    assert outcomes["example-any-warrant"]["hold"]["permitted"] == 4
    # § 2-1(b): a felony within ten years (r0; five under the proposal: none), r3's felony of unknown date, r2's
    # unknown convictions; r1 has none, r4's felony is old.
    assert outcomes["example-2020"]["share_address"] == {
        "permitted": 1,
        "prohibited": 3,
        "undetermined": 2,
        "invalid": 2,
    }
    assert outcomes["example-any-warrant"]["share_address"]["permitted"] == 0


def test_the_packs_own_breakdowns_are_counted_and_shown(installed: Jurisdiction, tmp_path: Path) -> None:
    """The dimensions a comparison breaks its outcomes down by are the pack's: Example County's layout declares a
    district (also a column of the changed records); it is a column of its records table, counted per regime and
    result, shown under its own words, and no dimension of New York's appears."""
    from sanctuary.population.compare import compare_paths
    from sanctuary.population.evaluate import Scenario
    from sanctuary.population.report import write_report

    plain, tables = _example_tables()
    layout = dataclasses.replace(plain, breakdowns=(Breakdown("district", "sheriff's district", changed=True),))
    districts = pl.Series("district", ["north", "south"] * 4)
    records = tables.records.with_columns(districts)
    folder = write_tables(Tables.of(layout, records, convictions=tables.list_table("convictions")), tmp_path / "pop")
    assert "district" in pl.read_parquet(folder / "records.parquet").columns
    pack = cast(Jurisdiction, _WithTables(installed, layout))
    scenario = Scenario(regimes=("example-2020", "example-any-warrant"), actions=("hold",))
    comparison = compare_paths([folder], scenario, pack)
    summary = write_report(comparison, tmp_path / "report")
    assert set(summary["breakdowns"]) == {"district"}
    counted = {(x["value"], x["regime"], x["result"]): x["records"] for x in summary["breakdowns"]["district"]}
    # § 2-1(a) under the proposal: the administrative warrants (r1 south, r4 north) are now honored too.
    assert counted[("north", "example-any-warrant", "permitted")] == counted[("north", "example-2020", "permitted")] + 1
    assert sum(n for (v, r, _), n in counted.items() if r == "example-2020") == 8
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "By sheriff&#x27;s district" in page and "custody status" not in page
    header = (tmp_path / "report" / "transitions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "record_id,action,example-2020,example-any-warrant,charge,district"


def test_a_pack_declaring_no_tables_layout_refuses_a_tables_folder(installed: Jurisdiction, tmp_path: Path) -> None:
    """Without a layout a tables folder cannot be read: refused, saying why, never read as New York's."""
    from sanctuary.population.compare import compare_paths
    from sanctuary.population.evaluate import Scenario

    folder = write_tables(_example_tables()[1], tmp_path / "population")
    scenario = Scenario(regimes=("example-2020",), actions=("hold",))
    with pytest.raises(ValueError, match=r"population: .*declares no tables layout"):
        compare_paths([folder], scenario, installed)


def test_a_pack_without_public_data_refuses_a_synthetic_population(tmp_path: Path) -> None:
    """Public data is optional: Example County publishes none, so ``synth`` says so, naming the option's subject."""
    result = cli("synth", "--records", "10", "--out", str(tmp_path / "synthetic"))
    assert result.exit_code == 2
    assert "Example County" in result.stderr and "no public data" in result.stderr
    assert not (tmp_path / "synthetic").exists()


def test_the_report_comes_in_every_format_the_command_offers(
    service: tuple[TestClient, Store, str], tmp_path: Path
) -> None:
    client, _, key = service
    assert client.post("/v1/decisions", json={"case": CASE}, headers={"X-API-Key": key}).status_code in (200, 201)
    database = f"sqlite:///{tmp_path / 'audit.db'}"
    out = tmp_path / "report"
    result = cli("report", "--law", "2-3", "--year", "2026", "--database", database, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "hold,prohibited,1" in (out / "report.csv").read_text(encoding="utf-8")
    saved = tmp_path / "saved.json"
    saved.write_text((out / "report.json").read_text(encoding="utf-8"), encoding="utf-8")
    again = cli("report", "--law", "2-3", "--year", "2026", "--database", database, "--check", str(saved))
    assert again.exit_code == 0, again.output
