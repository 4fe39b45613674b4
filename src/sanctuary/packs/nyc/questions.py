"""Questions about the facts of a case, by field path: the words to ask them in, and the values an answer
could take (for trying each answer against the law). Knows the case format, not the law."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sanctuary.facts.case import Case

BOOLEAN_FACTS = {
    "tsdb_possible_match",
    "reentered_after_removal",
    "gang_database",
    "immigration_enforcement_duties",
    "mayoral_executive_order",
    "probable_cause",
    "authorizes_immigration_custody",
    "presented_with_detainer",
    "youthful_offender",
    "juvenile_delinquent",
    "hate_crime",
}

_QUESTIONS: list[tuple[str, str]] = [
    (r"request\.documents$", "What did the requester present (detainer form, warrants, subpoenas, letters)?"),
    (
        r"request\.documents\[(\d+)\]\.signer$",
        "Who signed document {n}: an Article III judge, a federal magistrate "
        "judge, an immigration judge, a state judge or an immigration officer?",
    ),
    (r"request\.documents\[(\d+)\]\.probable_cause$", "Is the warrant (document {n}) based on probable cause?"),
    (
        r"request\.documents\[(\d+)\]\.authorizes_immigration_custody$",
        "Does the warrant (document {n}) authorize federal immigration authorities to take the person into custody?",
    ),
    (
        r"request\.documents\[(\d+)\]\.presented_with_detainer$",
        "Was the warrant (document {n}) presented at the same time as the detainer?",
    ),
    (r"request\.from$", "Which federal agency made the request?"),
    (r"request\.immigration_enforcement_duties$", "Do the requester's duties include immigration enforcement?"),
    (r"request\.mayoral_executive_order$", "Does an executive order of the mayor in force authorize the office?"),
    (r"person\.instant_arrest_date$", "On what date was the person arrested on the current (instant) case?"),
    (r"person\.convictions$", "What judgments of conviction (with sentence) does the person have, if any?"),
    (r"person\.pending_charges$", "What charges are pending against the person, if any?"),
    (
        r"person\.tsdb_possible_match$",
        "Is the person identified as a possible match in the terrorist screening database?",
    ),
    (
        r"person\.reentered_after_removal$",
        "Did the person illegally re-enter the country after a previous removal or return?",
    ),
    (r"person\.gang_database$", "Is the person listed in a law-enforcement gang database?"),
    (r"person\.arrest_history$", "What arrests does the person have (date and charges of each), if any?"),
    (r"person\.convictions\[(\d+)\]\.level$", "Was judgment {n} a felony, a misdemeanor or a violation?"),
    (
        r"person\.convictions\[(\d+)\]\.judgment_date$",
        "On what date was judgment {n} entered (conviction and sentence)?",
    ),
    (
        r"person\.convictions\[(\d+)\]\.incarceration$",
        "For what periods, if any, was the person in custody on the case of judgment {n}, before and after judgment?",
    ),
    (
        r"person\.convictions\[(\d+)\]\.charge$",
        "What exactly was judgment {n} for: the section with its "
        "subdivision (and, for an attempt or conspiracy, the crime it was "
        "directed at)?",
    ),
    (r"person\.convictions\[(\d+)\]\.court$", "In which court was judgment {n} entered?"),
    (
        r"person\.convictions\[(\d+)\]\.ny_equivalent$",
        "Has the New York equivalent of judgment {n} (entered outside New York) been determined, and what is it?",
    ),
    (r"person\.convictions\[(\d+)\]\.hate_crime$", "Was judgment {n} for a hate crime (PL § 485.05)?"),
    (r"person\.convictions\[(\d+)\]\.youthful_offender$", "Was judgment {n} a youthful-offender adjudication?"),
    (r"person\.convictions\[(\d+)\]\.juvenile_delinquent$", "Was judgment {n} a juvenile-delinquent adjudication?"),
    (r"person\.pending_charges\[(\d+)\]\.level$", "Is pending charge {n} a felony or a misdemeanor?"),
    (r"person\.pending_charges\[(\d+)\]\.charge$", "What exactly is pending charge {n} (section and subdivision)?"),
]


def wording(path: str) -> str:
    for pattern, text in _QUESTIONS:
        match = re.fullmatch(pattern, path)
        if match:
            return text.format(n=int(match.group(1)) + 1 if match.groups() else "")
    return f"What is {path}?"


def candidates(path: str, case: Case) -> list[Any]:
    """Values a missing fact could take, enough to see which answers settle what."""
    name = path.rsplit(".", 1)[-1]
    if name in BOOLEAN_FACTS:
        return [True, False]
    if name == "signer":
        return ["us_magistrate_judge", "immigration_officer"]
    if name == "level":
        return ["felony", "misdemeanor"]
    if name == "from":
        return ["ICE", "FBI"]
    if name in ("convictions", "pending_charges", "incarceration", "arrest_history"):
        return [[]]
    if name == "documents":
        return [[], [{"type": "I-247A"}]]
    if name in ("judgment_date", "instant_arrest_date"):
        return [case.decision_date.isoformat(), (case.decision_date - dt.timedelta(days=365 * 30)).isoformat()]
    return []
