"""The examples in docstrings are run: a docstring that shows a call shows what it returns."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "sanctuary.facts.paths",
    "sanctuary.facts.case",
    "sanctuary.packs.nyc.charges",
    "sanctuary.law.tree",
    "sanctuary.packs.nyc.offense_classes",
    "sanctuary.packs.nyc.recording",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
