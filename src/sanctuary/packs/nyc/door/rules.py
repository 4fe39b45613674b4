"""The door guide's rules as trees of the core's node kinds (``sanctuary.law.tree``), one function per clause, each
node citing its clause down to the subdivision. A tree's truth means *permitted* (or, for a duty, *required*).

Which rule governs is chosen by what is asked and where (:func:`rule_for`); the duties that follow an answer
(refer the request to the privacy officer, report an emergency disclosure, notify a student's parent) are trees of
their own (:func:`duties_for`).
"""

from __future__ import annotations

from sanctuary.law.tree import All, Always, AnyOf, Clause, Leaf, Node, Not, Rule, RuleWarning, Says
from sanctuary.packs.nyc.door.facts import (
    CoveredPlace,
    Flag,
    InForce,
    JudicialWarrant,
    RequesterIs,
    RequiredByLaw,
    ValueIs,
)
from sanctuary.packs.nyc.door.instruments import (
    CRL28,
    EO13,
    EO41,
    EO170,
    EO170_1,
    INSTRUMENTS,
    JUD4A,
    S4_210,
    S9_131,
    S10_178,
    S21_977,
    S23_1201,
    S23_1202,
)
from sanctuary.packs.nyc.door.question import DoorQuestion

NON_LOCAL = ("federal_immigration", "other_non_local")


def _not_in_force(p: str, instrument: str, clause: Clause) -> Node:
    law = INSTRUMENTS[instrument]
    return Not(
        id=f"{p}.before",
        title=f"{law.name} was not yet in force",
        clause=clause,
        of=Leaf(id=f"{p}.in_force", title=f"{law.name} in force", test=InForce(instrument)),
        says=Says(true=f"Before {law.start} no such rule of {law.name} applied: the law left it to discretion."),
    )


def _flag(p: str, name: str, title: str, clause: Clause, words: tuple[str, str, str], **extra: object) -> Leaf:
    return Leaf(id=f"{p}.{name}", title=title, clause=clause, test=Flag(name, *words), **extra)  # type: ignore[arg-type]


def _emergency(p: str, clause: Clause) -> Leaf:
    return _flag(
        p,
        "emergency",
        "exigent circumstances exist",
        clause,
        (
            "Exigent circumstances exist: someone is in immediate danger.",
            "There are no exigent circumstances.",
            "Whether there is an emergency (exigent circumstances) is not known.",
        ),
    )


# --- § 4-210: non-public areas of city property and contracted sites ---------------------------------------------


def _access_exceptions(p: str, b: Clause) -> tuple[Node, ...]:
    """§ 4-210(b)(1) to (6); (1), (4) and (5) — the city's own agreements and determinations — are one fact (I-80)."""
    return (
        Leaf(
            id=f"{p}.warrant",
            title="the personnel present a judicial warrant",
            clause=b.below("2"),
            cites=(S4_210.below("a"),),
            test=JudicialWarrant(),
        ),
        _emergency(p, b.below("6")),
        Leaf(
            id=f"{p}.required", title="access is otherwise required by law", clause=b.below("3"), test=RequiredByLaw()
        ),
        _flag(
            p,
            "arrangement",
            "an agreement, cooperative arrangement or the agency's mission covers the access",
            b.below("1"),
            (
                "An agreement, contract, cooperative arrangement or the agency's mission covers this access.",
                "No agreement, contract, cooperative arrangement or agency determination covering this access is "
                "known (the door format's default, I-80).",
                "Whether an agreement, cooperative arrangement or the agency's mission covers the access is not known.",
            ),
            cites=(b.below("4"), b.below("5")),
        ),
    )


def access(q: DoorQuestion) -> Rule:
    """§ 4-210(b): "The city shall not knowingly permit" non-city law enforcement into non-public areas of city
    property unless one of six exceptions applies; § 4-210(c) carries the rule to contracted human-services sites."""
    p = "door.enter"
    b = S4_210.below("b")
    clause = S4_210.below("c") if q.setting == "contracted_site" else b
    root = AnyOf(
        id=p,
        title="the officer may be let into the area",
        clause=clause,
        of=(
            _not_in_force(p, "4-210", b),
            requester_leaf(p, ("nypd",), "personnel of the city, whom § 4-210(b) does not restrict", b),
            Leaf(
                id=f"{p}.public",
                title="the area is open to the public",
                clause=b,
                test=ValueIs(
                    "area",
                    ("public",),
                    "The area is open to the public: § 4-210(b) covers only non-public areas.",
                    "The area is not open to the public.",
                ),
            ),
            Not(
                id=f"{p}.not_covered",
                title="the place is not one § 4-210 covers",
                clause=S4_210.below("a"),
                of=Leaf(id=f"{p}.covered", title="city property or a contracted site", test=CoveredPlace()),
            ),
            *_access_exceptions(p, b),
        ),
        says=Says(
            true="Yes: § 4-210 does not bar letting them in here.",
            false="No: the city may not knowingly let law enforcement from outside the city into a non-public area "
            "without a judicial warrant, an emergency or another exception of § 4-210(b), and none applies.",
            unknown="It depends on a fact not yet known; until it is, do not let them into a non-public area.",
        ),
    )
    return Rule("enter", clause, root)


def requester_leaf(p: str, kinds: tuple[str, ...], words: str, clause: Clause) -> Leaf:
    """A leaf on who asks (named as the test it holds)."""
    return Leaf(id=f"{p}.requester", title=f"the requester is {words}", clause=clause, test=RequesterIs(kinds, words))


def state_facility_entry(q: DoorQuestion) -> Rule:
    """EO 170.1 (2018) as described: no civil immigration arrest in a state facility without a judicial warrant."""
    p = "door.state_enter"
    root = AnyOf(
        id=p,
        title="immigration enforcement may proceed in the state facility",
        clause=EO170_1,
        of=(
            _not_in_force(p, "eo170.1", EO170_1),
            Not(
                id=f"{p}.not_immigration",
                title="not federal immigration enforcement",
                clause=EO170_1,
                of=requester_leaf(p, ("federal_immigration",), "a federal immigration officer", EO170_1),
            ),
            Leaf(
                id=f"{p}.warrant", title="a judicial warrant is presented", clause=EO170_1, test=JudicialWarrant(True)
            ),
        ),
        says=Says(
            true="Yes: Executive Order 170.1, as described, does not bar this.",
            false="No: as the Governor's office describes Executive Order 170.1, an immigration arrest in a state "
            "facility needs a judicial warrant, and none was presented.",
            unknown="It depends on a fact not yet known; ask your agency's counsel before letting them proceed.",
        ),
    )
    return Rule("enter", EO170_1, root)


# --- §§ 23-1201 to 23-1205: identifying information ---------------------------------------------------------------


def _nypd_crime(p: str, clause: Clause) -> Node:
    return All(
        id=f"{p}.nypd_crime",
        title="by or to the police department in connection with an investigation of a crime",
        clause=clause,
        of=(
            requester_leaf(p, ("nypd",), "the police department", clause),
            _flag(
                p,
                "crime_investigation",
                "in connection with an investigation of a crime",
                clause,
                (
                    "It is in connection with an investigation of a crime committed, attempted or impending.",
                    "It is not in connection with an investigation of a crime.",
                    "Whether it is in connection with an investigation of a crime is not known.",
                ),
            ),
        ),
    )


def _approved(p: str, para: Clause, kind: str) -> Node:
    return AnyOf(
        id=f"{p}.approved",
        title=f"the privacy officer approved the {kind} in writing, or exigent circumstances exist",
        clause=para,
        of=(
            _flag(
                p,
                "approval",
                "the agency privacy officer's written approval",
                para,
                (
                    f"The agency privacy officer approved this {kind} in writing.",
                    f"The agency privacy officer has not approved this {kind} in writing.",
                    f"Whether the agency privacy officer approved this {kind} in writing is not known.",
                ),
            ),
            _emergency(p, para),
        ),
    )


def _mission(p: str, clause: Clause, kind: str) -> Leaf:
    return _flag(
        p,
        "furthers_mission",
        "furthers the purpose or mission of the agency",
        clause,
        (
            f"The {kind} furthers the purpose or mission of the agency.",
            f"The {kind} does not further the purpose or mission of the agency.",
            f"Whether the {kind} furthers the purpose or mission of the agency is not known.",
        ),
    )


def _routine(p: str, clause: Clause, kind: str) -> Leaf:
    return _flag(
        p,
        "routine",
        f"a routine {kind} approved in advance",
        clause,
        (
            f"It is a routine {kind} the privacy officer approved in advance.",
            f"It is not a routine {kind} approved in advance (none is known: the door format's default, I-80).",
            f"Whether it is a routine {kind} approved in advance is not known.",
        ),
    )


def disclosure(q: DoorQuestion) -> Rule:
    """§ 23-1202(c): no disclosure outside the agency without the privacy officer's written approval (absent exigent
    circumstances) and one of (c)(1)(a) to (c); routine disclosures approved in advance ((c)(2)(a)) and NYPD's
    crime investigations ((c)(2)(c)(1)) are outside (c)(1). Exigency excuses the approval, not (a) to (c) (I-85)."""
    p = "door.disclose"
    c1 = S23_1202.below("c", "1")
    root = AnyOf(
        id=p,
        title="the information may be disclosed",
        clause=c1,
        cites=(S23_1201,),
        of=(
            _not_in_force(p, "23-1202", c1),
            _nypd_crime(p, S23_1202.below("c", "2", "c", "1")),
            _routine(p, S23_1202.below("c", "2", "a"), "disclosure"),
            All(
                id=f"{p}.c1",
                title="approved (or an emergency), and one of (a) to (c)",
                clause=c1,
                of=(
                    _approved(p, c1, "disclosure"),
                    AnyOf(
                        id=f"{p}.grounds",
                        title="authorized by the person, furthering the mission, or required by law",
                        clause=c1,
                        of=(
                            _flag(
                                p,
                                "authorized_by_person",
                                "authorized in writing by the person",
                                c1.below("a"),
                                (
                                    "The person (or parent or guardian) authorized the disclosure in writing.",
                                    "The person has not authorized the disclosure in writing.",
                                    "Whether the person authorized the disclosure in writing is not known.",
                                ),
                            ),
                            _mission(p, c1.below("b"), "disclosure"),
                            Leaf(
                                id=f"{p}.required",
                                title="required by law or treaty",
                                clause=c1.below("c"),
                                cites=(S23_1202.below("i"),),
                                test=RequiredByLaw(),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        says=Says(
            true="Yes: § 23-1202 allows this disclosure.",
            false="No: identifying information may not leave the agency without the privacy officer's written "
            "approval (§ 23-1202(c)(1)); send the request to the privacy officer.",
            unknown="Not yet: whether it may be disclosed turns on a fact not known; send the request to the privacy "
            "officer and give nothing meanwhile.",
        ),
    )
    eo41 = RuleWarning(
        when=Leaf(id="warning.eo41", title="EO 41 in force", test=InForce("eo41")),
        citations=(EO41,),
        text="Executive Order 41 (2003), as described, also bars disclosing confidential information (immigration "
        "status, sexual orientation, status as a victim or witness, public assistance, tax records) unless required "
        "by law or, for status, the person is suspected of illegal activity other than mere undocumented status.",
    )
    return Rule("disclose", c1, root, (eo41,))


def state_disclosure(q: DoorQuestion) -> Rule:
    """EO 170 (2017) as quoted: no disclosure to federal immigration authorities for civil immigration enforcement
    unless required by law."""
    p = "door.state_disclose"
    root = AnyOf(
        id=p,
        title="the information may be disclosed",
        clause=EO170,
        of=(
            _not_in_force(p, "eo170", EO170),
            Not(
                id=f"{p}.not_immigration",
                title="not to federal immigration authorities",
                clause=EO170,
                of=requester_leaf(p, ("federal_immigration",), "a federal immigration officer", EO170),
            ),
            Leaf(id=f"{p}.required", title="required by law", clause=EO170, test=RequiredByLaw()),
        ),
        says=Says(
            true="Yes: Executive Order 170, as quoted, does not bar this disclosure.",
            false="No: Executive Order 170 bars state employees from disclosing information to federal immigration "
            "authorities for civil immigration enforcement unless required by law.",
            unknown="Not yet: whether the law requires it is for your agency's counsel.",
        ),
    )
    return Rule("disclose", EO170, root)


# --- asking a person's immigration status ---------------------------------------------------------------------------


def _needed(p: str, clause: Clause) -> Leaf:
    return _flag(
        p,
        "needed_for_service",
        "needed to determine eligibility or give the service, or required by law",
        clause,
        (
            "The status is needed to determine eligibility or provide the service, or the law requires asking.",
            "The status is not needed to determine eligibility or provide the service, and no law requires asking.",
            "Whether the status is needed to determine eligibility or provide the service is not known.",
        ),
    )


def inquiry(q: DoorQuestion) -> Rule:
    """EO 41 (2003) as described: a city worker asks a person's status only if required by law or needed for
    eligibility or the service; § 23-1202(b): collecting it needs the privacy officer's written approval (or a routine
    collection approved in advance, (b)(2)(a)) and must further the mission or be required by law."""
    p = "door.ask_status"
    b1 = S23_1202.below("b", "1")
    collection = AnyOf(
        id=f"{p}.collection",
        title="the collection is allowed",
        clause=b1,
        of=(
            _not_in_force(f"{p}.b", "23-1202", b1),
            _routine(p, S23_1202.below("b", "2", "a"), "collection"),
            All(
                id=f"{p}.b1",
                title="approved (or an emergency), and furthering the mission or required by law",
                clause=b1,
                of=(
                    _approved(p, b1, "collection"),
                    AnyOf(
                        id=f"{p}.grounds",
                        title="furthers the mission or required by law",
                        clause=b1,
                        of=(
                            _mission(p, b1.below("a"), "collection"),
                            Leaf(
                                id=f"{p}.required", title="required by law", clause=b1.below("b"), test=RequiredByLaw()
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    root = All(
        id=p,
        title="staff may ask the person's immigration status",
        clause=EO41,
        of=(
            AnyOf(
                id=f"{p}.eo41",
                title="Executive Order 41 allows asking",
                clause=EO41,
                of=(_not_in_force(f"{p}.e", "eo41", EO41), _needed(p, EO41)),
            ),
            collection,
        ),
        says=Says(
            true="Yes: asking is allowed here.",
            false="No: do not ask a person's immigration status unless it is needed to decide eligibility or give "
            "the service (Executive Order 41, as described) and the collection is approved (§ 23-1202(b)).",
            unknown="Not yet: whether asking is allowed turns on a fact not known; do not ask meanwhile.",
        ),
    )
    return Rule("ask_status", EO41, root)


def state_inquiry(q: DoorQuestion) -> Rule:
    """EO 170 (2017) as quoted: state employees (other than law enforcement) ask status only if necessary for
    eligibility or a service, or required by law."""
    p = "door.state_ask"
    root = AnyOf(
        id=p,
        title="a state employee may ask the status",
        clause=EO170,
        of=(_not_in_force(p, "eo170", EO170), _needed(p, EO170)),
        says=Says(
            true="Yes: Executive Order 170 allows asking here.",
            false="No: Executive Order 170 bars state employees from asking a person's immigration status unless "
            "necessary for eligibility or a service, or required by law.",
            unknown="Not yet: it turns on whether the status is needed for the service.",
        ),
    )
    return Rule("ask_status", EO170, root)


# --- state courthouses ---------------------------------------------------------------------------------------------


def court_arrest(q: DoorQuestion) -> Rule:
    """Civil Rights Law § 28(1): a party or witness (or family or household member) attending a court proceeding
    is privileged from civil arrest going, remaining and returning, unless a judicial warrant or judicial order
    authorizes it; § 28(2): willfully assisting a prohibited arrest is contempt of court and false imprisonment."""
    p = "door.assist_arrest"
    one = CRL28.below("1")
    root = AnyOf(
        id=p,
        title="a city employee may assist the civil arrest",
        clause=CRL28.below("2"),
        of=(
            _not_in_force(p, "crl28", one),
            Not(
                id=f"{p}.not_privileged",
                title="the person is not attending a court proceeding as a party or witness",
                clause=one,
                of=_flag(
                    p,
                    "attending_court",
                    "the person is attending a court proceeding as a party or witness (or with one)",
                    one,
                    (
                        "The person is going to, at or returning from a court proceeding as a party or potential "
                        "witness, or with a family or household member who is.",
                        "The person is not attending a court proceeding as a party or witness, nor with one.",
                        "Whether the person is attending a court proceeding as a party or witness is not known.",
                    ),
                ),
            ),
            Leaf(
                id=f"{p}.warrant",
                title="a judicial warrant or judicial order authorizes the arrest",
                clause=one,
                test=JudicialWarrant(orders=True),
            ),
        ),
        says=Says(
            true="Civil Rights Law § 28 does not bar this arrest.",
            false="No: the person is privileged from civil arrest while attending court (Civil Rights Law § 28(1)); "
            "willfully assisting such an arrest is contempt of court and false imprisonment (§ 28(2)).",
            unknown="Not yet: whether the arrest is privileged turns on a fact not known; do not assist meanwhile.",
        ),
    )
    court_personnel = RuleWarning(
        when=Always(id="warning.crl28", title="always", value=True, reason="always"),
        citations=(CRL28.below("2"), JUD4A),
        text="Civil Rights Law § 28(2) does not affect Penal Law article 35 defenses or court personnel acting "
        "lawfully to keep safety and order; a court may issue orders protecting the privilege (Judiciary Law § 4-a).",
    )
    return Rule("assist_arrest", CRL28.below("2"), root, (court_personnel,))


# --- city lots, DOC land -------------------------------------------------------------------------------------------


def staging(q: DoorQuestion) -> Rule:
    """§ 10-178(c): no city property for immigration enforcement, but as § 10-178(e) allows (required by law); EO 13
    (2026) as described: no non-local law enforcement staging or processing on city-owned or leased lots."""
    p = "door.staging"
    c = S10_178.below("c")
    statute = AnyOf(
        id=f"{p}.10_178",
        title="§ 10-178 allows the use",
        clause=c,
        of=(
            _not_in_force(f"{p}.s", "10-178", c),
            Not(
                id=f"{p}.not_enforcement",
                title="not for immigration enforcement",
                clause=c,
                of=requester_leaf(f"{p}.s", ("federal_immigration",), "a federal immigration officer", c),
            ),
            Leaf(id=f"{p}.required", title="required by law", clause=S10_178.below("e"), test=RequiredByLaw()),
        ),
    )
    order = AnyOf(
        id=f"{p}.eo13",
        title="Executive Order 13 allows the use",
        clause=EO13,
        of=(
            _not_in_force(f"{p}.e", "eo13", EO13),
            requester_leaf(f"{p}.e", ("nypd",), "personnel of the city", EO13),
        ),
    )
    root = All(
        id=p,
        title="the lot may be used for staging or processing",
        clause=c,
        of=(statute, order),
        says=Says(
            true="Yes: no city rule encoded here bars this use of the lot.",
            false="No: city property may not be used for immigration enforcement (§ 10-178(c)), and Executive Order "
            "13 (2026), as described, bars using city lots as staging or processing areas.",
            unknown="Not yet: it turns on a fact not known; do not open the lot meanwhile.",
        ),
    )
    return Rule("staging", c, root)


def office(q: DoorQuestion) -> Rule:
    """§ 9-131(h)(2): since Local Law 63 of 2026 no federal immigration office or quarters on DOC land "for any
    purpose"; before, one for purposes unrelated to civil immigration enforcement needed a mayoral executive order.

    The same clause decides the ``office_on_premises`` action of a case (``information.doc_office``), over the case's
    facts; here it is asked of a door question, whose ``executive_order`` fact carries the purpose condition (an
    order could authorize only an office for unrelated purposes: I-88), so the two give the same answer."""
    p = "door.office"
    h2 = S9_131.below("h", "2")
    not_authority = Not(
        id=f"{p}.not_authority",
        title="not federal immigration authorities",
        clause=h2,
        of=requester_leaf(p, ("federal_immigration",), "a federal immigration authority", h2),
    )
    before = All(
        id=f"{p}.before_2026",
        title="before 2026: for unrelated purposes, by executive order",
        clause=h2,
        of=(
            _not_in_force(p, "9-131-h2", h2),
            _flag(
                p,
                "executive_order",
                "a mayoral executive order authorizes the office, for purposes unrelated to civil immigration "
                "enforcement",
                h2,
                (
                    "A mayoral executive order in force authorizes an office for purposes unrelated to civil "
                    "immigration enforcement.",
                    "No mayoral executive order in force authorizes the office (Executive Order 50 of 2025 was "
                    "declared void on 2025-09-08 and revoked on 2026-01-01).",
                    "Whether a mayoral executive order in force authorizes the office is not known.",
                ),
            ),
        ),
    )
    root = AnyOf(
        id=p,
        title="federal immigration authorities may keep an office on DOC land",
        clause=h2,
        of=(not_authority, before),
        says=Says(
            true="Yes: § 9-131(h)(2) did not bar this office then.",
            false="No: federal immigration authorities may not keep an office or quarters on land of the Department "
            "of Correction, for any purpose — criminal investigations included (§ 9-131(h)(2), as amended in 2026).",
            unknown="Not yet: it turns on a fact not known.",
        ),
    )
    return Rule("office_space", h2, root)


# --- duties ---------------------------------------------------------------------------------------------------------


def mistake(q: DoorQuestion) -> Rule:
    """§ 23-1202(c)(4): the privacy officer who learns of a disclosure in violation of the chapter notifies the
    Chief Privacy Officer as soon as practicable (a duty: true means *required*)."""
    p = "door.report_mistake"
    c4 = S23_1202.below("c", "4")
    root = All(
        id=p,
        title="the privacy officer must notify the Chief Privacy Officer",
        clause=c4,
        of=(Leaf(id=f"{p}.in_force", title="§ 23-1202 in force", clause=c4, test=InForce("23-1202")),),
        says=Says(
            true="Yes, required: tell your agency privacy officer now; they must notify the Chief Privacy Officer as "
            "soon as practicable, and where its protocols say so the agency must try to tell the person in writing "
            "what was disclosed and to whom (§ 23-1202(c)(4)).",
            false="No city rule then required a report.",
        ),
    )
    return Rule("report_mistake", c4, root)


def duties_for(q: DoorQuestion, result: str) -> tuple[Rule, ...]:
    """The duties that may follow the answer ``result`` (each a tree whose truth means *required*): the report of
    an emergency disclosure or collection only where one may be made (the answer is not *prohibited*)."""
    out: list[Rule] = []
    if q.setting == "state_courthouse" or q.setting == "state_facility":
        return ()
    if q.ask in ("disclose", "ask_status") and result != "prohibited":
        kind = "disclosure" if q.ask == "disclose" else "collection"
        out.append(_exigent_report(kind))
    if q.ask == "disclose":
        out.append(_refer())
    if q.setting == "school" and q.ask in ("enter", "disclose"):
        out.append(_parent_notice())
    return tuple(out)


def _refer() -> Rule:
    p = "duty.refer"
    c3 = S23_1202.below("c", "3")
    root = All(
        id=p,
        title="send the request to the privacy officer",
        clause=c3,
        of=(
            Leaf(id=f"{p}.in_force", title="§ 23-1202 in force", test=InForce("23-1202")),
            Not(id=f"{p}.not_routine", title="not a routine disclosure", of=_routine(p, c3, "disclosure")),
        ),
        says=Says(true="Send the request to your agency privacy officer as soon as practicable (§ 23-1202(c)(3))."),
    )
    return Rule("refer", c3, root)


def _exigent_report(kind: str) -> Rule:
    p = "duty.exigent"
    d1 = S23_1202.below("d", "1")
    root = All(
        id=p,
        title="report the emergency to the Chief Privacy Officer",
        clause=d1,
        of=(
            Leaf(id=f"{p}.in_force", title="§ 23-1202 in force", test=InForce("23-1202")),
            _emergency(p, d1),
            Not(id=f"{p}.not_nypd", title="not NYPD's criminal investigation", of=_nypd_crime(p, d1.below("a"))),
        ),
        says=Says(
            true=f"After an emergency {kind}, send what was done and why the emergency existed to the Chief Privacy "
            "Officer as soon as practicable (§ 23-1202(d)(1))."
        ),
    )
    return Rule("report_exigent", d1, root)


def _parent_notice() -> Rule:
    p = "duty.parent"
    e = S21_977.below("e")
    root = All(
        id=p,
        title="notify the student's parent",
        clause=e,
        of=(
            Leaf(id=f"{p}.in_force", title="§ 21-977 in force", test=InForce("21-977")),
            requester_leaf(p, NON_LOCAL, "non-local law enforcement", e),
            Not(
                id=f"{p}.not_barred",
                title="notice not prohibited",
                of=_flag(
                    p,
                    "notice_barred",
                    "notice prohibited by law, a judicial order or a lawfully issued subpoena",
                    e,
                    (
                        "Notice is prohibited by law, a judicial order or a lawfully issued subpoena.",
                        "No law, judicial order or subpoena prohibits notice.",
                        "Whether a law, judicial order or subpoena prohibits notice is not known.",
                    ),
                ),
            ),
        ),
        says=Says(
            true="The Department of Education must notify the student's parent of the request and give the student "
            "and parent information on legal resources (§ 21-977(e)).",
            unknown="The Department of Education must notify the student's parent of the request unless a law, a "
            "judicial order or a lawfully issued subpoena prohibits notice (§ 21-977(e)).",
        ),
    )
    return Rule("notify_parent", e, root)


_STATE = {"enter": state_facility_entry, "disclose": state_disclosure, "ask_status": state_inquiry}
_CITY = {
    "enter": access,
    "disclose": disclosure,
    "ask_status": inquiry,
    "assist_arrest": court_arrest,
    "staging": staging,
    "office_space": office,
    "report_mistake": mistake,
}


def rule_for(q: DoorQuestion) -> Rule:
    """The rule on what is asked where (the question's parser admits only the pairs ``ASKS_AT`` lists)."""
    table = _STATE if q.setting == "state_facility" else _CITY
    return table[q.ask](q)


DUTY_KINDS = frozenset({"report_mistake"})  # asks whose answer is a duty (required), not a permission
