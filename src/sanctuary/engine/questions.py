"""The questions to ask: for undetermined outcomes, the missing facts, most decisive first.

Each missing fact is tried at its possible values (yes and no; each signer; felony or misdemeanor; no
convictions; an early or a late date): the case is decided again for each, and the fact scores by how
many of the undetermined outcomes every answer would settle (then by how many some answer would settle).
The question that settles the most outcomes whatever the answer comes first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sanctuary.facts.case import Case, CaseError, CaseFormat
from sanctuary.facts.paths import get_path, with_changes


@dataclass(frozen=True, slots=True)
class Question:
    path: str
    question: str
    settles_whatever_the_answer: int
    settles_at_most: int
    outcomes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "question": self.question,
            "settles_whatever_the_answer": self.settles_whatever_the_answer,
            "settles_at_most": self.settles_at_most,
            "outcomes": list(self.outcomes),
        }


def questions(
    case: Case,
    undetermined: dict[str, list[str]],
    decide_all: Callable[[Case], dict[str, str]],
    case_format: CaseFormat,
    thresholds: dict[str, list[Any]] | None = None,
) -> list[Question]:
    """``undetermined`` maps each missing path to the undetermined actions that list it; ``decide_all`` decides
    a changed case, returning each action's result; ``case_format`` (the jurisdiction's) reads a changed case and
    gives each question's words and the answers to try; ``thresholds`` adds, for a path, the values the law itself
    names (the counterfactuals' exact custody or date), so an answer that settles an outcome only past a
    threshold is counted."""
    if not undetermined:
        return []
    data = json.loads(case.model_dump_json(by_alias=True, exclude_unset=True))
    open_actions = {a for actions in undetermined.values() for a in actions}
    scored = []
    for order, (path, actions) in enumerate(undetermined.items()):
        settled: list[int] = []
        tried = case_format.candidates(path, case)
        tried += [v for v in (thresholds or {}).get(path, []) if v not in tried]
        for value in tried:
            if get_path(data, path) == value:
                continue
            try:
                changed = case_format.parse(json.dumps(with_changes(data, [(path, value)])))
                results = decide_all(changed)
            except CaseError:  # an answer the contract or the jurisdiction's law rules out
                continue
            settled.append(sum(1 for a in open_actions if results.get(a) != "undetermined"))
        low = min(settled) if settled else 0
        high = max(settled) if settled else 0
        scored.append((-low, -high, order, Question(path, case_format.wording(path), low, high, tuple(actions))))
    return [q for *_, q in sorted(scored)]
