"""The quarterly report of § 10-178(d): requests from non-local law enforcement agencies for support or
assistance intended to further immigration enforcement, and the actions taken, by requester and agency (R-21).

It covers every agency, not one, and by default leaves out what the annual reports already count (R-22), so
it is computed apart from them.
"""

from __future__ import annotations

from collections import defaultdict

from sanctuary.facts.truth import Tri
from sanctuary.law.nyc.sections import HOLD_ACTIONS
from sanctuary.service.reports.classify import Classifier
from sanctuary.service.reports.counting import Builder, join_notes, window
from sanctuary.service.reports.periods import NEWLY_REQUIRED_FROM, Period
from sanctuary.service.reports.statute import AGENCY
from sanctuary.service.reports.trail import Request


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


def citywide_rows(b: Builder, requests: list[Request], c: Classifier, period: Period, *, include_annual: bool) -> None:
    """§ 10-178(d): requests from non-local law enforcement agencies for support or assistance intended to further
    immigration enforcement, and the actions taken in response, by requesting and receiving agency (R-21)."""
    p = "10-178(d)"
    w = window(period, NEWLY_REQUIRED_FROM, f"§ 10-178(d) applies from {NEWLY_REQUIRED_FROM} (L.L. 2017/228 § 4; R-16)")
    in_scope: list[Request] = []
    left_out = unknown_scope = defaulted = unnamed = 0
    for q in requests:
        if q.received < NEWLY_REQUIRED_FROM:
            continue
        received_now = q.received in w
        # The contract's requesters are all federal, and RecordFacts.requester_agency names the requesting
        # agency, city agencies never being requesters in the trail's vocabulary: any named requester is
        # "non-local".
        requester = q.requester_agency or q.case.request.from_
        if requester is None:
            unknown_scope += received_now
            continue
        # "Intended to further immigration enforcement": the recorded purpose (§ 6.6: the contract's two
        # purposes cannot separate criminal re-entry enforcement, which (a) also includes).
        if q.case.request.purpose != "civil_immigration_enforcement":
            continue
        if not include_annual and _in_annual_reports(q, c):
            left_out += received_now
            continue
        in_scope.append(q)
        if received_now:
            defaulted += "purpose" not in q.raw_request
            unnamed += q.requester_agency is None

    def name(q: Request) -> str:
        return q.requester_agency or str(q.case.request.from_)

    cells: dict[tuple[str, str], list[Request]] = defaultdict(list)
    for q in in_scope:
        if q.received in w:
            cells[(name(q), q.agency)].append(q)
    scope_note = (
        "requests for other assistance (staff, equipment, premises, joint operations) appear only as far as the "
        "contract's office_on_premises action records them; the trail has no other_assistance kind"
    )
    annual_note = (
        "requests counted in the § 9-131(f), § 14-154(f) or § 9-205(f) reports are left out (R-22)"
        if not include_annual
        else "requests counted in the annual reports are included, as the designated office chose (R-22)"
    )
    b.count(
        f"{p}.requests",
        "requests from non-local law enforcement agencies for support or assistance intended to further "
        "immigration enforcement, all cells together",
        "requests",
        sum(len(v) for v in cells.values()),
        w,
        note=join_notes(annual_note, scope_note, "one request record concerns one person (R-12)"),
    )
    for (requester, agency), qs in sorted(cells.items()):
        cell = f"{p}.requests[{requester},{agency}]"
        b.count(cell, f"requests from {requester} received by {agency}", "requests", len(qs), w)
        kinds: dict[str, int] = defaultdict(int)
        for q in qs:
            for kind in _kinds(q, c):
                kinds[kind] += 1
        for kind in sorted(kinds):
            b.count(
                f"{cell}.{kind}",
                f"requests from {requester} received by {agency}, of kind {kind.replace('_', ' ')}",
                "requests",
                kinds[kind],
                w,
                note="a request of several kinds counts under each (R-21)",
            )

    # Actions taken in response, refusals included. A withdrawal is the federal authority's act, not a
    # response of the city, so it is not listed.
    acted: dict[tuple[str, str, str], int] = defaultdict(int)
    for q in in_scope:
        for a in q.actions:
            if a.date in w and a.type != "detainer_withdrawn":
                acted[(name(q), q.agency, a.type)] += 1
    b.count(
        f"{p}.actions",
        "actions taken in response to such requests, all cells together",
        "actions",
        sum(acted.values()),
        w,
        note=annual_note,
    )
    for (requester, agency, kind), n in sorted(acted.items()):
        b.count(
            f"{p}.actions[{requester},{agency},{kind}]",
            f"actions of type {kind.replace('_', ' ')} by {agency} on requests from {requester}",
            "actions",
            n,
            w,
        )
    b.count(
        f"{p}.requests.no_action_recorded",
        "requests of the quarter with no action recorded by the cut-off",
        "requests",
        sum(1 for qs in cells.values() for q in qs if not [a for a in q.actions if a.type != "detainer_withdrawn"]),
        w,
        kind="gap",
    )
    b.count(
        f"{p}.requests.requester_unnamed",
        "requests whose requesting agency is recorded only as a contract group (e.g. OTHER_FEDERAL); shown under "
        "that group",
        "requests",
        unnamed,
        w,
        kind="gap",
    )
    for proviso, words in (
        ("interference", "(i): disclosure would interfere with law enforcement investigations"),
        (
            "public_safety",
            "(ii): related to actions under clause (i) of subdivision e and would compromise public safety",
        ),
    ):
        b.count(
            f"{p}.withheld.{proviso}",
            f"records withheld under proviso {words}",
            "requests",
            0,
            w,
            kind="gap",
            note="the trail's vocabulary records no withholding determination, so this report withheld nothing; "
            "the determination is the agency's, applied before publication (R-23). No small-cell suppression is "
            "applied: flagged for review",
        )
    b.count(
        f"detail:{p}.in_annual_reports",
        "requests of the quarter left out because a § 9-131(f), § 14-154(f) or § 9-205(f) row counts them (R-22)",
        "requests",
        left_out,
        w,
        kind="detail",
    )
    b.count(
        f"detail:{p}.purpose_defaulted",
        "requests in the table whose purpose was not stated and is read as the contract's default, civil "
        "immigration enforcement",
        "requests",
        defaulted,
        w,
        kind="detail",
    )
    b.count(
        f"detail:{p}.requests.immigration_enforcement_unknown",
        "requests whose requester is not recorded, so whether they are in scope is unknown; not in the table",
        "requests",
        unknown_scope,
        w,
        kind="detail",
    )
