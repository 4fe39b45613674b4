"""Information, premises and city resources: § 9-131(h)(1) and (h)(2) (DOC), § 10-178 (every agency), and
what applies where no city law does.
"""

from __future__ import annotations

from sanctuary.law.regime import Regime
from sanctuary.law.tree import (
    All,
    Always,
    AnyOf,
    Clause,
    Leaf,
    Node,
    Not,
    RuleWarning,
    Says,
)
from sanctuary.packs.nyc.detainers import (
    civil_immigration_detainer,
    record_test,
    requester_is_authority,
    required_by_law,
    unrelated_purpose,
)
from sanctuary.packs.nyc.requests import (
    FactIsTrue,
)
from sanctuary.packs.nyc.sections import DOC, DOP, H1, H2, HOLD_ACTIONS, INFO_WORDS, NYPD, S10_178, USC_1373, USC_1644

# --- DOC § 9-131(h) ----------------------------------------------------------------------------------------


def doc_information(action: str) -> Node:
    """§ 9-131(h)(1): no information about a person in custody unless (i), (ii) or (iii)."""
    p = "doc.h1"
    return AnyOf(
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
        return AnyOf(
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
    return AnyOf(
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


# --- § 10-178 and the absence of city law ---------------------------------------------------------------------


def citywide(agency: str, action: str) -> Node:
    """§ 10-178(c): no city resources for immigration enforcement, subject to the exceptions of (e).

    For NYPD and Probation, whose sections say nothing about information, an answer about a person convicted
    of a violent or serious crime or a possible database match is read as an action "consistent with"
    §§ 14-154 and 9-205 under (e)(ii) (I-3)."""
    p = f"citywide.{agency.lower()}"
    if action == "office_on_premises":
        return AnyOf(
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
    return AnyOf(
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


def consistent_with_warning(agency: str) -> RuleWarning:
    """I-3: an NYPD or Probation answer permitted because the person was convicted of a violent or serious crime or
    is a possible database match rests on the project's reading of § 10-178(e)(ii); the outcome says so, and what
    the other reading would answer."""
    section = NYPD if agency == "NYPD" else DOP
    E_II = S10_178.below("e", "ii")  # noqa: N806 — the clause, named as the statute numbers it
    p = "warning.e_ii"
    when = All(
        id=p,
        title="the answer rests on § 10-178(e)(ii)",
        of=(
            record_test(section, p, clause=E_II, convicted=E_II, tsdb=E_II),
            Not(id=f"{p}.not_unrelated", title="made for immigration enforcement", of=unrelated_purpose(p, None)),
        ),
    )
    return RuleWarning(
        when=when,
        citations=(E_II, S10_178.below("c")),
        text="This answer rests on the project's reading of § 10-178(e)(ii) (interpretation I-3): that \"taking "
        'actions consistent with sections 9-205, 9-131, and 14-154" covers answering about a person convicted of a '
        "violent or serious crime or identified as a possible terrorist-screening match. If (e)(ii) covers only "
        "actions those sections themselves regulate, § 10-178(c) would prohibit it.",
    )
