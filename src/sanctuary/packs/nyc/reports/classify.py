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
from sanctuary.law.tree import Node
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.detainers import convicted_of_violent_or_serious_crime
from sanctuary.packs.nyc.reports.trail import Request
from sanctuary.packs.nyc.requests import DetainerPresented, RequesterIsFederalImmigrationAuthority
from sanctuary.packs.nyc.rules import comes_with_detainer
from sanctuary.packs.nyc.sections import INFO_ACTIONS, SECTIONS, section_for

# The actions that ask for information about the person (R-12: citizenship counts, as "other").
INFORMATION_ACTIONS = (*INFO_ACTIONS, "info:citizenship_status")
# (a)(2) as the detainer clauses use it, with the look-back and without the NYPD "ever" proviso.
_CONVICTED_NODES: dict[str, Node] = {
    s.key: convicted_of_violent_or_serious_crime(s, f"report.{s.key}.convicted", s.convicted) for s in SECTIONS.values()
}
# The other reading of R-11: a judgment for a violent or serious crime entered at any time, no look-back (I-63).
_EVER_NODES: dict[str, Node] = {
    s.key: convicted_of_violent_or_serious_crime(s, f"report.{s.key}.convicted_ever", s.convicted, ever=True)
    for s in SECTIONS.values()
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
            form = DetainerPresented().check(view).value
            values = [Tri.TRUE if form is Tri.TRUE else Tri.FALSE]
            section = section_for(q.agency)
            for action in q.case.request.actions:
                if (condition := comes_with_detainer(section, action)) is not None:
                    values.append(evaluate(condition, view).value)
            return any_of(values)

        return self._memo((q.id, "detainer", None), compute)

    def asks_information(self, q: Request) -> bool:
        """Whether Q asks for information about the person: an info:* action, or a notification of release
        asked without a detainer (I-1: then it is an information request about the release date)."""
        if any(a in INFORMATION_ACTIONS for a in q.case.request.actions):
            return True
        return self.notification_answers_information(q)

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
            node = _CONVICTED_NODES[section_for(q.agency).key]
            return evaluate(node, CaseView(q.case, params)).value

        return self._memo((q.id, "vsc", on), compute)

    def vsc_ever(self, q: Request, on: dt.date) -> Tri:
        """The other reading of R-11 (I-63): some judgment for a violent or serious crime, however old (the
        five-year look-back of (a)(2)(ii) not applied), on the case recorded for the event."""

        def compute() -> Tri:
            params = _params(on)
            if params is None:
                return Tri.UNKNOWN
            return evaluate(_EVER_NODES[section_for(q.agency).key], CaseView(q.case, params)).value

        return self._memo((q.id, "vsc_ever", on), compute)

    def notification_answers_information(self, q: Request) -> bool:
        """Whether a notification of release on Q answers an information request (an I-247N or I-247G: a request
        to notify that comes with no detainer form, I-1), so that it is a response giving a release date (I-60)."""
        notify = comes_with_detainer(section_for(q.agency), "notify_release")
        return (
            "notify_release" in q.case.request.actions
            and notify is not None
            and evaluate(notify, CaseView(q.case, {})).value is Tri.FALSE
        )

    @staticmethod
    def tsdb(q: Request) -> Tri:
        return Tri.of(q.case.person.tsdb_possible_match)

    def record_is(self, q: Request, on: dt.date, vsc: Tri, tsdb: Tri | None = None) -> bool:
        """Whether the person's record, as recorded for Q on ``on``, is of a class of the reports: VSC(Q) is
        ``vsc`` and, when given, the terrorist-screening status is ``tsdb`` (R-13, R-14)."""
        return self.vsc(q, on) is vsc and (tsdb is None or self.tsdb(q) is tsdb)
