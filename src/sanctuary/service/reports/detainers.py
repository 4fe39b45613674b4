"""The annual reports' items on detainers: § 9-131(f)(1)–(8), § 14-154(f)(1)–(4), § 9-205(f)(1)–(4).

The three annual laws ask nearly the same questions about detainers (how many were lodged, how many persons
were held, transferred, or not honored), so one function writes the rows of all three, and the
Department of Correction's extra items (the reasons, the convictions, SCAAP funding, the ended holds) are
marked by ``doc``. Dispositions are read from the actions only, never from the decision (R-9).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import get_args

from sanctuary.facts.truth import Tri
from sanctuary.service.models import DetainerReason
from sanctuary.service.reports.classify import Classifier
from sanctuary.service.reports.counting import Builder, Item, Window, window
from sanctuary.service.reports.periods import ENCODED_FROM, NEWLY_REQUIRED_FROM, Period
from sanctuary.service.reports.trail import Action, Request

# § 9-131(f)(1)(i)–(iv): the reasons federal immigration authorities gave for a detainer.
REASONS = tuple(r for r in get_args(DetainerReason) if r not in ("other", "unknown"))
KNOWN_REASONS = frozenset({*REASONS, "other"})  # a reason recorded, of the statute's list or another
REASON_WORDS = {
    "i": "had reason to believe that the persons in the department's custody are subject to removal",
    "ii": "initiated removal proceedings and served a notice to appear or other charging document",
    "iii": "served a warrant of arrest for removal proceedings",
    "iv": "obtained orders of deportation or removal from the United States",
}


def _stating(reason: str) -> Callable[[list[Item]], bool]:
    """A person held on some detainer stating ``reason``."""
    return lambda group: any(reason in i.q.reasons for i in group)


def _ended_for(reason: str) -> Callable[[list[Item]], bool]:
    """A person some hold of whose ended for ``reason``."""
    return lambda group: any(i.action is not None and i.action.reason == reason for i in group)


def _last(group: list[Item]) -> Item:
    return max(group, key=lambda i: (i.date, i.action.seq if i.action else i.q.seq))


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

    def actions(self, *types: str) -> list[Action]:
        return [a for q in self.copies for a in q.acts(*types)]

    def disposition(self) -> str:
        """Disposition(detainer), read from the actions only, never from the decision (R-9)."""
        if self.actions("transferred_to_federal_custody"):
            return "honored_by_transfer"
        if self.actions("held_beyond_release"):
            return "honored_by_hold"
        if self.actions("notified_of_release"):
            return "honored_by_notification"
        if self.actions("released_without_honoring"):
            return "not_honored"
        if self.actions("detainer_withdrawn"):
            return "withdrawn"
        return "pending"


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


def _in_effect(q: Request, day: dt.date) -> bool:
    """The detainer had not been withdrawn before ``day`` (R-8, R-9: a withdrawn detainer is not honored or
    refused afterwards)."""
    return not any(a.date < day for a in q.acts("detainer_withdrawn"))


def _action_items(requests: Iterable[Request], types: tuple[str, ...], w: Window) -> list[Item]:
    return [Item(q, a, a.date) for q in requests for a in q.acts(*types) if a.date in w and _in_effect(q, a.date)]


def detainer_rows(b: Builder, law: str, requests: list[Request], c: Classifier, period: Period) -> None:
    """Items (1)–(4) of § 14-154(f) and § 9-205(f), and (1)–(3), (7) of § 9-131(f) (with its reasons)."""
    p = f"{law}(f)"
    doc = law == "9-131"
    since, why = (
        (NEWLY_REQUIRED_FROM, f"§ 9-205(f) is reported for events from {NEWLY_REQUIRED_FROM} (L.L. 2017/226 § 2; R-16)")
        if law == "9-205"
        else (ENCODED_FROM, f"law before {ENCODED_FROM} is not encoded (R-17)")
    )
    w = window(period, since, why)
    detainer_qs = [q for q in requests if c.detainer(q) is Tri.TRUE]

    # (1) detainers lodged / received, one per detainer, not per copy.
    lodged = [d for d in _detainers(requests, c) if d.received in w]
    words = "lodged with the department" if doc else "received from federal immigration authorities"
    b.count(f"{p}(1)", f"civil immigration detainers {words}", "detainers", len(lodged), w)
    if doc:
        for r in REASONS:
            b.count(
                f"{p}(1)({r})",
                f"detainers of (1) for which federal immigration authorities {REASON_WORDS[r]}",
                "detainers",
                sum(1 for d in lodged if r in d.reasons),
                w,
                note="a detainer stating several reasons counts under each (R-6)",
            )
        b.count(
            f"{p}(1).other_reason",
            'detainers of (1) giving a reason other than (i)–(iv) ("including, but not limited to")',
            "detainers",
            sum(1 for d in lodged if "other" in d.reasons),
            w,
        )
        b.count(
            f"{p}(1).reason_unknown",
            "detainers of (1) with no reason recorded (never inferred; R-6)",
            "detainers",
            sum(1 for d in lodged if not d.reasons & KNOWN_REASONS),
            w,
            kind="gap",
        )
    undetermined = [q for q in requests if c.detainer(q) is Tri.UNKNOWN and q.received in w]
    b.count(
        f"{p}(1).detainer_undetermined",
        "requests received in the period for which the recorded case does not tell whether a civil immigration "
        "detainer was lodged (e.g. a notification request whose documents are not recorded)",
        "requests",
        len(undetermined),
        w,
        kind="gap",
    )
    dispositions = Counter(d.disposition() for d in lodged)
    for v in DISPOSITIONS:
        b.count(
            f"detail:{p}(1).disposition.{v}",
            f"detainers of (1) by what was done, as of the cut-off: {v.replace('_', ' ')}",
            "detainers",
            dispositions[v],
            w,
            kind="detail",
        )

    # (2) persons held beyond release (R-7; for Probation any hold in answer to a detainer).
    held = _action_items(detainer_qs, ("held_beyond_release",), w)
    held_words = (
        "persons held pursuant to civil immigration detainers"
        if law == "9-205"
        else "persons held pursuant to civil immigration detainers beyond the time when they would otherwise be "
        "released"
    )
    b.persons(f"{p}(2)", held_words, held, w)
    if doc:
        for r in REASONS:
            b.persons(
                f"{p}(2)({r})",
                f"persons of (2) held on a detainer for which federal immigration authorities {REASON_WORDS[r]}",
                held,
                w,
                _stating(r),
                key_gap=False,
            )
        b.persons(
            f"{p}(2).other_reason",
            "persons of (2) held on a detainer giving another reason",
            held,
            w,
            _stating("other"),
            key_gap=False,
        )
        b.persons(
            f"{p}(2).reason_unknown",
            "persons of (2) held only on detainers whose reason is not recorded",
            held,
            w,
            lambda g: all(not i.q.reasons & KNOWN_REASONS for i in g),
            kind="gap",
            key_gap=False,
        )
    b.decisions(f"{p}(2)", held, lambda _: ("hold",))

    # (3) persons transferred pursuant to detainers.
    transferred = _action_items(detainer_qs, ("transferred_to_federal_custody",), w)
    b.persons(
        f"{p}(3)",
        "persons transferred to the custody of federal immigration authorities pursuant to civil immigration detainers",
        transferred,
        w,
        note=(
            "a person taken into federal custody at a Probation office or appointment is counted only if recorded "
            "as transferred_to_federal_custody: the trail has no taken_into_federal_custody_at_premises action"
        )
        if law == "9-205"
        else None,
    )
    b.decisions(f"{p}(3)", transferred, lambda i: ("transfer",) if "transfer" in i.q.results else ("hold",))
    if doc:
        # (4), (5): classified on the facts recorded for the person's last transfer in the period (§ 3.4).
        def record_is(vsc: Tri, tsdb: Tri | None = None) -> Callable[[list[Item]], bool]:
            return lambda group: c.record_is(_last(group).q, _last(group).date, vsc, tsdb)

        b.persons(
            f"{p}(4)",
            "persons of (3) who had at least one conviction for a violent or serious crime (R-11)",
            transferred,
            w,
            record_is(Tri.TRUE),
            key_gap=False,
        )
        b.persons(
            f"{p}(5)",
            "persons of (3) who had no convictions for a violent or serious crime and were identified as possible "
            "matches in the terrorist screening database",
            transferred,
            w,
            record_is(Tri.FALSE, Tri.TRUE),
            key_gap=False,
        )
        b.persons(
            f"{p}(3).vsc_undetermined",
            "persons of (3) whose record does not tell whether they were convicted of a violent or serious crime; "
            "in neither (4) nor (5)",
            transferred,
            w,
            record_is(Tri.UNKNOWN),
            kind="gap",
            key_gap=False,
        )
        b.persons(
            f"{p}(5).tsdb_unknown",
            "persons of (3) with no conviction for a violent or serious crime whose terrorist-screening status is "
            "not recorded",
            transferred,
            w,
            record_is(Tri.FALSE, Tri.UNKNOWN),
            kind="gap",
            key_gap=False,
        )
        b.persons(
            f"detail:{p}(5).neither",
            "persons of (3) with no conviction for a violent or serious crime and no terrorist-screening match",
            transferred,
            w,
            record_is(Tri.FALSE, Tri.FALSE),
            kind="detail",
            key_gap=False,
        )
        for step in ("requested", "received"):
            b.none(
                f"{p}(6).{step}",
                f"amount of state criminal alien assistance (SCAAP) funding {step} from the federal government",
                "dollars",
                "not computable: a financial figure DOC must supply, with its federal award year; it is not an event "
                "in the audit trail (R-24)",
                w,
            )

    # (7) / (4): persons for whom detainers were not honored, dated by the end of custody.
    refused = _action_items(detainer_qs, ("released_without_honoring",), w)
    item = "(7)" if doc else "(4)"
    qualifier = "" if law == "9-205" else " pursuant to subdivision b"
    b.persons(
        f"{p}{item}",
        f"persons for whom civil immigration detainers were not honored{qualifier}",
        refused,
        w,
    )
    b.decisions(f"{p}{item}", refused, lambda _: ("hold",))

    if doc:
        # (8): by the reason recorded for the end of the hold, never inferred from its length.
        ended = _action_items(detainer_qs, ("hold_ended",), w)
        statutory = ("hold_period_expired", "federal_disavowed_custody")
        b.persons(
            f"{p}(8)",
            "persons held beyond release and not transferred because the 48-hour hold period of 8 CFR § 287.7 "
            "expired or federal immigration authorities disavowed an intention to assume custody",
            ended,
            w,
            lambda g: any(i.action is not None and i.action.reason in statutory for i in g),
        )
        b.persons(
            f"{p}(8).reason_other_or_unknown",
            "persons whose hold ended, not by transfer, for another reason or for one not recorded",
            ended,
            w,
            lambda g: any(i.action is not None and i.action.reason not in (*statutory, "transferred") for i in g),
            kind="gap",
            key_gap=False,
        )
        for reason in statutory:
            b.persons(
                f"detail:{p}(8).{reason}",
                f"persons of (8) whose hold ended for this reason: {reason.replace('_', ' ')}",
                ended,
                w,
                _ended_for(reason),
                kind="detail",
                key_gap=False,
            )
