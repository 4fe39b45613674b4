"""Deciding whole populations: the same rule trees as the single-case engine, once per distinct fact pattern.

A jail population or a year of arrests has millions of records but far fewer distinct fact patterns: the
law reads the charge, the custody facts and the scenario's assumptions, and many people share them. So the
population is reduced, in Polars, to its distinct patterns (the case as canonical JSON); each pattern is
decided by the single-case engine — the very rule trees, evaluated in three values, so there is no second
implementation of any rule to drift — and the results are joined back to every record. Patterns decided
once are remembered across chunks, so a file larger than memory is read in chunks with bounded memory.
The plan maps directly onto a distributed engine: the distinct patterns are a ``distinct``, deciding them a
``map``, and the join a broadcast join.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sanctuary.engine.decide import decide_results
from sanctuary.errors import InvalidInputError
from sanctuary.facts.case import CaseError
from sanctuary.facts.paths import get_path, with_changes
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.population.assumptions import AssumptionError, parse_assumption, parse_assumptions
from sanctuary.population.assumptions import describe as describe_assumption
from sanctuary.population.pack import RequestScenario, request_scenarios, tables_layout

INVALID = "invalid"
RESULTS = ("permitted", "prohibited", "undetermined", INVALID)
RESULT = pl.Enum(RESULTS)  # the results as a small categorical column (the columnar evaluator's output)


class AssumptionNotApplicableError(InvalidInputError):
    """An assumption that cannot be applied to a case (a path into an item the case does not have)."""


class ScenarioError(InvalidInputError):
    """A scenario option that cannot be used: ``field`` names the option (``regimes``, ``action``, ``assume``)."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)

    def for_command_line(self) -> str:
        """``--regimes: unknown …``; an ``--assume`` message already names its option and value."""
        return str(self) if self.field == "assume" else f"--{self.field}: {self}"


@dataclass(frozen=True, slots=True)
class Scenario:
    """What is decided for every record: the regimes, the actions, the request supposed, and the stated
    assumptions. Built from options by :meth:`from_options`, the request is one of the jurisdiction's named
    request scenarios, stated in words; for a jurisdiction that names none, or built directly without one, no request
    is supposed: a case keeps the request it states, and a record from public data, which states none, asks only
    for the actions."""

    regimes: tuple[str, ...]
    actions: tuple[str, ...]
    assumptions: tuple[tuple[str, Any], ...] = ()
    in_words: tuple[str, ...] = ()  # the assumptions as the user gave them, in words, for reports
    request: Mapping[str, Any] = field(default_factory=dict)
    request_id: str | None = None  # the named request scenario (None: none supposed)
    request_name: str = "the request each case states"
    request_words: str = (
        "No request is supposed: each case is decided for the request it states, and a record that states none "
        "for the actions asked about alone"
    )
    cannot_say: tuple[str, ...] = ()  # what the data cannot say, in the jurisdiction's words

    @classmethod
    def from_options(
        cls,
        jurisdiction: Jurisdiction,
        regimes: str,
        actions: list[str] | None,
        assume: list[str] | None,
        request: str | None = None,
    ) -> Scenario:
        """A scenario from the options a person gives (the command line's, the web page's): comma-separated
        regimes, the first the baseline; a named request (default: the jurisdiction's first, its usual one);
        actions (default: every action the request asks for; with no request named, every action of the
        jurisdiction — the core supposes no action of its own); assumptions as ``--assume`` reads them.
        Raises :class:`ScenarioError` naming the option and the problem, and naming both options when two
        contradict each other or say the same thing twice."""
        regime_ids = tuple(r.strip() for r in regimes.split(",") if r.strip())
        unknown = [r for r in regime_ids if r not in jurisdiction.regimes]
        if not regime_ids or unknown:
            raise ScenarioError("regimes", f"unknown {unknown} (known: {', '.join(jurisdiction.regimes)})")
        if len(set(regime_ids)) != len(regime_ids):
            raise ScenarioError("regimes", f"a regime is listed more than once ({','.join(regime_ids)})")
        named = _request_scenario(jurisdiction, request)
        chosen = tuple(actions or (named.actions if named else jurisdiction.actions))  # no request named: every action
        if len(set(chosen)) != len(chosen):
            raise ScenarioError("action", f"an action is listed more than once ({', '.join(chosen)})")
        if bad := [a for a in chosen if a not in jurisdiction.actions]:
            raise ScenarioError("action", f"unknown {bad} (known: {', '.join(jurisdiction.actions)})")
        try:
            assumptions = parse_assumptions(assume or [], jurisdiction)
        except AssumptionError as exc:
            raise ScenarioError("assume", str(exc)) from None
        words = tuple(describe_assumption(t, jurisdiction) for t in assume or [])
        if named is None:
            return cls(regime_ids, chosen, assumptions, words)
        changed = [
            t for t in assume or [] if any(p.startswith("request.") for p, _ in parse_assumption(t, jurisdiction))
        ]
        if changed and request is not None:
            raise ScenarioError(
                "assume",
                f"--request {request} states the request, and --assume {changed[0]!r} changes it: give one "
                f"(--request names: {', '.join(s.id for s in request_scenarios(jurisdiction))})",
            )
        sentence = named.words + (", changed as the assumptions below say" if changed else "")
        return cls(
            regime_ids,
            chosen,
            assumptions,
            words,
            dict(named.request),
            named.id,
            named.name,
            sentence,
            named.cannot_say,
        )

    def describe(self) -> dict[str, Any]:
        return {
            "regimes": list(self.regimes),
            "actions": list(self.actions),
            "request": {"id": self.request_id, "name": self.request_name, "words": self.request_words},
            "base_request": dict(self.request),
            "assumptions": [{"path": p, "value": v} for p, v in self.assumptions],
            "assumptions_in_words": list(self.in_words),
            "data_cannot_say": list(self.cannot_say),
        }


def _request_scenario(jurisdiction: Jurisdiction, name: str | None) -> RequestScenario | None:
    """The named request (``None``: the jurisdiction's default, its first); ``None`` when the jurisdiction
    names none. Raises :class:`ScenarioError` (field ``request``) for a name it does not know."""
    scenarios = list(request_scenarios(jurisdiction))
    if name is None:
        return scenarios[0] if scenarios else None
    for scenario in scenarios:
        if scenario.id == name:
            return scenario
    raise ScenarioError("request", f"unknown {name!r} (known: {', '.join(s.id for s in scenarios) or 'none'})")


@dataclass(slots=True)
class PatternDecider:
    """Decides distinct fact patterns with the single-case engine, remembering each."""

    jurisdiction: Jurisdiction
    scenario: Scenario
    cache: dict[tuple[str, str | None], dict[str, str]] = field(default_factory=dict)
    missing: dict[tuple[str, str | None], dict[str, tuple[str, ...]]] = field(default_factory=dict)
    problems: dict[tuple[str, str | None], str] = field(default_factory=dict)
    # The list the judgment on the current case joins (the pack's history, from its tables layout), if any.
    _history: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        layout = tables_layout(self.jurisdiction)
        self._history = None if layout is None else layout.current

    def case_for(self, case: str, current_judgment: str | None) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(case)
        # Records from public data carry no request: they are decided for the base request. A contract case
        # keeps its own request, facts and unknowns alike.
        request = data.get("request", self.scenario.request)
        if isinstance(request, dict):  # anything else is refused by the contract when the case is parsed
            request = dict(request, actions=list(self.scenario.actions))
        data["request"] = request
        # One at a time, in the order ``with_changes`` gives them (whole values first, then appends).
        for path, value in sorted(self.scenario.assumptions, key=lambda change: change[0].endswith("[+]")):
            try:
                data = with_changes(data, ((path, value),))
            except (AttributeError, IndexError, KeyError, TypeError):
                raise AssumptionNotApplicableError(f"the assumption {path} cannot be applied to this case") from None
        history = self._history
        if (
            current_judgment is not None
            and history is not None
            and isinstance(get_path(data, f"person.{history}"), list)
        ):
            data["person"][history].append(json.loads(current_judgment))
        return data

    def decide_pattern(self, case: str, current_judgment: str | None) -> dict[str, str]:
        key = (case, current_judgment)
        if key in self.cache:
            return self.cache[key]
        results: dict[str, str] = {}
        try:
            parsed = self.jurisdiction.case_format.parse(json.dumps(self.case_for(case, current_judgment)))
            decisions = [
                decide_results(parsed.model_copy(update={"regime": r}), self.jurisdiction)
                for r in self.scenario.regimes
            ]
        except (CaseError, AssumptionNotApplicableError) as exc:
            self.problems[key] = f"not a valid case: {exc.problems[0] if isinstance(exc, CaseError) else exc}"
            results = {f"{r}|{a}": INVALID for r in self.scenario.regimes for a in self.scenario.actions}
            self.cache[key] = results
            return results
        for regime, decision in zip(self.scenario.regimes, decisions, strict=True):
            for action, result, missing in decision:
                results[f"{regime}|{action}"] = result
                if missing:
                    general = tuple(dict.fromkeys(re.sub(r"\[\d+\]", "[]", m) for m in missing))
                    self.missing.setdefault(key, {})[f"{regime}|{action}"] = general
        self.cache[key] = results
        return results

    def decide_frame(self, frame: pl.DataFrame) -> pl.DataFrame:
        """One result column per (regime, action) — named ``regime|action`` — for every record of ``frame``
        (records without a case are ``invalid``)."""
        columns = [f"{r}|{a}" for r in self.scenario.regimes for a in self.scenario.actions]
        patterns = frame.filter(pl.col("case").is_not_null()).select("case", "current_judgment").unique()
        rows = []
        for case, judgment in patterns.iter_rows():
            results = self.decide_pattern(case, judgment)
            rows.append({"case": case, "current_judgment": judgment, **results})
        schema = {"case": pl.String, "current_judgment": pl.String, **{c: pl.String for c in columns}}
        decided = pl.DataFrame(rows, schema=schema)
        joined = frame.join(decided, on=["case", "current_judgment"], how="left", nulls_equal=True)
        return joined.with_columns([pl.col(c).fill_null(INVALID) for c in columns])


def decide_population(frame: pl.DataFrame, scenario: Scenario, jurisdiction: Jurisdiction) -> pl.DataFrame:
    """Convenience: decide a whole frame at once."""
    return PatternDecider(jurisdiction, scenario).decide_frame(frame)
