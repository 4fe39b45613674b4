"""Scenario assumptions: ``--assume PATH=VALUE`` (VALUE is JSON, or a plain word), or a named preset.

An assumption sets a fact for every record, and every report states it. The presets name the assumptions the
public debate turns on; they are the jurisdiction's (its forms, its databases), listed by its pack.
"""

from __future__ import annotations

import json
from typing import Any

from sanctuary.errors import InvalidInputError
from sanctuary.facts.case import LATEST_DATE, CaseError
from sanctuary.facts.paths import with_changes
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.population.pack import AssumptionPreset, assumption_presets


def describe(text: str, jurisdiction: Jurisdiction) -> str:
    """An assumption in words, for reports: the preset's sentence, or the path and value as given."""
    preset = presets(jurisdiction).get(text)
    return preset.words if preset is not None else text


def presets(jurisdiction: Jurisdiction) -> dict[str, AssumptionPreset]:
    """The jurisdiction's named assumptions, by name (none for a pack that names none)."""
    return {preset.id: preset for preset in assumption_presets(jurisdiction)}


class AssumptionError(InvalidInputError):
    """An ``--assume`` that cannot be read or applied; the message names it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "assume")


def parse_assumption(text: str, jurisdiction: Jurisdiction) -> tuple[tuple[str, Any], ...]:
    """``judicial-warrant`` → its preset; ``person.tsdb_possible_match=false`` → ``(("person.…", False),)``, checked
    against ``jurisdiction``'s case format."""
    if "=" not in text:
        known = presets(jurisdiction)
        if text not in known:
            raise AssumptionError(f"--assume {text!r}: not PATH=VALUE and not a preset ({', '.join(known) or 'none'})")
        return known[text].changes
    path, _, raw = text.partition("=")
    path = path.strip()
    if not path or not all(part for part in path.replace("[", ".").split(".")):
        raise AssumptionError(f"--assume {text!r}: the path is empty or malformed")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw.strip()
    _check(path, value, text, jurisdiction)
    return ((path, value),)


def _overlap(one: str, other: str) -> bool:
    """Whether two paths set the same fact, or one a part of the other (``person.convictions`` and
    ``person.convictions[0].level``)."""
    return (
        one == other
        or any(other.startswith(one + sep) for sep in ".[")
        or any(one.startswith(other + sep) for sep in ".[")
    )


def parse_assumptions(texts: list[str] | tuple[str, ...], jurisdiction: Jurisdiction) -> tuple[tuple[str, Any], ...]:
    """Every ``--assume`` read, in order; refused, naming both, when two state the same fact (a repetition,
    even with the same value, since a report listing both would say the fact twice) or contradict each other
    (the same fact, or one fact inside the other, with different values): a scenario whose report lists two
    assumptions must apply both (interpretation I-49)."""
    seen: list[tuple[str, str, Any]] = []
    for text in texts:
        for path, value in parse_assumption(text, jurisdiction):
            for earlier, earlier_path, earlier_value in seen:
                if not _overlap(path, earlier_path):
                    continue
                if earlier == text or (path == earlier_path and value == earlier_value):
                    raise AssumptionError(
                        f"--assume {earlier!r} and --assume {text!r} state the same fact ({path}) twice"
                    )
                raise AssumptionError(
                    f"--assume {earlier!r} and --assume {text!r} contradict each other: both state {earlier_path}"
                    + ("" if path == earlier_path else f" ({path})")
                    + "; give one"
                )
            seen.append((text, path, value))
    return tuple((path, value) for _, path, value in seen)


def _probe(jurisdiction: Jurisdiction) -> dict[str, Any]:
    """A valid case to try each assumption on: an assumption no case could hold is refused at once, naming the field
    and the problem, rather than making every record invalid. The smallest case of the jurisdiction's format (its
    first agency and action, nothing known of the person), decided on the last day a case may carry, so that no date
    of the assumption is refused for being after it (a record decided earlier may still refuse it)."""
    return {
        "agency": next(iter(jurisdiction.agencies)),
        "decision_date": LATEST_DATE.isoformat(),
        "request": {"actions": [next(iter(jurisdiction.actions))]},
        "person": {},
    }


def _check(path: str, value: Any, text: str, jurisdiction: Jurisdiction) -> None:
    try:
        probe = with_changes(_probe(jurisdiction), ((path, value),))
    except (IndexError, KeyError, TypeError, AttributeError):
        return  # a path into items a record may have (e.g. ``person.convictions[0]``): the evaluators decide
    try:
        jurisdiction.case_format.parse(json.dumps(probe))
    except CaseError as exc:
        raise AssumptionError(f"--assume {text!r}: {exc.problems[0]}") from None
