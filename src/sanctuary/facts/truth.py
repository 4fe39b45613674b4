"""Three-valued truth (Kleene's strong logic).

A fact the case does not give is *unknown*, which is neither true nor false. Conditions built from facts
follow Kleene's strong three-valued logic: ``false and unknown`` is false, ``true or unknown`` is true,
and anything else involving unknown is unknown. This is what lets the engine decide whenever the known
facts suffice, and say ``undetermined`` only when they do not.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Tri(enum.Enum):
    """A truth value: true, false, or unknown."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    @staticmethod
    def of(value: bool | None) -> Tri:
        """``True``/``False`` as themselves, ``None`` (an absent fact) as unknown."""
        if value is None:
            return Tri.UNKNOWN
        return Tri.TRUE if value else Tri.FALSE

    def __invert__(self) -> Tri:
        if self is Tri.TRUE:
            return Tri.FALSE
        if self is Tri.FALSE:
            return Tri.TRUE
        return Tri.UNKNOWN

    def __and__(self, other: Tri) -> Tri:
        return all_of((self, other))

    def __or__(self, other: Tri) -> Tri:
        return any_of((self, other))

    @property
    def known(self) -> bool:
        return self is not Tri.UNKNOWN


def all_of(values: Iterable[Tri]) -> Tri:
    """Kleene conjunction: false if any is false, else unknown if any is unknown, else true."""
    result = Tri.TRUE
    for value in values:
        if value is Tri.FALSE:
            return Tri.FALSE
        if value is Tri.UNKNOWN:
            result = Tri.UNKNOWN
    return result


def any_of(values: Iterable[Tri]) -> Tri:
    """Kleene disjunction: true if any is true, else unknown if any is unknown, else false."""
    result = Tri.FALSE
    for value in values:
        if value is Tri.TRUE:
            return Tri.TRUE
        if value is Tri.UNKNOWN:
            result = Tri.UNKNOWN
    return result
