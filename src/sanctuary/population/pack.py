"""What the population machinery may ask of a jurisdiction pack beyond its law: its case model as tables (the
tables layout), its public data (how each file is recognised and read as tables), a synthetic population
calibrated on it, the requests a comparison may suppose and the assumptions it may state by name.

All are optional. A pack that declares no tables layout has its populations decided case by case (the pattern
evaluator) and a tables folder refused. A pack that publishes no data provides neither a public format nor a
synthetic population: a comparison then reads only files of cases in the pack's case format, and asking for a
synthetic population is refused, naming the pack. A pack that names no request leaves a comparison to the request
each case states (and, for a record without one, only the actions asked about).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sanctuary.errors import InvalidInputError
from sanctuary.law.jurisdiction import Jurisdiction

if TYPE_CHECKING:  # Polars is loaded only by what reads populations
    from sanctuary.population.records import PublicFormat
    from sanctuary.population.tables import Breakdown, TablesLayout


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


@runtime_checkable
class TablesLayouts(Protocol):
    """A pack whose populations may be held as tables (the folder layout, and the columnar evaluator)."""

    def tables_layout(self) -> TablesLayout:
        """The pack's case model as tables: its ``person`` and ``request`` as Polars structs, and which facts
        its history-dependent test reads (:class:`~sanctuary.population.tables.TablesLayout`)."""
        ...


def tables_layout(jurisdiction: Jurisdiction) -> TablesLayout | None:
    """The pack's tables layout (none for a pack that declares none: its populations are decided case by case,
    and a tables folder is refused)."""
    return jurisdiction.tables_layout() if isinstance(jurisdiction, TablesLayouts) else None


def breakdowns(jurisdiction: Jurisdiction) -> tuple[Breakdown, ...]:
    """The dimensions a comparison breaks its outcomes down by: the tables layout's (none for a pack that
    declares no layout, or none in it: its reports have no breakdowns)."""
    layout = tables_layout(jurisdiction)
    return () if layout is None else layout.breakdowns


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


@dataclass(frozen=True, slots=True)
class RequestScenario:
    """A request the comparison supposes was made about every person in a population, named and in words.

    Public data says nothing of what was asked, so a comparison must suppose a request; a reader can only quote
    its numbers if the request is stated in words. Which forms a request uses and what it asks are the
    jurisdiction's (its forms, its agencies): the pack lists them; the core only reads them."""

    id: str
    name: str  # a short name: "ICE's usual request"
    words: str  # the request in full words: who asks, with which documents, for what
    request: Mapping[str, object]  # the case format's ``request`` without ``actions``
    actions: tuple[str, ...]  # every action the request asks for, in the order the report shows them
    cannot_say: tuple[str, ...] = field(default=())  # what the jurisdiction's public data cannot say


@runtime_checkable
class RequestScenarios(Protocol):
    """A pack that names the requests a comparison may suppose."""

    def request_scenarios(self) -> Sequence[RequestScenario]:
        """The named requests, the default (the request the jurisdiction's agencies most often receive) first."""
        ...


def request_scenarios(jurisdiction: Jurisdiction) -> Sequence[RequestScenario]:
    """The pack's named requests (none for a pack that names none)."""
    return jurisdiction.request_scenarios() if isinstance(jurisdiction, RequestScenarios) else ()


@dataclass(frozen=True, slots=True)
class AssumptionPreset:
    """A named assumption (``--assume judicial-warrant``): the facts it sets on every record, and its words."""

    id: str
    words: str  # the assumption in a sentence, as reports state it
    changes: tuple[tuple[str, Any], ...]  # (path, value) pairs, as ``--assume PATH=VALUE`` gives them


@runtime_checkable
class AssumptionPresets(Protocol):
    """A pack that names the assumptions its public debate turns on."""

    def assumption_presets(self) -> Sequence[AssumptionPreset]: ...


def assumption_presets(jurisdiction: Jurisdiction) -> Sequence[AssumptionPreset]:
    """The pack's named assumptions (none for a pack that names none)."""
    return jurisdiction.assumption_presets() if isinstance(jurisdiction, AssumptionPresets) else ()
