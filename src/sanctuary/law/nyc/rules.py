"""The rules of §§ 9-131 (DOC), 14-154 (NYPD), 9-205 (Probation) and 10-178 (all agencies) as trees.

Each function below builds the tree for one clause, citing it; :func:`rule_for` picks, for an agency and
an action under a regime, which clause governs and returns its :class:`~sanctuary.law.tree.Rule`.

The three detainer sections share their structure — a judicial warrant presented with the detainer, *and*
a conviction for a violent or serious crime or a possible terrorist-screening match — so the tree is built
once (:func:`honor_detainer`) and instantiated with each section's own citations (:class:`Section`).
The regime overrides (proposals) are functions that rewrite the trees; they are at the end.

Readings chosen where the text admits more than one are marked ``I-n`` and explained in
``docs/law/interpretations.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sanctuary.law.nyc.definitions import (
    AddedByRule,
    ConvictionWitness,
    DetainerPresented,
    FactIsTrue,
    FelonyHateCrime,
    InchoateOfListed,
    JudicialWarrantPresented,
    ListedFelony,
    NotYouthfulOrJuvenileAdjudication,
    PendingChargeWitness,
    PurposeIs,
    RequesterIsFederalImmigrationAuthority,
    RequiredByLaw,
    VehicleAndTrafficLaw600Felony,
    WithinLookback,
)
from sanctuary.law.regime import Regime
from sanctuary.law.tree import (
    All,
    Always,
    Any,
    Clause,
    ForSome,
    Leaf,
    Limits,
    Node,
    Not,
    Rule,
    Says,
    Warning,
    When,
    replace_where,
)

CODE = "NYC Admin. Code"
RCNY = Clause("39 RCNY", "2-01", ("a",))
WELLS = Clause("People ex rel. Wells v. DeMarco, 168 A.D.3d 31 (2d Dep't 2018)")
USC_1373 = Clause("8 U.S.C.", "1373")
USC_1644 = Clause("8 U.S.C.", "1644")
HOLD_ACTIONS = ("hold", "transfer")
INFO_ACTIONS = ("info:release_date", "info:court_date", "info:custody_status", "info:other")
INFO_WORDS = {
    "info:release_date": "the person's release date",
    "info:court_date": "the person's court appearance dates",
    "info:custody_status": "the person's incarceration or custody status",
    "info:other": "other information about the person",
    "notify_release": "notice of the person's release",
}


@dataclass(frozen=True, slots=True)
class Section:
    """Where one detainer section puts each part of the shared test (the numbering differs)."""

    key: str  # node-id prefix: "doc", "nypd", "dop"
    agency: str  # "the department of correction", ...
    rule: Clause  # the detainer rule: § 9-131(b)(1), § 14-154(b)(1), § 9-205(b)
    warrant: Clause  # (b)(1)(i)
    record: Clause  # (b)(1)(ii)
    convicted: Clause  # (b)(1)(ii)(A)
    tsdb: Clause  # (b)(1)(ii)(B)
    detainer_definition: Clause  # (a)(1)
    conviction_definition: Clause  # (a)(2)
    authorities_definition: Clause  # (a)(4) / (a)(3)
    warrant_definition: Clause  # (a)(5) / (a)(4)
    crime_definition: Clause  # (a)(7) / (a)(6)
    no_authority: Clause  # (c)


def _section(key: str, agency: str, number: str, *, authorities: str, warrant: str, crime: str) -> Section:
    s = Clause(CODE, number)
    return Section(
        key=key,
        agency=agency,
        rule=s.below("b", "1"),
        warrant=s.below("b", "1", "i"),
        record=s.below("b", "1", "ii"),
        convicted=s.below("b", "1", "ii", "A"),
        tsdb=s.below("b", "1", "ii", "B"),
        detainer_definition=s.below("a", "1"),
        conviction_definition=s.below("a", "2"),
        authorities_definition=s.below("a", authorities),
        warrant_definition=s.below("a", warrant),
        crime_definition=s.below("a", crime),
        no_authority=s.below("c"),
    )


DOC = _section("doc", "DOC", "9-131", authorities="4", warrant="5", crime="7")
NYPD = _section("nypd", "NYPD", "14-154", authorities="3", warrant="4", crime="6")
_DOP = Clause(CODE, "9-205")
# § 9-205(a): "all terms shall have the same meanings as set forth in section 9-131".
DOP = replace(
    DOC,
    key="dop",
    agency="Probation",
    rule=_DOP.below("b"),
    warrant=_DOP.below("b", "1"),
    record=_DOP.below("b", "2"),
    convicted=_DOP.below("b", "2", "a"),
    tsdb=_DOP.below("b", "2", "b"),
    no_authority=_DOP.below("c"),
)
S10_178 = Clause(CODE, "10-178")
H1 = Clause(CODE, "9-131", ("h", "1"))
H2 = Clause(CODE, "9-131", ("h", "2"))
B2 = Clause(CODE, "14-154", ("b", "2"))
FORTY_EIGHT_HOURS = Limits(max_hours=48, excluding=("saturday", "sunday", "holiday"))


# --- the shared parts -------------------------------------------------------------------------------------


def violent_or_serious_crime(s: Section, p: str) -> Node:
    """(a)(7) / (a)(6): one leaf per subparagraph, so that the one that applies is the one cited."""
    d = s.crime_definition
    return Any(
        id=f"{p}.vsc",
        title="the judgment is for a violent or serious crime",
        clause=d,
        of=(
            Leaf(
                id=f"{p}.vsc.i",
                title="a felony defined in a listed Penal Law section",
                clause=d.below("i"),
                test=ListedFelony(),
            ),
            Leaf(
                id=f"{p}.vsc.ii",
                title="a felony hate crime (PL § 485.05)",
                clause=d.below("ii"),
                test=FelonyHateCrime(),
            ),
            Leaf(
                id=f"{p}.vsc.iii",
                title="a felony attempt, conspiracy, solicitation or facilitation of a listed crime",
                clause=d.below("iii"),
                test=InchoateOfListed(),
            ),
            Leaf(
                id=f"{p}.vsc.iv",
                title="a felony under Vehicle and Traffic Law § 600",
                clause=d.below("iv"),
                test=VehicleAndTrafficLaw600Felony(),
            ),
            Leaf(
                id=f"{p}.vsc.v",
                title="a crime added by DOC rule (39 RCNY § 2-01)",
                clause=d.below("v"),
                cites=(RCNY,),
                test=AddedByRule(),
            ),
        ),
    )


def convicted_of_violent_or_serious_crime(s: Section, p: str, clause: Clause, *, ever: bool = False) -> Node:
    """(a)(2): some judgment that is a conviction, for a violent or serious crime, within the look-back."""
    d = s.conviction_definition
    lookback = (
        Leaf(
            id=f"{p}.ever",
            title="a judgment entered at any time (last proviso of (a)(2)(ii))",
            clause=d.below("ii"),
            test=WithinLookback(ever=True),
        )
        if ever
        else Leaf(
            id=f"{p}.lookback",
            title="entered within five years before the instant arrest, extended by "
            "time incarcerated for a violent or serious crime",
            clause=d.below("ii"),
            test=WithinLookback(),
        )
    )
    return ForSome(
        id=p,
        title="the person has been convicted of a violent or serious crime",
        clause=clause,
        noun="judgment",
        collection="person.convictions",
        witness=ConvictionWitness(),
        cites=(d,),
        condition=All(
            id=f"{p}.judgment",
            title="this judgment counts as a conviction for a violent or serious crime",
            of=(
                Leaf(
                    id=f"{p}.not_yo",
                    title="not a youthful-offender or juvenile-delinquent adjudication",
                    clause=d.below("i"),
                    test=NotYouthfulOrJuvenileAdjudication(),
                ),
                violent_or_serious_crime(s, p),
                lookback,
            ),
        ),
        says=Says(
            true=f"The person has been convicted of a violent or serious crime ({d}).",
            false="No judgment on record counts as a conviction for a violent or serious crime.",
            unknown="Whether the person has been convicted of a violent or serious crime is not known.",
        ),
    )


def terrorist_screening_match(p: str, clause: Clause) -> Node:
    return Leaf(
        id=f"{p}.tsdb",
        title="identified as a possible match in the terrorist screening database",
        clause=clause,
        test=FactIsTrue(
            "person.tsdb_possible_match",
            "The person is identified as a possible match in the terrorist screening database.",
            "The person is not a possible match in the terrorist screening database.",
            "The case does not say whether the person is a possible terrorist-screening match.",
        ),
    )


def record_test(s: Section, p: str, *, clause: Clause, convicted: Clause, tsdb: Clause) -> Node:
    """ "Convicted of a violent or serious crime, or identified as a possible match in the terrorist screening
    database". The node id ends in ``.record``: proposals that widen this test find it by that name."""
    return Any(
        id=f"{p}.record",
        title="convicted of a violent or serious crime, or a possible terrorist-screening match",
        clause=clause,
        of=(
            convicted_of_violent_or_serious_crime(s, f"{p}.convicted", convicted),
            terrorist_screening_match(p, tsdb),
        ),
    )


def requester_is_authority(s: Section, p: str) -> Node:
    return Leaf(
        id=f"{p}.authority",
        title="the requester is a federal immigration authority",
        clause=s.authorities_definition,
        test=RequesterIsFederalImmigrationAuthority(),
    )


def honor_detainer(s: Section) -> Node:
    """§ 9-131(b)(1), § 14-154(b)(1), § 9-205(b): judicial warrant with the detainer, and the record test."""
    p = f"{s.key}.detainer"
    return All(
        id=p,
        title=f"{s.agency} may honor the detainer",
        clause=s.rule,
        of=(
            Leaf(
                id=f"{p}.warrant",
                title="federal immigration authorities present a judicial warrant with the detainer",
                clause=s.warrant,
                cites=(s.warrant_definition,),
                test=JudicialWarrantPresented(with_detainer=True),
            ),
            record_test(s, p, clause=s.record, convicted=s.convicted, tsdb=s.tsdb),
        ),
        says=Says(
            true=f"{s.agency} may honor the detainer: both conditions of {s.rule} are met. This is a "
            "permission, not a duty.",
            false=f"{s.agency} may honor a civil immigration detainer only if both conditions of {s.rule} "
            "are met, and they are not.",
            unknown=f"Whether the conditions of {s.rule} are met is not known.",
        ),
    )


def civil_immigration_detainer(s: Section) -> Node:
    """(a)(1): a detainer form, or any federal request to detain a person for a civil immigration violation."""
    p = f"{s.key}.a1"
    return Any(
        id=p,
        title="the request is a civil immigration detainer",
        clause=s.detainer_definition,
        of=(
            Leaf(id=f"{p}.form", title="a detainer form was presented", test=DetainerPresented()),
            Leaf(
                id=f"{p}.purpose",
                title="the request is for civil immigration enforcement",
                test=PurposeIs(
                    "civil_immigration_enforcement",
                    "The request is made for civil immigration enforcement.",
                    "The request is stated to be unrelated to immigration enforcement.",
                ),
            ),
        ),
    )


def not_a_detainer(s: Section) -> Node:
    return Always(
        id=f"{s.key}.not_detainer",
        title="not a civil immigration detainer",
        clause=s.detainer_definition,
        value=True,
        reason="The request is not a civil immigration detainer: it asks for no detention for "
        "a civil immigration violation, so the detainer rules do not restrict it.",
    )


def unrelated_purpose(p: str, clause: Clause | None) -> Node:
    return Leaf(
        id=f"{p}.unrelated",
        title="unrelated to the enforcement of civil immigration laws",
        clause=clause,
        test=PurposeIs(
            "unrelated_to_immigration_enforcement",
            "The request is unrelated to the enforcement of civil immigration laws.",
            "The request is made for civil immigration enforcement.",
        ),
    )


def required_by_law(p: str, clause: Clause | None) -> Node:
    return Leaf(
        id=f"{p}.required",
        title="otherwise required by law (a court order or judicial subpoena)",
        clause=clause,
        test=RequiredByLaw(),
    )


# --- DOC § 9-131(h) ----------------------------------------------------------------------------------------


def doc_information(action: str) -> Node:
    """§ 9-131(h)(1): no information about a person in custody unless (i), (ii) or (iii)."""
    p = "doc.h1"
    return Any(
        id=p,
        title=f"DOC may disclose {INFO_WORDS[action]}",
        clause=H1,
        of=(
            record_test(DOC, p, clause=H1.below("i"), convicted=H1.below("i"), tsdb=H1.below("i")),
            unrelated_purpose(p, H1.below("ii")),
            required_by_law(p, H1.below("iii")),
        ),
        says=Says(
            true=f"§ 9-131(h)(1) allows DOC to disclose {INFO_WORDS[action]}: an exception applies.",
            false=f"§ 9-131(h)(1) forbids DOC to spend time or resources disclosing {INFO_WORDS[action]} to "
            "federal immigration authorities, and none of its exceptions applies.",
            unknown="Whether an exception of § 9-131(h)(1) applies is not known.",
        ),
    )


def citizenship_carve_out(clauses: tuple[Clause, ...]) -> Node:
    return Always(
        id="citizenship",
        title="information about citizenship or immigration status",
        clause=clauses[0],
        cites=(*clauses[1:], USC_1373, USC_1644),
        value=True,
        reason="Information about a person's citizenship or immigration status is not restricted: city law "
        "excludes it, and federal law (8 U.S.C. §§ 1373 and 1644) forbids restricting its exchange.",
    )


def doc_office(regime: Regime) -> Node:
    """§ 9-131(h)(2): no federal immigration office on DOC land to investigate civil immigration violations;
    before 2026 the mayor could authorize one for unrelated purposes by executive order (I-12)."""
    p = "doc.h2"
    not_authority = Not(
        id=f"{p}.not_authority",
        title="the requester is not a federal immigration authority",
        of=requester_is_authority(DOC, p),
    )
    if not regime.params["premises_executive_order_exception"]:
        return Any(
            id=p,
            title="federal immigration authorities may keep an office on DOC land",
            clause=H2,
            of=(not_authority,),
            says=Says(
                false="§ 9-131(h)(2), as amended in 2026, forbids federal immigration authorities to keep an "
                "office or quarters on DOC land for any purpose."
            ),
        )
    order = All(
        id=f"{p}.order",
        title="for purposes unrelated to civil immigration enforcement, by executive order",
        clause=H2,
        of=(
            unrelated_purpose(p, None),
            Leaf(
                id=f"{p}.executive_order",
                title="a mayoral executive order authorizes the office",
                test=FactIsTrue(
                    "request.mayoral_executive_order",
                    "An executive order of the mayor authorizes the office.",
                    "No executive order of the mayor authorizes the office.",
                    "The case does not say whether an executive order of the mayor authorizes the office.",
                ),
            ),
        ),
    )
    return Any(
        id=p,
        title="federal immigration authorities may keep an office on DOC land",
        clause=H2,
        of=(not_authority, order),
        says=Says(
            false="§ 9-131(h)(2) forbids federal immigration authorities to keep an office on DOC land to "
            "investigate civil immigration violations; an office for unrelated purposes needs an "
            "executive order of the mayor."
        ),
    )


# --- NYPD § 14-154(b)(2) --------------------------------------------------------------------------------------


def nypd_48_hour_record() -> Node:
    """§ 14-154(b)(2)(A)/(B): a VSC conviction at any time and illegal re-entry, or a possible TSDB match."""
    p = "nypd.b2"
    return Any(
        id=f"{p}.grounds",
        title="the grounds of the 48-hour exception",
        clause=B2,
        of=(
            All(
                id=f"{p}.A",
                title="convicted of a violent or serious crime at any time, and illegally re-entered after removal",
                clause=B2.below("A"),
                of=(
                    convicted_of_violent_or_serious_crime(NYPD, f"{p}.convicted", B2.below("A"), ever=True),
                    Leaf(
                        id=f"{p}.reentry",
                        title="illegally re-entered the country after a previous removal or return",
                        clause=B2.below("A"),
                        test=FactIsTrue(
                            "person.reentered_after_removal",
                            "The person illegally re-entered the country after a previous removal or return.",
                            "The person did not illegally re-enter after a previous removal or return.",
                            "The case does not say whether the person re-entered illegally after a removal.",
                        ),
                    ),
                ),
            ),
            terrorist_screening_match(p, B2.below("B")),
        ),
    )


def nypd_48_hour_hold() -> Node:
    return All(
        id="nypd.b2",
        title="NYPD may hold for up to 48 hours without a judicial warrant",
        clause=B2,
        limits=FORTY_EIGHT_HOURS,
        of=(nypd_48_hour_record(),),
        says=Says(
            true="NYPD may hold the person for up to 48 hours, excluding Saturdays, Sundays and holidays, "
            "beyond the time of release, without a judicial warrant. If no judicial warrant is presented "
            "within that period, the person must be released and federal immigration authorities must "
            "not be notified of the release (§ 14-154(b)(2))."
        ),
    )


def nypd_48_hour_transfer() -> Node:
    return All(
        id="nypd.b2.transfer",
        title="after a 48-hour hold, a judicial warrant is presented",
        clause=B2,
        of=(
            nypd_48_hour_record(),
            Leaf(
                id="nypd.b2.warrant",
                title="a judicial warrant presented after the detainer (not dated in the case format; read as within "
                "the 48-hour period, I-14)",
                clause=B2,
                test=JudicialWarrantPresented(with_detainer=False),
            ),
        ),
    )


# --- § 10-178 and the absence of city law ---------------------------------------------------------------------


def citywide(agency: str, action: str) -> Node:
    """§ 10-178(c): no city resources for immigration enforcement, subject to the exceptions of (e).

    For NYPD and Probation, whose sections say nothing about information, an answer about a person convicted
    of a violent or serious crime or a possible database match is read as an action "consistent with"
    §§ 14-154 and 9-205 under (e)(ii) (I-3)."""
    p = f"citywide.{agency.lower()}"
    if action == "office_on_premises":
        return Any(
            id=p,
            title="city property may be used",
            clause=S10_178.below("c"),
            of=(unrelated_purpose(p, S10_178.below("e", "i")),),
            says=Says(false="§ 10-178(c) forbids the use of city property for immigration enforcement."),
        )
    if action in HOLD_ACTIONS:
        section = NYPD if agency == "NYPD" else DOP if agency == "DOP" else DOC
        not_enforcement: Node = Not(
            id=f"{p}.not_detainer", title="not a civil immigration detainer", of=civil_immigration_detainer(section)
        )
    else:
        not_enforcement = unrelated_purpose(p, S10_178.below("c"))
    exceptions: list[Node] = [not_enforcement, required_by_law(p, S10_178.below("e"))]
    if agency in ("NYPD", "DOP") and action not in HOLD_ACTIONS:
        section = NYPD if agency == "NYPD" else DOP
        exceptions.insert(
            0,
            record_test(
                section,
                p,
                clause=S10_178.below("e", "ii"),
                convicted=S10_178.below("e", "ii"),
                tsdb=S10_178.below("e", "ii"),
            ),
        )
    return Any(
        id=p,
        title="city resources may be used",
        clause=S10_178.below("c"),
        of=tuple(exceptions),
        says=Says(
            true="§ 10-178 does not forbid this: an exception of § 10-178(e) applies, or it is not immigration "
            "enforcement.",
            false="§ 10-178(c) forbids the use of city resources, including staff time on duty, for immigration "
            "enforcement, and no exception of § 10-178(e) applies.",
            unknown="Whether § 10-178 forbids this is not known.",
        ),
    )


def no_city_law(regime: Regime, agency: str) -> Node:
    return Always(
        id="no_city_law",
        title="no city law restricts this",
        value=True,
        reason=f"No provision of city law in force under {regime.id} restricts {agency} here; the decision "
        "is a matter of discretion, subject to state and federal law.",
    )


# --- choosing the rule -----------------------------------------------------------------------------------------


def _state_law_warning(s: Section, section_applies: bool) -> Warning:
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
        return Warning(
            when=when,
            citations=(WELLS, s.no_authority),
            text=f"{text} City law confers no such authority ({s.no_authority}).",
        )
    return Warning(when=when, citations=(WELLS,), text=text)


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
    return no_city_law(regime, agency), None


def _base_rule(regime: Regime, applies: Callable[[str], bool], agency: str, action: str) -> Rule:
    section = {"DOC": DOC, "NYPD": NYPD, "DOP": DOP}.get(agency, DOC)
    own_section = {"DOC": "9-131(b)", "NYPD": "14-154", "DOP": "9-205"}.get(agency)
    section_applies = own_section is not None and applies(own_section)
    warnings = (_state_law_warning(section, section_applies),) if action in HOLD_ACTIONS else ()
    fallback, fallback_clause = _fallback(regime, applies, agency, action)

    if action == "info:citizenship_status":
        if agency == "DOC" and applies("9-131(h)"):
            return Rule(action, H1, citizenship_carve_out((H1,)))
        if applies("10-178"):
            return Rule(action, S10_178.below("e"), citizenship_carve_out((S10_178.below("e"),)))
        return Rule(action, None, no_city_law(regime, agency))

    if agency == "DOC" and applies("9-131(b)"):
        if action in HOLD_ACTIONS:
            root = When(
                id="doc.hold",
                title="DOC may honor the detainer",
                condition=civil_immigration_detainer(DOC),
                then=honor_detainer(DOC),
                otherwise=not_a_detainer(DOC),
            )
            return Rule(action, DOC.rule, root, warnings)
        if action == "notify_release":
            information = doc_information(action) if applies("9-131(h)") else fallback
            root = When(
                id="doc.notify",
                title="DOC may notify federal immigration authorities of the release",
                condition=Leaf(
                    id="doc.notify.detainer",
                    title="the notification is asked for with a detainer",
                    clause=DOC.detainer_definition,
                    test=DetainerPresented(),
                ),
                then=honor_detainer(DOC),
                otherwise=information,
            )
            return Rule(action, DOC.rule, root)
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
            root = When(
                id="nypd.hold",
                title="NYPD may honor the detainer",
                condition=civil_immigration_detainer(NYPD),
                then=Any(
                    id="nypd.hold.any",
                    title="under (b)(1), or under the 48-hour exception of (b)(2)",
                    of=(honor_detainer(NYPD), nypd_48_hour_hold()),
                ),
                otherwise=not_a_detainer(NYPD),
            )
            return Rule(action, NYPD.rule, root, warnings)
        if action == "transfer":
            root = When(
                id="nypd.transfer",
                title="NYPD may transfer the person",
                condition=civil_immigration_detainer(NYPD),
                then=Any(
                    id="nypd.transfer.any",
                    title="under (b)(1), or a (b)(2) hold followed by a warrant",
                    of=(honor_detainer(NYPD), nypd_48_hour_transfer()),
                ),
                otherwise=not_a_detainer(NYPD),
            )
            return Rule(action, NYPD.rule, root, warnings)
        if action == "notify_release":
            root = When(
                id="nypd.notify",
                title="NYPD may notify federal immigration authorities of the release",
                condition=Leaf(
                    id="nypd.notify.detainer",
                    title="the notification is asked for with a detainer",
                    clause=NYPD.detainer_definition,
                    test=DetainerPresented(),
                ),
                then=honor_detainer(NYPD),
                otherwise=fallback,
            )
            return Rule(action, NYPD.rule, root)

    if agency == "DOP" and applies("9-205"):
        if action in HOLD_ACTIONS:
            root = When(
                id="dop.hold",
                title="Probation may honor the detainer by holding",
                condition=civil_immigration_detainer(DOP),
                then=honor_detainer(DOP),
                otherwise=not_a_detainer(DOP),
            )
            return Rule(action, DOP.rule, root, warnings)
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
            root = When(
                id="dop.notify",
                title="Probation may notify federal immigration authorities of the release",
                condition=Leaf(
                    id="dop.notify.detainer",
                    title="the notification is asked for with a detainer",
                    clause=DOP.detainer_definition,
                    test=DetainerPresented(),
                ),
                then=only_holding,
                otherwise=fallback,
            )
            return Rule(action, DOP.rule, root)

    return Rule(action, fallback_clause, fallback, warnings)


# --- proposals: named overrides --------------------------------------------------------------------------------

ADAMS = Clause("adams-2024 proposal (project encoding)")


def _adams(rule: Rule, agency: str) -> Rule:
    """adams-2024: wherever the law asks "convicted of a violent or serious crime or a possible terrorist-
    screening match", also accept (C) a pending charge for a violent or serious crime or (D) a listing in a
    law-enforcement gang database."""

    def widen(node: Node) -> Node | None:
        if not node.id.endswith(".record") or not isinstance(node, Any):
            return None
        p = node.id.removesuffix(".record")
        section = NYPD if "nypd" in p else DOC
        d = section.crime_definition
        pending = ForSome(
            id=f"{p}.pending",
            title="charged with a violent or serious crime (pending)",
            clause=ADAMS.below("C"),
            noun="pending charge",
            collection="person.pending_charges",
            witness=PendingChargeWitness(),
            cites=(d,),
            condition=Any(
                id=f"{p}.pending.vsc",
                title="the charge is for a violent or serious crime",
                clause=d,
                of=(
                    Leaf(
                        id=f"{p}.pending.i",
                        title="a felony defined in a listed Penal Law section",
                        clause=d.below("i"),
                        test=ListedFelony(),
                    ),
                    Leaf(
                        id=f"{p}.pending.ii", title="a felony hate crime", clause=d.below("ii"), test=FelonyHateCrime()
                    ),
                    Leaf(
                        id=f"{p}.pending.iii",
                        title="a felony attempt etc. of a listed crime",
                        clause=d.below("iii"),
                        test=InchoateOfListed(),
                    ),
                    Leaf(
                        id=f"{p}.pending.iv",
                        title="a felony under VTL § 600",
                        clause=d.below("iv"),
                        test=VehicleAndTrafficLaw600Felony(),
                    ),
                    Leaf(
                        id=f"{p}.pending.v",
                        title="a crime added by DOC rule",
                        clause=d.below("v"),
                        cites=(RCNY,),
                        test=AddedByRule(),
                    ),
                ),
            ),
            says=Says(
                false="No pending charge is for a violent or serious crime.",
                unknown="Whether a pending charge is for a violent or serious crime is not known.",
            ),
        )
        gang = Leaf(
            id=f"{p}.gang",
            title="listed in a law-enforcement gang database",
            clause=ADAMS.below("D"),
            test=FactIsTrue(
                "person.gang_database",
                "The person is listed in a law-enforcement gang database.",
                "The person is not listed in a law-enforcement gang database.",
                "The case does not say whether the person is listed in a gang database.",
            ),
        )
        return replace(
            node,
            title=node.title + ", a pending charge for one, or a gang-database listing",
            of=(*node.of, pending, gang),
            cites=(*node.cites, ADAMS),
        )

    warnings = tuple(replace(w, when=replace_where(w.when, widen)) for w in rule.warnings)
    return replace(rule, root=replace_where(rule.root, widen), warnings=warnings)


INT_185 = Clause("Int 185-2022 (proposal), amending", "9-131", ("h", "1"))


def _int_185(rule: Rule, agency: str) -> Rule:
    """int-185-2022: § 9-131(h)(1) allows a response only "pursuant to subdivision b" (while honoring a
    detainer under (b)(1)) or where unrelated to civil immigration enforcement; the citizenship carve-out and
    "otherwise required by law" are deleted."""
    if agency != "DOC":
        return rule
    replacement = Any(
        id="doc.h1",
        title="DOC may communicate with federal immigration authorities",
        clause=INT_185,
        of=(
            All(
                id="doc.h1.pursuant_to_b",
                title="made pursuant to subdivision b (honoring a detainer)",
                clause=INT_185.below("i"),
                of=(
                    Leaf(
                        id="doc.h1.b.detainer",
                        title="a detainer was presented",
                        clause=DOC.detainer_definition,
                        test=DetainerPresented(),
                    ),
                    honor_detainer(DOC),
                ),
            ),
            unrelated_purpose("doc.h1", INT_185.below("ii")),
        ),
        says=Says(
            false="Under Int 185-2022, DOC may communicate with federal immigration authorities "
            "about a person only while honoring a detainer under subdivision b, or where "
            "unrelated to civil immigration enforcement; neither applies.",
            true="Int 185-2022 allows this communication.",
            unknown="Whether Int 185-2022 would allow this communication is not known.",
        ),
    )

    def swap(node: Node) -> Node | None:
        return replacement if node.id in ("doc.h1", "citizenship") else None

    warnings = rule.warnings
    if rule.action == "info:citizenship_status":
        warnings += (
            Warning(
                when=Always(id="always", title="always", value=True, reason=""),
                citations=(USC_1373,),
                text="Federal law (8 U.S.C. § 1373) forbids a city to prohibit or restrict its officials "
                "from sharing information about citizenship or immigration status with federal "
                "immigration authorities; this restriction may be unenforceable (see § 9-131(d)).",
            ),
        )
    return replace(
        rule,
        root=replace_where(rule.root, swap),
        clause=INT_185 if rule.clause == H1 else rule.clause,
        warnings=warnings,
    )


OVERRIDES: dict[str, Callable[[Rule, str], Rule]] = {"adams-2024": _adams, "int-185-2022": _int_185}
PARAMS: dict[str, type] = {
    "lookback_years": int,
    "federal_immigration_authorities": str,
    "premises_executive_order_exception": bool,
}
