"""Example County: a fictional jurisdiction with two rules, its own actions and facts, and one report.

Nothing here is law anywhere. The pack exists to show — and to test — what a jurisdiction must give the core
(``sanctuary.law.jurisdiction.Jurisdiction``) and that it needs nothing from New York's pack:

- its **case format**: the core's frame, with a request that says which warrant was presented and a person with
  a list of convictions (each a level and a date);
- its **rules**: "Example County Code § 2-1(a)": a hold only on a judicial warrant; "§ 2-1(b)": a person's address
  shared only if the person has a felony conviction within the look-back (ten years; five under the proposal);
- its **regimes** (``regimes.toml``): the law of 2020 and a proposal that also honors administrative warrants;
- its **report**: "§ 2-3": each year, the requests decided, by action and result;
- its **recording vocabulary** (what the service's bodies add to the core's): the facts about a request it keeps
  (``RecordFacts``: the warrant's number, the requesting agency), the actions its agencies record
  (``ActionFields``: a hold beyond release, a release, an address shared), and no report inputs.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sanctuary.errors import InvalidInputError
from sanctuary.facts import case as frame
from sanctuary.facts.case import CaseFormat, FactModel, Problem
from sanctuary.facts.truth import Tri
from sanctuary.law.regime import Regime, content_hash, load_regimes
from sanctuary.law.tree import AnyOf, Change, Clause, Finding, ForSome, Leaf, Rule, Says, View, describe
from sanctuary.service.reporting import HoldActions

if TYPE_CHECKING:
    from sanctuary.service.audit import AuditRecord
    from sanctuary.service.reporting import ReportPeriod, StatutoryReports

CODE = Clause("Example County Code", "2-1")
REPORT_CLAUSE = Clause("Example County Code", "2-3")

# --- the case format ---------------------------------------------------------------------------------------

Action = Literal["hold", "share_address"]
Warrant = Literal["judicial", "administrative", "none"]


class Request(frame.Request):
    actions: list[Action] = Field(min_length=1)
    warrant: Warrant | None = None


class Conviction(FactModel):
    level: Literal["felony", "misdemeanor"] | None = None
    date: dt.date | None = None


class Person(FactModel):
    convictions: list[Conviction] | None = None


class Case(frame.Case):
    """Example County's case."""

    request: Request
    person: Person = Field(default_factory=Person)


def _checks(case: frame.Case) -> list[Problem]:
    """A conviction after the decision date cannot be known at the time of decision."""
    assert isinstance(case, Case)
    return [
        Problem(f"person.convictions[{i}].date", f"{c.date} is after the decision_date {case.decision_date}")
        for i, c in enumerate(case.person.convictions or ())
        if c.date is not None and c.date > case.decision_date
    ]


CASE_FORMAT = CaseFormat(
    model=Case,
    description="A case of Example County (fictional): one request to one county agency about one person.",
    checks=_checks,
    wording=lambda path: {"request.warrant": "Which warrant did the requester present?"}.get(path, f"What is {path}?"),
)

# --- the rules --------------------------------------------------------------------------------------------


def _a(warrant: str) -> str:
    """The warrant's kind with its article: "a judicial", "an administrative", "no"."""
    return "no" if warrant == "none" else ("an " if warrant[0] in "aeiou" else "a ") + warrant


@dataclass(frozen=True, slots=True)
class WarrantIs:
    """The warrant presented is one of ``kinds`` (absent: unknown)."""

    kinds: tuple[str, ...]

    def check(self, view: View) -> Finding:
        assert isinstance(view.case, Case)
        warrant = view.case.request.warrant
        if warrant is None:
            return Finding(Tri.UNKNOWN, "It is not known which warrant was presented.", ("request.warrant",))
        return Finding(Tri.of(warrant in self.kinds), f"The requester presented {_a(warrant)} warrant.")

    def reads(self, view: View) -> tuple[str, ...]:
        return ("request.warrant",)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        value = self.kinds[0] if want else "none"
        return [(Change("request.warrant", value, f"The requester presents {_a(value)} warrant."),)]


@dataclass(frozen=True, slots=True)
class FelonyWithin:
    """The conviction ``view.item`` is a felony dated within ``lookback_years`` of the decision."""

    def check(self, view: View) -> Finding:
        item: Conviction = view.item
        years = int(view.params["lookback_years"])
        level, day = Tri.of(None if item.level is None else item.level == "felony"), item.date
        start = view.case.decision_date.replace(year=view.case.decision_date.year - years)
        within = Tri.UNKNOWN if day is None else Tri.of(day >= start)
        value = level & within
        missing = tuple(
            f"{view.item_path}.{name}" for name, tri in (("level", level), ("date", within)) if tri is Tri.UNKNOWN
        )
        return Finding(value, f"a {item.level or 'conviction of unknown level'} of {day or 'unknown date'}", missing)


@dataclass(frozen=True, slots=True)
class RecentFelony:
    """A witness for counterfactuals: a felony conviction on the day of the decision."""

    def make(self, view: View) -> tuple[dict[str, Any], str]:
        day = view.case.decision_date.isoformat()
        return {"level": "felony", "date": day}, f"The person was convicted of a felony on {day}."


def _hold(overrides: tuple[str, ...]) -> Rule:
    kinds = ("judicial", "administrative") if "hold-on-any-warrant" in overrides else ("judicial",)
    root = Leaf(
        id="hold.warrant",
        title="a judicial warrant was presented" if len(kinds) == 1 else "a warrant was presented",
        clause=CODE.below("a"),
        test=WarrantIs(kinds),
        says=Says(true="A hold is permitted on the warrant presented.", false="A hold needs a judicial warrant."),
    )
    return Rule("hold", CODE.below("a"), root)


def _share_address() -> Rule:
    root = AnyOf(
        id="share.any",
        title="a ground for sharing the address",
        clause=CODE.below("b"),
        of=(
            ForSome(
                id="share.felony",
                title="a felony conviction within the look-back",
                clause=CODE.below("b"),
                collection="person.convictions",
                noun="conviction",
                condition=Leaf(id="share.felony.item", title="a felony within the look-back", test=FelonyWithin()),
                witness=RecentFelony(),
            ),
        ),
    )
    return Rule("share_address", CODE.below("b"), root)


WORDS = {
    "2-1(a)": "A county officer shall not hold a person for federal immigration authorities unless they present a "
    "warrant signed by a judge.",
    "2-1(b)": "A county officer shall not share a person's address with federal immigration authorities unless the "
    "person has been convicted of a felony within the look-back period.",
}

# --- the report -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Year:
    start: dt.date
    end: dt.date
    label: str


@dataclass(frozen=True, slots=True)
class DecisionsReport:
    """§ 2-3: the requests decided in a year, by action and result."""

    law: str
    period: Year
    counts: Mapping[tuple[str, str], int]
    through_seq: int

    def as_dict(self) -> dict[str, Any]:
        rows = [{"action": a, "result": r, "count": n} for (a, r), n in sorted(self.counts.items())]
        body: dict[str, Any] = {"law": self.law, "clause": str(REPORT_CLAUSE), "period": self.period.label}
        body["view"] = "detail"
        body |= {"options": {}, "rows": rows, "through_seq": self.through_seq}
        return body | {"fingerprint": hashlib.sha256(json.dumps(body["rows"]).encode()).hexdigest()}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["action", "result", "count"])
        for (action, result), count in sorted(self.counts.items()):
            writer.writerow([action, result, count])
        return out.getvalue()

    def to_pdf(self) -> bytes:
        """The CSV text on one page (matplotlib, which the core already uses for its charts)."""
        from matplotlib.figure import Figure

        figure = Figure(figsize=(8.27, 11.69))
        figure.text(
            0.08,
            0.95,
            f"{REPORT_CLAUSE}: {self.period.label}\n\n" + self.to_csv().replace("\r", ""),
            va="top",
            family="monospace",
        )
        out = io.BytesIO()
        figure.savefig(out, format="pdf")
        return out.getvalue()

    def fingerprint(self) -> str:
        return str(self.as_dict()["fingerprint"])

    def to_html(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(a)}</td><td>{html.escape(r)}</td><td>{n}</td></tr>"
            for (a, r), n in sorted(self.counts.items())
        )
        title = f"{REPORT_CLAUSE}: {self.period.label}"
        return f"<!doctype html><title>{title}</title><h1>{title}</h1><table>{rows}</table>"


class RecordFacts(BaseModel):
    """What the county keeps about a request beside its case (all optional)."""

    model_config = ConfigDict(extra="forbid")

    warrant_number: str | None = Field(None, min_length=1, max_length=40, pattern=r"^[A-Z0-9-]+$")
    requested_by: Literal["ICE", "CBP"] | None = None


class ActionFields(BaseModel):
    """What a county agency records doing about a request."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["held_beyond_release", "released", "address_shared"]


class Reports:
    laws: Sequence[str] = ("2-3",)
    record_facts = RecordFacts
    action_fields = ActionFields
    report_inputs = None  # § 2-3 counts decisions only
    holds = HoldActions(decided="hold", starts="held_beyond_release", ends=("released",))

    def period_for(self, law: str, *, year: int | None = None, quarter: str | None = None) -> Year:
        if quarter is not None:
            raise InvalidInputError("the § 2-3 report is annual: give a year, not a quarter", "quarter")
        if year is None:
            raise InvalidInputError("give the year of the report", "year")
        return Year(dt.date(year, 1, 1), dt.date(year, 12, 31), f"calendar year {year}")

    def compute_report(
        self,
        records: Iterable[AuditRecord],
        law: str,
        period: ReportPeriod,
        *,
        include_annual_reports: bool = False,
        view: str = "detail",
    ) -> DecisionsReport:
        """Every row of § 2-3 is a statutory item: both views are the same report."""
        if law not in self.laws:
            raise InvalidInputError(f"no report {law!r} (known: {', '.join(self.laws)})", "law")
        counts: Counter[tuple[str, str]] = Counter()
        last = 0
        for record in records:
            last = max(last, record.seq)
            output = record.body.get("output") if record.kind == "decision" else None
            if output and period.start.isoformat() <= output["decision_date"] <= period.end.isoformat():
                counts.update((o["action"], o["result"]) for o in output["outcomes"])
        return DecisionsReport(law, Year(period.start, period.end, period.label), counts, last)

    def check_action(
        self, decision: AuditRecord, earlier: Sequence[AuditRecord], action: Mapping[str, Any], recorded_on: dt.date
    ) -> AuditRecord | None:
        """§ 2-3 counts decisions only: any recorded action is new, and none is impossible for it."""
        return None

    def carried_out(
        self, action_type: str, information_given: Iterable[str] | None, decided: Collection[str]
    ) -> tuple[str, ...]:
        """§ 2-1(a): a hold beyond release carries out the decided ``hold``; § 2-1(b): an address shared, the decided
        ``share_address``; a release declines and is never checked."""
        return {"held_beyond_release": ("hold",), "address_shared": ("share_address",)}.get(action_type, ())


# --- the pack ---------------------------------------------------------------------------------------------


class ExampleCounty:
    """The pack, as the core sees it."""

    id = "example"
    name = "Example County (fictional)"

    def __init__(self) -> None:
        path = Path(__file__).with_name("regimes.toml")
        self._regimes = load_regimes(
            path, known_overrides=("hold-on-any-warrant",), known_params={"lookback_years": int}
        )

    @property
    def case_format(self) -> CaseFormat:
        return CASE_FORMAT

    @property
    def regimes(self) -> Mapping[str, Regime]:
        return self._regimes

    @property
    def agencies(self) -> Mapping[str, str]:
        return {"SHERIFF": "the County Sheriff", "OTHER": "any other county agency"}

    @property
    def actions(self) -> Mapping[str, str]:
        return {"hold": "hold the person for immigration authorities", "share_address": "share the person's address"}

    def regime_in_force(self, day: dt.date) -> Regime | None:
        return next((r for r in self._regimes.values() if r.in_force_on(day)), None)

    def rule(self, regime: Regime, agency: str, action: str, *, day: dt.date, by_date: bool) -> Rule:
        return _hold(regime.overrides) if action == "hold" else _share_address()

    def statute_words(self, clause: Clause, regime: Regime) -> str | None:
        return WORDS.get(str(clause).removeprefix("Example County Code § "))

    def problems(self, case: frame.Case) -> list[Problem]:
        return []

    def law_changes(self) -> frozenset[dt.date]:
        return frozenset()

    def law_hash(self, regime: Regime) -> str:
        trees = {
            a: describe(self.rule(regime, "OTHER", a, day=dt.date.today(), by_date=False).root) for a in self.actions
        }
        return content_hash(regime.describe(), trees)

    def reports(self) -> StatutoryReports:
        return Reports()


PACK = ExampleCounty()
