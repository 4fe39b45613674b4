"""Where no city law restricts an action, and what creates the absence.

Every permission that rests on the absence of a city law cites what creates the absence (I-41): the
repealing section of a bill (``repeal-2024``: Int 945-2024 § 1); the effective-date section of the local law
that enacts a provision not yet in effect on the decision date (§ 9-131(h) before 2015-02-12: L.L. 2014/58
§ 7; § 10-178 before 2018-01-30: L.L. 2017/228 § 4); before the first city law, the effective-date section of
L.L. 2011/62 (§ 2); otherwise the clause that limits the reach of the sections in force (a section that
restricts only honoring a detainer; a definition of "department" that names one agency).
"""

from __future__ import annotations

from collections.abc import Callable

from sanctuary.law.regime import Regime
from sanctuary.law.tree import Always, Clause, Node
from sanctuary.packs.nyc.early import early_scope
from sanctuary.packs.nyc.sections import CODE

#: The section of each enacting local law that says when the provision took effect.
EFFECTIVE_DATE_CLAUSES: dict[str, Clause] = {
    "9-131/2011": Clause("L.L. 2011/62", "2"),
    "9-131/2013": Clause("L.L. 2013/22", "4"),
    "14-154/2013": Clause("L.L. 2013/21", "2"),
    "9-131(b)": Clause("L.L. 2014/58", "6"),
    "9-131(h)": Clause("L.L. 2014/58", "7"),
    "14-154": Clause("L.L. 2014/59", "3"),
    "9-205": Clause("L.L. 2017/226", "2"),
    "10-178": Clause("L.L. 2017/228", "4"),
}
#: The first city law on detainers took effect 2012-03-21 (L.L. 2011/62 § 2: 120 days after it became law).
FIRST_LAW = EFFECTIVE_DATE_CLAUSES["9-131/2011"]
#: Proposals that repeal sections, and the section of the bill that repeals them (05b: "Section 1. Sections
#: 9-131, 9-205, 10-178, and 14-154 of the administrative code … are REPEALED.").
REPEALED_BY: dict[str, tuple[Clause, str]] = {
    "repeal-2024": (
        Clause("Int 945-2024 (proposal)", "1"),
        "Int 945-2024 § 1 would repeal §§ 9-131, 9-205, 10-178 and 14-154",
    ),
}
_OWN = {"DOC": ("9-131(b)", "9-131(h)"), "NYPD": ("14-154",), "DOP": ("9-205",)}


def _absence(regime: Regime, agency: str, applies: Callable[[str], bool]) -> tuple[tuple[Clause, ...], str]:
    if regime.id in REPEALED_BY:
        clause, why = REPEALED_BY[regime.id]
        return (clause,), why
    if not regime.provisions:
        return (FIRST_LAW,), (
            "no city law restricted cooperation with federal immigration authorities before 2012-03-21, when "
            f"§ 9-131 as enacted by L.L. 2011/62 took effect ({FIRST_LAW}: 120 days after it became law)"
        )
    relevant = (*_OWN.get(agency, ()), "10-178")
    waiting = [p for p in relevant if p in regime.provisions and not applies(p)]
    if waiting:
        clauses = tuple(EFFECTIVE_DATE_CLAUSES[p] for p in waiting)
        words = "; ".join(
            f"§ {p} took effect only on {regime.provisions[p]} ({EFFECTIVE_DATE_CLAUSES[p]})" for p in waiting
        )
        return clauses, f"{words}, after the decision date"
    early = early_scope(regime.provisions, agency)
    if early is not None:
        return early
    if agency == "NYPD" and "14-154" in regime.provisions:
        return (Clause(CODE, "14-154", ("b",)),), (
            "§ 14-154 restricts only honoring a civil immigration detainer; it says nothing about this request, "
            "and § 10-178 is not part of this law"
        )
    if agency == "DOC" and "9-131(b)" in regime.provisions:
        return (
            Clause(CODE, "9-131", ("b",)),
        ), "§ 9-131 in this law restricts only honoring a civil immigration detainer"
    return (Clause(CODE, "9-131", ("a", "3")),), (
        "the detainer laws in force governed only the department of correction (§ 9-131(a)(3)) and the police "
        f"department (§ 14-154); no city law in force reached {agency}"
    )


def no_city_law(regime: Regime, agency: str, applies: Callable[[str], bool]) -> Node:
    """No city law restricts ``agency`` here: permitted, as a matter of discretion under state and federal law,
    citing what creates the absence."""
    clauses, why = _absence(regime, agency, applies)
    return Always(
        id="no_city_law",
        title="no city law restricts this",
        clause=clauses[0],
        cites=clauses[1:],
        value=True,
        reason=f"No provision of city law in force under {regime.id} restricts {agency} here: {why}. The decision "
        "is a matter of discretion, subject to state and federal law.",
    )
