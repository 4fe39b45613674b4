"""Ground truth for the four statutory reports, recorded through the HTTP API as an agency would record it, on SQLite
and on PostgreSQL: decisions, actions (every way of recording a transfer and a notification, withdrawals, retries,
refused impossible actions), report inputs (SCAAP amounts, a withholding determination), requests from several
agencies, across the 2026-01-29 change of law. Every expected count is worked out by hand in the comment beside it,
from the records as built here, never read from the module's output.

The year is fiscal 2026 (2025-07-01 – 2026-06-30; report due 2026-09-01) and, for § 10-178(d), 2025Q3.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sanctuary.cli import app as cli
from sanctuary.service.store import Store
from tests.nyc.test_reports import _minus, clean, detainer, inquiry, unknown_record, violent
from tests.test_service import _as, service, store, store_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice about its test client's HTTP library
    from fastapi.testclient import TestClient

__all__ = ["service", "store", "store_url"]  # the fixtures, on SQLite and PostgreSQL

runner = CliRunner()
# Most actions below go against their decision (a hold with no judicial warrant, say): each is recorded only with an
# override, as an agency that acted against the decision must record it (I-50, I-51); the reports count them apart.
ORDER = {"reason": "recorded as done, against the decision, on the warden's order"}


def old_violent(day: str) -> dict[str, Any]:
    """A robbery-in-the-first-degree judgment ten years before the instant arrest, no incarceration: outside the
    five-year look-back of (a)(2)(ii), so not "convicted" as (a)(2) defines it, though convicted long ago."""
    person = violent(day)
    conviction = person["convictions"][0]
    conviction["judgment_date"], conviction["offense_date"] = _minus(day, 10 * 365), _minus(day, 11 * 365)
    return person


class Agency:
    """An officer's client: records decisions and actions through the API and checks each answer."""

    def __init__(self, client: TestClient, keys: dict[str, str]) -> None:
        self.client, self.officer = client, _as(keys, "officer")

    def request(self, case: dict[str, Any], person: str, **record: Any) -> str:
        body = {"case": case, "subject": {"person_id": person}, "record": {"received": case["decision_date"], **record}}
        answer = self.client.post("/v1/decisions", json=body, headers=self.officer)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    def act(self, decision: str, type: str, date: str, *, status: int = 201, **extra: Any) -> Any:
        answer = self.client.post(
            f"/v1/decisions/{decision}/actions", json={"type": type, "date": date, **extra}, headers=self.officer
        )
        assert answer.status_code == status, answer.text
        return answer.json()

    def supply(self, item: dict[str, Any]) -> None:
        answer = self.client.post("/v1/reports/inputs", json=item, headers=self.officer)
        assert answer.status_code == 201, answer.text


def record_doc(a: Agency) -> None:
    """The Department of Correction's year."""
    # D1: P1 (convicted within the look-back), reasons i and ii; held, and the hold ended in a transfer (recorded
    # only as hold_ended{transferred}). The hold is POSTed twice: the retry answers 200 and records nothing.
    d1 = a.request(detainer("DOC", "2025-08-01", violent("2025-08-01")), "P1", detainer_reference="D-1",
                   detainer_reasons=["i", "ii"], requester_agency="ICE")  # fmt: skip
    first = a.act(d1, "held_beyond_release", "2025-08-02", override=ORDER)
    assert a.act(d1, "held_beyond_release", "2025-08-02", status=200, override=ORDER) == first
    a.act(d1, "hold_ended", "2025-08-03", reason="transferred")
    # D1 re-sent the next day (same form number): the same detainer.
    a.request(
        detainer("DOC", "2025-08-02", violent("2025-08-02")), "P1", detainer_reference="D-1", detainer_reasons=["i"]
    )
    # D2: P2 (no conviction, terrorist-screening match), reason iii; ICE notified of the release, then picked P2 up.
    d2 = a.request(detainer("DOC", "2025-09-01", clean(tsdb=True)), "P2", detainer_reference="D-2",
                   detainer_reasons=["iii"])  # fmt: skip
    a.act(d2, "notified_of_release", "2025-09-05", override=ORDER)
    a.act(d2, "transferred_to_federal_custody", "2025-09-05", override=ORDER)
    # D3: P3, reason iv; withdrawn on Oct 3, then released on Oct 5: withdrawn, not "not honored".
    d3 = a.request(detainer("DOC", "2025-10-01", clean()), "P3", detainer_reference="D-3", detainer_reasons=["iv"])
    a.act(d3, "detainer_withdrawn", "2025-10-03")
    a.act(d3, "released_without_honoring", "2025-10-05")
    # D4: P4, no reason recorded; released without honoring. Then impossible actions, all refused:
    d4 = a.request(detainer("DOC", "2025-11-01", clean()), "P4", detainer_reference="D-4")
    a.act(d4, "released_without_honoring", "2025-11-02")
    a.act(d4, "transferred_to_federal_custody", "2025-11-03", status=422)  # after the release
    a.act(d4, "transferred_to_federal_custody", "2999-01-01", status=422)  # in the future
    a.act(d4, "held_beyond_release", "2025-10-01", status=422)  # before the detainer was received
    # D5: P5 (record not given), reason "other"; held, the 48-hour period expired; a later release "without
    # honoring" is refused (the detainer was honored by the hold).
    d5 = a.request(detainer("DOC", "2026-02-01", unknown_record()), "P5", detainer_reference="D-5",
                   detainer_reasons=["other"])  # fmt: skip
    a.act(d5, "held_beyond_release", "2026-02-02", override=ORDER)
    a.act(d5, "hold_ended", "2026-02-04", reason="hold_period_expired")
    a.act(d5, "released_without_honoring", "2026-02-04", status=422)
    # D6: P6, whose only violent judgment is ten years old; reason i; held and handed over.
    d6 = a.request(detainer("DOC", "2026-03-01", old_violent("2026-03-01")), "P6", detainer_reference="D-6",
                   detainer_reasons=["i"])  # fmt: skip
    a.act(d6, "held_beyond_release", "2026-03-02", override=ORDER)
    a.act(d6, "transferred_to_federal_custody", "2026-03-03", override=ORDER)

    # Information requests. I1 (P7): POSTed twice by the same client (a retry); answered once, the answer retried.
    i1_case = inquiry("DOC", "2025-07-15", ["info:release_date", "info:court_date"], clean())
    i1 = a.request(i1_case, "P7", requester_agency="ICE")
    a.request(i1_case, "P7", requester_agency="ICE")
    a.act(
        i1,
        "information_answered",
        "2025-07-16",
        information_given=["release_date", "court_appearance_date"],
        override=ORDER,
    )
    a.act(
        i1,
        "information_answered",
        "2025-07-16",
        status=200,
        information_given=["court_appearance_date", "release_date"],
        override=ORDER,
    )
    # I2 (P1): custody status, answered on Jul 31; P1 was transferred on Aug 3 (D1): facilitated.
    i2 = a.request(inquiry("DOC", "2025-07-30", ["info:custody_status"], violent("2025-07-30")), "P1")
    a.act(i2, "information_answered", "2025-07-31", information_given=["incarceration_status"])
    # I3 (P8): an I-247N, answered by notifying the release.
    i3 = a.request(inquiry("DOC", "2026-01-10", ["notify_release"], clean(), documents=[{"type": "I-247N"}]), "P8")
    a.act(i3, "notified_of_release", "2026-01-20", override=ORDER)

    # I4 (P9), I5 (P10): FBI staff with immigration enforcement duties, the day before and the day L.L. 2026/63
    # made them a federal immigration authority. I5 is refused.
    def fbi(day: str) -> dict[str, Any]:
        return inquiry("DOC", day, ["info:release_date"], clean(), requester="FBI", immigration_enforcement_duties=True)

    a.request(fbi("2026-01-28"), "P9", requester_agency="FBI")
    i5 = a.request(fbi("2026-01-29"), "P10", requester_agency="FBI")
    a.act(i5, "information_refused", "2026-02-02")
    # I6 (P11, the ten-year-old judgment): other information, answered.
    i6 = a.request(inquiry("DOC", "2026-03-05", ["info:other"], old_violent("2026-03-05")), "P11")
    a.act(i6, "information_answered", "2026-03-06", information_given=["other"], override=ORDER)
    # SCAAP: requested in the period; received in the period, and once before it.
    a.supply({"input": "scaap", "step": "requested", "amount": 1_000_000, "date": "2025-10-15", "award_year": 2025})
    a.supply({"input": "scaap", "step": "received", "amount": 700_000, "date": "2026-03-01", "award_year": 2024})
    a.supply({"input": "scaap", "step": "received", "amount": 5_000, "date": "2025-06-01", "award_year": 2023})


def record_others(a: Agency) -> dict[str, str]:
    """NYPD, Probation and other agencies."""
    n1 = a.request(detainer("NYPD", "2025-08-01", clean()), "Q1", detainer_reference="N-1")
    a.act(n1, "held_beyond_release", "2025-08-01", override=ORDER)
    a.act(n1, "hold_ended", "2025-08-03", reason="no_judicial_warrant_within_48_hours")
    unsent = detainer("NYPD", "2025-09-01", clean())
    del unsent["request"]["from"]
    a.request(unsent, "Q2", detainer_reference="N-2")  # no sender recorded
    n3 = a.request(detainer("NYPD", "2026-02-01", clean()), "Q3", detainer_reference="N-3")
    a.act(n3, "released_without_honoring", "2026-02-01")
    n4 = a.request(detainer("NYPD", "2026-03-01", violent("2026-03-01")), "Q4", detainer_reference="N-4")
    a.act(n4, "held_beyond_release", "2026-03-01", override=ORDER)
    a.act(n4, "hold_ended", "2026-03-02", reason="transferred")
    ni = a.request(inquiry("NYPD", "2025-10-01", ["info:custody_status"], violent("2025-10-01")), "Q5")
    a.act(ni, "information_answered", "2025-10-02", information_given=["incarceration_status"])
    p1 = a.request(detainer("DOP", "2025-12-01", clean()), "R1", detainer_reference="P-1")
    a.act(p1, "held_beyond_release", "2025-12-01", override=ORDER)
    a.act(p1, "transferred_to_federal_custody", "2025-12-01", override=ORDER)
    pi = a.request(inquiry("DOP", "2026-02-10", ["info:other"], clean()), "R2")
    a.act(pi, "information_answered", "2026-02-11", information_given=["appointment_date_or_time"], override=ORDER)
    c1 = a.request(inquiry("HRA", "2025-07-10", ["info:other"], clean()), "S1", requester_agency="ICE")
    a.act(c1, "information_refused", "2025-07-11")
    c2 = a.request(inquiry("HRA", "2025-08-10", ["info:other"], clean(), requester=None), "S2",
                   requester_agency="other:  New York   State Police")  # fmt: skip
    a.act(c2, "information_answered", "2025-08-12", information_given=["other"], override=ORDER)
    c3 = a.request(inquiry("HRA", "2025-08-20", ["info:other"], clean()), "S3", requester_agency="ICE")
    a.supply({"input": "withholding", "decision_id": c3, "ground": "interference", "date": "2025-09-01"})
    a.request(inquiry("DOC", "2025-09-01", ["info:release_date"], clean(), requester="FBI"), "S4")
    return {"c3": c3}


def report(client: TestClient, keys: dict[str, str], law: str, **params: Any) -> dict[str, Any]:
    answer = client.get(f"/v1/reports/{law}", params=params, headers=_as(keys, "analyst"))
    assert answer.status_code == 200, answer.text
    return {row["id"]: row["value"] for row in answer.json()["rows"]}


def test_the_four_reports_give_every_hand_counted_figure(
    service: tuple[TestClient, dict[str, str], Store], tmp_path: Path
) -> None:
    client, keys, store = service
    a = Agency(client, keys)
    record_doc(a)
    record_others(a)
    check_doc(report(client, keys, "9-131", year=2026))
    check_nypd_and_probation(report(client, keys, "14-154", year=2026), report(client, keys, "9-205", year=2026))
    check_citywide(client, keys)
    check_publication_and_regeneration(client, keys, store, tmp_path)


def check_doc(v: dict[str, Any]) -> None:
    p = "9-131(f)"
    assert v[f"{p}(1)"] == 6  # D1 (two copies: one detainer), D2, D3, D4, D5, D6
    assert [v[f"{p}(1)({r})"] for r in ("i", "ii", "iii", "iv")] == [2, 1, 1, 1]  # D1+D6; D1; D2; D3
    assert (v[f"{p}(1).other_reason"], v[f"{p}(1).reason_unknown"]) == (1, 1)  # D5; D4
    assert v[f"detail:{p}(1).before_2026_01_29"] == 4 and v[f"detail:{p}(1).from_2026_01_29"] == 2  # D1–D4; D5, D6
    dispositions = {k.rsplit(".", 1)[1]: n for k, n in v.items() if k.startswith(f"detail:{p}(1).disposition.")}
    assert dispositions == {"honored_by_hold": 1, "honored_by_notification": 0, "honored_by_transfer": 3,
                            "not_honored": 1, "withdrawn": 1, "pending": 0}  # fmt: skip  # D5; D1 D2 D6; D4; D3
    assert v[f"{p}(2)"] == 3  # P1 (D1), P5 (D5), P6 (D6)
    assert [v[f"{p}(2)({r})"] for r in ("i", "ii", "iii", "iv")] == [2, 1, 0, 0]  # P1, P6; P1
    assert v[f"{p}(2).other_reason"] == 1  # P5
    assert v[f"{p}(3)"] == 3  # P1 (hold ended in a transfer), P2 (pick-up after notice), P6
    assert v[f"{p}(4)"] == 1  # P1; P6's judgment is outside the look-back
    assert v[f"detail:{p}(4).any_conviction"] == 2  # P1, P6: the other reading
    assert v[f"detail:{p}(4).no_outside_lookback"] == 1  # P6
    assert v[f"{p}(5)"] == 1  # P2
    assert v[f"detail:{p}(5).neither"] == 1  # P6: no conviction within the look-back, no match
    assert v[f"detail:{p}(3).notified_not_held"] == 1 and v[f"detail:{p}(3).without_notice_pickups"] == 2  # P2
    assert (v[f"{p}(6).requested"], v[f"{p}(6).received"]) == (1_000_000, 700_000)  # the June 2025 one is earlier
    assert v[f"{p}(7)"] == 1  # P4; P3's detainer was withdrawn first
    assert v[f"{p}(8)"] == 1  # P5
    assert v[f"{p}(8).reason_other_or_unknown"] == 0
    assert v[f"{p}(9).requests"] == 5  # I1 (once, not twice), I2, I3, I5, I6; I4 is from before the FBI counted
    assert v[f"detail:{p}(9).requests.before_2026_01_29"] == 3 and v[f"detail:{p}(9).requests.from_2026_01_29"] == 2
    assert v[f"{p}(9).responses"] == 4  # I1 (once), I2, I3 (the notification), I6
    assert v[f"{p}(9)(i)"] == 3  # I1, I3, I6
    assert v[f"{p}(9)(i).release_dates"] == 2 and v[f"{p}(9)(i).court_appearance_dates"] == 1  # I1, I3; I1
    assert v[f"{p}(9)(i).other"] == 1 and v[f"{p}(9)(i).transfer_pending"] == 3  # I6; none of P7, P8, P11 left
    assert v[f"detail:{p}(9)(i).no_outside_lookback"] == 1  # I6
    assert v[f"{p}(9)(ii)"] == 1 and v[f"{p}(9)(ii).transfer_facilitated"] == 1  # I2: P1 transferred after it
    assert v[f"detail:{p}(9)(ii).persons_transfer_facilitated"] == 1  # P1
    assert v[f"{p}(9)(iii)"] == 0
    assert v[f"{p}.actions_not_counted"] == 0  # every impossible action was refused at recording
    assert v[f"detail:{p}.records_read_once"] == 1  # I1's second decision record
    # Recorded over the decision (I-50): D1's hold (its retry once), D2's notification and transfer, D5's hold, D6's
    # hold and transfer, I1's answer (once), I3's notification, I6's answer; I2's answer was permitted.
    assert v[f"detail:{p}.actions_overridden"] == 9
    assert v[f"detail:{p}(2).overridden"] == 3  # D1, D5, D6: every hold of (2) went against its decision
    assert v[f"detail:{p}(3).overridden"] == 2  # D2, D6; D1's transfer was recorded as its hold's end (not checked)
    assert v[f"detail:{p}(7).overridden"] == 0  # declining is never checked


def check_nypd_and_probation(nypd: dict[str, Any], probation: dict[str, Any]) -> None:
    assert nypd["14-154(f)(1)"] == 3  # N-1, N-3, N-4; N-2 names no sender
    assert nypd["14-154(f)(1).sender_unknown"] == 1  # N-2
    assert nypd["14-154(f)(2)"] == 2  # Q1 (48-hour hold), Q4
    assert nypd["14-154(f)(3)"] == 1  # Q4: the hold ended in a transfer
    assert nypd["14-154(f)(4)"] == 1  # Q3
    assert (nypd["14-154(f)(5).requests"], nypd["14-154(f)(5).responses"], nypd["14-154(f)(5)(ii)"]) == (1, 1, 1)
    assert (probation["9-205(f)(1)"], probation["9-205(f)(2)"], probation["9-205(f)(3)"]) == (1, 1, 1)
    assert probation["9-205(f)(4)"] == 0
    assert probation["9-205(f)(5)(i).scheduled_appointment_dates_or_times"] == 1
    assert nypd["detail:14-154(f).actions_overridden"] == 2  # Q1's and Q4's holds; Q5's answer was permitted
    assert nypd["detail:14-154(f)(2).overridden"] == 2
    assert probation["detail:9-205(f).actions_overridden"] == 3  # R1's hold and transfer, R2's answer


def check_citywide(client: TestClient, keys: dict[str, str]) -> None:
    v = report(client, keys, "10-178", quarter="2025Q3")
    q = "10-178(d)"
    assert v[f"{q}.requests"] == 3  # C1 (ICE to HRA), C2 (state police to HRA), S4 (FBI to DOC, not an authority)
    assert v[f"{q}.requests[ICE,HRA]"] == 1
    assert v[f"{q}.requests[other: New York State Police,HRA]"] == 1  # its spaces tidied when recorded
    assert v[f"{q}.requests[FBI,DOC]"] == 1
    assert v[f"{q}.actions"] == 2  # C1 refused, C2 answered
    assert v[f"{q}.requests.no_action_recorded"] == 1  # S4
    assert v[f"{q}.withheld.interference"] == 1 and v[f"{q}.withheld.public_safety"] == 0  # C3
    # Counted in the annual reports: D1 and its copy, D2, I1 (once), I2 (DOC); N-1 (NYPD). N-2 names no requester.
    assert v[f"detail:{q}.in_annual_reports"] == 6
    assert v[f"detail:{q}.requests.other_reading"] == 9  # 3 + 6
    assert v[f"detail:{q}.requests.immigration_enforcement_unknown"] == 1  # N-2
    # Dated in the quarter, over the decision: D1's hold, D2's notification and transfer, I1's answer, Q1's hold,
    # C2's answer.
    assert v[f"detail:{q}.actions_overridden"] == 6
    every = report(client, keys, "10-178", quarter="2025Q3", include_annual_reports="true")
    assert every[f"{q}.requests"] == 9 and every[f"detail:{q}.requests.other_reading"] == 3
    bad = client.get("/v1/reports/9-131", params={"year": 2026, "include_annual_reports": "true"},
                     headers=_as(keys, "analyst"))  # fmt: skip
    assert bad.status_code == 422 and "include_annual_reports" in bad.text


def check_publication_and_regeneration(client: TestClient, keys: dict[str, str], store: Store, tmp_path: Path) -> None:
    page = client.get("/v1/reports/9-131", params={"year": 2026, "view": "publication"}, headers=_as(keys, "analyst"))
    published = page.json()
    assert [i["item"] for i in published["items"]][:6] == [
        "(1)",
        "(1)(i)",
        "(1)(ii)",
        "(1)(iii)",
        "(1)(iv)",
        "(1) other reason",
    ]
    assert not any("R-" in i["label"] or "detail" in i["item"] for i in published["items"])
    notes = " ".join(published["notes"])
    assert "item (3) would be 2" in notes and "item (4) would be 2" in notes
    assert "9 action(s) were recorded over the decision they follow" in notes  # counted apart, and said so
    pdf = client.get("/v1/reports/9-131", params={"year": 2026, "view": "publication", "format": "pdf"},
                     headers=_as(keys, "analyst"))  # fmt: skip
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    saved = tmp_path / "fy2026"
    args = ["report", "--law", "9-131", "--year", "2026", "--view", "publication", "--database", store.url]
    assert runner.invoke(cli, [*args, "--out", str(saved)]).exit_code == 0
    # More is recorded after the report was filed; regenerated through its last record, the report is the same.
    Agency(client, keys).request(detainer("DOC", "2026-04-01", clean()), "P12", detainer_reference="D-12")
    same = runner.invoke(cli, [*args, "--check", str(saved / "report.json")])
    assert same.exit_code == 0 and "identical" in same.stdout, same.output
    filed = json.loads((saved / "report.json").read_text())
    assert (
        filed["fingerprint"]
        == json.loads(runner.invoke(cli, [*args, "--through", str(filed["through_seq"])]).stdout)["fingerprint"]
    )
    now = runner.invoke(cli, [*args])
    assert json.loads(now.stdout)["fingerprint"] != filed["fingerprint"]  # today's report counts D-12


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"input": "scaap", "step": "asked", "amount": 1, "date": "2025-01-01", "award_year": 2025}, "step"),
        ({"input": "scaap", "step": "received", "amount": -1, "date": "2025-01-01", "award_year": 2025}, "amount"),
        ({"input": "scaap", "step": "received", "amount": 1, "date": "2025-01-01"}, "award_year"),
        ({"input": "withholding", "decision_id": "x", "ground": "secrecy", "date": "2025-01-01"}, "ground"),
    ],
)
def test_bad_report_inputs_are_refused_naming_the_field(
    service: tuple[TestClient, dict[str, str], Store], item: dict[str, Any], field: str
) -> None:
    client, keys, _ = service
    answer = client.post("/v1/reports/inputs", json=item, headers=_as(keys, "officer"))
    assert answer.status_code == 422 and field in answer.text


def test_a_requesting_agency_outside_the_list_is_refused(service: tuple[TestClient, dict[str, str], Store]) -> None:
    client, keys, _ = service
    case = inquiry("HRA", "2025-07-10", ["info:other"], clean())
    body = {"case": case, "record": {"requester_agency": "ICE ERO New York"}}
    answer = client.post("/v1/decisions", json=body, headers=_as(keys, "officer"))
    assert answer.status_code == 422 and "requester_agency" in answer.text and "other:" in answer.text
