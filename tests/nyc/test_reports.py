"""The statutory reports (docs/law/nyc/reports.md), computed from audit trails built here record by record.

Every expected number is derived from the scenario as constructed (the comments beside each record say which
rows it should land in), never copied from the module's output. Cases are real contract cases decided by the
engine, sealed into a valid chain as the service would store them.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import random
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctuary.engine import decide
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import parse_case
from sanctuary.packs.nyc.reports import LAWS, Period, Report, Row, compute_report, period_for
from sanctuary.service.audit import GENESIS, AuditRecord, seal

# --- building trails ---------------------------------------------------------------------------------------


@cache
def _decided(case_json: str) -> dict[str, Any]:
    output: dict[str, Any] = decide(parse_case(json.loads(case_json)), NYC).as_dict()
    return output


class Trail:
    """An audit trail built as the service builds it: decision records, then action records referring to them."""

    def __init__(self) -> None:
        self.records: list[AuditRecord] = []

    def _append(self, kind: str, refers_to: str | None, body: dict[str, Any], day: str) -> str:
        seq = len(self.records) + 1
        prev = self.records[-1].hash if self.records else GENESIS
        record = seal(seq, f"rec-{seq}", kind, f"{day}T15:00:00.000000+00:00", "key-1", refers_to, body, prev)
        self.records.append(record)
        return record.id

    def decision(
        self,
        case: dict[str, Any],
        *,
        person: str | None = None,
        received: str | None = None,
        ref: str | None = None,
        reasons: list[str] | None = None,
        requester: str | None = None,
    ) -> str:
        output = _decided(json.dumps(case, sort_keys=True))
        record: dict[str, Any] = {}
        for key, value in (
            ("received", received),
            ("detainer_reference", ref),
            ("detainer_reasons", reasons),
            ("requester_agency", requester),
        ):
            if value is not None:
                record[key] = value
        body = {
            "input": case,
            "output": output,
            "subject": {"person_key": f"hmac-sha256:{person}"} if person else {},
            "record": record,
            "engine": "sanctuary test",
            "regime": output["regime"],
            "law_hash": output["provenance"]["law_hash"],
        }
        return self._append("decision", None, body, case["decision_date"])

    def action(self, decision: str, type: str, day: str, **extra: Any) -> str:
        return self._append("action", decision, {"type": type, "date": day, **extra}, day)


def _minus(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=days)).isoformat()


def violent(day: str, *, tsdb: bool | None = False) -> dict[str, Any]:
    """A person with a robbery-in-the-first-degree felony judgment (PL 160.15(4), listed in (a)(7)(i)) entered
    within five years before the instant arrest: convicted of a violent or serious crime."""
    person: dict[str, Any] = {
        "instant_arrest_date": _minus(day, 20),
        "convictions": [
            {
                "charge": "PL 160.15(4)",
                "level": "felony",
                "judgment_date": _minus(day, 3 * 365),
                "offense_date": _minus(day, 4 * 365),
                "court": "NY",
                "incarceration": [],
            }
        ],
    }
    if tsdb is not None:
        person["tsdb_possible_match"] = tsdb
    return person


def clean(*, tsdb: bool | None = False) -> dict[str, Any]:
    """A person with no judgments at all ([] means none): not convicted of a violent or serious crime."""
    person: dict[str, Any] = {"convictions": []}
    if tsdb is not None:
        person["tsdb_possible_match"] = tsdb
    return person


def unknown_record() -> dict[str, Any]:
    """A person whose judgments are not given (absent means unknown)."""
    return {"tsdb_possible_match": False}


def detainer(agency: str, day: str, person: dict[str, Any]) -> dict[str, Any]:
    """An I-247A with an ICE administrative warrant (no judicial warrant), asking to hold and to be notified."""
    return {
        "agency": agency,
        "decision_date": day,
        "request": {
            "from": "ICE",
            "documents": [{"type": "I-247A"}, {"type": "I-200", "signer": "immigration_officer"}],
            "actions": ["hold", "notify_release"],
        },
        "person": person,
    }


def inquiry(
    agency: str,
    day: str,
    actions: list[str],
    person: dict[str, Any],
    *,
    requester: str | None = "ICE",
    documents: list[dict[str, Any]] | None = None,
    **request: Any,
) -> dict[str, Any]:
    """An information request (by letter unless documents say otherwise)."""
    body: dict[str, Any] = {"documents": documents or [{"type": "letter"}], "actions": actions, **request}
    if requester is not None:
        body["from"] = requester
    return {"agency": agency, "decision_date": day, "request": body, "person": person}


def values(report: Report) -> dict[str, int | None]:
    return {r.id: r.value for r in report.rows}


def statutory(report: Report) -> dict[str, int | None]:
    return {r.id: r.value for r in report.rows if r.kind == "statutory"}


# --- the DOC scenario, fiscal 2025 (2024-07-01 – 2025-06-30) ---------------------------------------------------


def doc_trail() -> Trail:
    t = Trail()
    # D1: P1 (violent record). Two recorded copies of one detainer (same reference): one detainer.
    d1 = t.decision(detainer("DOC", "2024-08-01", violent("2024-08-01")), person="P1", ref="D-1", reasons=["i", "ii"])
    t.decision(detainer("DOC", "2024-08-02", violent("2024-08-02")), person="P1", ref="D-1", reasons=["i"])
    t.action(d1, "held_beyond_release", "2024-08-05")
    t.action(d1, "transferred_to_federal_custody", "2024-08-06")
    # D2: P1 again, a new detainer (reason iv); held, then the 48-hour hold period expired.
    d2 = t.decision(detainer("DOC", "2025-01-10", violent("2025-01-10")), person="P1", ref="D-2", reasons=["iv"])
    t.action(d2, "held_beyond_release", "2025-01-11")
    t.action(d2, "hold_ended", "2025-01-13", reason="hold_period_expired")
    # D3: P2, lodged on the last day of the period, no reason recorded; released on the first day of the next.
    d3 = t.decision(detainer("DOC", "2025-06-30", clean()), person="P2", ref="D-3")
    t.action(d3, "released_without_honoring", "2025-07-01")
    # D4: P3 (no conviction, TSDB match), lodged the day before the period; held and transferred inside it.
    d4 = t.decision(detainer("DOC", "2024-06-30", clean(tsdb=True)), person="P3", ref="D-4", reasons=["iii"])
    t.action(d4, "held_beyond_release", "2024-07-01")
    t.action(d4, "transferred_to_federal_custody", "2024-07-02")
    # D5: no person key; reason "other"; released without honoring.
    d5 = t.decision(detainer("DOC", "2024-09-01", clean()), ref="D-5", reasons=["other"])
    t.action(d5, "released_without_honoring", "2024-09-02")
    # D6: P4 (record unknown), reason recorded as unknown; held; hold ended for another reason.
    d6 = t.decision(detainer("DOC", "2024-10-01", unknown_record()), person="P4", ref="D-6", reasons=["unknown"])
    t.action(d6, "held_beyond_release", "2024-10-02")
    t.action(d6, "hold_ended", "2024-10-04", reason="other")
    # D7: P5, reason ii, withdrawn by ICE.
    d7 = t.decision(detainer("DOC", "2024-11-01", clean()), person="P5", ref="D-7", reasons=["ii"])
    t.action(d7, "detainer_withdrawn", "2024-11-05")
    # D8: P6, honored by notification of release only.
    d8 = t.decision(detainer("DOC", "2024-12-01", clean()), person="P6", ref="D-8")
    t.action(d8, "notified_of_release", "2024-12-10")
    # D9: P2 again, earlier in the period; released without honoring.
    d9 = t.decision(detainer("DOC", "2024-07-15", clean()), person="P2", ref="D-9")
    t.action(d9, "released_without_honoring", "2024-07-20")
    # D10: P8 (violent), reason i; transferred without a hold (follows information request I2 below).
    d10 = t.decision(detainer("DOC", "2025-02-03", violent("2025-02-03")), person="P8", ref="D-10", reasons=["i"])
    t.action(d10, "transferred_to_federal_custody", "2025-02-10")
    # D11: P9 (no conviction, TSDB match), no reason; released without honoring (follows I3).
    d11 = t.decision(detainer("DOC", "2025-03-05", clean(tsdb=True)), person="P9", ref="D-11")
    t.action(d11, "released_without_honoring", "2025-03-20")

    # Information requests.
    i1 = t.decision(inquiry("DOC", "2024-09-10", ["info:release_date", "info:court_date"], clean()), person="P7")
    t.action(i1, "information_answered", "2024-09-11", information_given=["release_date", "court_appearance_date"])
    i2 = t.decision(inquiry("DOC", "2025-02-01", ["info:custody_status"], violent("2025-02-01")), person="P8")
    t.action(i2, "information_answered", "2025-02-01", information_given=["incarceration_status"])
    i3 = t.decision(inquiry("DOC", "2025-03-01", ["info:other"], clean(tsdb=True), requester="CBP"), person="P9")
    t.action(i3, "information_answered", "2025-03-01", information_given=["other"])
    # I4: OTHER_DHS with duties not stated: whether it is a federal immigration authority is unknown.
    i4 = t.decision(inquiry("DOC", "2025-01-05", ["info:release_date"], clean(), requester="OTHER_DHS"), person="P10")
    t.action(i4, "information_answered", "2025-01-06", information_given=["release_date"])
    # I5: record unknown.
    i5 = t.decision(inquiry("DOC", "2025-05-01", ["info:court_date"], unknown_record()), person="P11")
    t.action(i5, "information_answered", "2025-05-02", information_given=["court_appearance_date"])
    # I6: no action recorded.
    t.decision(inquiry("DOC", "2025-06-20", ["info:custody_status"], clean()), person="P12")
    # I7: the FBI, before 2026: not a federal immigration authority.
    t.decision(inquiry("DOC", "2025-02-15", ["info:release_date"], clean(), requester="FBI"), person="P13")
    # I8: an I-247N (notification only) is an information request about the release date (I-1); refused.
    i8 = t.decision(
        inquiry("DOC", "2025-04-01", ["notify_release"], clean(), documents=[{"type": "I-247N"}]), person="P7"
    )
    t.action(i8, "information_refused", "2025-04-02")
    # I9: citizenship status, on the first day of the period; TSDB status not recorded.
    i9 = t.decision(inquiry("DOC", "2024-07-01", ["info:citizenship_status"], clean(tsdb=None)), person="P14")
    t.action(i9, "information_answered", "2024-07-01", information_given=["other"])
    # An NYPD detainer, which the DOC report never counts.
    t.decision(detainer("NYPD", "2024-08-01", clean()), person="P1", ref="N-1")
    return t


FY2025 = period_for("9-131", year=2025)


@pytest.fixture(scope="module")
def doc_report() -> Report:
    return compute_report(doc_trail().records, "9-131", FY2025)


def test_doc_detainers_lodged_and_their_reasons(doc_report: Report) -> None:
    v = values(doc_report)
    # D1 (two copies: one detainer), D2, D3 (June 30), D5, D6, D7, D8, D9, D10, D11; not D4 (June 30 before).
    assert v["9-131(f)(1)"] == 10
    assert v["9-131(f)(1)(i)"] == 2  # D1, D10
    assert v["9-131(f)(1)(ii)"] == 2  # D1, D7
    assert v["9-131(f)(1)(iii)"] == 0  # D4 is outside the period
    assert v["9-131(f)(1)(iv)"] == 1  # D2
    assert v["9-131(f)(1).other_reason"] == 1  # D5
    assert v["9-131(f)(1).reason_unknown"] == 5  # D3, D6 ("unknown"), D8, D9, D11
    assert v["detail:9-131(f)(1).disposition.honored_by_transfer"] == 2  # D1, D10
    assert v["detail:9-131(f)(1).disposition.honored_by_hold"] == 2  # D2, D6
    assert v["detail:9-131(f)(1).disposition.honored_by_notification"] == 1  # D8
    assert v["detail:9-131(f)(1).disposition.not_honored"] == 4  # D3, D5, D9, D11 (as of the cut-off)
    assert v["detail:9-131(f)(1).disposition.withdrawn"] == 1  # D7
    assert v["detail:9-131(f)(1).disposition.pending"] == 0


def test_doc_persons_are_counted_once(doc_report: Report) -> None:
    v = values(doc_report)
    # Holds in the period: P1 twice (D1, D2), P3 (D4, held on July 1), P4 (D6).
    assert v["9-131(f)(2)"] == 3
    assert v["9-131(f)(2)(i)"] == 1  # P1 via D1
    assert v["9-131(f)(2)(ii)"] == 1  # P1 via D1, once although D1 and D2 both held them
    assert v["9-131(f)(2)(iii)"] == 1  # P3
    assert v["9-131(f)(2)(iv)"] == 1  # P1 via D2
    assert v["9-131(f)(2).other_reason"] == 0
    assert v["9-131(f)(2).reason_unknown"] == 1  # P4
    assert v["9-131(f)(2).persons_without_key"] == 0
    # Transfers: P1 (D1), P3 (D4), P8 (D10).
    assert v["9-131(f)(3)"] == 3
    assert v["9-131(f)(4)"] == 2  # P1, P8
    assert v["9-131(f)(5)"] == 1  # P3: no conviction, TSDB match
    assert v["9-131(f)(3).vsc_undetermined"] == 0
    assert v["9-131(f)(5).tsdb_unknown"] == 0
    assert v["detail:9-131(f)(5).neither"] == 0
    # (8): P1's hold expired (D2); P4's ended for another reason (gap).
    assert v["9-131(f)(8)"] == 1
    assert v["9-131(f)(8).reason_other_or_unknown"] == 1
    assert v["detail:9-131(f)(8).hold_period_expired"] == 1
    assert v["detail:9-131(f)(8).federal_disavowed_custody"] == 0
    # Decision split: every DOC hold here was prohibited (no judicial warrant), yet counted.
    assert v["detail:9-131(f)(2).decision_prohibited"] == 4
    assert v["detail:9-131(f)(2).decision_permitted"] == 0


def test_doc_persons_without_key_give_a_range(doc_report: Report) -> None:
    # (7): D9 (P2, July 20), D5 (no key), D11 (P9). D3's release on July 1, 2025 is in the next period.
    row = doc_report.row("9-131(f)(7)")
    assert row.value is None
    assert (row.low, row.high) == (2, 3)
    assert row.note is not None and "range [2, 3]" in row.note
    assert doc_report.row("9-131(f)(7).persons_without_key").value == 1


def test_doc_information_requests_and_responses(doc_report: Report) -> None:
    v = values(doc_report)
    # I1, I2, I3, I5, I6, I8, I9 (I4: requester status unknown; I7: FBI, not an authority before 2026).
    assert v["9-131(f)(9).requests"] == 7
    assert v["9-131(f)(9).requests.fia_unknown"] == 1  # I4
    assert v["9-131(f)(9).requests.no_action_recorded"] == 1  # I6
    # Answers: I1, I2, I3, I5, I9 (I8 was refused; I4's requester is not known to be an authority).
    assert v["9-131(f)(9).responses"] == 5
    assert v["9-131(f)(9).responses.vsc_undetermined"] == 1  # I5
    # (i) no conviction: I1, I3, I9.
    assert v["9-131(f)(9)(i)"] == 3
    assert v["9-131(f)(9)(i).incarceration_status"] == 0
    assert v["9-131(f)(9)(i).release_dates"] == 1  # I1
    assert v["9-131(f)(9)(i).court_appearance_dates"] == 1  # I1
    assert v["9-131(f)(9)(i).other"] == 2  # I3, I9 (citizenship is "other", R-12)
    assert v["9-131(f)(9)(i).transfer_facilitated"] == 0
    assert v["9-131(f)(9)(i).transfer_not_facilitated"] == 1  # I3: P9 released (D11)
    assert v["9-131(f)(9)(i).transfer_pending"] == 2  # I1, I9: no custody end recorded
    assert v["detail:9-131(f)(9)(i).neither"] == 1  # I1
    # (ii) convicted: I2, after which P8 was transferred (D10).
    assert v["9-131(f)(9)(ii)"] == 1
    assert v["9-131(f)(9)(ii).incarceration_status"] == 1
    assert v["9-131(f)(9)(ii).transfer_facilitated"] == 1
    assert v["9-131(f)(9)(ii).transfer_not_facilitated"] == 0
    # (iii) no conviction and a TSDB match: I3; (a subset of (i)).
    assert v["9-131(f)(9)(iii)"] == 1
    assert v["9-131(f)(9)(iii).other"] == 1
    assert v["9-131(f)(9)(iii).transfer_not_facilitated"] == 1
    assert v["9-131(f)(9)(iii).tsdb_unknown"] == 1  # I9


def test_doc_report_has_every_statutory_row_and_scaap_is_not_supplied(doc_report: Report) -> None:
    rows = [r for r in doc_report.rows if r.kind == "statutory"]
    assert len(rows) == 42  # docs/law/nyc/reports.md § 3.2
    assert len({r.id for r in doc_report.rows}) == len(doc_report.rows)
    for part in ("requested", "received"):
        scaap = doc_report.row(f"9-131(f)(6).{part}")
        assert scaap.value is None and scaap.unit == "dollars"
        assert scaap.note is not None and scaap.note.startswith("not supplied:")  # never 0: nobody recorded one
    units = {r.id: r.unit for r in rows}
    assert units["9-131(f)(1)"] == "detainers"
    assert units["9-131(f)(2)"] == "persons"
    assert units["9-131(f)(9).requests"] == "requests"
    assert units["9-131(f)(9)(ii)"] == "responses"
    assert doc_report.records_read == len(doc_trail().records)


def test_period_boundaries_june_30_and_july_1() -> None:
    trail = doc_trail().records
    fy2024 = values(compute_report(trail, "9-131", period_for("9-131", year=2024)))
    fy2026 = values(compute_report(trail, "9-131", period_for("9-131", year=2026)))
    assert fy2024["9-131(f)(1)"] == 1  # D4, lodged on June 30, 2024
    assert fy2024["9-131(f)(1)(iii)"] == 1
    assert fy2024["9-131(f)(2)"] == 0  # its hold began on July 1, 2024: fiscal 2025
    assert fy2026["9-131(f)(1)"] == 0
    assert fy2026["9-131(f)(7)"] == 1  # D3's release on July 1, 2025: P2, with a key, so exact


# --- NYPD ---------------------------------------------------------------------------------------------------


def test_nypd_published_fiscal_2019_figures() -> None:
    """§ 9 of the specification: 2,916 detainers received, none honored, 7 information requests answered, each
    about a person with a violent or serious conviction. Fixture assumption: every detainer is a distinct form
    and nothing was done on it in the period (no holds, transfers or releases recorded)."""
    t = Trail()
    for n in range(2916):
        day = (dt.date(2018, 7, 1) + dt.timedelta(days=n % 365)).isoformat()
        t.decision(detainer("NYPD", "2018-12-01", clean()), person=f"N{n}", received=day, ref=f"NYPD-{n}")
    for n in range(7):
        q = t.decision(inquiry("NYPD", "2019-03-01", ["info:custody_status"], violent("2019-03-01")), person=f"V{n}")
        t.action(q, "information_answered", "2019-03-02", information_given=["incarceration_status"])
    report = compute_report(t.records, "14-154", period_for("14-154", year=2019))
    v = values(report)
    assert v["14-154(f)(1)"] == 2916
    assert v["14-154(f)(2)"] == 0
    assert v["14-154(f)(3)"] == 0
    assert v["14-154(f)(4)"] == 0
    assert v["14-154(f)(5).requests"] == 7
    assert v["14-154(f)(5).responses"] == 7
    assert v["14-154(f)(5)(ii)"] == 7
    assert v["14-154(f)(5)(ii).incarceration_status"] == 7
    assert v["14-154(f)(5)(i)"] == 0
    assert len(statutory(report)) == 27  # § 4.2


def test_nypd_person_with_several_detainers() -> None:
    t = Trail()
    # One person arrested twice, a detainer each time, neither honored: twice in (1), once in (4) (§ 4.4).
    for day in ("2024-09-01", "2025-02-01"):
        q = t.decision(detainer("NYPD", day, clean()), person="A")
        t.action(q, "released_without_honoring", day)
    # Another person held under the 48-hour rule, then released for want of a judicial warrant.
    q = t.decision(detainer("NYPD", "2025-03-01", violent("2025-03-01")), person="B")
    t.action(q, "held_beyond_release", "2025-03-01")
    t.action(q, "hold_ended", "2025-03-03", reason="no_judicial_warrant_within_48_hours")
    v = values(compute_report(t.records, "14-154", period_for("14-154", year=2025)))
    assert v["14-154(f)(1)"] == 3
    assert v["14-154(f)(2)"] == 1
    assert v["14-154(f)(3)"] == 0
    assert v["14-154(f)(4)"] == 1


# --- Probation ------------------------------------------------------------------------------------------------


def test_probation_report_from_2018_01_30_and_appointment_dates() -> None:
    t = Trail()
    # A detainer the day before § 9-205(f) applies, and one on the first day.
    t.decision(detainer("DOP", "2018-01-29", clean()), person="A")
    q = t.decision(detainer("DOP", "2018-01-30", clean()), person="B")
    t.action(q, "held_beyond_release", "2018-02-01")
    t.action(q, "transferred_to_federal_custody", "2018-02-01")
    # An information request about a probationer's appointment (the contract's info:other), answered.
    i = t.decision(inquiry("DOP", "2018-03-01", ["info:other"], clean()), person="C")
    t.action(i, "information_answered", "2018-03-02", information_given=["appointment_date_or_time"])
    j = t.decision(inquiry("DOP", "2018-03-05", ["info:court_date"], violent("2018-03-05")), person="D")
    t.action(j, "information_answered", "2018-03-06", information_given=["court_appearance_date", "other"])
    report = compute_report(t.records, "9-205", period_for("9-205", year=2018))
    v = values(report)
    assert len(statutory(report)) == 30  # § 5.2
    assert v["9-205(f)(1)"] == 1
    assert v["9-205(f)(2)"] == 1
    assert v["9-205(f)(3)"] == 1
    assert v["9-205(f)(4)"] == 0
    assert v["9-205(f)(5).requests"] == 2
    assert v["9-205(f)(5).responses"] == 2
    assert v["9-205(f)(5)(i)"] == 1
    assert v["9-205(f)(5)(i).scheduled_appointment_dates_or_times"] == 1
    assert v["9-205(f)(5)(i).other"] == 0
    assert v["9-205(f)(5)(ii).court_appearance_dates"] == 1
    assert v["9-205(f)(5)(ii).other"] == 1
    assert v["detail:9-205(f)(5).responses.appointment_included"] == 1
    assert report.row("9-205(f)(1)").note is not None and "2018-01-30" in (report.row("9-205(f)(1)").note or "")


def test_doc_information_items_begin_2018_01_30_and_are_not_required_before() -> None:
    t = Trail()
    for day in ("2018-01-29", "2018-01-30"):
        q = t.decision(inquiry("DOC", day, ["info:release_date"], clean()), person=day)
        t.action(q, "information_answered", day, information_given=["release_date"])
        t.decision(detainer("DOC", day, clean()), person=day)
    v = values(compute_report(t.records, "9-131", period_for("9-131", year=2018)))
    assert v["9-131(f)(1)"] == 2  # (1) is not newly required: the whole period
    assert v["9-131(f)(9).requests"] == 1
    assert v["9-131(f)(9).responses"] == 1
    old = compute_report(t.records, "9-131", period_for("9-131", year=2017))
    row = old.row("9-131(f)(9).requests")
    assert row.value is None and row.note is not None and row.note.startswith("not required")


def test_federal_immigration_authority_as_defined_on_the_day() -> None:
    """A request from FBI staff with immigration enforcement duties is from a federal immigration authority only
    under L.L. 2026/63 (from 2026-01-29): counted in (9) on that day, not the day before (R-19)."""
    t = Trail()
    for day in ("2026-01-28", "2026-01-29"):
        t.decision(
            inquiry("DOC", day, ["info:release_date"], clean(), requester="FBI", immigration_enforcement_duties=True),
            person=day,
        )
    report = compute_report(t.records, "9-131", period_for("9-131", year=2026))
    assert report.row("9-131(f)(9).requests").value == 1
    assert len(report.law_hashes) == 2  # the period straddles 2026-01-29


# --- § 10-178(d) ----------------------------------------------------------------------------------------------


def citywide_trail() -> Trail:
    t = Trail()
    q1 = t.decision(inquiry("HRA", "2025-07-15", ["info:other"], clean()), requester="ICE ERO New York")
    t.action(q1, "information_refused", "2025-07-16")
    # FBI to DOC before 2026: not a federal immigration authority, so in no annual row; no name recorded.
    q2 = t.decision(inquiry("DOC", "2025-07-20", ["info:release_date"], clean(), requester="FBI"))
    t.action(q2, "information_answered", "2025-08-01", information_given=["release_date"])
    # A DOC detainer: counted in § 9-131(f)(1), so left out here.
    t.decision(detainer("DOC", "2025-08-01", clean()), person="X")
    # A state police request to NYPD (the contract has no state requester: from is absent); no action.
    t.decision(
        inquiry("NYPD", "2025-08-15", ["info:custody_status"], clean(), requester=None),
        requester="New York State Police",
    )
    # ICE asks Probation for an office on its premises (last day of the quarter); access granted next quarter.
    q5 = t.decision(inquiry("DOP", "2025-09-30", ["office_on_premises"], clean()))
    t.action(q5, "access_granted", "2025-10-01")
    # Unrelated to immigration enforcement: out of scope.
    t.decision(inquiry("HRA", "2025-08-20", ["info:other"], clean(), purpose="unrelated_to_immigration_enforcement"))
    # Received last quarter, answered in this one: the action counts, the request does not.
    q7 = t.decision(inquiry("HRA", "2025-06-30", ["info:other"], clean()))
    t.action(q7, "information_answered", "2025-07-02", information_given=["other"])
    # Received next quarter.
    t.decision(inquiry("HRA", "2025-10-01", ["info:other"], clean()))
    # No requester recorded at all: whether it is in scope is unknown.
    t.decision(inquiry("HRA", "2025-09-01", ["info:other"], clean(), requester=None))
    return t


def test_citywide_quarterly_by_requesting_and_receiving_agency() -> None:
    report = compute_report(citywide_trail().records, "10-178", period_for("10-178", quarter="2025Q3"))
    v = values(report)
    assert v["10-178(d).requests"] == 4
    assert v["10-178(d).requests[ICE ERO New York,HRA]"] == 1
    assert v["10-178(d).requests[ICE ERO New York,HRA].information"] == 1
    assert v["10-178(d).requests[FBI,DOC]"] == 1
    assert v["10-178(d).requests[New York State Police,NYPD]"] == 1
    assert v["10-178(d).requests[ICE,DOP]"] == 1
    assert v["10-178(d).requests[ICE,DOP].other_assistance"] == 1
    assert v["10-178(d).requests[ICE,DOP].access"] == 1
    assert "10-178(d).requests[ICE,HRA]" not in v  # q7 was received last quarter
    assert v["10-178(d).actions"] == 3
    assert v["10-178(d).actions[ICE ERO New York,HRA,information_refused]"] == 1
    assert v["10-178(d).actions[FBI,DOC,information_answered]"] == 1
    assert v["10-178(d).actions[ICE,HRA,information_answered]"] == 1
    assert v["10-178(d).requests.no_action_recorded"] == 1  # the state police request
    # FBI to DOC and ICE to Probation name their agencies by the contract's group, which is one agency each.
    assert v["10-178(d).requests.requester_unnamed"] == 0
    # "ICE ERO New York" and "New York State Police" were recorded in free words (before the list; I-66).
    assert v["10-178(d).requests.requester_unlisted"] == 2
    assert v["detail:10-178(d).in_annual_reports"] == 1
    assert v["detail:10-178(d).purpose_defaulted"] == 4
    assert v["detail:10-178(d).requests.immigration_enforcement_unknown"] == 1
    assert v["10-178(d).withheld.interference"] == 0
    assert v["detail:10-178(d).requests.other_reading"] == 5  # the four of the table and the DOC detainer
    every = compute_report(
        citywide_trail().records, "10-178", period_for("10-178", quarter="2025Q3"), include_annual_reports=True
    )
    assert every.row("10-178(d).requests").value == 5
    assert every.row("10-178(d).requests[ICE,DOC].detainer").value == 1


# --- rendering ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("law", LAWS)
def test_renderings_carry_every_row(law: str) -> None:
    if law == "10-178":
        period, trail = period_for(law, quarter="2025Q3"), citywide_trail()
    else:
        period, trail = period_for(law, year=2025), doc_trail()
    report = compute_report(trail.records, law, period)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["law"] == law and data["section"] and data["generated_at"]
    assert data["period"] == {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}
    assert [r["id"] for r in data["rows"]] == [r.id for r in report.rows]
    parsed = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert list(parsed[0]) == ["id", "label", "unit", "kind", "value", "note"]
    assert [p["id"] for p in parsed] == [r.id for r in report.rows]
    assert all(
        p["value"] == ("" if r.value is None else str(r.value)) for p, r in zip(parsed, report.rows, strict=True)
    )
    page = report.to_html()
    for r in report.rows:
        assert html.escape(r.id) in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_html_marks_not_computable_rows(doc_report: Report) -> None:
    page = doc_report.to_html()
    assert 'class="statutory nc" id="9-131(f)(6).requested"' in page
    assert "not computable" in page
    assert "audit trail" in page  # the statement of what the counts are computed from


# --- periods --------------------------------------------------------------------------------------------------


def test_period_for() -> None:
    fy = period_for("14-154", year=2025)
    assert (fy.start, fy.end) == (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    october = period_for("9-131", year=2017)  # before L.L. 2017/228: 1 October – 30 September
    assert (october.start, october.end) == (dt.date(2016, 10, 1), dt.date(2017, 9, 30))
    q = period_for("10-178", quarter="2025Q3")
    assert (q.start, q.end) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    q4 = period_for("10-178", quarter="2024Q4")
    assert (q4.start, q4.end) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    first = period_for("10-178", quarter="2018Q1")
    assert (first.start, first.end) == (dt.date(2018, 1, 30), dt.date(2018, 3, 31))
    assert isinstance(fy, Period)


@pytest.mark.parametrize(
    ("law", "kwargs", "argument"),
    [
        ("9-999", {"year": 2025}, "law"),
        ("9-131", {}, "year"),
        ("9-131", {"year": 2025, "quarter": "2025Q1"}, "quarter"),
        ("9-131", {"year": 2014}, "year"),
        ("9-205", {"year": 2017}, "year"),
        ("14-154", {"year": "2025"}, "year"),
        ("9-131", {"year": 10**20}, "year"),  # a year no calendar date has (schemathesis found it: a 500)
        ("9-131", {"year": 10_000}, "year"),
        ("10-178", {}, "quarter"),
        ("10-178", {"year": 2025}, "year"),
        ("10-178", {"quarter": "2025-Q3"}, "quarter"),
        ("10-178", {"quarter": "2025Q5"}, "quarter"),
        ("10-178", {"quarter": "2017Q4"}, "quarter"),
    ],
)
def test_bad_period_arguments_name_the_argument(law: str, kwargs: dict[str, Any], argument: str) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        period_for(law, **kwargs)


def test_unknown_law_in_compute_report() -> None:
    with pytest.raises(ValueError, match=r"^law:"):
        compute_report([], "9-999", FY2025)


def test_empty_trail_gives_zeros_and_not_computable_rows() -> None:
    report = compute_report([], "9-131", FY2025)
    assert report.records_read == 0 and report.cutoff is None
    for row in report.rows:
        if row.id.startswith("9-131(f)(6)"):
            assert row.value is None
        else:
            assert row.value == 0, row.id
    assert isinstance(report.rows[0], Row)


def test_unreadable_records_are_shown_not_dropped() -> None:
    t = doc_trail()
    t.action("no-such-decision", "held_beyond_release", "2024-08-01")
    assert compute_report(t.records, "9-131", FY2025).row("9-131(f).records_unreadable").value == 1


# --- a property ------------------------------------------------------------------------------------------------

# Action types that end no custody episode: adding one can change no facilitation and no disposition
# that a statutory row reads, so dated outside the period it must change no statutory count.
NEUTRAL = ["held_beyond_release", "notified_of_release", "information_answered", "information_refused",
           "access_granted", "access_refused"]  # fmt: skip
_BASE = doc_trail()
_BASE_COUNTS = statutory(compute_report(_BASE.records, "9-131", FY2025))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.integers(min_value=0, max_value=len(_BASE.records) - 1),
    kind=st.sampled_from(NEUTRAL),
    day=st.one_of(
        st.dates(dt.date(2015, 1, 1), dt.date(2024, 6, 30)),
        st.dates(dt.date(2025, 7, 1), dt.date(2030, 12, 31)),
    ),
)
def test_an_action_outside_the_period_changes_no_statutory_count(target: int, kind: str, day: dt.date) -> None:
    t = Trail()
    t.records = list(_BASE.records)
    decision = next(r.id for r in reversed(_BASE.records[: target + 1]) if r.kind == "decision")
    extra: dict[str, Any] = {"information_given": ["other"]} if kind == "information_answered" else {}
    t.action(decision, kind, day.isoformat(), **extra)
    assert statutory(compute_report(t.records, "9-131", FY2025)) == _BASE_COUNTS


# --- random trails: the totals reconcile (§ 9 of the specification) ----------------------------------------------

_DOCUMENTS = ([{"type": "I-247A"}, {"type": "I-200", "signer": "immigration_officer"}], [{"type": "I-247N"}],
              [{"type": "letter"}], None)  # fmt: skip
_ACTIONS = ["held_beyond_release", "hold_ended", "transferred_to_federal_custody", "released_without_honoring",
            "notified_of_release", "information_answered", "information_refused", "detainer_withdrawn",
            "access_granted"]  # fmt: skip


def random_trail(seed: int, n: int) -> Trail:
    """``n`` requests to DOC, NYPD, Probation and HRA around the dates the reports turn on, with random persons,
    detainer references, reasons, requesters and actions: a trail no scenario above was written for."""
    r = random.Random(seed)
    t = Trail()
    anchors = (dt.date(2018, 1, 30), dt.date(2019, 6, 30), dt.date(2025, 6, 30), dt.date(2026, 1, 29))
    for _ in range(n):
        day = (r.choice(anchors) + dt.timedelta(days=r.randint(-60, 60))).isoformat()
        person = r.choice(
            [violent(day, tsdb=r.choice([True, False, None])), clean(tsdb=r.choice([True, False])), unknown_record()]
        )
        actions = r.choice([["hold", "notify_release"], ["info:release_date"], ["info:other", "info:court_date"]])
        documents = r.choice(_DOCUMENTS)
        case = inquiry(
            r.choice(["DOC", "NYPD", "DOP", "HRA"]),
            day,
            actions,
            person,
            requester=r.choice(["ICE", "ICE", "FBI", None]),
        )
        if documents is None:
            del case["request"]["documents"]
        else:
            case["request"]["documents"] = documents
        q = t.decision(
            case,
            person=r.choice(["A", "B", "C", "D", "E", None]),
            ref=r.choice(["R1", "R2", "R3", None, None]),
            reasons=r.choice([None, ["i"], ["ii", "iv"], ["other"], ["unknown"]]),
            requester=r.choice([None, "ICE ERO New York"]),
        )
        for _ in range(r.randint(0, 3)):
            asks = actions[0].startswith("info:") and r.random() < 0.7
            kind = "information_answered" if asks else r.choice(_ACTIONS)
            extra: dict[str, Any] = {}
            if kind == "hold_ended":
                extra["reason"] = r.choice(["transferred", "hold_period_expired", "federal_disavowed_custody", "other"])
            if kind == "information_answered" and r.random() < 0.9:
                extra["information_given"] = r.sample(
                    ["incarceration_status", "release_date", "other"], r.randint(0, 2)
                )
            later = (dt.date.fromisoformat(day) + dt.timedelta(days=r.randint(0, 30))).isoformat()
            t.action(q, kind, later, **extra)
    return t


def _reconcile_annual(report: Report) -> None:
    v = values(report)

    def n(row_id: str) -> int:
        return v[row_id] or 0

    def total(prefix: str) -> int:
        return sum(value or 0 for row_id, value in v.items() if row_id.startswith(prefix))

    p = f"{report.law}(f)"
    item = f"{p}(9)" if report.law == "9-131" else f"{p}(5)"
    assert total(f"detail:{p}(1).disposition.") == n(f"{p}(1)")
    assert n(f"{item}(i)") + n(f"{item}(ii)") + n(f"{item}.responses.vsc_undetermined") == n(f"{item}.responses")
    assert n(f"{item}(iii)") + n(f"{item}(iii).tsdb_unknown") + n(f"detail:{item}(i).neither") == n(f"{item}(i)")
    assert total(f"detail:{item}.responses.decision_") == n(f"{item}.responses")
    for c in ("i", "ii", "iii"):
        split = ("facilitated", "not_facilitated", "pending")
        assert sum(n(f"{item}({c}).transfer_{x}") for x in split) == n(f"{item}({c})")
    if report.law == "9-131" and v[f"{p}(3)"] is not None:  # persons counted exactly: each in one class
        parts = ("(4)", "(5)", "(3).vsc_undetermined", "(5).tsdb_unknown")
        assert sum(n(f"{p}{k}") for k in parts) + n(f"detail:{p}(5).neither") == n(f"{p}(3)")


@pytest.mark.parametrize("seed", range(4))
def test_totals_reconcile_on_random_trails(seed: int) -> None:
    trail = random_trail(seed, 80).records
    for law in ("9-131", "14-154", "9-205"):
        for year in (2018, 2019, 2025, 2026):
            report = compute_report(trail, law, period_for(law, year=year))
            assert all(r.id.startswith("detail:") == (r.kind == "detail") for r in report.rows)
            _reconcile_annual(report)
    for quarter in ("2018Q1", "2019Q2", "2025Q2", "2026Q1"):
        v = values(compute_report(trail, "10-178", period_for("10-178", quarter=quarter)))
        cells = [n or 0 for k, n in v.items() if k.startswith("10-178(d).requests[") and k.endswith("]")]
        assert sum(cells) == v["10-178(d).requests"]
        assert sum(n or 0 for k, n in v.items() if k.startswith("10-178(d).actions[")) == v["10-178(d).actions"]
