"""What the engine needs from a jurisdiction pack — its law, and nothing more — so packs can be added without
touching the engine (California's Values Act, Chicago's Welcoming City Ordinance, …).

What the uses above the engine may also ask of a pack is declared where they ask it, so that the law imports none
of them: its public data and synthetic population (``sanctuary.population.pack``), its statutory reports
(``sanctuary.service.reporting``). A pack without them simply does not provide them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from sanctuary.facts.case import Case, CaseFormat, Problem
from sanctuary.law.regime import Regime
from sanctuary.law.tree import Clause, Rule


class Jurisdiction(Protocol):
    id: str
    name: str

    @property
    def case_format(self) -> CaseFormat:
        """The jurisdiction's case: the core's frame (agency, date, request, person) with the facts its law reads,
        how they are checked, and the words of their questions. Every case the core reads is parsed by it."""
        ...

    @property
    def regimes(self) -> Mapping[str, Regime]: ...

    @property
    def agencies(self) -> Mapping[str, str]:
        """The agencies the rules tell apart (an agency not named is read as the last one), with their names."""
        ...

    @property
    def actions(self) -> Mapping[str, str]:
        """The actions the rules decide, in the case format's order, with the pack's words for them (for pages and
        reports)."""
        ...

    def regime_in_force(self, day: dt.date) -> Regime | None:
        """The law in force on ``day``, or ``None`` if the pack encodes none for that day."""
        ...

    def rule(self, regime: Regime, agency: str, action: str, *, day: dt.date, by_date: bool) -> Rule:
        """The rule on ``action`` for ``agency``; ``by_date``: the regime was chosen by the decision date, so
        provisions not yet in effect on ``day`` do not apply."""
        ...

    def statute_words(self, clause: Clause, regime: Regime) -> str | None:
        """The words of ``clause`` as in force under ``regime`` (``None`` where the pack holds no text)."""
        ...

    def problems(self, case: Case) -> list[Problem]:
        """What the jurisdiction's own law says is impossible in a case the contract accepts (a class of offense
        the criminal law contradicts), each with its field path: such a case is invalid input."""
        ...

    def law_changes(self) -> frozenset[dt.date]:
        """The days on which the answer of a test of one item may change for the same facts — the law's dated
        lists (a crime added to a list) — so that an evaluator may run such a test once per period between them
        rather than once per decision date."""
        ...

    def law_hash(self, regime: Regime) -> str:
        """A content hash of all the law data ``regime`` uses (declaration, lists, rule trees)."""
        ...
