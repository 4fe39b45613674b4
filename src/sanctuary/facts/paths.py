"""Field paths into a case, as errors and explanations name them: ``person.convictions[0].level``.

A path ending in ``[+]`` names the end of a list (append). Used to read a fact by its path and to apply a
change of facts to a case's JSON data (counterfactuals, questions), without knowing any law.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable
from typing import Any

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+|\+)\]")


def tokens(path: str) -> list[str | int]:
    """The parts of a path; ``[+]`` (the end of a list) is ``-1``.

    >>> tokens("person.convictions[0].level")
    ['person', 'convictions', 0, 'level']
    >>> tokens("request.documents[+]")
    ['request', 'documents', -1]
    """
    out: list[str | int] = []
    for name, index in _TOKEN.findall(path):
        if name:
            out.append(name)
        else:
            out.append(-1 if index == "+" else int(index))
    return out


def get_path(data: Any, path: str) -> Any:
    """The value at ``path`` in plain JSON data, or ``None`` where any part is absent."""
    value = data
    for token in tokens(path):
        if isinstance(token, int):
            if not isinstance(value, list) or not -len(value) <= token < len(value):
                return None
            value = value[token]
        else:
            if not isinstance(value, dict) or token not in value:
                return None
            value = value[token]
    return value


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` to ``value`` in place, creating objects and lists on the way; ``[+]`` appends."""
    parts = tokens(path)
    target: Any = data
    for token, following in itertools.pairwise(parts):
        blank: Any = [] if isinstance(following, int) else {}
        if isinstance(token, int):
            target = target[token]
        else:
            if target.get(token) is None:
                target[token] = blank
            target = target[token]
    last = parts[-1]
    if last == -1 and path.endswith("[+]"):
        target.append(copy.deepcopy(value))
    elif isinstance(last, int):
        target[last] = copy.deepcopy(value)
    else:
        target[last] = copy.deepcopy(value)


def with_changes(data: dict[str, Any], changes: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A copy of ``data`` with each ``(path, value)`` applied: whole-value changes first, then appends, so
    that "replace the documents" and "add a document" combine in the natural order."""
    out = copy.deepcopy(data)
    ordered = sorted(changes, key=lambda change: change[0].endswith("[+]"))
    for path, value in ordered:
        set_path(out, path, value)
    return out
