"""The work a case may ask of a service: caps on the lengths of its lists.

The case format itself sets no length on its lists (a file decided on one's own machine may be as long as
its author likes). A service deciding and explaining cases for anyone who can reach it cannot: the
explanation looks for the smallest change of facts that flips each outcome, and tries changes of every
judgment, so its work grows with the lists. The caps — a hundred items a list, or what the jurisdiction's case
format says of a list (``CaseFormat.caps``) — are far above any real record (a person with more than a hundred
judgments, or a request with twenty documents, is not a case an agency meets) and keep
the slowest explanation of a case at the caps to well under a second (``benchmarks/explain_scaling.py``,
``docs/benchmarks.md``). A list over its cap is invalid input naming the list, like any other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from sanctuary.engine.decide import validate
from sanctuary.facts.case import Case, Problem
from sanctuary.law.jurisdiction import Jurisdiction

#: A list's cap where the jurisdiction's case format names none (``CaseFormat.caps``, by path, items written
#: ``person.convictions[].incarceration``).
DEFAULT_CAP = 100
MAX_ACTIONS = 20  # request.actions: there are fewer kinds; a repeated one is repeated work


def _lists(value: Any, path: str, pattern: str) -> Iterator[tuple[str, str, int]]:
    """Every list in a case (or part of one): its path, its path as caps name it, and its length."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            key = info.alias or name
            yield from _lists(
                getattr(value, name), f"{path}.{key}" if path else key, f"{pattern}.{key}" if pattern else key
            )
    elif isinstance(value, list):
        yield path, pattern, len(value)
        for i, item in enumerate(value):
            yield from _lists(item, f"{path}[{i}]", f"{pattern}[]")


def over_budget(case: Case, caps: Mapping[str, int]) -> list[Problem]:
    """Every list of ``case`` longer than its cap (``caps``, else :data:`DEFAULT_CAP`), each with its path."""
    limits = {"request.actions": MAX_ACTIONS, **caps}
    return [
        Problem(path, f"{length:,} items: a service decides at most {cap:,} here (docs/service.md)")
        for path, pattern, length in _lists(case, "", "")
        if length > (cap := limits.get(pattern, DEFAULT_CAP))
    ]


def validate_within_budget(case: Case, jurisdiction: Jurisdiction) -> list[Problem]:
    """The engine's :func:`~sanctuary.engine.decide.validate`, after the caps: a case over them is refused
    before the law looks at it."""
    return over_budget(case, jurisdiction.case_format.caps) or validate(case, jurisdiction)
