"""What the worker says and whom they call, by setting and answer; the facts whose change is worth showing; and the
one-page guidance sheet of each setting. Plain words: this is read at a door, on a phone, in seconds.
"""

from __future__ import annotations

from typing import Any

from sanctuary.errors import InvalidInputError
from sanctuary.packs.nyc.door.question import ASKS_AT, SETTINGS, DoorQuestion

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


FEDERAL_OVERLAY = (
    "Immigration status: 8 U.S.C. § 1373(a) provides that a local government may not prohibit or restrict its "
    "officials from sending information on a person's citizenship or immigration status to federal immigration "
    "authorities, and City of New York v. United States, 179 F.3d 29 (2d Cir. 1999), upheld it against the city's "
    "Executive Order 124; § 23-1202(i) says the chapter does not stop employees performing duties under federal law. "
    "How § 1373 bears on a disclosure § 23-1202 restricts is not decided here (I-86): ask the privacy officer."
)


def _option(label: str, **facts: Any) -> dict[str, Any]:
    return {"label": label, "facts": facts}


_NON_PUBLIC = {
    "shelter": "Go into a dormitory, back office or other non-public area",
    "contracted_site": "Go into residents' rooms, offices or other non-public areas",
    "school": "Go into classrooms, offices or other non-public areas",
    "hospital": "Go into wards, offices or other non-public areas",
    "city_office": "Go into offices behind the counter or other non-public areas",
    "city_lot": "Go into a fenced or staff-only part of the lot",
    "jail": "Go into a non-public area of the jail",
    "state_facility": "Come in to arrest or detain someone for immigration",
}
_ASK_OPTIONS: dict[str, list[dict[str, Any]]] = {
    "disclose": [
        _option("Information about someone: an address, a phone number", ask="disclose", information="address"),
        _option("Someone's appointment, court date or release date", ask="disclose", information="appointment"),
        _option("Someone's immigration status", ask="disclose", information="immigration_status"),
    ],
    "ask_status": [_option("That staff ask people their immigration status", ask="ask_status")],
    "assist_arrest": [
        _option(
            "Help arrest someone here for court (a party, a witness, or family with them)",
            ask="assist_arrest",
            attending_court=True,
        )
    ],
    "staging": [_option("Park, stage or process people on the lot", ask="staging")],
    "office_space": [_option("An office on the land, even for criminal cases only", ask="office_space")],
    "report_mistake": [_option("Nothing — but information was sent to them by mistake", ask="report_mistake")],
}
_SHOWN = [
    _option("Nothing, and no one is in danger", document="none", emergency=False),
    _option(
        "A warrant signed by a federal judge or magistrate judge, or a New York court",
        document="warrant",
        signer="listed_judge",
        emergency=False,
    ),
    _option(
        "A form or “warrant” signed by an immigration officer (I-200, I-205)",
        document="administrative_warrant",
        signer="immigration_officer",
        emergency=False,
    ),
    _option("A subpoena or another court order", document="subpoena", emergency=False),
    _option("Someone is in immediate danger", emergency=True),
    _option("I am not sure"),
]
_NEED = [
    _option("It is on our approved intake form, needed for eligibility", needed_for_service=True, routine=True),
    _option("It is not needed for the service", needed_for_service=False),
    _option("I am not sure"),
]


def steps() -> dict[str, Any]:
    """The door page's three questions: where you are; what they want (each choice the facts it sets); what they
    showed you (or, for asking a status, whether it is needed). The requester is a federal immigration officer."""
    asks: dict[str, list[dict[str, Any]]] = {}
    for setting, allowed in ASKS_AT.items():
        options = []
        if "enter" in allowed:
            options.append(_option(_NON_PUBLIC[setting], ask="enter", area="non_public"))
            if setting != "state_facility":
                public = "Come onto a part of the lot open to the public" if setting == "city_lot" else None
                label = public or "Come into the lobby or another public area"
                options.append(_option(label, ask="enter", area="public"))
        for ask in allowed:
            options += _ASK_OPTIONS.get(ask, [])
        asks[setting] = options
    return {
        "fixed": {"requester": "federal_immigration"},
        "settings": [{"value": k, "label": v} for k, v in SETTINGS.items()],
        "asks": asks,
        "shown": {"ask_status": _NEED, "report_mistake": [], "*": _SHOWN},
    }


def sheet(setting: str) -> dict[str, Any]:
    """The one-page guidance sheet of a setting: each thing an immigration officer may ask there, as a question
    with nothing shown and no emergency (the core answers each, and says what would change it), and whom to call."""
    if setting not in SETTINGS:
        raise InvalidInputError(f"setting must be one of {', '.join(SETTINGS)} (got {setting!r:.60})", "setting")
    nothing = _SHOWN[0]["facts"]
    questions = []
    for option in steps()["asks"][setting]:
        facts = {"setting": setting, "requester": "federal_immigration", **option["facts"]}
        if option["facts"]["ask"] == "ask_status":
            facts.update(needed_for_service=False)
        elif option["facts"]["ask"] != "report_mistake":
            facts.update(nothing)
        questions.append({"label": option["label"], "question": facts})
    return {"setting": setting, "title": f"At {SETTINGS[setting]}", "call": CALL[setting], "questions": questions}
