"""The rule for an agency and an action under a regime: which clause governs, and its tree.

:func:`rule_for` is the one entry point: it picks the clause (the agency's own section where it applies,
§ 10-178 where that section is silent or absent, or "no city law"), attaches the state-law warning to holds,
and applies the regime's named overrides (``proposals.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from sanctuary.law.regime import Regime
from sanctuary.law.tree import (
    All,
    Always,
    AnyOf,
    Clause,
    Leaf,
    Node,
    Not,
    Rule,
    RuleWarning,
    When,
)
from sanctuary.packs.nyc.absence import no_city_law
from sanctuary.packs.nyc.detainers import (
    civil_immigration_detainer,
    honor_detainer,
    not_a_detainer,
    nypd_48_hour_hold,
    nypd_48_hour_transfer,
)
from sanctuary.packs.nyc.early import early_rule
from sanctuary.packs.nyc.information import (
    citizenship_carve_out,
    citywide,
    consistent_with_warning,
    doc_information,
    doc_office,
)
from sanctuary.packs.nyc.proposals import OVERRIDES
from sanctuary.packs.nyc.requests import (
    DetainerPresented,
    JudicialWarrantPresented,
)
from sanctuary.packs.nyc.sections import (
    DOC,
    DOP,
    H1,
    H2,
    HOLD_ACTIONS,
    INFO_ACTIONS,
    NYPD,
    S10_178,
    SECTIONS,
    WELLS,
    Section,
    section_for,
)

# --- choosing the rule -----------------------------------------------------------------------------------------


def _state_law_warning(s: Section, section_applies: bool) -> RuleWarning:
    """Wells v. DeMarco, for holds without a judicial warrant (I-17). The section's own "no conferral of
    authority" clause is cited only where that section is part of the law applied."""
    when = All(
        id="warning.no_warrant",
        title="a detainer, and no judicial warrant",
        of=(
            civil_immigration_detainer(s),
            Not(
                id="warning.no_warrant.not",
                title="no judicial warrant",
                of=Leaf(
                    id="warning.no_warrant.judicial",
                    title="a judicial warrant",
                    test=JudicialWarrantPresented(with_detainer=False),
                ),
            ),
        ),
    )
    text = (
        "New York State law: holding a person past release on a civil immigration detainer without a judicial "
        "warrant is a new arrest that New York law does not authorize state or local officers to make (People ex "
        "rel. Wells v. DeMarco, 168 A.D.3d 31 (2d Dep't 2018))."
    )
    if section_applies:
        return RuleWarning(
            when=when,
            citations=(WELLS, s.no_authority),
            text=f"{text} City law confers no such authority ({s.no_authority}).",
        )
    return RuleWarning(when=when, citations=(WELLS,), text=text)


def comes_with_detainer(s: Section, action: str) -> Node | None:
    """When a request for ``action`` is a civil immigration detainer: for a hold or a transfer, the (a)(1)
    definition (I-15); for a notification of release, a detainer form presented with it (I-1); for any other
    action, ``None``: the rule on that action does not turn on it. The statutory reports count a request as a
    detainer by these nodes, and also when a detainer form is among its documents whatever it asks (the form
    is a detainer under (a)(1); ``Detainer(Q)`` in docs/law/nyc/reports.md)."""
    if action in HOLD_ACTIONS:
        return civil_immigration_detainer(s)
    if action == "notify_release":
        return Leaf(
            id=f"{s.key}.notify.detainer",
            title="the notification is asked for with a detainer",
            clause=s.detainer_definition,
            test=DetainerPresented(),
        )
    return None


def _condition(s: Section, action: str) -> Node:
    node = comes_with_detainer(s, action)
    assert node is not None, action
    return node


def detainer_request(s: Section, action: str, honor: Node) -> Node:
    """A request to hold or transfer: judged by ``honor`` when it is a civil immigration detainer (a)(1),
    and not governed by the detainer clauses otherwise (I-15)."""
    return When(
        id=f"{s.key}.{action}",
        title=f"{s.agency} may {action} the person for federal immigration authorities",
        condition=_condition(s, action),
        then=honor,
        otherwise=not_a_detainer(s),
    )


def notification_request(s: Section, with_detainer: Node, without: Node) -> Node:
    """A request to notify of a release: honoring a detainer when it comes with one, an information request
    when it does not (I-1)."""
    return When(
        id=f"{s.key}.notify",
        title=f"{s.agency} may notify federal immigration authorities of the release",
        condition=_condition(s, "notify_release"),
        then=with_detainer,
        otherwise=without,
    )


def rule_for(regime: Regime, applies: Callable[[str], bool], agency: str, action: str) -> Rule:
    """The rule on ``action`` for ``agency`` under ``regime``. ``applies(provision)`` says whether a provision
    (``"9-131(b)"``, ``"10-178"`` …) is part of the law applied to this case."""
    rule = _base_rule(regime, applies, agency, action)
    for name in regime.overrides:
        rule = OVERRIDES[name](rule, agency)
    return rule


def _fallback(regime: Regime, applies: Callable[[str], bool], agency: str, action: str) -> tuple[Node, Clause | None]:
    if applies("10-178"):
        return citywide(agency, action), S10_178.below("c")
    return no_city_law(regime, agency, applies), None


def _base_rule(regime: Regime, applies: Callable[[str], bool], agency: str, action: str) -> Rule:
    section = section_for(agency)
    section_applies = agency in SECTIONS and applies(section.provision)
    warnings = (_state_law_warning(section, section_applies),) if action in HOLD_ACTIONS else ()
    fallback, fallback_clause = _fallback(regime, applies, agency, action)
    early = early_rule(applies, agency, action, fallback, _state_law_warning(section, False))
    if early is not None:  # the laws of 2012 and 2013
        return early

    if action == "info:citizenship_status":
        if agency == "DOC" and applies("9-131(h)"):
            return Rule(action, H1, citizenship_carve_out((H1,)))
        if applies("10-178"):
            return Rule(action, S10_178.below("e"), citizenship_carve_out((S10_178.below("e"),)))
        return Rule(action, None, no_city_law(regime, agency, applies))

    if agency == "DOC" and applies("9-131(b)"):
        if action in HOLD_ACTIONS:
            return Rule(action, DOC.rule, detainer_request(DOC, action, honor_detainer(DOC)), warnings)
        if action == "notify_release":
            information = doc_information(action) if applies("9-131(h)") else fallback
            return Rule(action, DOC.rule, notification_request(DOC, honor_detainer(DOC), information))
    if agency == "DOC" and applies("9-131(h)"):
        if action in INFO_ACTIONS:
            return Rule(action, H1, doc_information(action))
        if action == "office_on_premises":
            office = doc_office(regime)
            if applies("10-178"):
                office = All(id="doc.office", title="an office on DOC land is allowed", of=(office, fallback))
            return Rule(action, H2, office)

    if agency == "NYPD" and applies("14-154"):
        if action == "hold":
            either = AnyOf(
                id="nypd.hold.any",
                title="under (b)(1), or under the 48-hour exception of (b)(2)",
                of=(honor_detainer(NYPD), nypd_48_hour_hold()),
            )
            return Rule(action, NYPD.rule, detainer_request(NYPD, action, either), warnings)
        if action == "transfer":
            either = AnyOf(
                id="nypd.transfer.any",
                title="under (b)(1), or a (b)(2) hold followed by a warrant",
                of=(honor_detainer(NYPD), nypd_48_hour_transfer()),
            )
            return Rule(action, NYPD.rule, detainer_request(NYPD, action, either), warnings)
        if action == "notify_release":
            answer = _consistent_with(applies, agency, action)
            return Rule(action, NYPD.rule, notification_request(NYPD, honor_detainer(NYPD), fallback), answer)

    if agency == "DOP" and applies("9-205"):
        if action in HOLD_ACTIONS:
            return Rule(action, DOP.rule, detainer_request(DOP, action, honor_detainer(DOP)), warnings)
        if action == "notify_release":
            only_holding = Always(
                id="dop.notify.only_holding",
                title="Probation may honor a detainer only by holding",
                clause=DOP.rule,
                value=False,
                reason=(
                    "§ 9-205(b) allows Probation to honor a civil immigration detainer only by "
                    "holding the person; notifying federal immigration authorities of a release is "
                    "not a way the section allows (I-3)."
                ),
            )
            answer = _consistent_with(applies, agency, action)
            return Rule(action, DOP.rule, notification_request(DOP, only_holding, fallback), answer)

    return Rule(action, fallback_clause, fallback, warnings + _consistent_with(applies, agency, action))


def _consistent_with(applies: Callable[[str], bool], agency: str, action: str) -> tuple[RuleWarning, ...]:
    """The warning on an NYPD or Probation answer that § 10-178(e)(ii) may permit (I-3)."""
    if (
        agency in ("NYPD", "DOP")
        and action not in HOLD_ACTIONS
        and action != "office_on_premises"
        and applies("10-178")
    ):
        return (consistent_with_warning(agency),)
    return ()


PARAMS: dict[str, type] = {
    "lookback_years": int,
    "federal_immigration_authorities": str,
    "premises_executive_order_exception": bool,
}
