"""The work a case may ask of a service: caps on the lengths of its lists.

The case format itself sets no length on its lists (a file decided on one's own machine may be as long as
its author likes). A service deciding and explaining cases for anyone who can reach it cannot: the
explanation looks for the smallest change of facts that flips each outcome, and tries changes of every
judgment, so its work grows with the lists. The caps below are far above any real record (a person with
more than a hundred judgments, or a request with twenty documents, is not a case an agency meets) and keep
the slowest explanation of a case at the caps to well under a second (``benchmarks/explain_scaling.py``,
``docs/benchmarks.md``). A list over its cap is invalid input naming the list, like any other.
"""

from __future__ import annotations

from sanctuary.engine.decide import validate
from sanctuary.facts.case import Case, Problem
from sanctuary.law.jurisdiction import Jurisdiction

MAX_CONVICTIONS = 100  # person.convictions
MAX_PENDING_CHARGES = 100  # person.pending_charges
MAX_INCARCERATION_PERIODS = 50  # person.convictions[i].incarceration, each
MAX_DOCUMENTS = 20  # request.documents
MAX_ACTIONS = 20  # request.actions (there are fewer kinds; a repeated one is repeated work)

CAPS = {
    "person.convictions": MAX_CONVICTIONS,
    "person.pending_charges": MAX_PENDING_CHARGES,
    "person.convictions[].incarceration": MAX_INCARCERATION_PERIODS,
    "request.documents": MAX_DOCUMENTS,
    "request.actions": MAX_ACTIONS,
}


def over_budget(case: Case) -> list[Problem]:
    """Every list of ``case`` longer than its cap, each with its path."""
    person, request = case.person, case.request
    lists: list[tuple[str, int, int]] = [
        ("person.convictions", len(person.convictions or ()), MAX_CONVICTIONS),
        ("person.pending_charges", len(person.pending_charges or ()), MAX_PENDING_CHARGES),
        ("request.documents", len(request.documents or ()), MAX_DOCUMENTS),
        ("request.actions", len(request.actions), MAX_ACTIONS),
    ]
    for i, conviction in enumerate(person.convictions or ()):
        path = f"person.convictions[{i}].incarceration"
        lists.append((path, len(conviction.incarceration or ()), MAX_INCARCERATION_PERIODS))
    return [
        Problem(path, f"{length:,} items: a service decides at most {cap:,} here (docs/service.md)")
        for path, length, cap in lists
        if length > cap
    ]


def validate_within_budget(case: Case, jurisdiction: Jurisdiction) -> list[Problem]:
    """The engine's :func:`~sanctuary.engine.decide.validate`, after the caps: a case over them is refused
    before the law looks at it."""
    return over_budget(case) or validate(case, jurisdiction)
