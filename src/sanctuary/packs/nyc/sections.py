"""The citations of the detainer sections, and where each section puts each part of the shared test.

§§ 9-131, 14-154 and 9-205 share one structure with different numbering; :class:`Section` records, for each,
the clause of each part, so that one tree (``detainers.honor_detainer``) serves all three with their own
citations. The other clauses cited across the rules are here too, so that each is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sanctuary.law.tree import (
    Clause,
    Limits,
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
#: The actions in the words the pages and reports use (the law pack's own words).
ACTION_WORDS = {
    "hold": "hold the person past release",
    "transfer": "transfer the person to federal custody",
    "notify_release": "notify of the release",
    **{action: f"tell {INFO_WORDS[action]}" for action in INFO_ACTIONS},
    "info:citizenship_status": "tell the person's citizenship or immigration status",
    "office_on_premises": "let federal immigration authorities keep an office on city premises",
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
    provision: str  # the provision of regimes.toml that enacts the detainer rule ("9-131(b)", "14-154", "9-205")


def _section(
    key: str, agency: str, number: str, *, authorities: str, warrant: str, crime: str, provision: str
) -> Section:
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
        provision=provision,
    )


DOC = _section("doc", "DOC", "9-131", authorities="4", warrant="5", crime="7", provision="9-131(b)")
NYPD = _section("nypd", "NYPD", "14-154", authorities="3", warrant="4", crime="6", provision="14-154")
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
    provision="9-205",
)
# The detainer section of each agency that has one; any other agency's detainer is read by § 9-131's
# definitions (the rules fall back to § 10-178 for it; I-15).
SECTIONS = {"DOC": DOC, "NYPD": NYPD, "DOP": DOP}


def section_for(agency: str) -> Section:
    return SECTIONS.get(agency, DOC)


S10_178 = Clause(CODE, "10-178")
#: The agencies the rules tell apart, each named with the section that governs it; any other city agency is
#: governed by § 10-178 alone.
AGENCIES = {
    **{
        agency: f"{name} (§ {SECTIONS[agency].rule.section})"
        for agency, name in (
            ("DOC", "Department of Correction"),
            ("NYPD", "Police Department"),
            ("DOP", "Department of Probation"),
        )
    },
    "OTHER": f"Any other city agency (§ {S10_178.section})",
}
H1 = Clause(CODE, "9-131", ("h", "1"))
H2 = Clause(CODE, "9-131", ("h", "2"))
B2 = Clause(CODE, "14-154", ("b", "2"))
FORTY_EIGHT_HOURS = Limits(max_hours=48, excluding=("saturday", "sunday", "holiday"))
