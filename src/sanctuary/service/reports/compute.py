"""The report as a whole: read the trail, classify, write the rows of the law asked for, then the rows every
report carries (unreadable records, requests decided under another law hash) and the law hashes applied.
"""

from __future__ import annotations

from collections.abc import Iterable

from sanctuary.errors import InvalidInputError
from sanctuary.law.nyc import NYC
from sanctuary.service.audit import AuditRecord
from sanctuary.service.reports.classify import Classifier
from sanctuary.service.reports.counting import Builder, Window
from sanctuary.service.reports.detainers import detainer_rows
from sanctuary.service.reports.information import information_rows
from sanctuary.service.reports.model import Report
from sanctuary.service.reports.periods import ENCODED_FROM, LAWS_IN_ORDER, Period
from sanctuary.service.reports.quarterly import citywide_rows
from sanctuary.service.reports.statute import AGENCY, LAWS
from sanctuary.service.reports.trail import UNREADABLE_NOTE, read_trail


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


def compute_report(
    records: Iterable[AuditRecord], law: str, period: Period, *, include_annual_reports: bool = False
) -> Report:
    """The report ``law`` requires for ``period``, computed from the audit trail ``records``.

    ``include_annual_reports`` (§ 10-178(d) only) keeps in the quarterly table the requests the annual reports
    already count; by default they are left out and their number shown (R-22)."""
    if law not in LAWS:
        raise InvalidInputError(f"law: unknown law {law!r}; expected one of {', '.join(LAWS)}", "law")
    trail = read_trail(records)
    c = Classifier()
    b = Builder()
    if law == "10-178":
        prefix = "10-178(d)"
        requests = trail.requests
        citywide_rows(b, requests, c, period, include_annual=include_annual_reports)
    else:
        prefix = f"{law}(f)"
        requests = [q for q in trail.requests if q.agency == AGENCY[law]]
        detainer_rows(b, law, requests, c, period)
        information_rows(b, law, requests, c, period)
    whole = Window(period.start, period.end, None)
    b.count(f"{prefix}.records_unreadable", UNREADABLE_NOTE, "records", trail.unreadable, whole, kind="gap")
    differs = 0
    for q in requests:
        regime = NYC.regime_in_force(q.received) if q.received in period else None
        differs += regime is not None and q.law_hash != NYC.law_hash(regime)
    b.count(
        f"detail:{prefix}.law_hash_differs",
        "requests received in the period whose recorded decision was made under a different law hash from the "
        "one this report applies (R-20)",
        "requests",
        differs,
        whole,
        kind="detail",
    )
    return Report(law, period, b.rows, trail.read, trail.cutoff, _law_hashes(period))
