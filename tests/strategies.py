"""Hypothesis strategies: random valid cases, and the same cases with some facts made unknown.

A *full* case gives every fact; a *mask* then removes some of them (absent, or ``null`` where the contract
reads ``null`` as unknown), giving a *partial* case that a later moment could complete into the full one.
That pair is what the law's monotonicity property is stated over.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import strategies as st

from sanctuary.packs.nyc.case import ACTIONS as CASE_ACTIONS
from sanctuary.packs.nyc.case import Conviction, PendingCharge
from sanctuary.packs.nyc.offense_classes import derive

AGENCIES = ["DOC", "NYPD", "DOP", "HRA"]
REGIMES = [None, None, None, "nyc-2014", "nyc-2017", "nyc-2026", "adams-2024", "repeal-2024", "int-185-2022"]
ACTIONS = list(CASE_ACTIONS)
REQUESTERS = ["ICE", "CBP", "USCIS", "OTHER_DHS", "FBI", "OTHER_FEDERAL"]
DOC_TYPES = [
    "I-247",
    "I-247A",
    "I-247D",
    "I-247X",
    "I-247N",
    "I-247G",
    "I-200",
    "I-205",
    "letter",
    "warrant",
    "subpoena",
    "court_order",
]
SIGNERS = ["article_iii_judge", "us_magistrate_judge", "immigration_judge", "state_judge", "immigration_officer"]
NY_CHARGES = [
    "PL 160.15(4)",
    "PL 160.10",
    "160.05",
    "PL 120.05",
    "PL 125.25",
    "PL 130.35",
    "PL 265.02",
    "PL 265.02(1)",
    "PL 265.02(3)",
    "PL 265.03",
    "265.01B",
    "PL 135.65(2)",
    "PL 135.65(2)(b)",
    "PL 120.04-a(4)",
    "PL 155.30",
    "PL 220.39",
    "PL 120.00",
    "120.00H",
    "110-125.25",
    "PL 105.15",
    "PL 135.37",
    "PL 230.34-a",
    "VTL 600(2)",
    "VTL 1192(3)",
    "PL 1601503",
    "PL 140.25",
    "PL 485.05",
]
FOREIGN = [("NJ", "N.J.S.A. 2C:15-1"), ("federal", "18 U.S.C. § 2113(a)"), ("CA", "Cal. Penal Code § 211")]
EQUIVALENTS = ["PL 160.10", "PL 155.30", "PL 120.10", "PL 265.02"]
FIRST_DAY = dt.date(2014, 12, 14)
LAST_DAY = dt.date(2026, 11, 28)
#: With ``early``: decision dates from before the first city law, and the regimes of 2012 and 2013.
EARLY_FIRST_DAY = dt.date(2010, 1, 1)
EARLY_REGIMES = [None, None, None, "nyc-before-2012", "nyc-2012", "nyc-2013", "nyc-2014"]
#: Charges the 2013 definitions turn on (exclusions from "covered crime", the misdemeanors of a covered case).
EARLY_CHARGES = ["PL 230.00", "PL 240.37", "VTL 511(1)", "VTL 511(2)(a)(ii)", "PL 265.01", "PL 215.50", "PL 130.20"]


def _lawful_level(draw: st.DrawFn, item: dict[str, Any], model: type[Conviction | PendingCharge]) -> None:
    """Where the Penal Law fixes the level of the offense as written, a valid case states that level or none
    (a contradicting one is invalid input, I-32): keep the drawn level only where the law leaves it open."""
    derived = derive(model.model_validate_json(json.dumps(item))).level
    if derived is not None:
        item.pop("level", None)
        if draw(st.booleans()):
            item["level"] = derived


def _day_before(draw: st.DrawFn, latest: dt.date, earliest: dt.date = dt.date(1990, 1, 1)) -> dt.date:
    return draw(st.dates(min_value=min(earliest, latest), max_value=latest))


@st.composite
def documents(draw: st.DrawFn) -> list[dict[str, Any]]:
    docs = []
    for kind in draw(st.lists(st.sampled_from(DOC_TYPES), max_size=4)):
        doc: dict[str, Any] = {"type": kind}
        if kind in ("warrant", "subpoena", "court_order", "I-200", "I-205"):
            doc["signer"] = draw(st.sampled_from(SIGNERS))
        if kind in ("warrant", "court_order"):  # either can be a judicial warrant (I-2)
            for field in ("probable_cause", "authorizes_immigration_custody", "presented_with_detainer"):
                doc[field] = draw(st.booleans())
        docs.append(doc)
    return docs


@st.composite
def convictions(draw: st.DrawFn, decision: dt.date) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        judged = _day_before(draw, decision)
        offended = _day_before(draw, judged, judged - dt.timedelta(days=900))
        conviction: dict[str, Any] = {
            "level": draw(st.sampled_from(["felony", "felony", "misdemeanor", "violation"])),
            "judgment_date": judged.isoformat(),
            "offense_date": offended.isoformat(),
            "hate_crime": draw(st.booleans()),
            "youthful_offender": draw(st.booleans()),
            "juvenile_delinquent": False,
        }
        if draw(st.integers(0, 5)) == 0:
            court, charge = draw(st.sampled_from(FOREIGN))
            conviction.update(court=court, charge=charge, ny_equivalent=draw(st.sampled_from(EQUIVALENTS)))
        else:
            conviction.update(court="NY", charge=draw(st.sampled_from(NY_CHARGES)))
            if conviction["charge"] == "120.00H":
                conviction["hate_crime"] = True
        if draw(st.booleans()) and conviction["charge"] != "110-125.25":
            conviction["inchoate"] = draw(st.sampled_from(["attempt", "conspiracy", "solicitation", "facilitation"]))
        periods = []
        for _ in range(draw(st.integers(0, 2))):
            start = _day_before(draw, decision, offended)
            end = _day_before(draw, decision, start)
            periods.append({"from": start.isoformat(), "to": max(start, end).isoformat()})
        conviction["incarceration"] = periods
        _lawful_level(draw, conviction, Conviction)
        out.append(conviction)
    return out


@st.composite
def pending_charge(draw: st.DrawFn, arrest: dt.date) -> dict[str, Any]:
    charge = {
        "charge": draw(st.sampled_from(NY_CHARGES[:12])),
        "level": draw(st.sampled_from(["felony", "misdemeanor"])),
        "arrest_date": arrest.isoformat(),
    }
    _lawful_level(draw, charge, PendingCharge)
    return charge


@st.composite
def full_cases(draw: st.DrawFn, early: bool = False) -> dict[str, Any]:
    """A valid case in which every fact is given; ``early``: dated from 2010, with the facts the laws of 2012
    and 2013 read."""
    decision = draw(st.dates(min_value=EARLY_FIRST_DAY if early else FIRST_DAY, max_value=LAST_DAY))
    arrest = _day_before(draw, decision, decision - dt.timedelta(days=400))
    case: dict[str, Any] = {
        "agency": draw(st.sampled_from(AGENCIES)),
        "decision_date": decision.isoformat(),
        "request": {
            "from": draw(st.sampled_from(REQUESTERS)),
            "immigration_enforcement_duties": draw(st.booleans()),
            "documents": draw(documents()),
            "actions": draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=4, unique=True)),
            "purpose": draw(
                st.sampled_from(
                    [
                        "civil_immigration_enforcement",
                        "civil_immigration_enforcement",
                        "unrelated_to_immigration_enforcement",
                    ]
                )
            ),
            "mayoral_executive_order": draw(st.booleans()),
        },
        "person": {
            "instant_arrest_date": arrest.isoformat(),
            "convictions": draw(convictions(decision)),
            "pending_charges": [draw(pending_charge(arrest)) for _ in range(draw(st.integers(0, 2)))],
            "tsdb_possible_match": draw(st.booleans()),
            "reentered_after_removal": draw(st.booleans()),
            "gang_database": draw(st.booleans()),
        },
    }
    regime = draw(st.sampled_from(EARLY_REGIMES if early else REGIMES))
    if regime:
        case["regime"] = regime
    if early:
        _add_early_facts(draw, case)
    return case


EARLY_PERSON_FACTS = (
    "outstanding_criminal_warrant",
    "ncic_known_gang_member",
    "outstanding_removal_warrant",
    "final_order_of_removal",
)
EARLY_PENDING_FACTS = (
    "adjournment_in_contemplation_of_dismissal",
    "conditional_discharge",
    "must_be_youthful_offender",
    "released_for_failure_to_replace_complaint",
    "firearm_or_ammunition",
    "relates_to_patronizing",
)


def _add_early_facts(draw: st.DrawFn, case: dict[str, Any]) -> None:
    person = case["person"]
    for fact in EARLY_PERSON_FACTS:
        person[fact] = draw(st.integers(0, 3)) == 0
    for conviction in person["convictions"]:
        if conviction["court"] == "NY" and draw(st.integers(0, 3)) == 0:
            conviction.update(charge=draw(st.sampled_from(EARLY_CHARGES)), inchoate=None, hate_crime=False)
            _lawful_level(draw, conviction, Conviction)
        conviction["relates_to_patronizing"] = draw(st.booleans())
    for pending in person["pending_charges"]:
        if draw(st.integers(0, 2)) == 0:
            pending["charge"] = draw(st.sampled_from(EARLY_CHARGES))
            _lawful_level(draw, pending, PendingCharge)
        pending["case_id"] = draw(st.sampled_from(["A", "B", "C"]))
        for fact in EARLY_PENDING_FACTS:
            pending[fact] = draw(st.booleans())


#: Facts a mask may remove: (where, key, how) — "drop" removes the key, "null" sets it to null (unknown).
_REQUEST_FACTS = [
    ("from", "drop"),
    ("immigration_enforcement_duties", "drop"),
    ("documents", "drop"),
    ("mayoral_executive_order", "drop"),
]
_DOCUMENT_FACTS = [
    ("signer", "drop"),
    ("probable_cause", "drop"),
    ("authorizes_immigration_custody", "drop"),
    ("presented_with_detainer", "drop"),
]
_PERSON_FACTS = [
    ("instant_arrest_date", "drop"),
    ("convictions", "drop"),
    ("pending_charges", "drop"),
    ("tsdb_possible_match", "drop"),
    ("reentered_after_removal", "drop"),
    ("gang_database", "drop"),
    ("outstanding_criminal_warrant", "drop"),
    ("ncic_known_gang_member", "drop"),
    ("outstanding_removal_warrant", "drop"),
    ("final_order_of_removal", "drop"),
]
_CONVICTION_FACTS = [
    ("level", "drop"),
    ("judgment_date", "drop"),
    ("offense_date", "drop"),
    ("incarceration", "drop"),
    ("hate_crime", "null"),
    ("youthful_offender", "null"),
    ("ny_equivalent", "drop"),
    ("charge", "drop_if_ny"),
    ("relates_to_patronizing", "drop"),
]
_PENDING_FACTS = [
    ("level", "drop"),
    ("charge", "drop"),
    ("case_id", "drop"),
    ("adjournment_in_contemplation_of_dismissal", "drop"),
    ("conditional_discharge", "drop"),
    ("must_be_youthful_offender", "drop"),
    ("released_for_failure_to_replace_complaint", "drop"),
    ("firearm_or_ammunition", "drop"),
    ("relates_to_patronizing", "drop"),
]


def _apply(target: dict[str, Any], facts: list[tuple[str, str]], draw: st.DrawFn) -> None:
    for key, how in facts:
        if key not in target or not draw(st.booleans()):
            continue
        if how == "null":
            target[key] = None
        elif how == "drop_if_ny":
            if target.get("court") == "NY":
                target.pop(key)
        else:
            target.pop(key)


@st.composite
def partial_of(draw: st.DrawFn, full: dict[str, Any]) -> dict[str, Any]:
    """The same case with a random subset of its facts made unknown."""
    import copy

    case = copy.deepcopy(full)
    request, person = case["request"], case["person"]
    for doc in request.get("documents", []):
        _apply(doc, _DOCUMENT_FACTS, draw)
    for conviction in person.get("convictions", []):
        _apply(conviction, _CONVICTION_FACTS, draw)
    for pending in person.get("pending_charges", []):
        _apply(pending, _PENDING_FACTS, draw)
    _apply(request, _REQUEST_FACTS, draw)
    _apply(person, _PERSON_FACTS, draw)
    return case
