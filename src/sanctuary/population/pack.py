"""What the population machinery may ask of a jurisdiction pack beyond its law: its public data (how each file is
recognised and read as tables) and a synthetic population calibrated on it.

Both are optional. A pack that publishes no data provides neither: a comparison then reads only files of cases in
the pack's case format, and asking for a synthetic population is refused, naming the pack.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from sanctuary.errors import InvalidInputError
from sanctuary.law.jurisdiction import Jurisdiction

if TYPE_CHECKING:  # Polars is loaded only by what reads populations
    from sanctuary.population.records import PublicFormat


@runtime_checkable
class PublicData(Protocol):
    """A pack's public data."""

    def public_formats(self) -> Sequence[PublicFormat]:
        """The jurisdiction's public data the comparison reads (custody snapshots, arrests, …): how each file
        is recognised and read as tables. The core names no such format: they are the pack's."""
        ...

    def write_synthetic(self, records: int, path: Path, seed: int) -> Path:
        """Write ``records`` synthetic people (``record_id`` starting ``synthetic-``), calibrated on the
        jurisdiction's public data, to ``path`` (a ``.parquet`` file, else a folder in the tables layout);
        returns where. Raises :class:`OSError` when it cannot write."""
        ...


def public_formats(jurisdiction: Jurisdiction) -> Sequence[PublicFormat]:
    """The pack's public formats (none for a pack without public data)."""
    return jurisdiction.public_formats() if isinstance(jurisdiction, PublicData) else ()


def write_synthetic(jurisdiction: Jurisdiction, records: int, path: Path, seed: int) -> Path:
    """The pack's synthetic population; :class:`InvalidInputError` (field ``jurisdiction``) for a pack without one."""
    if not isinstance(jurisdiction, PublicData):
        raise InvalidInputError(
            f"the {jurisdiction.name} pack has no public data to imitate: no synthetic population", "jurisdiction"
        )
    return jurisdiction.write_synthetic(records, path, seed)
