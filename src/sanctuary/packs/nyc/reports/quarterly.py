"""The quarterly report of § 10-178(d): requests from non-local law enforcement agencies for support or
assistance intended to further immigration enforcement, and the actions taken, by requester and agency (R-21).

It covers every agency, not one, and by default leaves out what the annual reports already count (R-22), so
it is computed apart from them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from sanctuary.facts.truth import Tri
from sanctuary.packs.nyc.recording import OTHER_AGENCY, REQUESTING_AGENCIES
from sanctuary.packs.nyc.reports.classify import Classifier
from sanctuary.packs.nyc.reports.counting import join_notes
from sanctuary.packs.nyc.reports.declaration import Count, Family, Member, Part, Scope
from sanctuary.packs.nyc.reports.periods import NEWLY_REQUIRED_FROM
from sanctuary.packs.nyc.reports.statute import AGENCY
from sanctuary.packs.nyc.reports.trail import Action, Request
from sanctuary.packs.nyc.sections import HOLD_ACTIONS


def _in_annual_reports(q: Request, c: Classifier) -> bool:
    """Whether a statutory row of § 9-131(f), § 14-154(f) or § 9-205(f) counts this request: a detainer, or an
    information request from a federal immigration authority, received by DOC, NYPD or Probation (R-22)."""
    if q.agency not in AGENCY.values():
        return False
    return c.detainer(q) is Tri.TRUE or (c.asks_information(q) and c.fia(q) is Tri.TRUE)


def _kinds(q: Request, c: Classifier) -> list[str]:
    """Q.kind (R-21): a request may be of several kinds (a detainer with a question about court dates)."""
    actions = set(q.case.request.actions)
    kinds = []
    if c.detainer(q) is Tri.TRUE:
        kinds.append("detainer")
    elif actions & set(HOLD_ACTIONS):
        kinds.append("transfer")  # a request to hold or hand over that is not (known to be) a detainer
    if c.asks_information(q):
        kinds.append("information")
    if q.acts("access_granted", "access_refused"):
        kinds.append("access")
    if "office_on_premises" in actions:
        kinds.append("other_assistance")
    return kinds or ["kind_undetermined"]


# --- the populations: what the rows count -------------------------------------------------------------------


def _requester(q: Request) -> str:
    """The requesting agency as the table keys it: its code in the list of requesting agencies, ``other: <name>``,
    or, for a record made before the list, the name as recorded; else the contract's group (R-21, I-66)."""
    return q.requester_agency or str(q.case.request.from_)


def requester_words(code: str) -> str:
    """The requesting agency as a reader names it."""
    if code in REQUESTING_AGENCIES:
        return f"{REQUESTING_AGENCIES[code]} ({code})"
    return code.removeprefix(OTHER_AGENCY)


# The contract's groups that name no one agency.
GROUPS = ("OTHER_DHS", "OTHER_FEDERAL")


def _placed(s: Scope, q: Request) -> str:
    """Where R-21 and R-22 put a request: "in" the table, "unknown" (no requester recorded, so whether it is in
    scope is unknown), "out" (not intended to further immigration enforcement) or "annual" (left out because an
    annual report counts it)."""
    # The contract's requesters are all federal, and RecordFacts.requester_agency names the requesting agency,
    # city agencies never being requesters in the trail's vocabulary: any named requester is "non-local".
    if (q.requester_agency or q.case.request.from_) is None:
        return "unknown"
    # "Intended to further immigration enforcement": the recorded purpose (§ 6.6: the contract's two purposes
    # cannot separate criminal re-entry enforcement, which (a) also includes).
    if q.case.request.purpose != "civil_immigration_enforcement":
        return "out"
    if not s.include_annual and _in_annual_reports(q, s.c):
        return "annual"
    if q.withheld is not None:
        return "withheld"  # the agency's determination under the proviso of (d)
    return "in"


def _applies(q: Request) -> bool:
    return q.received >= NEWLY_REQUIRED_FROM


def received_in_quarter(s: Scope) -> list[Request]:
    """Every request received in the quarter, in scope or not (for the rows that say what was left out)."""
    return [q for q in s.requests if _applies(q) and q.received in s.w]


def _in_scope(s: Scope) -> list[Request]:
    """The requests of the table, whenever received: an action in the quarter may answer an earlier request."""
    return [q for q in s.requests if _applies(q) and _placed(s, q) == "in"]


def in_quarter(s: Scope) -> list[Request]:
    """The requests of the table received in the quarter."""
    return [q for q in s.of(_in_scope) if q.received in s.w]


def actions_in_quarter(s: Scope) -> list[tuple[Request, Action]]:
    """Actions taken in the quarter in response to requests of the table, refusals included (R-21). A withdrawal
    is the federal authority's act, not a response of the city, so it is not listed."""
    return [(q, a) for q in s.of(_in_scope) for a in q.actions if a.date in s.w and a.type != "detainer_withdrawn"]


def request_cells(s: Scope) -> Iterator[Member]:
    """One row per requesting and receiving agency, each followed by its requests by kind (R-21)."""
    cells: dict[tuple[str, str], list[Request]] = defaultdict(list)
    for q in s.of(in_quarter):
        cells[(_requester(q), q.agency)].append(q)
    for (requester, agency), qs in sorted(cells.items()):
        cell = f".requests[{requester},{agency}]"
        who = requester_words(requester)
        yield Member(cell, f"requests from {who} received by {agency}", len(qs))
        kinds = Counter(kind for q in qs for kind in _kinds(q, s.c))
        for kind in sorted(kinds):
            yield Member(
                f"{cell}.{kind}",
                f"requests from {who} received by {agency}, of kind {kind.replace('_', ' ')}",
                kinds[kind],
                "a request of several kinds counts under each (R-21)",
            )


def action_cells(s: Scope) -> Iterator[Member]:
    """One row per requesting agency, receiving agency and type of action (R-21)."""
    acted = Counter((_requester(q), q.agency, a.type) for q, a in s.of(actions_in_quarter))
    for (requester, agency, kind), n in sorted(acted.items()):
        yield Member(
            f".actions[{requester},{agency},{kind}]",
            f"actions of type {kind.replace('_', ' ')} by {agency} on requests from {requester_words(requester)}",
            n,
        )


# --- the predicates and notes -------------------------------------------------------------------------------------


def placed(where: str) -> Callable[[Scope, Request], bool]:
    return lambda s, q: _placed(s, q) == where


def no_action_recorded(_s: Scope, q: Request) -> bool:
    return not [a for a in q.actions if a.type != "detainer_withdrawn"]


def requester_unnamed(_s: Scope, q: Request) -> bool:
    """Named only by a contract group that is no one agency (another DHS component, another federal agency)."""
    return q.requester_agency is None and str(q.case.request.from_) in GROUPS


def requester_unlisted(_s: Scope, q: Request) -> bool:
    """Named as recorded before the list of requesting agencies (I-66): neither a listed code nor ``other: …``."""
    r = q.requester_agency
    return r is not None and r not in REQUESTING_AGENCIES and not r.startswith(OTHER_AGENCY)


def purpose_defaulted(_s: Scope, q: Request) -> bool:
    return "purpose" not in q.raw_request


def _annual_note(s: Scope) -> str:
    """What the table does with the requests the annual reports count: the designated office's choice (R-22)."""
    if s.include_annual:
        return "requests counted in the annual reports are included, as the designated office chose (R-22)"
    return "requests counted in the § 9-131(f), § 14-154(f) or § 9-205(f) reports are left out (R-22)"


SCOPE_NOTE = (
    "requests for other assistance (staff, equipment, premises, joint operations) appear only as far as the "
    "contract's office_on_premises action records them; the trail has no other_assistance kind"
)


def _requests_note(s: Scope) -> str | None:
    return join_notes(_annual_note(s), SCOPE_NOTE, "one request record concerns one person (R-12)")


def in_table_under_other_reading(s: Scope, q: Request) -> bool:
    """Whether Q would be in the table under the reading of R-22 the report does not apply (I-67)."""
    placed = _placed(s, q)
    if s.include_annual:
        return placed == "in" and not _in_annual_reports(q, s.c)
    return placed == "in" or (placed == "annual" and q.withheld is None)


def _other_reading_note(s: Scope) -> str:
    if s.include_annual:
        return "reading R-22 (I-67): the requests the annual reports count left out, as the default reading does"
    return (
        "reading (b) of R-22 (I-67): the annual reports hold no breakdown by requester or quarter, so their requests "
        'are arguably not "contained in" them; this is the table\'s total with them included'
    )


def withheld_under(ground: str) -> Callable[[Scope, Request], bool]:
    """A request of the quarter the agency withheld under the proviso ``ground`` (R-23)."""
    return lambda s, q: _placed(s, q) == "withheld" and q.withheld == ground


# --- the rows ---------------------------------------------------------------------------------------------------

WITHHELD = tuple(
    Count(
        f".withheld.{proviso}",
        f"requests withheld under proviso {words}",
        "requests",
        of=received_in_quarter,
        where=withheld_under(proviso),
        kind="gap",
        note="withheld on the agency's recorded determination, left out of every cell; only this total is shown "
        "(R-23). No small-cell suppression is applied: flagged for review",
    )
    for proviso, words in (
        ("interference", "(i): disclosure would interfere with law enforcement investigations"),
        (
            "public_safety",
            "(ii): related to actions under clause (i) of subdivision e and would compromise public safety",
        ),
    )
)

# § 10-178(d): requests from non-local law enforcement agencies for support or assistance intended to further
# immigration enforcement, and the actions taken in response, by requesting and receiving agency.
CITYWIDE = Part(
    (NEWLY_REQUIRED_FROM, f"§ 10-178(d) applies from {NEWLY_REQUIRED_FROM} (L.L. 2017/228 § 4; R-16)"),
    (
        Count(
            ".requests",
            "requests from non-local law enforcement agencies for support or assistance intended to further "
            "immigration enforcement, all cells together",
            "requests",
            of=in_quarter,
            note=_requests_note,
        ),
        Family("requests", request_cells),
        Count(
            ".actions",
            "actions taken in response to such requests, all cells together",
            "actions",
            of=actions_in_quarter,
            note=_annual_note,
        ),
        Family("actions", action_cells),
        Count(
            ".requests.no_action_recorded",
            "requests of the quarter with no action recorded by the cut-off",
            "requests",
            of=in_quarter,
            where=no_action_recorded,
            kind="gap",
        ),
        Count(
            ".requests.requester_unnamed",
            "requests whose requesting agency is recorded only as a group (another DHS component, another federal "
            "agency); shown under that group",
            "requests",
            of=in_quarter,
            where=requester_unnamed,
            kind="gap",
        ),
        Count(
            ".requests.requester_unlisted",
            "requests whose requesting agency was recorded in free words, before the list of requesting agencies; "
            "shown under the words recorded (one agency may then be in two cells)",
            "requests",
            of=in_quarter,
            where=requester_unlisted,
            kind="gap",
        ),
        *WITHHELD,
        Count(
            ".in_annual_reports",
            "requests of the quarter left out because a § 9-131(f), § 14-154(f) or § 9-205(f) row counts them (R-22)",
            "requests",
            of=received_in_quarter,
            where=placed("annual"),
            kind="detail",
        ),
        Count(
            ".requests.other_reading",
            'requests of the quarter in the table under the other reading of its last sentence ("shall not be '
            'required to include information contained in" the annual reports): with the requests those reports '
            "count if this table leaves them out, without them if it includes them",
            "requests",
            of=received_in_quarter,
            where=in_table_under_other_reading,
            kind="detail",
            note=_other_reading_note,
        ),
        Count(
            ".purpose_defaulted",
            "requests in the table whose purpose was not stated and is read as the contract's default, civil "
            "immigration enforcement",
            "requests",
            of=in_quarter,
            where=purpose_defaulted,
            kind="detail",
        ),
        Count(
            ".requests.immigration_enforcement_unknown",
            "requests whose requester is not recorded, so whether they are in scope is unknown; not in the table",
            "requests",
            of=received_in_quarter,
            where=placed("unknown"),
            kind="detail",
        ),
    ),
)
