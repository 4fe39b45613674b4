"""The detainer laws before 2014 as trees: Admin. Code § 9-131 as enacted by L.L. 2011/62 (DOC, in force
2012-03-21), § 9-131 as amended by L.L. 2013/22 (DOC) and § 14-154 as enacted by L.L. 2013/21 (NYPD), both in
force 2013-07-16 until L.L. 2014/58 and 59 replaced them on 2014-12-14.

The structure of all three: (b)(1) forbids honoring a civil immigration detainer by holding the person past
release (except for the reasonable time needed for the release-time search) or by notifying federal
immigration authorities of the release; (b)(2) lifts the prohibition if any one trigger is met. The clauses
are cited in the numbering of those texts, under the codes ``NYC Admin. Code (2011)`` and ``NYC Admin. Code
(2013)`` (docs/law/nyc/early-laws.md). Node ids follow the 2014 trees' where the concept is the same (``doc.a1``,
``doc.detainer``, ``doc.detainer.tsdb``), so that a regime diff lines them up clause by clause.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from sanctuary.law.tree import All, Always, AnyOf, Clause, ForSome, Leaf, Node, Rule, RuleWarning, Says, Test, When
from sanctuary.packs.nyc.convictions import NotYouthfulOrJuvenileAdjudication
from sanctuary.packs.nyc.covered import (
    CoveredCrime,
    CoveredCriminalCaseCharge,
    FelonyChargeWitness,
    FelonyJudgmentWitness,
    ItemFactIs,
    LevelIs,
    MoreThanOneCase,
    WithinTenYears,
)
from sanctuary.packs.nyc.requests import DetainerPresented, FactIsTrue
from sanctuary.packs.nyc.sections import HOLD_ACTIONS

CODE_2011 = "NYC Admin. Code (2011)"
CODE_2013 = "NYC Admin. Code (2013)"


@dataclass(frozen=True, slots=True)
class EarlySection:
    """One of the pre-2014 detainer sections, with where its text puts each definition."""

    key: str  # node-id prefix, as in the 2014 trees: "doc", "nypd"
    agency: str
    version: str  # "2011" (L.L. 2011/62) or "2013" (L.L. 2013/21, 22)
    provision: str  # the provision of regimes.toml
    section: Clause
    pending: str  # the paragraph of (a) defining the pending (covered) criminal case
    department: str | None  # the paragraph of (a) defining "department", where the text has one

    def at(self, *path: str) -> Clause:
        return self.section.below(*path)

    @property
    def covered(self) -> bool:
        return self.version == "2013"


DOC_2011 = EarlySection("doc", "DOC", "2011", "9-131/2011", Clause(CODE_2011, "9-131"), pending="5", department="3")
DOC_2013 = EarlySection("doc", "DOC", "2013", "9-131/2013", Clause(CODE_2013, "9-131"), pending="7", department="5")
NYPD_2013 = EarlySection(
    "nypd", "NYPD", "2013", "14-154/2013", Clause(CODE_2013, "14-154"), pending="6", department=None
)
EARLY_SECTIONS = (DOC_2011, DOC_2013, NYPD_2013)


def _fact(p: str, title: str, clause: Clause, path: str, words: str) -> Node:
    return Leaf(
        id=p,
        title=title,
        clause=clause,
        test=FactIsTrue(
            path,
            f"The person {words}.",
            f"It is not the case that the person {words}.",
            f"The case does not say whether the person {words}.",
        ),
    )


def _not_yo(s: EarlySection, p: str) -> Node:
    clause = s.at("a", "2", "i") if s.covered else s.at("a", "2")
    return Leaf(
        id=f"{p}.not_yo",
        title="not a youthful-offender or juvenile-delinquent adjudication",
        clause=clause,
        test=NotYouthfulOrJuvenileAdjudication(),
    )


def convicted_2011(s: EarlySection, p: str) -> Node:
    """2011 (b)(2)(i)(A), (a)(2): a final judgment of guilt on a misdemeanor or felony charge, in any court of
    the United States, that is not a YO or JD adjudication. No look-back."""
    return ForSome(
        id=f"{p}.convicted",
        title="the person has been convicted of a crime",
        clause=s.at("b", "2", "i", "A"),
        cites=(s.at("a", "2"),),
        noun="judgment",
        collection="person.convictions",
        witness=FelonyJudgmentWitness(),
        condition=All(
            id=f"{p}.convicted.judgment",
            title="this judgment is a conviction of a crime",
            of=(
                _not_yo(s, f"{p}.convicted"),
                Leaf(
                    id=f"{p}.convicted.crime",
                    title="a final judgment of guilt on a misdemeanor or felony charge",
                    clause=s.at("a", "2"),
                    test=LevelIs(("felony", "misdemeanor"), "a misdemeanor or felony"),
                ),
            ),
        ),
        says=Says(
            true=f"The person has been convicted of a crime ({s.at('a', '2')}).",
            false="No judgment on record is a conviction of a misdemeanor or felony.",
        ),
    )


def convicted_2013(s: EarlySection, p: str) -> Node:
    """2013 (b)(2)(i)(A), (a)(2): a judgment on a covered crime (not a YO or JD adjudication), unless (ii) the
    person never had a felony judgment and no covered-misdemeanor judgment within ten years before the instant
    arrest (I-37, I-38)."""
    q = f"{p}.convicted"

    def some(name: str, title: str, clause: Clause, *tests: Node) -> Node:
        return ForSome(
            id=f"{q}.{name}",
            title=title,
            clause=clause,
            noun="judgment",
            collection="person.convictions",
            witness=FelonyJudgmentWitness(),
            condition=All(
                id=f"{q}.{name}.judgment", title=f"this judgment: {title}", of=(_not_yo(s, f"{q}.{name}"), *tests)
            ),
        )

    def leaf(name: str, title: str, clause: Clause, test: Test) -> Node:
        return Leaf(id=f"{q}.{name}", title=title, clause=clause, test=test)

    a2, a3, a2ii = s.at("a", "2"), s.at("a", "3"), s.at("a", "2", "ii")
    covered = leaf("covered.crime", "the judgment was entered on a covered crime", a3, CoveredCrime())
    felony = leaf("felony.level", "the judgment was entered on a felony", a2ii, LevelIs(("felony",), "a felony"))
    misdemeanor = leaf("recent.level", "on a misdemeanor", a2ii, LevelIs(("misdemeanor",), "a misdemeanor"))
    recent_covered = leaf("recent.crime", "that is a covered crime", a3, CoveredCrime())
    ten_years = leaf("recent.ten_years", "within ten years before the instant arrest", a2ii, WithinTenYears())
    return All(
        id=q,
        title="the person has been convicted of a covered crime",
        clause=s.at("b", "2", "i", "A"),
        cites=(a2,),
        of=(
            some("covered", "a final judgment of guilt on a covered crime", a2, covered),
            AnyOf(
                id=f"{q}.not_excluded",
                title="not excluded by (a)(2)(ii): a felony judgment at any time, or a judgment on a covered "
                "misdemeanor within ten years before the instant arrest",
                clause=a2ii,
                of=(
                    some("felony", "a final judgment of guilt on a felony, at any time", a2ii, felony),
                    some(
                        "recent",
                        "a judgment on a covered misdemeanor within ten years",
                        a2ii,
                        misdemeanor,
                        recent_covered,
                        ten_years,
                    ),
                ),
                says=Says(
                    false=f"The person never had a felony judgment and had no judgment on a covered misdemeanor "
                    f"within ten years before the instant arrest, so is not considered convicted ({a2ii}).",
                ),
            ),
        ),
    )


def _item_fact(p: str, title: str, clause: Clause, field: str, words: str) -> Node:
    return Leaf(
        id=p,
        title=title,
        clause=clause,
        test=ItemFactIs(
            field,
            False,
            f"The case was not {words}.",
            f"The case was {words}, so it is not counted.",
            f"The case does not say whether the case was {words}.",
        ),
    )


ACD = ("adjournment_in_contemplation_of_dismissal", "disposed of with an adjournment in contemplation of dismissal")


def pending_2011(s: EarlySection, p: str) -> Node:
    """2011 (b)(2)(i)(B), (a)(5): a criminal case in which a misdemeanor or felony charge is pending and judgment
    has not been entered, other than one adjourned in contemplation of dismissal (I-37)."""
    a5 = s.at("a", "5")
    return ForSome(
        id=f"{p}.pending",
        title="the person is a defendant in a pending criminal case",
        clause=s.at("b", "2", "i", "B"),
        cites=(a5,),
        noun="pending charge",
        collection="person.pending_charges",
        witness=FelonyChargeWitness(),
        condition=All(
            id=f"{p}.pending.charge",
            title="this charge makes a pending criminal case",
            of=(
                Leaf(
                    id=f"{p}.pending.level",
                    title="a misdemeanor or felony charge is pending",
                    clause=a5,
                    test=LevelIs(("felony", "misdemeanor"), "a misdemeanor or felony"),
                ),
                _item_fact(f"{p}.pending.acd", "not adjourned in contemplation of dismissal", a5, *ACD),
            ),
        ),
    )


def pending_2013(s: EarlySection, p: str) -> Node:
    """2013 (b)(2)(i)(B): a pending covered criminal case ((a)(4), (a)(7)(i) DOC / (a)(6)(i) NYPD) not excluded
    by (iii)-(v), or more than one pending case in which a covered crime is charged ((ii); I-39)."""
    d = s.at("a", s.pending)
    q = f"{p}.pending"
    exclusions = (
        _item_fact(f"{q}.acd", "not adjourned in contemplation of dismissal", d.below("iii"), *ACD),
        _item_fact(
            f"{q}.cd",
            "not sentenced to a conditional discharge",
            d.below("iv"),
            "conditional_discharge",
            "one in which the person was sentenced to a conditional discharge",
        ),
        _item_fact(
            f"{q}.yo",
            "not a case in which the person, if convicted, must be found a youthful offender",
            d.below("v"),
            "must_be_youthful_offender",
            "one in which the person, if convicted, must be found a youthful offender",
        ),
    )
    one = ForSome(
        id=f"{q}.case",
        title="a pending covered criminal case",
        clause=d.below("i"),
        cites=(s.at("a", "4"),),
        noun="pending charge",
        collection="person.pending_charges",
        witness=FelonyChargeWitness(),
        condition=All(
            id=f"{q}.case.charge",
            title="this charge makes a pending covered criminal case",
            of=(
                Leaf(
                    id=f"{q}.case.covered",
                    title="a felony, or a misdemeanor listed in (a)(4)",
                    clause=s.at("a", "4"),
                    test=CoveredCriminalCaseCharge(),
                ),
                *exclusions,
            ),
        ),
    )
    several = Leaf(
        id=f"{q}.several",
        title="a defendant in more than one case where judgment has not been entered and a covered crime is charged",
        clause=d.below("ii"),
        cites=(s.at("a", "3"),),
        test=MoreThanOneCase(),
    )
    return AnyOf(
        id=q,
        title="the person is a defendant in a pending covered criminal case",
        clause=s.at("b", "2", "i", "B"),
        cites=(d,),
        of=(one, several),
    )


def _search(s: EarlySection, p: str) -> Node:
    """(b)(2)(i): what the release-time search indicates (from 2013: or a court has informed the department).
    The case's facts about the person are read as what those sources show (I-43)."""
    i = s.at("b", "2", "i")
    source = (
        "the release-time search indicates, or a court has informed the department,"
        if s.covered
        else "the release-time search indicates"
    )
    tsdb_def = s.at("a", "8" if s.key == "doc" and s.covered else "7" if s.covered else "6")
    return AnyOf(
        id=f"{p}.search",
        title=f"{source} that the person has a record the section names",
        clause=i,
        of=(
            (convicted_2013 if s.covered else convicted_2011)(s, p),
            (pending_2013 if s.covered else pending_2011)(s, p),
            _fact(
                f"{p}.criminal_warrant",
                "has an outstanding criminal warrant",
                i.below("C"),
                "person.outstanding_criminal_warrant",
                "has an outstanding criminal warrant in the state of New York or another jurisdiction in the "
                "United States",
            ),
            _fact(
                f"{p}.gang",
                "identified as a known gang member in the NCIC database",
                i.below("D"),
                "person.ncic_known_gang_member",
                "is identified as a known gang member in the database of the national crime information center",
            ),
            replace(
                _fact(
                    f"{p}.tsdb",
                    "identified as a possible match in the terrorist screening database",
                    i.below("E"),
                    "person.tsdb_possible_match",
                    "is identified as a possible match in the terrorist screening database",
                ),
                cites=(tsdb_def,),
            ),
        ),
    )


def _removal(s: EarlySection, p: str) -> Node:
    """(b)(2)(ii): the search indicates, or federal immigration authorities have informed the department, of a
    removal warrant or a final order of removal, past or present."""
    ii = s.at("b", "2", "ii")
    return AnyOf(
        id=f"{p}.removal",
        title="the search indicates, or federal immigration authorities have informed the department, that the "
        "person has a removal warrant or a final order of removal",
        clause=ii,
        of=(
            _fact(
                f"{p}.removal_warrant",
                "an outstanding warrant of removal (8 C.F.R. 241.2)",
                ii.below("A"),
                "person.outstanding_removal_warrant",
                "has an outstanding warrant of removal issued pursuant to 8 C.F.R. 241.2",
            ),
            _fact(
                f"{p}.removal_order",
                "is or has been subject to a final order of removal (8 C.F.R. 1241.1)",
                ii.below("B"),
                "person.final_order_of_removal",
                "is or has previously been subject to a final order of removal pursuant to 8 C.F.R. 1241.1",
            ),
        ),
    )


def honor_detainer_early(s: EarlySection, action: str) -> Node:
    """(b)(2): the prohibition of (b)(1) does not apply when any one trigger is met. The text sets no hours: the
    hold allowed without a trigger (the time needed for the search) is said in the reasons, not as a limit (I-44)."""
    p = f"{s.key}.detainer"
    b1, b2 = s.at("b", "1"), s.at("b", "2")
    how = (
        "by holding the person beyond the time of release (except for such reasonable time as is necessary to "
        f"conduct the search of {b2})"
        if action in HOLD_ACTIONS
        else "by notifying federal immigration authorities of the person's release"
    )
    return AnyOf(
        id=p,
        title=f"{s.agency} may honor the detainer: a condition of (b)(2) lifts the prohibition of (b)(1)",
        clause=b2,
        of=(_search(s, p), _removal(s, p)),
        says=Says(
            true=f"The prohibition of {b1} does not apply: a condition of {b2} is met. {s.agency} may honor the "
            "detainer; this is a permission, not a duty, and this law sets no time limit of its own.",
            false=f"{b1} forbids {s.agency} to honor a civil immigration detainer {how}, and no condition of {b2} "
            "is met.",
            unknown=f"Whether a condition of {b2} lifts the prohibition of {b1} is not known; until it is, {s.agency} "
            f"may hold the person only for such reasonable time as is necessary to conduct the search of {b2}.",
        ),
    )


def _is_detainer(s: EarlySection, p: str) -> Node:
    return Leaf(
        id=p,
        title="a civil immigration detainer (a detainer issued pursuant to 8 C.F.R. 287.7) was presented",
        clause=s.at("a", "1"),
        test=DetainerPresented(),
    )


def _not_a_detainer(s: EarlySection) -> Node:
    return Always(
        id=f"{s.key}.not_detainer",
        title="not a civil immigration detainer",
        clause=s.at("a", "1"),
        value=True,
        reason=f"No detainer issued pursuant to 8 C.F.R. 287.7 was presented, so {s.section} does not restrict "
        "the request: it reaches only civil immigration detainers as (a)(1) defines them (I-36).",
    )


def early_rule(
    applies: Callable[[str], bool], agency: str, action: str, fallback: Node, warning: RuleWarning
) -> Rule | None:
    """The rule of a pre-2014 section on ``action`` for ``agency``, or ``None`` if none of them governs it.
    ``fallback`` answers a notification asked for without a detainer; ``warning`` is the state-law warning."""
    for s in EARLY_SECTIONS:
        if s.agency != agency or not applies(s.provision):
            continue
        b1 = s.at("b", "1")
        if action in HOLD_ACTIONS:
            root = When(
                id=f"{s.key}.{action}",
                title=f"{s.agency} may {action} the person for federal immigration authorities",
                condition=_is_detainer(s, f"{s.key}.a1"),
                then=honor_detainer_early(s, action),
                otherwise=_not_a_detainer(s),
            )
            city = replace(
                warning,
                citations=(*warning.citations, s.at("c")),
                text=f"{warning.text} City law confers no such authority ({s.at('c')}).",
            )
            return Rule(action, b1, root, (city,))
        if action == "notify_release":
            root = When(
                id=f"{s.key}.notify",
                title=f"{s.agency} may notify federal immigration authorities of the release",
                condition=_is_detainer(s, f"{s.key}.notify.detainer"),
                then=honor_detainer_early(s, action),
                otherwise=fallback,
            )
            return Rule(action, b1, root)
    return None


def early_scope(provisions: Collection[str], agency: str) -> tuple[tuple[Clause, ...], str] | None:
    """Where a pre-2014 regime is silent: the clauses that limit its sections' reach, and why, or ``None`` if
    the regime is not a pre-2014 one (I-41, I-44: NYPD before 2013-07-16 is outside the 2011 text)."""
    present = [s for s in EARLY_SECTIONS if s.provision in provisions]
    if not present:
        return None
    own = next((s for s in present if s.agency == agency), None)
    if own is not None:
        return (own.at("b", "1"),), (
            f"{own.section} restricts only honoring a civil immigration detainer by holding the person or by "
            "notifying federal immigration authorities of the release; it says nothing about this request"
        )
    doc = next(s for s in present if s.agency == "DOC")
    covered = " and the police department (§ 14-154)" if any(s.agency == "NYPD" for s in present) else ""
    department = doc.at("a", doc.department or "3")
    return (department,), (
        f"the city's detainer law then governed only the department of correction ({department}){covered}; it did "
        f"not reach {agency}"
    )
