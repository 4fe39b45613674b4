"""Proposals as named overrides: functions that rewrite a rule of the base regime (``nyc-2017``).

``regimes.toml`` names them; loading checks the names exist. ``repeal-2024`` needs none: it removes
provisions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sanctuary.law.tree import (
    All,
    Always,
    AnyOf,
    Clause,
    ForSome,
    Leaf,
    Node,
    Rule,
    RuleWarning,
    Says,
    replace_where,
)
from sanctuary.packs.nyc.convictions import (
    PendingChargeWitness,
)
from sanctuary.packs.nyc.detainers import honor_detainer, unrelated_purpose, violent_or_serious_crime
from sanctuary.packs.nyc.requests import (
    DetainerPresented,
    FactIsTrue,
    RequiredUnderFederalLaw,
)
from sanctuary.packs.nyc.sections import CODE, DOC, H1, NYPD, USC_1373

# --- proposals: named overrides --------------------------------------------------------------------------------

ADAMS = Clause("adams-2024 proposal (project encoding)")


def _adams(rule: Rule, agency: str) -> Rule:
    """adams-2024: wherever the law asks "convicted of a violent or serious crime or a possible terrorist-
    screening match", also accept (C) a pending charge for a violent or serious crime or (D) a listing in a
    law-enforcement gang database."""

    def widen(node: Node) -> Node | None:
        if not node.id.endswith(".record") or not isinstance(node, AnyOf):
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
            condition=violent_or_serious_crime(section, f"{p}.pending", "the charge is for a violent or serious crime"),
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
NO_CONFLICT = Clause(CODE, "9-131", ("d",))  # survives the bill, which amends only (h)(1)


def _int_185(rule: Rule, agency: str) -> Rule:
    """int-185-2022: § 9-131(h)(1) allows a response only "pursuant to subdivision b" (while honoring a
    detainer under (b)(1)) or where unrelated to civil immigration enforcement; the citizenship carve-out and
    "otherwise required by law" are deleted. § 9-131(d), which the bill does not touch, still keeps the section
    from prohibiting cooperation "when required under federal law": a federal court's order or subpoena (I-42)."""
    if agency != "DOC":
        return rule
    replacement = AnyOf(
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
            Leaf(
                id="doc.h1.federal_law",
                title="required under federal law (a federal court's order or subpoena; § 9-131(d))",
                clause=NO_CONFLICT,
                test=RequiredUnderFederalLaw(),
            ),
        ),
        says=Says(
            false="Under Int 185-2022, DOC may communicate with federal immigration authorities "
            "about a person only while honoring a detainer under subdivision b, or where "
            "unrelated to civil immigration enforcement, and § 9-131(d) still allows cooperation required "
            "under federal law; none applies.",
            true="Int 185-2022 allows this communication.",
            unknown="Whether Int 185-2022 would allow this communication is not known.",
        ),
    )

    def swap(node: Node) -> Node | None:
        return replacement if node.id in ("doc.h1", "citizenship") else None

    warnings = rule.warnings
    if rule.action == "info:citizenship_status":
        warnings += (
            RuleWarning(
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
