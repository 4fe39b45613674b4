"""Finding the jurisdiction packs installed: each registers itself under the entry-point group
``sanctuary.jurisdictions`` (as OpenFisca finds its country packages), so the core names none of them.

New York City's pack is registered by this project's own ``pyproject.toml`` (as ``nyc``);
another pack is a package that declares the same group. The command line, the service and the pages choose one
with ``--jurisdiction`` (or ``SANCTUARY_JURISDICTION``); without a choice, the one installed, or ``nyc`` when
several are.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.metadata import EntryPoint, entry_points

from sanctuary.errors import InvalidInputError
from sanctuary.law.jurisdiction import Jurisdiction

GROUP = "sanctuary.jurisdictions"
DEFAULT = "nyc"
_selected: list[str | None] = [None]  # the command line's --jurisdiction, for this process


class JurisdictionError(InvalidInputError):
    """No pack of that name is installed (the message lists those that are)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "jurisdiction")


def available() -> dict[str, EntryPoint]:
    """The installed packs, by name."""
    return {point.name: point for point in entry_points(group=GROUP)}


def select(name: str | None) -> None:
    """Make ``name`` the pack :func:`load` gives when asked for none (the command line's ``--jurisdiction``);
    raises :class:`JurisdictionError` at once when no such pack is installed."""
    if name is not None:
        chosen_name(name)
    _selected[0] = name


def chosen_name(name: str | None = None) -> str:
    """The pack asked for: ``name``, else the selected one, else ``SANCTUARY_JURISDICTION``, else the only one
    installed, else ``nyc``."""
    if name == "":
        raise JurisdictionError(f"an empty name names no pack (installed: {', '.join(sorted(available())) or 'none'})")
    packs = available()
    name = name or _selected[0] or os.environ.get("SANCTUARY_JURISDICTION")
    name = name or (next(iter(packs)) if len(packs) == 1 else DEFAULT)
    if name not in packs:
        known = ", ".join(sorted(packs)) or "none"
        raise JurisdictionError(f"no jurisdiction pack named {name!r} is installed (installed: {known})")
    return name


@cache
def _load(name: str) -> Jurisdiction:
    pack: Jurisdiction = available()[name].load()
    return pack


def load(name: str | None = None) -> Jurisdiction:
    """The pack ``name`` (see :func:`chosen_name`), loaded once. Raises :class:`JurisdictionError`."""
    return _load(chosen_name(name))
