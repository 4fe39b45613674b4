"""The annual reports' items on detainers: § 9-131(f)(1)–(8), § 14-154(f)(1)–(4), § 9-205(f)(1)–(4), declared.

The three annual laws ask nearly the same questions about detainers (how many were lodged, how many persons
were held, transferred, or not honored), so their rows share one set of populations and predicates, and each
law's declaration (:data:`DOC_DETAINERS`, :data:`NYPD_DETAINERS`, :data:`PROBATION_DETAINERS`) lists its own
rows in its own words and order; only the Department of Correction's has the reasons, the convictions, SCAAP
funding and the ended holds. Dispositions are read from the actions only, never from the decision (R-9).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import get_args

from sanctuary.facts.truth import Tri
from sanctuary.packs.nyc.recording import DetainerReason
from sanctuary.packs.nyc.reports.classify import Classifier
from sanctuary.packs.nyc.reports.counting import Item, Window
from sanctuary.packs.nyc.reports.declaration import Count, Decisions, Part, Persons, Population, Scope, Supplied
from sanctuary.packs.nyc.reports.history import HELD, HOLD_OVER, NOTIFIED, TRANSFERRED, custody, disposition
from sanctuary.packs.nyc.reports.history import not_honored as release_not_honoring
from sanctuary.packs.nyc.reports.periods import ENCODED_FROM, NEWLY_REQUIRED_FROM
from sanctuary.packs.nyc.reports.trail import Request

# § 9-131(f)(1)(i)–(iv): the reasons federal immigration authorities gave for a detainer.
REASONS = tuple(r for r in get_args(DetainerReason) if r not in ("other", "unknown"))
KNOWN_REASONS = frozenset({*REASONS, "other"})  # a reason recorded, of the statute's list or another
REASON_WORDS = {
    "i": "had reason to believe that the persons in the department's custody are subject to removal",
    "ii": "initiated removal proceedings and served a notice to appear or other charging document",
    "iii": "served a warrant of arrest for removal proceedings",
    "iv": "obtained orders of deportation or removal from the United States",
}
# (8): the two reasons the statute names for a hold that ended without a transfer.
HOLD_END_REASONS = ("hold_period_expired", "federal_disavowed_custody")


@dataclass
class _Detainer:
    """One detainer: the copies recorded of it (same ``detainer_reference``, R-5), dated by the first."""

    copies: list[Request]

    @property
    def received(self) -> dt.date:
        return min(q.received for q in self.copies)

    @property
    def reasons(self) -> frozenset[str]:
        return frozenset(r for q in self.copies for r in q.reasons) - {"unknown"}

    def disposition(self) -> str:
        """Disposition(detainer), read from the histories of its copies only, never from the decision (R-9)."""
        return disposition([q.actions for q in self.copies])


DISPOSITIONS = (
    "honored_by_hold",
    "honored_by_notification",
    "honored_by_transfer",
    "not_honored",
    "withdrawn",
    "pending",
)


def _detainers(requests: list[Request], c: Classifier) -> list[_Detainer]:
    groups: dict[str, list[Request]] = defaultdict(list)
    for q in requests:
        if c.detainer(q) is Tri.TRUE:
            groups[f"ref:{q.detainer_ref}" if q.detainer_ref else f"id:{q.id}"].append(q)
    return [_Detainer(copies) for copies in groups.values()]


def _events(requests: Iterable[Request], kind: str, w: Window) -> list[Item]:
    """The custody events ``kind`` of the requests' histories dated in the window, each once however it was
    recorded (I-60); the history has already set aside what a withdrawn or closed detainer rules out (I-61)."""
    return [Item(q, a, a.date) for q in requests for k, a in custody(q.actions) if k == kind and a.date in w]


# --- the populations: what the rows count -------------------------------------------------------------------


def lodged(s: Scope) -> list[_Detainer]:
    """(1): the detainers received in the window, one per detainer, not per copy (R-5)."""
    return [d for d in _detainers(s.requests, s.c) if d.received in s.w]


def from_authorities(s: Scope, d: _Detainer) -> bool:
    """§ 14-154(f)(1), § 9-205(f)(1): a detainer "received from federal immigration authorities": the requester of
    some copy is one, as defined on the day received (I-64)."""
    return any(s.c.fia(q) is Tri.TRUE for q in d.copies)


def received_from_authorities(s: Scope) -> list[_Detainer]:
    """§ 14-154(f)(1), § 9-205(f)(1): the detainers of the window received from federal immigration authorities."""
    return [d for d in s.of(lodged) if from_authorities(s, d)]


def sender_unknown(s: Scope, d: _Detainer) -> bool:
    """A detainer whose recorded requester is not known to be, or not to be, a federal immigration authority."""
    return not from_authorities(s, d) and any(s.c.fia(q) is Tri.UNKNOWN for q in d.copies)


def undetermined(s: Scope) -> list[Request]:
    """Requests received in the window of which the recorded case does not tell whether they are detainers."""
    return [q for q in s.requests if s.c.detainer(q) is Tri.UNKNOWN and q.received in s.w]


def _detainer_requests(s: Scope) -> list[Request]:
    return [q for q in s.requests if s.c.detainer(q) is Tri.TRUE]


def _acted(kind: str) -> Population[Item]:
    """The custody events ``kind`` in the window on detainers, each dated by itself (R-2)."""
    return lambda s: _events(s.of(_detainer_requests), kind, s.w)


held = _acted(HELD)  # (2); R-7: for Probation any hold in answer to a detainer
transferred = _acted(TRANSFERRED)  # (3); R-8: by handover, or a hold that ended in a transfer (I-60)
holds_ended = _acted(HOLD_OVER)  # (8): by the reason recorded, never inferred from the hold's length


def not_honored(s: Scope) -> list[Item]:
    """(7) / (4): the release that left a detainer in effect not honored, dated by the end of custody (R-9)."""
    return [
        Item(q, a, a.date)
        for q in s.of(_detainer_requests)
        if (a := release_not_honoring(q.actions)) is not None and a.date in s.w
    ]


# --- the predicates: which of them a row counts --------------------------------------------------------------


def states(reason: str) -> Callable[[Scope, _Detainer], bool]:
    """A detainer stating ``reason``; a detainer stating several counts under each (R-6)."""
    return lambda _s, d: reason in d.reasons


def no_reason_recorded(_s: Scope, d: _Detainer) -> bool:
    """A detainer with no reason recorded, of the statute's list or another (never inferred; R-6)."""
    return not d.reasons & KNOWN_REASONS


def disposed(disposition: str) -> Callable[[Scope, _Detainer], bool]:
    return lambda _s, d: d.disposition() == disposition


def held_stating(reason: str) -> Callable[[Scope, list[Item]], bool]:
    """A person held on some detainer stating ``reason``."""
    return lambda _s, group: any(reason in i.q.reasons for i in group)


def held_only_without_reason(_s: Scope, group: list[Item]) -> bool:
    """A person held only on detainers whose reason is not recorded."""
    return all(not i.q.reasons & KNOWN_REASONS for i in group)


def _last(group: list[Item]) -> Item:
    return max(group, key=lambda i: (i.date, i.action.seq if i.action else i.q.seq))


def record_is(vsc: Tri, tsdb: Tri | None = None) -> Callable[[Scope, list[Item]], bool]:
    """(4), (5): the person's record is of this class on the facts recorded for their last transfer in the period
    (§ 3.4; R-11, R-14)."""

    def test(s: Scope, group: list[Item]) -> bool:
        last = _last(group)
        return s.c.record_is(last.q, last.date, vsc, tsdb)

    return test


def _notice_pickup(q: Request) -> bool:
    """A transfer that followed a notification of release on the same detainer, with no hold (R-8)."""
    kinds = {k for k, _ in custody(q.actions)}
    return NOTIFIED in kinds and HELD not in kinds


def notified_not_held(_s: Scope, group: list[Item]) -> bool:
    """A person of (3) picked up after a notification of release, never held: R-8 counts them in (3)."""
    return any(_notice_pickup(i.q) for i in group)


def transferred_otherwise(_s: Scope, group: list[Item]) -> bool:
    """The other reading of (3) (I-65): a person some transfer of whom was not a pick-up after notice alone."""
    return any(not _notice_pickup(i.q) for i in group)


def convicted_outside_lookback(s: Scope, group: list[Item]) -> bool:
    """A person of (3) not convicted as (a)(2) defines it, whose record has a judgment for a violent or serious
    crime outside the look-back: the persons the two readings of (4) place differently (I-63)."""
    last = _last(group)
    return s.c.vsc(last.q, last.date) is Tri.FALSE and s.c.vsc_ever(last.q, last.date) is Tri.TRUE


def convicted_ever(s: Scope, group: list[Item]) -> bool:
    """The other reading of (4) (I-63): some judgment for a violent or serious crime, however old."""
    last = _last(group)
    return s.c.vsc_ever(last.q, last.date) is Tri.TRUE


def ended_for(*reasons: str) -> Callable[[Scope, list[Item]], bool]:
    """A person some hold of whose ended for one of ``reasons`` (R-10)."""
    return lambda _s, group: any(i.action is not None and i.action.reason in reasons for i in group)


def ended_otherwise(_s: Scope, group: list[Item]) -> bool:
    """A person some hold of whose ended, not by transfer, for a reason (8) does not name or for none recorded."""
    return any(i.action is not None and i.action.reason not in (*HOLD_END_REASONS, "transferred") for i in group)


def _hold(_item: Item) -> tuple[str, ...]:
    return ("hold",)


def _transfer_or_hold(item: Item) -> tuple[str, ...]:
    """A transfer answers the request to transfer if the case asked for one, else the request to hold."""
    return ("transfer",) if "transfer" in item.q.results else ("hold",)


# --- the rows ---------------------------------------------------------------------------------------------------

SINCE_ENCODED = (ENCODED_FROM, f"law before {ENCODED_FROM} is not encoded (R-17)")
SINCE_9_205 = (
    NEWLY_REQUIRED_FROM,
    f"§ 9-205(f) is reported for events from {NEWLY_REQUIRED_FROM} (L.L. 2017/226 § 2; R-16)",
)
HELD_BEYOND_RELEASE = (
    "persons held pursuant to civil immigration detainers beyond the time when they would otherwise be released"
)
TRANSFERRED = (
    "persons transferred to the custody of federal immigration authorities pursuant to civil immigration detainers"
)
NOT_HONORED = "persons for whom civil immigration detainers were not honored"
# What (4) and (9)(i)–(iii) apply: the defined term of (a)(2), with its look-back.
AS_DEFINED = (
    "as (a)(2) defines it (a judgment within five years before the instant arrest, extended by time incarcerated; "
    "youthful-offender adjudications excluded)"
)
DETAINER_UNDETERMINED = Count(
    "(1).detainer_undetermined",
    "requests received in the period for which the recorded case does not tell whether a civil immigration "
    "detainer was lodged (e.g. a notification request whose documents are not recorded)",
    "requests",
    of=undetermined,
    kind="gap",
)
# § 14-154(f)(1), § 9-205(f)(1): detainers "received from federal immigration authorities" (I-64).
RECEIVED_FROM_AUTHORITIES = (
    Count(
        "(1)",
        "civil immigration detainers received from federal immigration authorities",
        "detainers",
        of=received_from_authorities,
    ),
    DETAINER_UNDETERMINED,
    Count(
        "(1).sender_unknown",
        "detainers received in the period whose sender is not recorded, or not known to be a federal immigration "
        "authority; not in (1)",
        "detainers",
        of=lodged,
        where=sender_unknown,
        kind="gap",
    ),
)


def dispositions_of(of: Population[_Detainer]) -> tuple[Count[_Detainer], ...]:
    """The detainers of (1) by what was done (R-9), read from their histories."""
    return tuple(
        Count(
            f"(1).disposition.{v}",
            f"detainers of (1) by what was done, as of the cut-off: {v.replace('_', ' ')}",
            "detainers",
            of=of,
            where=disposed(v),
            kind="detail",
        )
        for v in DISPOSITIONS
    )


# § 9-131(f)(1)(i)–(iv), and the detainers giving another reason or none.
REASONS_OF_1 = (
    *(
        Count(
            f"(1)({r})",
            f"detainers of (1) for which federal immigration authorities {REASON_WORDS[r]}",
            "detainers",
            of=lodged,
            where=states(r),
            note="a detainer stating several reasons counts under each (R-6)",
        )
        for r in REASONS
    ),
    Count(
        "(1).other_reason",
        'detainers of (1) giving a reason other than (i)–(iv) ("including, but not limited to")',
        "detainers",
        of=lodged,
        where=states("other"),
    ),
    Count(
        "(1).reason_unknown",
        "detainers of (1) with no reason recorded (never inferred; R-6)",
        "detainers",
        of=lodged,
        where=no_reason_recorded,
        kind="gap",
    ),
)
# § 9-131(f)(2), by the reasons of the detainers the persons were held on.
REASONS_OF_2 = (
    *(
        Persons(
            f"(2)({r})",
            f"persons of (2) held on a detainer for which federal immigration authorities {REASON_WORDS[r]}",
            of=held,
            where=held_stating(r),
            key_gap=False,
        )
        for r in REASONS
    ),
    Persons(
        "(2).other_reason",
        "persons of (2) held on a detainer giving another reason",
        of=held,
        where=held_stating("other"),
        key_gap=False,
    ),
    Persons(
        "(2).reason_unknown",
        "persons of (2) held only on detainers whose reason is not recorded",
        of=held,
        where=held_only_without_reason,
        kind="gap",
        key_gap=False,
    ),
)
# § 9-131(f)(4), (5): the persons of (3) by their record; those it does not place are gaps.
CONVICTIONS_OF_3 = (
    Persons(
        "(4)",
        f"persons of (3) who had at least one conviction for a violent or serious crime, {AS_DEFINED}",
        of=transferred,
        where=record_is(Tri.TRUE),
        key_gap=False,
        note="reading R-11 (I-63); the other reading is printed below",
    ),
    Persons(
        "(4).any_conviction",
        "persons of (3) who had at least one conviction for a violent or serious crime, counting every judgment "
        "however old (the five-year look-back not applied): the other reading of (4)",
        of=transferred,
        where=convicted_ever,
        kind="detail",
        key_gap=False,
        note="reading (b) of R-11 (I-63)",
    ),
    Persons(
        "(4).no_outside_lookback",
        "persons of (3) in (4) under the other reading only: no conviction within the look-back, a judgment for a "
        "violent or serious crime outside it",
        of=transferred,
        where=convicted_outside_lookback,
        kind="detail",
        key_gap=False,
    ),
    Persons(
        "(5)",
        "persons of (3) who had no convictions for a violent or serious crime (the look-back applied) and were "
        "identified as possible matches in the terrorist screening database",
        of=transferred,
        where=record_is(Tri.FALSE, Tri.TRUE),
        key_gap=False,
    ),
    Persons(
        "(3).vsc_undetermined",
        "persons of (3) whose record does not tell whether they were convicted of a violent or serious crime; "
        "in neither (4) nor (5)",
        of=transferred,
        where=record_is(Tri.UNKNOWN),
        kind="gap",
        key_gap=False,
    ),
    Persons(
        "(5).tsdb_unknown",
        "persons of (3) with no conviction for a violent or serious crime whose terrorist-screening status is "
        "not recorded",
        of=transferred,
        where=record_is(Tri.FALSE, Tri.UNKNOWN),
        kind="gap",
        key_gap=False,
    ),
    Persons(
        "(5).neither",
        "persons of (3) with no conviction for a violent or serious crime and no terrorist-screening match",
        of=transferred,
        where=record_is(Tri.FALSE, Tri.FALSE),
        kind="detail",
        key_gap=False,
    ),
)


def scaap(step: str) -> Callable[[Scope], tuple[int | None, str]]:
    """§ 9-131(f)(6): the SCAAP amounts recorded as ``step`` (requested or received) on a day of the period, with
    the award years they relate to (R-24); "not supplied" when none was recorded, never 0."""

    def value(s: Scope) -> tuple[int | None, str]:
        amounts = [a for a in s.scaap if a.step == step and a.date in s.w]
        if not amounts:
            return None, (
                f"not supplied: no SCAAP amount {step} in the period is recorded (POST /v1/reports/inputs); a "
                "financial figure DOC supplies, not an event the trail can count"
            )
        years = ", ".join(str(y) for y in sorted({a.award_year for a in amounts}))
        return sum(a.amount for a in amounts), f"{len(amounts)} amount(s) recorded; federal award year(s) {years}"

    return value


# § 9-131(f)(6): figures DOC supplies, recorded as report inputs.
SCAAP_OF_6 = tuple(
    Supplied(
        f"(6).{step}",
        f"amount of state criminal alien assistance funding {step} from the federal government",
        "dollars",
        scaap(step),
    )
    for step in ("requested", "received")
)
# § 9-131(f)(3), under R-8 and under DOC's published practice (I-65).
NOTICE_PICKUPS_OF_3 = (
    Persons(
        "(3).notified_not_held",
        "persons of (3) transferred after a notification of release, without a hold",
        of=transferred,
        where=notified_not_held,
        kind="detail",
        key_gap=False,
    ),
    Persons(
        "(3).without_notice_pickups",
        "persons of (3) under the other reading: those transferred only after a notification of release, without "
        "a hold, left out (reported separately, as DOC has published them)",
        of=transferred,
        where=transferred_otherwise,
        kind="detail",
        key_gap=False,
        note="reading (b) of R-8 (I-65)",
    ),
)
# § 9-131(f)(8): by the reason recorded for the end of the hold, never inferred from its length.
HOLDS_ENDED_OF_8 = (
    Persons(
        "(8)",
        "persons held beyond release and not transferred because the 48-hour hold period of 8 CFR § 287.7 "
        "expired or federal immigration authorities disavowed an intention to assume custody",
        of=holds_ended,
        where=ended_for(*HOLD_END_REASONS),
    ),
    Persons(
        "(8).reason_other_or_unknown",
        "persons whose hold ended, not by transfer, for another reason or for one not recorded",
        of=holds_ended,
        where=ended_otherwise,
        kind="gap",
        key_gap=False,
    ),
    *(
        Persons(
            f"(8).{reason}",
            f"persons of (8) whose hold ended for this reason: {reason.replace('_', ' ')}",
            of=holds_ended,
            where=ended_for(reason),
            kind="detail",
            key_gap=False,
        )
        for reason in HOLD_END_REASONS
    ),
)

# § 9-131(f)(1)–(8): the Department of Correction.
DOC_DETAINERS = Part(
    SINCE_ENCODED,
    (
        Count("(1)", "civil immigration detainers lodged with the department", "detainers", of=lodged),
        *REASONS_OF_1,
        DETAINER_UNDETERMINED,
        *dispositions_of(lodged),
        Persons("(2)", HELD_BEYOND_RELEASE, of=held),
        *REASONS_OF_2,
        Decisions("(2)", of=held, actions=_hold),
        Persons("(3)", TRANSFERRED, of=transferred),
        Decisions("(3)", of=transferred, actions=_transfer_or_hold),
        *NOTICE_PICKUPS_OF_3,
        *CONVICTIONS_OF_3,
        *SCAAP_OF_6,
        Persons("(7)", f"{NOT_HONORED} pursuant to subdivision b", of=not_honored),
        Decisions("(7)", of=not_honored, actions=_hold),
        *HOLDS_ENDED_OF_8,
    ),
)
# § 14-154(f)(1)–(4): the Police Department.
NYPD_DETAINERS = Part(
    SINCE_ENCODED,
    (
        *RECEIVED_FROM_AUTHORITIES,
        *dispositions_of(received_from_authorities),
        Persons("(2)", HELD_BEYOND_RELEASE, of=held),
        Decisions("(2)", of=held, actions=_hold),
        Persons("(3)", TRANSFERRED, of=transferred),
        Decisions("(3)", of=transferred, actions=_transfer_or_hold),
        *NOTICE_PICKUPS_OF_3,
        Persons("(4)", f"{NOT_HONORED} pursuant to subdivision b", of=not_honored),
        Decisions("(4)", of=not_honored, actions=_hold),
    ),
)
# § 9-205(f)(1)–(4): the Department of Probation, from 2018-01-30.
PROBATION_DETAINERS = Part(
    SINCE_9_205,
    (
        *RECEIVED_FROM_AUTHORITIES,
        *dispositions_of(received_from_authorities),
        Persons("(2)", "persons held pursuant to civil immigration detainers", of=held),
        Decisions("(2)", of=held, actions=_hold),
        Persons(
            "(3)",
            TRANSFERRED,
            of=transferred,
            note="a person taken into federal custody at a Probation office or appointment is counted only if "
            "recorded as transferred_to_federal_custody: the trail has no taken_into_federal_custody_at_premises "
            "action",
        ),
        Decisions("(3)", of=transferred, actions=_transfer_or_hold),
        Persons("(4)", NOT_HONORED, of=not_honored),
        Decisions("(4)", of=not_honored, actions=_hold),
    ),
)
