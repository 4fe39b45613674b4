"""The annual reports' item on information requests: § 9-131(f)(9), § 14-154(f)(5), § 9-205(f)(5).

Requests from federal immigration authorities for information about a person, the responses that honored
them, and their disaggregation by the person's convictions, terrorist-screening match, kind of information
disclosed, and whether a transfer followed (R-12 – R-15). Newly required by L.L. 2017/228 and 2017/226, so
counted only from 2018-01-30 (R-16).
"""

from __future__ import annotations

from sanctuary.facts.truth import Tri
from sanctuary.service.reports.classify import Classifier
from sanctuary.service.reports.counting import Builder, Item, window
from sanctuary.service.reports.periods import NEWLY_REQUIRED_FROM, Period
from sanctuary.service.reports.trail import Request

# The contract action whose outcome a disclosed kind answers (for the decision split only).
GIVEN_TO_ACTION = {
    "incarceration_status": ("info:custody_status",),
    "release_date": ("info:release_date", "notify_release"),
    "court_appearance_date": ("info:court_date",),
    "appointment_date_or_time": ("info:other",),
    "other": ("info:other", "info:citizenship_status"),
}
CUSTODY_ENDING = ("transferred_to_federal_custody", "released_without_honoring", "hold_ended")


def _facilitation(item: Item, requests: list[Request]) -> str:
    """R-15: "yes" when, on or after the response, the person's custody ended by transfer to federal immigration
    custody; "no" when it ended otherwise; "pending" when the trail records no end by the cut-off. The person is
    followed through other requests to the same agency by person key; without a key, only this request."""
    q = item.q
    same = [r for r in requests if r.agency == q.agency and (r is q or (q.person_key and r.person_key == q.person_key))]
    ends = sorted(
        (a for r in same for a in r.acts(*CUSTODY_ENDING) if a.date >= item.date),
        key=lambda a: (a.date, a.seq),
    )
    if not ends:
        return "pending"
    first = ends[0]
    transferred = first.type == "transferred_to_federal_custody" or (
        first.type == "hold_ended" and first.reason == "transferred"
    )
    return "yes" if transferred else "no"


def information_rows(b: Builder, law: str, requests: list[Request], c: Classifier, period: Period) -> None:
    """§ 9-131(f)(9), § 14-154(f)(5), § 9-205(f)(5): requests from federal immigration authorities for
    information, the responses honoring them, and their disaggregation (R-12 – R-15)."""
    probation = law == "9-205"
    item = "(9)" if law == "9-131" else "(5)"
    p = f"{law}(f){item}"
    w = window(period, NEWLY_REQUIRED_FROM, "newly required by L.L. 2017/228 § 4 / 2017/226 § 2 (R-16)")
    custody = (
        ""
        if probation
        else (
            "; the trail records no custody fact, so every request about the person decided is taken to concern a "
            "person in the department's custody (the contract decides about a person the agency holds)"
        )
    )
    info_qs = [q for q in requests if c.asks_information(q)]
    asked = [q for q in info_qs if c.fia(q) is Tri.TRUE]
    in_period = [q for q in asked if q.received in w]
    b.count(
        f"{p}.requests",
        "requests from federal immigration authorities for a person's incarceration status, release dates, court "
        "appearance dates" + (", scheduled appointment dates or times" if probation else "") + " or any other "
        "information, whatever their stated purpose",
        "requests",
        len(in_period),
        w,
        note=("one request record concerns one person (R-12)" + custody),
    )
    b.count(
        f"{p}.requests.fia_unknown",
        "information requests received in the period whose requester is not known to be, or not to be, a federal "
        "immigration authority",
        "requests",
        sum(1 for q in info_qs if c.fia(q) is Tri.UNKNOWN and q.received in w),
        w,
        kind="gap",
    )
    b.count(
        f"{p}.requests.no_action_recorded",
        "requests of the row above with neither an answer nor a refusal recorded by the cut-off",
        "requests",
        sum(1 for q in in_period if not q.acts("information_answered", "information_refused")),
        w,
        kind="gap",
    )
    b.count(
        f"detail:{p}.requests.purpose_unrelated",
        "requests of the row above stated to be unrelated to civil immigration enforcement",
        "requests",
        sum(1 for q in in_period if q.case.request.purpose == "unrelated_to_immigration_enforcement"),
        w,
        kind="detail",
    )

    responses = [Item(q, a, a.date) for q in asked for a in q.acts("information_answered") if a.date in w]
    b.count(
        f"{p}.responses",
        "responses honoring such requests (any full or partial disclosure; R-13)",
        "responses",
        len(responses),
        w,
    )
    b.decisions(
        f"{p}.responses",
        responses,
        lambda i: tuple(a for g in (i.action.given if i.action and i.action.given else ()) for a in GIVEN_TO_ACTION[g]),
    )
    b.count(
        f"{p}.responses.vsc_undetermined",
        "responses whose person's record does not tell whether they were convicted of a violent or serious "
        "crime; in none of (i) to (iii)",
        "responses",
        sum(1 for i in responses if c.vsc(i.q, i.date) is Tri.UNKNOWN),
        w,
        kind="gap",
    )
    b.count(
        f"{p}.responses.information_given_unknown",
        "responses with no record of what kinds of information they disclosed; in no kind row",
        "responses",
        sum(1 for i in responses if i.action is not None and i.action.given is None),
        w,
        kind="gap",
    )
    kinds: tuple[tuple[str, frozenset[str], str], ...] = (
        ("incarceration_status", frozenset({"incarceration_status"}), "incarceration status"),
        ("release_dates", frozenset({"release_date"}), "release dates"),
        ("court_appearance_dates", frozenset({"court_appearance_date"}), "court appearance dates"),
    )
    if probation:  # § 9-205(f)(5) counts appointment dates apart; the other laws count them as "other"
        appointments = "scheduled_appointment_dates_or_times"
        kinds += ((appointments, frozenset({"appointment_date_or_time"}), "scheduled appointment dates or times"),)
    other = frozenset({"other"} if probation else {"other", "appointment_date_or_time"})
    kinds += (("other", other, "other types of information (including citizenship or immigration status)"),)
    classes = (
        ("i", "concerning a person with no convictions for a violent or serious crime", Tri.FALSE, None),
        ("ii", "concerning a person with at least one conviction for a violent or serious crime", Tri.TRUE, None),
        (
            "iii",
            "concerning a person with no convictions for a violent or serious crime who was identified as a possible "
            "match in the terrorist screening database (a subset of (i); R-14)",
            Tri.FALSE,
            Tri.TRUE,
        ),
    )
    for numeral, words, vsc, tsdb in classes:
        rows = [i for i in responses if c.record_is(i.q, i.date, vsc, tsdb)]
        cp = f"{p}({numeral})"
        b.count(cp, f"responses {words}", "responses", len(rows), w)
        for key, given, kind_words in kinds:
            b.count(
                f"{cp}.{key}",
                f"responses of ({numeral}) that included {kind_words}",
                "responses",
                sum(1 for i in rows if i.action is not None and given & set(i.action.given or ())),
                w,
                note="a response that included several kinds counts under each (R-13)",
            )
        facilitation = [_facilitation(i, requests) for i in rows]
        b.count(
            f"{cp}.transfer_facilitated",
            f"responses of ({numeral}) after which the person passed from the department into federal immigration "
            "custody (R-15; causation is not assessed)",
            "responses",
            facilitation.count("yes"),
            w,
        )
        b.count(
            f"{cp}.transfer_not_facilitated",
            f"responses of ({numeral}) whose person's custody ended otherwise (R-15)",
            "responses",
            facilitation.count("no"),
            w,
        )
        b.count(
            f"{cp}.transfer_pending",
            f"responses of ({numeral}) whose person's custody end is not recorded by the cut-off",
            "responses",
            facilitation.count("pending"),
            w,
            kind="gap",
        )
        if numeral == "i":  # the responses of (i) by terrorist-screening status: not recorded, then no match
            for row_id, text, status, kind in (
                (
                    f"{p}(iii).tsdb_unknown",
                    "responses of (i) whose person's terrorist-screening status is not recorded; not placed in (iii)",
                    Tri.UNKNOWN,
                    "gap",
                ),
                (
                    f"detail:{cp}.neither",
                    "responses of (i) with no terrorist-screening match: neither exception of (h)(1)(i) (R-14)",
                    Tri.FALSE,
                    "detail",
                ),
            ):
                b.count(row_id, text, "responses", sum(1 for i in rows if c.tsdb(i.q) is status), w, kind=kind)
    if probation:
        b.count(
            f"detail:{p}.responses.appointment_included",
            "responses that disclosed an appointment date or time, all classes together",
            "responses",
            sum(1 for i in responses if i.action is not None and "appointment_date_or_time" in (i.action.given or ())),
            w,
            kind="detail",
        )
