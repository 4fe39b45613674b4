"""New York City: Admin. Code §§ 9-131, 14-154, 9-205, 10-178 and 39 RCNY § 2-01, 2014 to today.

The pack is data (``regimes.toml``, ``violent_or_serious_crime.toml``, the statute texts in ``texts/``),
tests of the defined terms (``requests.py`` — what was asked and presented; ``convictions.py`` — the person's
record), rule trees (``sections.py`` — the citations; ``detainers.py``, ``information.py`` — the clauses;
``proposals.py`` — the overrides; ``rules.py`` — which clause governs an action), and ``statute.py`` (the
words of each clause); its public data is read by ``data.py`` (DOC snapshots and stays, NYPD arrests) and
imitated by ``synthetic.py``; ``reports/`` computes the statutory reports of §§ 9-131(f), 14-154(f), 9-205(f) and
10-178(d) from the service's audit trail. :data:`NYC` puts them together behind the
:class:`~sanctuary.law.jurisdiction.Jurisdiction` interface the engine uses.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctuary.facts.case import Case, CaseFormat, Problem
from sanctuary.law.regime import Regime, content_hash, load_regimes
from sanctuary.law.tree import Clause, Rule, describe
from sanctuary.packs.nyc.case import ACTIONS, CASE_FORMAT, Conviction, PendingCharge, new_york
from sanctuary.packs.nyc.catalog import CATALOG
from sanctuary.packs.nyc.offense_classes import TABLE, contradictions
from sanctuary.packs.nyc.proposals import OVERRIDES
from sanctuary.packs.nyc.rules import PARAMS, rule_for
from sanctuary.packs.nyc.sections import ACTION_WORDS, AGENCIES, SECTIONS
from sanctuary.packs.nyc.statute import statute_words

if TYPE_CHECKING:
    from sanctuary.engine.door import DoorGuide
    from sanctuary.packs.nyc.reform import Reform
    from sanctuary.population.pack import AssumptionPreset, RequestScenario
    from sanctuary.population.records import PublicFormat
    from sanctuary.population.tables import TablesLayout
    from sanctuary.service.reporting import StatutoryReports

SPECIFIC_AGENCIES = tuple(SECTIONS)  # the agencies with a detainer section of their own


class NewYorkCity:
    """The New York City pack."""

    id = "nyc"
    name = "New York City"
    time_zone = "America/New_York"  # where a day of a limit of hours begins (the docket's clock, I-100)

    def __init__(self) -> None:
        path = Path(str(resources.files(__package__).joinpath("regimes.toml")))
        self._regimes = load_regimes(path, known_overrides=tuple(OVERRIDES), known_params=PARAMS)
        self._hashes: dict[str, str] = {}
        self._reforms: dict[str, tuple[Reform, ...]] = {}  # a reform regime's rewrites, the base's first
        # The rules built, per pack (a pack with a reform is a copy, and is dropped with its rules when its command or
        # request ends): by regime, agency, action and the provisions applied.
        self._rules: dict[tuple[str, str, str, frozenset[str]], Rule] = {}

    def _rule(self, regime_id: str, agency: str, action: str, provisions: frozenset[str]) -> Rule:
        key = (regime_id, agency, action, provisions)
        if key not in self._rules:
            rule = rule_for(self._regimes[regime_id], provisions.__contains__, agency, action)
            for reform in self._reforms.get(regime_id, ()):
                rule = reform.apply(rule, agency)
            self._rules[key] = rule
        return self._rules[key]

    def with_reform(self, text: str, source: str) -> NewYorkCity:
        """This pack with one more regime: the proposal the reform file ``text`` states (``source`` names the file
        in refusals). Raises :class:`~sanctuary.law.reform.ReformError` with the line and field of a problem."""
        from sanctuary.packs.nyc.reform import load_reform

        regime, reform = load_reform(text, source, self)
        derived = copy.copy(self)
        derived._regimes = {**self._regimes, regime.id: regime}
        derived._hashes = dict(self._hashes)
        derived._rules = dict(self._rules)
        derived._reforms = {**self._reforms, regime.id: (*self._reforms.get(regime.base or "", ()), reform)}
        return derived

    def reform_schema(self) -> dict[str, Any]:
        """The JSON Schema of New York City's reform file (``schema/reform.schema.json``)."""
        from sanctuary.packs.nyc.reform_format import reform_json_schema

        return reform_json_schema()

    @property
    def case_format(self) -> CaseFormat:
        """Contract version 1 (``case.py``)."""
        return CASE_FORMAT

    @property
    def regimes(self) -> Mapping[str, Regime]:
        return self._regimes

    @property
    def agencies(self) -> Mapping[str, str]:
        return AGENCIES

    @property
    def actions(self) -> Mapping[str, str]:
        return {action: ACTION_WORDS[action] for action in ACTIONS}  # in the contract's order

    def regime_in_force(self, day: dt.date) -> Regime | None:
        for regime in self._regimes.values():
            if regime.in_force_on(day):
                return regime
        return None

    def rule(self, regime: Regime, agency: str, action: str, *, day: dt.date, by_date: bool) -> Rule:
        agency_key = agency if agency in SPECIFIC_AGENCIES else "OTHER"
        provisions = frozenset(p for p in regime.provisions if regime.provision_applies(p, day, by_date=by_date))
        return self._rule(regime.id, agency_key, action, provisions)

    def statute_words(self, clause: Clause, regime: Regime) -> str | None:
        for reform in self._reforms.get(regime.id, ()):  # a user's citation: the words of the changes citing it
            if not clause.section and clause.code in reform.words:
                return reform.words[clause.code]
        return statute_words(clause, regime.id, regime.base)

    def problems(self, case: Case) -> list[Problem]:
        """A stated level or class the Penal Law contradicts (I-32)."""
        person = new_york(case).person
        items: list[tuple[str, Conviction | PendingCharge]] = [
            *((f"person.convictions[{i}]", c) for i, c in enumerate(person.convictions or ())),
            *((f"person.pending_charges[{i}]", c) for i, c in enumerate(person.pending_charges or ())),
        ]
        return [Problem(p, m) for path, item in items for p, m in contradictions(item, path)]

    def law_changes(self) -> frozenset[dt.date]:
        """The days the "violent or serious crime" list or the additions by DOC rule change."""
        return frozenset(CATALOG.changes())

    def law_hash(self, regime: Regime) -> str:
        if regime.id not in self._hashes:
            trees = {
                f"{agency}/{action}": describe(self._rule(regime.id, agency, action, frozenset(regime.provisions)).root)
                for agency in AGENCIES
                for action in ACTIONS
            }
            self._hashes[regime.id] = content_hash(regime.describe(), CATALOG.describe(), TABLE.describe(), trees)
        return self._hashes[regime.id]

    def tables_layout(self) -> TablesLayout:
        """The case model as tables: records, convictions, pending charges (``tables.py``; imported when a
        population is read)."""
        from sanctuary.packs.nyc.tables import LAYOUT

        return LAYOUT

    def public_formats(self) -> Sequence[PublicFormat]:
        """DOC snapshots (both layouts), the stays table, NYPD arrests (``data.py``; imported here, when a
        population is read, so that deciding one case does not load Polars)."""
        from sanctuary.packs.nyc.data import FORMATS

        return FORMATS

    def write_synthetic(self, records: int, path: Path, seed: int) -> Path:
        """A jail population calibrated on the DOC snapshot of 2026-08-21 (``synthetic.py``)."""
        from sanctuary.packs.nyc.synthetic import write

        return write(records, path, seed)

    def door(self) -> DoorGuide:
        """The city's rules beyond the detainer laws, for the worker at the door (``door/``; imported when asked)."""
        from sanctuary.packs.nyc.door import GUIDE

        return GUIDE

    def request_scenarios(self) -> Sequence[RequestScenario]:
        """ICE's usual request (I-247A with an I-200), the default; a detainer with a judicial warrant; a request
        for information only (``scenarios.py``, interpretations I-45 and I-46)."""
        from sanctuary.packs.nyc.scenarios import REQUEST_SCENARIOS

        return REQUEST_SCENARIOS

    def assumption_presets(self) -> Sequence[AssumptionPreset]:
        """judicial-warrant, no-judicial-warrant, no-conviction-history, no-database-match, no-gang-listing
        (``assumptions.py``)."""
        from sanctuary.packs.nyc.assumptions import ASSUMPTION_PRESETS

        return ASSUMPTION_PRESETS

    def reports(self) -> StatutoryReports:
        """§§ 9-131(f), 14-154(f), 9-205(f) (annual) and 10-178(d) (quarterly) (``reports/``; imported here, when
        a report is asked for, so that deciding one case does not load them)."""
        from sanctuary.packs.nyc.reports import REPORTS

        return REPORTS


NYC = NewYorkCity()
