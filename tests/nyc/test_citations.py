"""A citation on every outcome: whatever a regime answers — a permission, a prohibition, an undetermined
question, or the absence of any city law — the answer names the clause it rests on (for an absence, what
creates it: a repealing section, an effective-date section, the clause that limits a section's reach)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import ACTIONS
from tests.conftest import merge, run
from tests.strategies import full_cases, partial_of

AGENCIES = ("DOC", "NYPD", "DOP", "HRA")
JUDICIAL_WARRANT = {
    "type": "warrant",
    "signer": "us_magistrate_judge",
    "probable_cause": True,
    "authorizes_immigration_custody": True,
    "presented_with_detainer": True,
}
BASE: dict[str, Any] = {
    "agency": "DOC",
    "decision_date": "2024-03-01",
    "request": {"from": "ICE", "actions": list(ACTIONS)},
    "person": {"instant_arrest_date": "2024-01-10"},
}
REQUESTS = {
    "a detainer with a judicial warrant": {"documents": [{"type": "I-247A"}, JUDICIAL_WARRANT]},
    "a detainer without a judicial warrant": {"documents": [{"type": "I-247A"}, {"type": "I-200"}]},
    "an information request only": {"documents": [{"type": "letter"}]},
    "nothing known of what was presented": {},
}
# The dates at which the regimes chosen by date differ: before any law, each law, each provision's own date.
DATES = ("2011-06-01", "2012-06-01", "2013-08-01", "2015-01-20", "2016-06-01", "2018-01-15", "2020-06-01", "2026-03-01")


def _assert_cited(case: dict[str, Any]) -> None:
    decision = run(case).as_dict()
    for outcome in decision["outcomes"]:
        assert outcome["citations"], (decision["regime"], case["agency"], outcome)


@pytest.mark.parametrize("regime", [*NYC.regimes, *DATES])
@pytest.mark.parametrize("agency", AGENCIES)
@pytest.mark.parametrize("request_kind", list(REQUESTS))
def test_every_outcome_of_every_regime_cites_a_clause(regime: str, agency: str, request_kind: str) -> None:
    if regime in NYC.regimes:
        change: dict[str, Any] = {"regime": regime}
    else:  # chosen by date
        change = {"decision_date": regime, "person": {"instant_arrest_date": regime}}
    _assert_cited(merge(BASE, {"agency": agency, "request": REQUESTS[request_kind], **change}))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(full_cases(early=True).flatmap(lambda full: partial_of(full)))
def test_every_outcome_on_random_cases_cites_a_clause(case: dict[str, Any]) -> None:
    _assert_cited(case)
