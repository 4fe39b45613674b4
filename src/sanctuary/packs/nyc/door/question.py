"""A question at the door: where the worker is, what is asked, by whom, and the few facts the exceptions turn on.

This is the door guide's own small input format (``docs/law/nyc/door.md``), not the detainer case contract: a
worker at a shelter's door has no detainer, charges or record to give. Every fact but ``setting`` and ``ask`` is
optional. An absent fact is unknown, except the three the format defaults and says so in every answer that rests
on them (I-80): ``date`` (today), ``arrangement``, ``approval`` and ``routine`` (none known to the worker — a worker
holds the privacy officer's written approval, or has been told of an agreement or a pre-approved routine, or has
not). Parsing checks every field and
names the first one that cannot be used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from sanctuary.errors import InvalidInputError

SETTINGS: dict[str, str] = {
    "shelter": "a city shelter (DHS)",
    "contracted_site": "a human-services site run by a nonprofit under a city contract",
    "school": "a public school (DOE)",
    "hospital": "a public hospital (NYC Health + Hospitals)",
    "city_office": "another city office (a benefits centre, a clinic, an agency office)",
    "city_lot": "a city-owned or leased lot or garage",
    "jail": "land of the Department of Correction (Rikers Island, a borough jail)",
    "state_courthouse": "a New York State courthouse",
    "state_facility": "a New York State office or facility in the city",
}
ASKS: dict[str, str] = {
    "enter": "to go into an area of the building",
    "disclose": "information about a person (an address, an appointment, a court or release date, a status …)",
    "ask_status": "that staff ask a person's immigration status",
    "assist_arrest": "help with a civil arrest (an immigration arrest is civil) of a person attending court",
    "staging": "to park, stage or process people on the lot",
    "office_space": "an office or quarters on the land",
    "report_mistake": "(nothing: information was sent out by mistake) what must be done",
}
REQUESTERS: dict[str, str] = {
    "federal_immigration": "a federal immigration officer (ICE, HSI, CBP)",
    "other_non_local": "other law enforcement from outside the city (FBI, U.S. Marshals, State Police)",
    "nypd": "the New York City Police Department",
}
AREAS: dict[str, str] = {
    "non_public": "a non-public area (a dormitory, a back office, a classroom, a staff-only corridor)",
    "public": "a public area (a lobby, a waiting room open to the public)",
}
DOCUMENTS: dict[str, str] = {
    "none": "nothing",
    "warrant": "a warrant",
    "court_order": "a court order",
    "subpoena": "a subpoena",
    "administrative_warrant": "an immigration form called a warrant (I-200, I-205), signed by an immigration officer",
}
SIGNERS: dict[str, str] = {
    "article_iii_judge": "a federal district or circuit judge (Article III)",
    "us_magistrate_judge": "a U.S. magistrate judge",
    "new_york_court": "a judge of a New York State court",
    "listed_judge": "a federal judge or magistrate judge, or a New York State court",
    "immigration_judge": "an immigration judge",
    "immigration_officer": "an immigration officer",
}
INFORMATION: dict[str, str] = {
    "address": "a home or work address",
    "appointment": "a scheduled appointment",
    "court_date": "a scheduled court appearance",
    "release_date": "a date of release from custody",
    "immigration_status": "citizenship or immigration status",
    "contact": "a phone number or e-mail address",
    "other": "other information that may identify or locate a person",
}
#: What each setting's door guide answers: an ask not listed here is not one the instruments speak to there.
ASKS_AT: dict[str, tuple[str, ...]] = {
    "shelter": ("enter", "disclose", "ask_status", "report_mistake"),
    "contracted_site": ("enter", "disclose", "ask_status", "report_mistake"),
    "school": ("enter", "disclose", "ask_status", "report_mistake"),
    "hospital": ("enter", "disclose", "ask_status", "report_mistake"),
    "city_office": ("enter", "disclose", "ask_status", "report_mistake"),
    "city_lot": ("staging", "enter"),
    "jail": ("office_space", "enter"),
    "state_courthouse": ("assist_arrest",),
    "state_facility": ("enter", "disclose", "ask_status"),
}
_CHOICES: dict[str, Mapping[str, str]] = {
    "setting": SETTINGS,
    "ask": ASKS,
    "requester": REQUESTERS,
    "area": AREAS,
    "document": DOCUMENTS,
    "signer": SIGNERS,
    "information": INFORMATION,
}
_FLAGS = (
    "emergency",
    "arrangement",
    "approval",
    "routine",
    "authorized_by_person",
    "furthers_mission",
    "required_by_law",
    "crime_investigation",
    "needed_for_service",
    "attending_court",
    "executive_order",
    "notice_barred",
    "city_property",
)
_DEFAULT_FALSE = ("arrangement", "approval", "routine")


@dataclass(frozen=True, slots=True)
class DoorQuestion:
    """The facts of one question at the door; ``None`` is unknown. The flags:

    - ``emergency``: exigent circumstances exist (someone is in immediate danger);
    - ``arrangement``: an agreement, contract, cooperative arrangement or agency determination covers the access
      (§ 4-210(b)(1), (4), (5)) — default: none known;
    - ``approval``: the agency privacy officer has approved this disclosure or collection in writing — default: no;
    - ``routine``: it is a routine disclosure or collection the privacy officer approved in advance — default: no;
    - ``authorized_by_person``: the person (or parent, guardian) authorized the disclosure in writing;
    - ``furthers_mission``: the disclosure or collection furthers the purpose or mission of the agency;
    - ``required_by_law``: counsel or the privacy officer has found it required by law (a subpoena or court order
      is not read as such by itself; I-82);
    - ``crime_investigation``: NYPD asks in connection with an investigation of a crime committed, attempted or
      impending;
    - ``needed_for_service``: the status is needed to decide eligibility or give the service, or required by law;
    - ``attending_court``: the person is going to, at or returning from a court proceeding as a party or potential
      witness, or with a family or household member who is;
    - ``executive_order``: a mayoral executive order in force authorizes the office for purposes unrelated to the
      enforcement of civil immigration laws, the only office the order could authorize (§ 9-131(h)(2) before 2026;
      I-88);
    - ``notice_barred``: notice to a parent is prohibited by law, a judicial order or a lawfully issued subpoena;
    - ``city_property``: the place is city property under § 4-210(a) (asked only of a hospital; I-84).
    """

    setting: str
    ask: str
    date: dt.date
    requester: str | None = None
    area: str | None = None
    document: str | None = None
    signer: str | None = None
    information: str | None = None
    emergency: bool | None = None
    arrangement: bool | None = False
    approval: bool | None = False
    routine: bool | None = False
    authorized_by_person: bool | None = None
    furthers_mission: bool | None = None
    required_by_law: bool | None = None
    crime_investigation: bool | None = None
    needed_for_service: bool | None = None
    attending_court: bool | None = None
    executive_order: bool | None = None
    notice_barred: bool | None = None
    city_property: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        """The question as given back with an answer: every fact, ``None`` for unknown."""
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["date"] = self.date.isoformat()
        return out

    def changed(self, **changes: Any) -> DoorQuestion:
        """The same question with some facts changed (for what would change an answer)."""
        data = self.as_dict()
        data.update(changes)
        return parse_question(data, today=self.date)


FIELDS = frozenset({f.name for f in fields(DoorQuestion)})


def _choice(data: Mapping[str, Any], name: str, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise InvalidInputError(f"{name} is required: one of {', '.join(_CHOICES[name])}", name)
        return None
    if not isinstance(value, str) or value not in _CHOICES[name]:
        raise InvalidInputError(f"{name} must be one of {', '.join(_CHOICES[name])} (got {value!r:.60})", name)
    return value


def _flag(data: Mapping[str, Any], name: str) -> bool | None:
    if name not in data:
        return False if name in _DEFAULT_FALSE else None
    value = data[name]
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"{name} must be true, false or null (unknown) (got {value!r:.60})", name)
    return value


def _date(data: Mapping[str, Any], today: dt.date) -> dt.date:
    value = data.get("date")
    if value is None:
        return today
    if isinstance(value, dt.date):
        return value
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not dt.date(1900, 1, 1) <= day <= dt.date(2199, 12, 31):
        raise InvalidInputError(f"date must be a day YYYY-MM-DD between 1900 and 2199 (got {value!r:.60})", "date")
    return day


def parse_question(data: Any, *, today: dt.date) -> DoorQuestion:
    """Read a question from plain data (a JSON object, the page's form, the command's options); raises
    :class:`InvalidInputError` naming the first field that cannot be used."""
    if not isinstance(data, Mapping):
        raise InvalidInputError("a door question is a JSON object", "(body)")
    unknown = sorted(str(k) for k in data if k not in FIELDS)
    if unknown:
        raise InvalidInputError(f"unknown field {unknown[0]!r:.60} (known: {', '.join(sorted(FIELDS))})", unknown[0])
    setting = _choice(data, "setting", required=True)
    ask = _choice(data, "ask", required=True)
    assert setting is not None and ask is not None  # required above
    if ask not in ASKS_AT[setting]:
        raise InvalidInputError(
            f"ask {ask!r} is not one the door guide answers at {SETTINGS[setting]}: {', '.join(ASKS_AT[setting])}",
            "ask",
        )
    flags: dict[str, Any] = {name: _flag(data, name) for name in _FLAGS}
    return DoorQuestion(
        setting=setting,
        ask=ask,
        date=_date(data, today),
        requester=_choice(data, "requester"),
        area=_choice(data, "area"),
        document=_choice(data, "document"),
        signer=_choice(data, "signer"),
        information=_choice(data, "information"),
        **flags,
    )
