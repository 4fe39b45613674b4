"""Shared test helpers: building cases from small dictionaries, and the shared data folder (optional)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sanctuary.engine import Decision, decide
from sanctuary.facts.case import parse_case
from sanctuary.law.nyc import NYC

#: The team's shared public data, beside the project. Tests that use it skip cleanly when it is absent.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ABSENT = "<absent>"


def merge(base: Any, change: Any) -> Any:
    """Deep-merge ``change`` into a copy of ``base``: dicts merge, anything else replaces, and the string
    ``"<absent>"`` removes the key (so that a scenario can make a fact unknown)."""
    if isinstance(base, dict) and isinstance(change, dict):
        out = copy.deepcopy(base)
        for key, value in change.items():
            if value == ABSENT:
                out.pop(key, None)
            else:
                out[key] = merge(out.get(key), value)
        return out
    return copy.deepcopy(change)


def run(case: dict[str, Any]) -> Decision:
    return decide(parse_case(case), NYC)


def outcome(case: dict[str, Any], action: str | None = None) -> dict[str, Any]:
    decision = run(case).as_dict()
    outcomes: list[dict[str, Any]] = decision["outcomes"]
    if action is None:
        return outcomes[0]
    return next(o for o in outcomes if o["action"] == action)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not present at {SHARED_DATA}")
    return SHARED_DATA
