"""The legal classifications of a request (§ 1.3), made by the law pack's own tests, never re-implemented.

Whether a request is a civil immigration detainer, whether its requester is a federal immigration authority,
and whether the person was convicted of a violent or serious crime are questions the law pack already answers
for decisions. The reports ask the same tests, on the recorded case, under the law in force on the date of the
event counted (R-19, R-20); a regime the case named (a proposal, say) is ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from sanctuary.engine.evaluate import CaseView, evaluate
from sanctuary.facts.truth import Tri, any_of
from sanctuary.law.nyc import NYC
from sanctuary.law.nyc.detainers import civil_immigration_detainer, convicted_of_violent_or_serious_crime
from sanctuary.law.nyc.requests import DetainerPresented, RequesterIsFederalImmigrationAuthority
from sanctuary.law.nyc.sections import DOC, DOP, NYPD, Section
from sanctuary.law.tree import Node
from sanctuary.service.reports.trail import Request

# What a contract action asks for, as the information kinds of § 1.1 (R-12: citizenship counts as "other").
INFO_ASKED = {
    "info:custody_status": "incarceration_status",
    "info:release_date": "release_date",
    "info:court_date": "court_appearance_date",
    "info:other": "other",
    "info:citizenship_status": "citizenship_status",
}


_SECTIONS: dict[str, Section] = {"DOC": DOC, "NYPD": NYPD, "DOP": DOP}
_DETAINER_NODES: dict[str, Node] = {k: civil_immigration_detainer(s) for k, s in _SECTIONS.items()}
# (a)(2) as the detainer clauses use it, with the look-back and without the NYPD "ever" proviso.
_CONVICTED_NODES: dict[str, Node] = {
    k: convicted_of_violent_or_serious_crime(s, f"report.{s.key}.convicted", s.convicted) for k, s in _SECTIONS.items()
}


def _params(day: dt.date) -> Mapping[str, Any] | None:
    """The parameters of the law in force on ``day`` (never a proposal, never a regime a case named; R-20)."""
    regime = NYC.regime_in_force(day)
    return regime.params if regime is not None else None


class Classifier:
    """The § 1.3 classifications of a request, each computed once by the law pack's own tests."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, dt.date | None], Tri] = {}

    def _memo(self, key: tuple[str, str, dt.date | None], compute: Callable[[], Tri]) -> Tri:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def detainer(self, q: Request) -> Tri:
        """Detainer(Q): the (a)(1) tree for a request to hold or transfer (I-15); for a request to notify of
        release, a detainer form must be presented (I-1, I-247N/G are not detainers); any other request is
        a detainer only if a detainer form is among its documents (it asks for no detention)."""

        def compute() -> Tri:
            view = CaseView(q.case, {})
            actions = set(q.case.request.actions)
            form = DetainerPresented().check(view).value
            values = [Tri.TRUE if form is Tri.TRUE else Tri.FALSE]
            if actions & {"hold", "transfer"}:
                values.append(evaluate(_DETAINER_NODES.get(q.agency, _DETAINER_NODES["DOC"]), view).value)
            if "notify_release" in actions:
                values.append(form)
            return any_of(values)

        return self._memo((q.id, "detainer", None), compute)

    def info_asked(self, q: Request) -> frozenset[str]:
        """Q.information_asked: the info:* actions, and a notification of release asked without a detainer
        form (I-1: then it is an information request about the release date)."""
        asked = {INFO_ASKED[a] for a in q.case.request.actions if a in INFO_ASKED}
        notify = "notify_release" in q.case.request.actions
        if notify and DetainerPresented().check(CaseView(q.case, {})).value is Tri.FALSE:
            asked.add("release_date")
        return frozenset(asked)

    def fia(self, q: Request) -> Tri:
        """FIA(Q): ``RequesterIsFederalImmigrationAuthority`` under the definition in force on Q.received (I-7,
        R-19)."""

        def compute() -> Tri:
            params = _params(q.received)
            if params is None:
                return Tri.UNKNOWN
            return RequesterIsFederalImmigrationAuthority().check(CaseView(q.case, params)).value

        return self._memo((q.id, "fia", None), compute)

    def vsc(self, q: Request, on: dt.date) -> Tri:
        """VSC(Q): "convicted of a violent or serious crime" ((a)(2), the look-back applied, no "ever"
        proviso; R-11) on the case recorded for the event, under the law in force on the event's date."""

        def compute() -> Tri:
            params = _params(on)
            if params is None:
                return Tri.UNKNOWN
            node = _CONVICTED_NODES.get(q.agency, _CONVICTED_NODES["DOC"])
            return evaluate(node, CaseView(q.case, params)).value

        return self._memo((q.id, "vsc", on), compute)

    @staticmethod
    def tsdb(q: Request) -> Tri:
        return Tri.of(q.case.person.tsdb_possible_match)
