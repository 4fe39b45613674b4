"""The door guide: New York City's rules other than the detainer laws — access to city property (§ 4-210),
identifying information (§§ 23-1201 to 23-1205), schools (§ 21-977), DOC land (§ 9-131(h)(2)), city lots
(§ 10-178, EO 13 of 2026), the mayoral orders known by description (EO 41 of 2003, EO 13 of 2026) and the State's
layer inside the city (Civil Rights Law § 28, Judiciary Law § 4-a, EO 170 and 170.1) — for the worker at the door.

``question.py`` reads a question, ``facts.py`` holds the tests, ``rules.py`` the trees, ``instruments.py`` the dates
and confidence, ``guidance.py`` what to say and whom to call. :data:`GUIDE` puts them behind the core's
:class:`~sanctuary.law.jurisdiction.DoorGuide` interface.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sanctuary.law.tree import Rule
from sanctuary.packs.nyc.door.guidance import FEDERAL_OVERLAY, advice, sheet, steps, variations
from sanctuary.packs.nyc.door.instruments import INSTRUMENTS, instrument_of
from sanctuary.packs.nyc.door.question import (
    AREAS,
    ASKS,
    ASKS_AT,
    DOCUMENTS,
    INFORMATION,
    REQUESTERS,
    SETTINGS,
    SIGNERS,
    DoorQuestion,
    parse_question,
)
from sanctuary.packs.nyc.door.rules import DUTY_KINDS, duties_for, rule_for


def _question(question: Any) -> DoorQuestion:
    if not isinstance(question, DoorQuestion):
        raise TypeError("the New York door guide reads its own DoorQuestion")
    return question


class NewYorkDoorGuide:
    """New York City's door guide."""

    def form(self) -> dict[str, Any]:
        """The choices of the question, in words, and which asks each setting answers."""
        return {
            "settings": SETTINGS,
            "asks": ASKS,
            "asks_at": ASKS_AT,
            "requesters": REQUESTERS,
            "areas": AREAS,
            "documents": DOCUMENTS,
            "signers": SIGNERS,
            "information": INFORMATION,
            "steps": steps(),
        }

    def parse(self, data: Any, *, today: dt.date) -> DoorQuestion:
        return parse_question(data, today=today)

    def facts(self, question: Any) -> dict[str, Any]:
        return _question(question).as_dict()

    def rule(self, question: Any) -> Rule:
        return rule_for(_question(question))

    def duties(self, question: Any, result: str) -> Sequence[Rule]:
        return duties_for(_question(question), result)

    def is_duty(self, question: Any) -> bool:
        return _question(question).ask in DUTY_KINDS

    def variations(self, question: Any) -> Sequence[tuple[Any, str]]:
        q = _question(question)
        out = []
        for changes, words in variations(q):
            if all(getattr(q, k) == v for k, v in changes.items()):
                continue
            out.append((q.changed(**changes), words))
        return out

    def advice(self, question: Any, result: str) -> dict[str, str]:
        return advice(_question(question), result)

    def warnings(self, question: Any, citations: Sequence[str]) -> list[str]:
        """For every instrument known only by description among ``citations``, the warning that says so; for
        immigration status, the federal overlay (8 U.S.C. § 1373(a); I-86)."""
        seen: dict[str, str] = {}
        if _question(question).information == "immigration_status":
            seen["1373"] = FEDERAL_OVERLAY
        for cite in citations:
            law = instrument_of(cite)
            if law is not None and law.known_from == "description":
                seen.setdefault(law.key, law.caution)
        return list(seen.values())

    def instruments(self, citations: Sequence[str]) -> list[dict[str, Any]]:
        """The instruments an answer cites, dated, with how their words are known."""
        found = (instrument_of(c) for c in citations)
        laws = [INSTRUMENTS[k] for k in dict.fromkeys(law.key for law in found if law is not None)]
        return [
            {
                "name": law.name,
                "in_force_from": law.start.isoformat() if law.start is not None else None,
                "known_from": law.known_from,
                "source": law.source,
            }
            for law in laws
        ]

    def sheet(self, setting: str) -> dict[str, Any]:
        return sheet(setting)


GUIDE = NewYorkDoorGuide()
