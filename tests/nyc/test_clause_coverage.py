"""Every clause of every encoded text is cited by some rule or statutory report row, or listed as not encoded with
the reason (``packs/nyc/not_encoded.toml``) — as Catala marks what it does not formalise. A clause nobody encodes is
then a decision written down, not an oversight; and a clause listed as not encoded that a rule cites after all is a
stale entry."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from importlib import resources

from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import ACTIONS
from sanctuary.packs.nyc.reports import compute_report
from sanctuary.packs.nyc.reports.periods import period_for
from sanctuary.packs.nyc.statute import FILES, parse_statute

Path = tuple[str, str, tuple[str, ...]]


def _cited_by_rules() -> set[Path]:
    cited: set[Path] = set()
    for regime in NYC.regimes.values():
        for agency in NYC.agencies:
            for action in ACTIONS:
                rule = NYC.rule(regime, agency, action, day=dt.date.max, by_date=False)
                clauses = [rule.clause, *(c for w in rule.warnings for c in w.citations)]
                clauses += [c for node in rule.nodes() for c in (node.clause, *node.cites)]
                cited |= {(c.code, c.section, c.path) for c in clauses if c is not None}
    return cited


def _cited_by_reports() -> set[Path]:
    cited: set[Path] = set()
    for law, period in (
        ("9-131", period_for("9-131", year=2025)),
        ("14-154", period_for("14-154", year=2025)),
        ("9-205", period_for("9-205", year=2025)),
        ("10-178", period_for("10-178", quarter="2025Q1")),
    ):
        for row in compute_report([], law, period, include_annual_reports=law == "10-178").rows:
            match = re.match(r"^(\d+-\d+)((?:\([^)]+\))+)", row.id)
            if match:
                cited.add(("NYC Admin. Code", match[1], tuple(re.findall(r"\(([^)]+)\)", match[2]))))
    return cited


def _listed() -> tuple[set[Path], set[Path]]:
    """The clauses listed as not encoded, and those listed with everything below them (``and_below``)."""
    text = resources.files("sanctuary.packs.nyc").joinpath("not_encoded.toml").read_text(encoding="utf-8")
    exact: set[Path] = set()
    below: set[Path] = set()
    for item in tomllib.loads(text)["clause"]:
        assert set(item) <= {"cite", "reason", "and_below"} and item["reason"].strip(), item
        match = re.match(r"^(.*?) § (\S+?)((?:\([^)]+\))*)$", item["cite"])
        assert match, item["cite"]
        path = (match[1], match[2], tuple(re.findall(r"\(([^)]+)\)", match[3])))
        (below if item.get("and_below") else exact).add(path)
    return exact, below


def test_every_clause_is_encoded_or_listed_as_not_encoded() -> None:
    cited = _cited_by_rules() | _cited_by_reports()
    exact, below = _listed()
    folder = resources.files("sanctuary.packs.nyc").joinpath("texts")
    uncovered = set()
    for (code, section), name in FILES.items():
        for path in parse_statute(folder.joinpath(name).read_text(encoding="utf-8")):
            if not any(c == code and s == section and p[: len(path)] == path for c, s, p in cited):
                uncovered.add((code, section, path))
    under = {
        (c, s, p) for c, s, p in uncovered if any((c, s) == (lc, ls) and p[: len(lp)] == lp for lc, ls, lp in below)
    }
    listed = exact | under
    show = sorted(f"{c} § {s}{''.join(f'({x})' for x in p)}" for c, s, p in uncovered - listed)
    assert not show, f"clauses neither cited nor listed in not_encoded.toml: {show}"
    emptied = {(c, s, p) for c, s, p in below if not any((c, s) == u[:2] and u[2][: len(p)] == p for u in uncovered)}
    stale = sorted(f"{c} § {s}{''.join(f'({x})' for x in p)}" for c, s, p in (exact - uncovered) | emptied)
    assert not stale, f"listed as not encoded, but cited: {stale}"
