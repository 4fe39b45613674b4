"""The report as a whole: each law's declaration (its parts, then the rows every report carries), read from the
trail by the one loop of :mod:`~sanctuary.packs.nyc.reports.declaration`, with the law hashes applied.
"""

from __future__ import annotations

from collections.abc import Iterable

from sanctuary.errors import InvalidInputError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.reports.classify import Classifier
from sanctuary.packs.nyc.reports.declaration import Count, Declaration, Part, Scope, Total, write
from sanctuary.packs.nyc.reports.detainers import DOC_DETAINERS, NYPD_DETAINERS, PROBATION_DETAINERS
from sanctuary.packs.nyc.reports.information import DOC_INFORMATION, NYPD_INFORMATION, PROBATION_INFORMATION
from sanctuary.packs.nyc.reports.model import Report
from sanctuary.packs.nyc.reports.periods import ENCODED_FROM, LAWS_IN_ORDER, Period
from sanctuary.packs.nyc.reports.quarterly import CITYWIDE
from sanctuary.packs.nyc.reports.statute import AGENCY, LAWS
from sanctuary.packs.nyc.reports.trail import UNREADABLE_NOTE, Action, Request, read_trail
from sanctuary.service.audit import AuditRecord


def _law_hashes(period: Period) -> list[str]:
    """The law hashes of the regimes in force during the period, in order (two when it straddles a change of
    law; R-19, R-20)."""
    start = max(period.start, ENCODED_FROM)
    return [
        NYC.law_hash(r)
        for r in LAWS_IN_ORDER
        if r.in_force_from is not None
        and r.in_force_from <= period.end
        and (r.in_force_until is None or r.in_force_until > start)
    ]


def _all_requests(s: Scope) -> list[Request]:
    return s.requests


def _overridden(s: Scope) -> list[tuple[Request, Action]]:
    """The actions dated in the period, on the agency's requests, recorded over the decision they follow (I-50)."""
    return [(q, a) for q in s.requests for a in q.actions if a.overridden and a.date in s.w]


def _decided_under_another_law(s: Scope, q: Request) -> bool:
    """A request received in the period whose recorded decision was made under another law hash than the one in
    force on the day received, which is the law this report applies (R-20)."""
    regime = NYC.regime_in_force(q.received) if q.received in s.period else None
    return regime is not None and q.law_hash != NYC.law_hash(regime)


# The rows every report carries, over the whole period: what could not be read, and what was decided under
# another law.
EVERY_REPORT = Part(
    None,
    (
        Total(".records_unreadable", UNREADABLE_NOTE, "records", lambda s: s.unreadable, kind="gap"),
        Total(
            ".actions_not_counted",
            "actions recorded on the agency's requests that no row counts because the history they would make is "
            "impossible: dated after the day recorded, before the request was received, or ruled out by what was "
            "recorded before (e.g. a release 'without honoring' after a hold)",
            "actions",
            lambda s: sum(len(q.refused) for q in s.requests),
            kind="gap",
            note="I-61",
        ),
        Total(
            ".records_read_once",
            "records read as a second record of one event: a retried request or action, or a transfer recorded both "
            "as a transfer and as a hold that ended in one",
            "records",
            lambda s: sum(q.retries + len(q.repeated) for q in s.requests),
            kind="detail",
            note="I-60, I-62",
        ),
        Count(
            ".actions_overridden",
            "actions dated in the period that the agency recorded over the decision they follow (an override with "
            "its reason: a hold, transfer, notification or answer whose outcome was prohibited, undetermined or not "
            "decided); each is also counted, as what was done, in the rows above",
            "actions",
            of=_overridden,
            kind="detail",
            note="I-50",
        ),
        Count(
            ".law_hash_differs",
            "requests received in the period whose recorded decision was made under a different law hash from the "
            "one this report applies (R-20)",
            "requests",
            of=_all_requests,
            where=_decided_under_another_law,
            kind="detail",
        ),
    ),
)
# Each law's report: the agency whose requests it counts (every agency for § 10-178(d)) and its parts in order.
DECLARATIONS = {
    "9-131": Declaration("9-131(f)", AGENCY["9-131"], (DOC_DETAINERS, DOC_INFORMATION, EVERY_REPORT)),
    "14-154": Declaration("14-154(f)", AGENCY["14-154"], (NYPD_DETAINERS, NYPD_INFORMATION, EVERY_REPORT)),
    "9-205": Declaration("9-205(f)", AGENCY["9-205"], (PROBATION_DETAINERS, PROBATION_INFORMATION, EVERY_REPORT)),
    "10-178": Declaration("10-178(d)", None, (CITYWIDE, EVERY_REPORT)),
}


def compute_report(
    records: Iterable[AuditRecord], law: str, period: Period, *, include_annual_reports: bool = False
) -> Report:
    """The report ``law`` requires for ``period``, computed from the audit trail ``records``.

    ``include_annual_reports`` (§ 10-178(d) only) keeps in the quarterly table the requests the annual reports
    already count; by default they are left out and their number shown (R-22)."""
    if law not in LAWS:
        raise InvalidInputError(f"law: unknown law {law!r}; expected one of {', '.join(LAWS)}", "law")
    if include_annual_reports and law != "10-178":
        raise InvalidInputError(
            f"include_annual_reports: only § 10-178(d) can include what the annual reports count; § {law}(f) is an "
            "annual report",
            "include_annual_reports",
        )
    trail = read_trail(records)
    rows = write(DECLARATIONS[law], trail, Classifier(), period, include_annual=include_annual_reports)
    options = {"include_annual_reports": include_annual_reports} if law == "10-178" else {}
    return Report(
        law, period, rows, trail.read, trail.cutoff, _law_hashes(period), through_seq=trail.last_seq, options=options
    )
