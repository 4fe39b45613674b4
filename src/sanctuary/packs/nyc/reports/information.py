"""The annual reports' item on information requests: § 9-131(f)(9), § 14-154(f)(5), § 9-205(f)(5).

Requests from federal immigration authorities for information about a person, the responses that honored
them, and their disaggregation by the person's convictions, terrorist-screening match, kind of information
disclosed, and whether a transfer followed (R-12 – R-15). Newly required by L.L. 2017/228 and 2017/226, so
counted only from 2018-01-30 (R-16).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sanctuary.facts.truth import Tri
from sanctuary.packs.nyc.reports.counting import Item
from sanctuary.packs.nyc.reports.declaration import Count, Decisions, Part, Persons, Population, Scope, Spec
from sanctuary.packs.nyc.reports.periods import NEWLY_REQUIRED_FROM
from sanctuary.packs.nyc.reports.trail import Action, Request

# The contract action whose outcome a disclosed kind answers (for the decision split only).
GIVEN_TO_ACTION = {
    "incarceration_status": ("info:custody_status",),
    "release_date": ("info:release_date", "notify_release"),
    "court_appearance_date": ("info:court_date",),
    "appointment_date_or_time": ("info:other",),
    "other": ("info:other", "info:citizenship_status"),
}
CUSTODY_ENDING = ("transferred_to_federal_custody", "released_without_honoring", "hold_ended")
# What (i)–(iii) apply, said in their labels.
LOOKBACK = " (convictions as (a)(2) defines them: judgments within the five-year look-back)"
SINCE_2018 = (NEWLY_REQUIRED_FROM, "newly required by L.L. 2017/228 § 4 / 2017/226 § 2 (R-16)")


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


# --- the populations: what the rows count -------------------------------------------------------------------


def _information_requests(s: Scope) -> list[Request]:
    """Requests asking for information about the person (an info:* action, or I-1's notification request)."""
    return [q for q in s.requests if s.c.asks_information(q)]


def _asked(s: Scope) -> list[Request]:
    """Information requests from a federal immigration authority as defined on the day received (R-19)."""
    return [q for q in s.of(_information_requests) if s.c.fia(q) is Tri.TRUE]


def asked_in_period(s: Scope) -> list[Request]:
    """The requests of the item: from a federal immigration authority, received in the window, whatever their
    stated purpose (R-12)."""
    return [q for q in s.of(_asked) if q.received in s.w]


def _answers(s: Scope, q: Request) -> list[Action]:
    """The answers to Q, however recorded (I-60): ``information_answered``, and a notification of release given to
    a request to be notified that is an information request (an I-247N), which disclosed the release date."""
    answers = q.acts("information_answered")
    if s.c.notification_answers_information(q):
        answers += [replace(a, given=("release_date",)) for a in q.acts("notified_of_release")]
    return sorted(answers, key=lambda a: (a.date, a.seq))


def responses(s: Scope) -> list[Item]:
    """Responses honoring such requests: answers dated in the window, any full or partial disclosure (R-13)."""
    return [Item(q, a, a.date) for q in s.of(_asked) for a in _answers(s, q) if a.date in s.w]


def _responses_of_class(vsc: Tri, tsdb: Tri | None = None) -> Population[Item]:
    """The responses of (i), (ii) or (iii): by the person's record as recorded for the response (R-11, R-14)."""
    return lambda s: [i for i in s.of(responses) if s.c.record_is(i.q, i.date, vsc, tsdb)]


NO_CONVICTION = _responses_of_class(Tri.FALSE)  # (i)
CONVICTED = _responses_of_class(Tri.TRUE)  # (ii)
NO_CONVICTION_TSDB_MATCH = _responses_of_class(Tri.FALSE, Tri.TRUE)  # (iii): a subset of (i), as written


# --- the predicates: which of them a row counts --------------------------------------------------------------


def fia_unknown_in_period(s: Scope, q: Request) -> bool:
    """A request received in the window whose requester is not known to be, or not to be, a federal
    immigration authority."""
    return s.c.fia(q) is Tri.UNKNOWN and q.received in s.w


def no_action_recorded(s: Scope, q: Request) -> bool:
    return not _answers(s, q) and not q.acts("information_refused")


def purpose_unrelated(_s: Scope, q: Request) -> bool:
    return q.case.request.purpose == "unrelated_to_immigration_enforcement"


def convicted_outside_lookback(s: Scope, i: Item) -> bool:
    """A response of (i) whose person has a judgment for a violent or serious crime outside the look-back: in (ii)
    under the other reading of R-11 (I-63)."""
    return s.c.vsc_ever(i.q, i.date) is Tri.TRUE


def vsc_undetermined(s: Scope, i: Item) -> bool:
    return s.c.vsc(i.q, i.date) is Tri.UNKNOWN


def given_not_recorded(_s: Scope, i: Item) -> bool:
    return i.action is not None and i.action.given is None


def included(kinds: frozenset[str]) -> Callable[[Scope, Item], bool]:
    """A response that disclosed some of ``kinds``; a response with several kinds counts under each (R-13)."""
    return lambda _s, i: i.action is not None and bool(kinds & set(i.action.given or ()))


def facilitation(outcome: str) -> Callable[[Scope, Item], bool]:
    """A response whose facilitation (R-15) is ``outcome``: computed once per response, whatever the rows."""
    return lambda s, i: s.memo(("R-15", id(i)), lambda: _facilitation(i, s.requests)) == outcome


def any_facilitated(s: Scope, group: list[Item]) -> bool:
    """A person some response of whose was followed by their transfer (R-15, counted by person)."""
    yes = facilitation("yes")
    return any(yes(s, i) for i in group)


def tsdb_is(status: Tri) -> Callable[[Scope, Item], bool]:
    return lambda s, i: s.c.tsdb(i.q) is status


def _given_actions(item: Item) -> tuple[str, ...]:
    """The contract actions whose outcome the kinds disclosed answer (for the decision split only; R-3)."""
    given = item.action.given if item.action and item.action.given else ()
    return tuple(a for g in given for a in GIVEN_TO_ACTION[g])


# --- the rows ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of information the item counts responses by: its key, what was disclosed, its words."""

    key: str
    given: frozenset[str]
    words: str


_INCARCERATION = Kind("incarceration_status", frozenset({"incarceration_status"}), "incarceration status")
_RELEASE = Kind("release_dates", frozenset({"release_date"}), "release dates")
_COURT = Kind("court_appearance_dates", frozenset({"court_appearance_date"}), "court appearance dates")
_OTHER_WORDS = "other types of information (including citizenship or immigration status)"
# DOC and NYPD: an appointment date is "any other information".
KINDS_IN_CUSTODY = (
    _INCARCERATION,
    _RELEASE,
    _COURT,
    Kind("other", frozenset({"other", "appointment_date_or_time"}), _OTHER_WORDS),
)
# § 9-205(f)(5) counts appointment dates apart.
KINDS_PROBATION = (
    _INCARCERATION,
    _RELEASE,
    _COURT,
    Kind(
        "scheduled_appointment_dates_or_times",
        frozenset({"appointment_date_or_time"}),
        "scheduled appointment dates or times",
    ),
    Kind("other", frozenset({"other"}), _OTHER_WORDS),
)


def _class_rows(item: str, numeral: str, words: str, of: Population[Item], kinds: tuple[Kind, ...]) -> tuple[Spec, ...]:
    """(i), (ii) or (iii): the class's responses, by kind of information, and whether a transfer followed (R-15)."""
    cp = f"{item}({numeral})"
    return (
        Count(cp, f"responses {words}", "responses", of=of),
        *(
            Count(
                f"{cp}.{k.key}",
                f"responses of ({numeral}) that included {k.words}",
                "responses",
                of=of,
                where=included(k.given),
                note="a response that included several kinds counts under each (R-13)",
            )
            for k in kinds
        ),
        Count(
            f"{cp}.transfer_facilitated",
            f"responses of ({numeral}) after which the person passed from the department into federal immigration "
            "custody (R-15; causation is not assessed)",
            "responses",
            of=of,
            where=facilitation("yes"),
        ),
        Persons(
            f"{cp}.persons_transfer_facilitated",
            f"distinct persons behind the responses of ({numeral}) after which the person passed into federal "
            'immigration custody: the other reading of "whether the department facilitated the transfer of such '
            'persons"',
            of=of,
            where=any_facilitated,
            kind="detail",
            key_gap=False,
            note="reading R-15",
        ),
        Count(
            f"{cp}.transfer_not_facilitated",
            f"responses of ({numeral}) whose person's custody ended otherwise (R-15)",
            "responses",
            of=of,
            where=facilitation("no"),
        ),
        Count(
            f"{cp}.transfer_pending",
            f"responses of ({numeral}) whose person's custody end is not recorded by the cut-off",
            "responses",
            of=of,
            where=facilitation("pending"),
            kind="gap",
        ),
    )


def _requests_rows(item: str, words: str, custody: str) -> tuple[Spec, ...]:
    """The requests of the item, and those whose requester or answer the trail does not record (R-12)."""
    return (
        Count(
            f"{item}.requests",
            words,
            "requests",
            of=asked_in_period,
            note="one request record concerns one person (R-12)" + custody,
        ),
        Count(
            f"{item}.requests.fia_unknown",
            "information requests received in the period whose requester is not known to be, or not to be, a "
            "federal immigration authority",
            "requests",
            of=_information_requests,
            where=fia_unknown_in_period,
            kind="gap",
        ),
        Count(
            f"{item}.requests.no_action_recorded",
            "requests of the row above with neither an answer nor a refusal recorded by the cut-off",
            "requests",
            of=asked_in_period,
            where=no_action_recorded,
            kind="gap",
        ),
        Count(
            f"{item}.requests.purpose_unrelated",
            "requests of the row above stated to be unrelated to civil immigration enforcement",
            "requests",
            of=asked_in_period,
            where=purpose_unrelated,
            kind="detail",
        ),
    )


def _responses_rows(item: str) -> tuple[Spec, ...]:
    """The responses honoring the requests (R-13), with the decision split (R-3) and their gaps."""
    return (
        Count(
            f"{item}.responses",
            "responses honoring such requests (any full or partial disclosure; R-13)",
            "responses",
            of=responses,
        ),
        Decisions(f"{item}.responses", of=responses, actions=_given_actions),
        Count(
            f"{item}.responses.vsc_undetermined",
            "responses whose person's record does not tell whether they were convicted of a violent or serious "
            "crime; in none of (i) to (iii)",
            "responses",
            of=responses,
            where=vsc_undetermined,
            kind="gap",
        ),
        Count(
            f"{item}.responses.information_given_unknown",
            "responses with no record of what kinds of information they disclosed; in no kind row",
            "responses",
            of=responses,
            where=given_not_recorded,
            kind="gap",
        ),
    )


def information_part(item: str, words: str, custody: str, kinds: tuple[Kind, ...], *extra: Spec) -> Part:
    """An annual law's item on information requests (§ 9-131(f)(9), § 14-154(f)(5), § 9-205(f)(5)): the same
    questions under the item's number, in the law's words, with its kinds of information; ``custody`` is added
    to the requests' note and ``extra`` rows follow the item's."""
    return Part(
        SINCE_2018,
        (
            *_requests_rows(item, words, custody),
            *_responses_rows(item),
            *_class_rows(
                item,
                "i",
                "concerning a person with no convictions for a violent or serious crime" + LOOKBACK,
                NO_CONVICTION,
                kinds,
            ),
            # the responses of (i) by terrorist-screening status: not recorded, then no match
            Count(
                f"{item}(iii).tsdb_unknown",
                "responses of (i) whose person's terrorist-screening status is not recorded; not placed in (iii)",
                "responses",
                of=NO_CONVICTION,
                where=tsdb_is(Tri.UNKNOWN),
                kind="gap",
            ),
            Count(
                f"{item}(i).no_outside_lookback",
                "responses of (i) whose person has a judgment for a violent or serious crime outside the look-back: "
                "in (ii) under the other reading, counting every judgment however old",
                "responses",
                of=NO_CONVICTION,
                where=convicted_outside_lookback,
                kind="detail",
                note="reading (b) of R-11 (I-63)",
            ),
            Count(
                f"{item}(i).neither",
                "responses of (i) with no terrorist-screening match: neither exception of (h)(1)(i) (R-14)",
                "responses",
                of=NO_CONVICTION,
                where=tsdb_is(Tri.FALSE),
                kind="detail",
            ),
            *_class_rows(
                item,
                "ii",
                "concerning a person with at least one conviction for a violent or serious crime" + LOOKBACK,
                CONVICTED,
                kinds,
            ),
            *_class_rows(
                item,
                "iii",
                "concerning a person with no convictions for a violent or serious crime who was identified as a "
                "possible match in the terrorist screening database"
                + LOOKBACK.replace(" (", " (a subset of (i); ")
                + " (R-14)",
                NO_CONVICTION_TSDB_MATCH,
                kinds,
            ),
            *extra,
        ),
    )


# DOC and NYPD: the trail records no custody fact.
IN_CUSTODY = (
    "; the trail records no custody fact, so every request about the person decided is taken to concern a "
    "person in the department's custody (the contract decides about a person the agency holds)"
)
_ASKED = (
    "requests from federal immigration authorities for a person's incarceration status, release dates, court "
    "appearance dates"
)
_ANY_OTHER = " or any other information, whatever their stated purpose"

DOC_INFORMATION = information_part("(9)", _ASKED + _ANY_OTHER, IN_CUSTODY, KINDS_IN_CUSTODY)  # § 9-131(f)(9)
NYPD_INFORMATION = information_part("(5)", _ASKED + _ANY_OTHER, IN_CUSTODY, KINDS_IN_CUSTODY)  # § 14-154(f)(5)
PROBATION_INFORMATION = information_part(  # § 9-205(f)(5): the person need not be in custody
    "(5)",
    _ASKED + ", scheduled appointment dates or times" + _ANY_OTHER,
    "",
    KINDS_PROBATION,
    Count(
        "(5).responses.appointment_included",
        "responses that disclosed an appointment date or time, all classes together",
        "responses",
        of=responses,
        where=included(frozenset({"appointment_date_or_time"})),
        kind="detail",
    ),
)
