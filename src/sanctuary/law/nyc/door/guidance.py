"""What the worker says and whom they call, by setting and answer; the facts whose change is worth showing; and the
one-page guidance sheet of each setting. Plain words: this is read at a door, on a phone, in seconds.
"""

from __future__ import annotations

from typing import Any

from sanctuary.law.nyc.door.question import ASKS, ASKS_AT, SETTINGS, DoorQuestion

#: Whom to call, by setting: the agency privacy officer (§ 23-1201, "privacy officer") and the individual each agency
#: designates to implement § 4-210 (§ 4-210(d)); in a state courthouse, court officers and the court's counsel.
CALL: dict[str, str] = {
    "shelter": "your shelter director and the Department of Social Services privacy officer (also its designated "
    "§ 4-210 contact)",
    "contracted_site": "your program director, who reaches the contracting agency's privacy officer",
    "school": "your principal and the Department of Education privacy officer; the DOE legal office",
    "hospital": "your supervisor and the NYC Health + Hospitals privacy officer and counsel",
    "city_office": "your supervisor and your agency's privacy officer (also its designated § 4-210 contact)",
    "city_lot": "the agency that runs the lot (its facilities manager) and that agency's counsel",
    "jail": "the Department of Correction's legal division",
    "state_courthouse": "the court officers on duty and the court's counsel (Unified Court System)",
    "state_facility": "your supervisor and your agency's counsel",
}

_SAY: dict[str, dict[str, str]] = {
    "enter": {
        "prohibited": "“This is a non-public area. I can't let you in without a judicial warrant signed by a judge. "
        "Please wait here while I call my supervisor.”",
        "permitted": "“Please wait here; I am calling my supervisor to take you through.” Let your supervisor decide.",
        "undetermined": "“Please wait here while I call my supervisor.” Do not open the non-public area meanwhile.",
    },
    "disclose": {
        "prohibited": "“I can't give out information about anyone. I will pass your request to our privacy officer.”",
        "permitted": "Give only what was approved, and keep a note of what you gave and to whom.",
        "undetermined": "“I will pass your request to our privacy officer.” Give nothing meanwhile.",
    },
    "ask_status": {
        "prohibited": "Do not ask. Serve the person on what the service needs.",
        "permitted": "Ask only what the form or service needs, and record it as your agency directs.",
        "undetermined": "Do not ask until your supervisor or privacy officer confirms it is needed.",
    },
    "assist_arrest": {
        "prohibited": "“I can't help with this arrest.” Do not hold, point out or escort the person; tell the court "
        "officers.",
        "permitted": "Leave it to the court officers.",
        "undetermined": "Do not help; tell the court officers and the court's counsel.",
    },
    "staging": {
        "prohibited": "“This lot is for city purposes only. I can't open it for this.” Call the agency's counsel.",
        "permitted": "Let the agency that runs the lot decide.",
        "undetermined": "Do not open the lot; call the agency's counsel.",
    },
    "office_space": {
        "prohibited": "Refuse: the law forbids it. Refer the request to the legal division.",
        "permitted": "Refer the request to the legal division.",
        "undetermined": "Refer the request to the legal division.",
    },
    "report_mistake": {
        "required": "Tell your privacy officer now what was sent, to whom and when.",
        "not required": "Tell your supervisor what happened.",
        "undetermined": "Tell your privacy officer now what was sent, to whom and when.",
    },
}


def advice(q: DoorQuestion, result: str) -> dict[str, str]:
    """What to say and whom to call for this answer."""
    return {"say": _SAY[q.ask][result], "call": CALL[q.setting]}


def variations(q: DoorQuestion) -> list[tuple[dict[str, Any], str]]:
    """The facts the exceptions turn on, each a change worth showing ("a judicial warrant signed by a federal
    magistrate would change this"); the core keeps those that change the answer."""
    out: list[tuple[dict[str, Any], str]] = [
        ({"document": "warrant", "signer": "us_magistrate_judge"}, "a warrant signed by a U.S. magistrate judge"),
        ({"document": "administrative_warrant", "signer": "immigration_officer"}, "an immigration officer's warrant"),
        ({"emergency": True}, "an emergency (someone in immediate danger)"),
        ({"emergency": False}, "no emergency"),
    ]
    if q.ask == "disclose":
        out += [
            (
                {"authorized_by_person": True, "approval": True},
                "the person's written authorization and the privacy officer's written approval",
            ),
            ({"requester": "nypd", "crime_investigation": True}, "an NYPD request in a crime investigation"),
            ({"routine": True}, "a routine disclosure approved in advance"),
        ]
    if q.ask == "ask_status":
        out += [
            ({"needed_for_service": True, "routine": True}, "a status needed for the service, on a pre-approved form")
        ]
    if q.ask == "assist_arrest":
        out += [({"attending_court": False}, "a person not attending court as a party or witness")]
    if q.ask == "enter":
        out += [({"area": "public"}, "a public area"), ({"requester": "nypd"}, "NYPD officers")]
    return out


def sheet(setting: str) -> dict[str, Any]:
    """The one-page guidance sheet of a setting: what may be asked there and whom to call."""
    return {
        "setting": setting,
        "title": f"At {SETTINGS[setting]}",
        "call": CALL[setting],
        "asks": [{"ask": a, "words": ASKS[a]} for a in ASKS_AT[setting]],
    }


FEDERAL_OVERLAY = (
    "Immigration status: 8 U.S.C. § 1373(a) provides that a local government may not prohibit or restrict its "
    "officials from sending information on a person's citizenship or immigration status to federal immigration "
    "authorities, and City of New York v. United States, 179 F.3d 29 (2d Cir. 1999), upheld it against the city's "
    "Executive Order 124; § 23-1202(i) says the chapter does not stop employees performing duties under federal law. "
    "How § 1373 bears on a disclosure § 23-1202 restricts is not decided here (I-86): ask the privacy officer."
)
