"""The detainer clauses as trees: § 9-131(b)(1), § 14-154(b)(1) and (b)(2), § 9-205(b), and the defined
terms they use — "civil immigration detainer" (a)(1), "convicted of a violent or serious crime" (a)(2),
"violent or serious crime" (a)(7)/(a)(6), "judicial warrant" (a)(5)/(a)(4).

Each function builds the tree for one clause, citing it; readings chosen where the text admits more than one
are marked ``I-n`` and explained in ``docs/law/nyc/interpretations.md``.
"""

from __future__ import annotations

from sanctuary.law.tree import (
    All,
    Always,
    AnyOf,
    Clause,
    ForSome,
    Leaf,
    Node,
    Says,
)
from sanctuary.packs.nyc.convictions import (
    AddedByRule,
    ConvictionWitness,
    FelonyHateCrime,
    InchoateOfListed,
    ListedFelony,
    NotYouthfulOrJuvenileAdjudication,
    VehicleAndTrafficLaw600Felony,
    WithinLookback,
)
from sanctuary.packs.nyc.requests import (
    DetainerPresented,
    FactIsTrue,
    JudicialWarrantPresented,
    PurposeIs,
    RequesterIsFederalImmigrationAuthority,
    RequiredByLaw,
)
from sanctuary.packs.nyc.sections import B2, FORTY_EIGHT_HOURS, NYPD, RCNY, Section

# --- the shared parts -------------------------------------------------------------------------------------


def violent_or_serious_crime(s: Section, p: str, title: str = "the judgment is for a violent or serious crime") -> Node:
    """(a)(7) / (a)(6): one leaf per subparagraph, so that the one that applies is the one cited. Used for
    judgments (the law) and for pending charges (the adams-2024 proposal): one definition for both."""
    d = s.crime_definition
    return AnyOf(
        id=f"{p}.vsc",
        title=title,
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
    return AnyOf(
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
    return AnyOf(
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


# --- NYPD § 14-154(b)(2) --------------------------------------------------------------------------------------


def nypd_48_hour_record() -> Node:
    """§ 14-154(b)(2)(A)/(B): a VSC conviction at any time and illegal re-entry, or a possible TSDB match."""
    p = "nypd.b2"
    return AnyOf(
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
