"""Per-year estimates and the backtest (``population/estimate.py``, docs/population.md "Estimates per year"): the
model's arithmetic checked against its definition and against simulated draws, the published figures read from a
fixture of our own, and the command on small fixtures; the real published figures by their path, skipped when
absent."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanctuary.cli import app
from sanctuary.population.estimate import (
    Period,
    estimate,
    given_counts,
    hard_bounds,
    model_range,
    read_published,
    year_label,
    years,
)

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path("/work/shared/data")
PUBLISHED = DATA / "nyc-ice-detainer-stats" / "nyc_detainer_published_numbers.csv"
SNAPSHOTS = DATA / "nyc-doc-daily-inmates-in-custody" / "snapshots"
runner = CliRunner()


@st.composite
def populations(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """(requests D, records N, permitted P, undetermined U) with P + U ≤ N."""
    records = draw(st.integers(1, 5_000))
    permitted = draw(st.integers(0, records))
    undetermined = draw(st.integers(0, records - permitted))
    return draw(st.integers(0, 6_000)), records, permitted, undetermined


@given(populations())
def test_the_model_range_is_within_what_can_happen(population: tuple[int, int, int, int]) -> None:
    received, records, permitted, undetermined = population
    low, high = model_range(received, records, permitted, undetermined)
    assert 0 <= low <= high <= received
    # The undetermined widen the range, never narrow it: the same population with none undetermined.
    settled_low, settled_high = model_range(received, records, permitted, 0)
    assert low == settled_low and high >= settled_high
    hard = hard_bounds(received, records, permitted, undetermined)
    if received <= records:
        assert hard is not None and 0 <= hard[0] <= hard[1] <= received
        # Whatever the spread: the requests cannot avoid more permitted records than the others can take.
        assert hard[0] == max(0, received - (records - permitted))
    else:
        assert hard is None


def test_the_model_is_the_hypergeometric_draw_it_says() -> None:
    """Requests drawn uniformly from the records: the count landing on permitted records falls inside the model's
    range (with none undetermined, a 95 % interval) in about 95 % of draws; checked by simulation, seeded."""
    records, permitted, received = 2_000, 300, 150
    low, high = model_range(received, records, permitted, 0)
    people = [True] * permitted + [False] * (records - permitted)
    chance = random.Random(12)
    inside = sum(low <= sum(chance.sample(people, received)) <= high for _ in range(2_000))
    assert 0.93 <= inside / 2_000 <= 0.99
    # By hand: mean D·P/N = 22.5, sd² = D·p·(1−p)·(N−D)/(N−1).
    sd = (received * 0.15 * 0.85 * (records - received) / (records - 1)) ** 0.5
    assert (low, high) == (int(22.5 - 1.96 * sd), int(22.5 + 1.96 * sd) + 1)


def test_nothing_permitted_or_everything_permitted_leaves_no_doubt() -> None:
    assert model_range(536, 9_216, 0, 0) == (0, 0)
    assert model_range(536, 9_216, 9_216, 0) == (536, 536)
    assert hard_bounds(536, 9_216, 0, 0) == (0, 0)


def test_years_and_their_labels() -> None:
    assert [year_label(2016, m) for m in (1, 7, 10, 3)] == ["CY2016", "FY2017", "FFY2017", "Y2016-03"]
    fiscal = years(["2017-06", "2017-07"], 7)
    assert [(y.label, y.start, y.end) for y in fiscal] == [
        ("FY2017", dt.date(2016, 7, 1), dt.date(2017, 6, 30)),
        ("FY2018", dt.date(2017, 7, 1), dt.date(2018, 6, 30)),
    ]
    assert len(fiscal[0].months()) == 12 and fiscal[0].months()[0] == "2016-07"


def test_published_figures_are_read_with_the_count_received() -> None:
    periods = {p.label: p for p in read_published(FIXTURES / "published_sample.csv")}
    assert set(periods) == {"FY2020", "FY2021"}  # a range and a period without a count received are skipped
    assert periods["FY2020"].received == 3 and periods["FY2020"].published[0][:3] == ("detainers_honored", "hold", 0)
    assert periods["FY2021"].received == 3  # 2 honored + 1 not honored


def test_estimates_count_the_records_of_each_period_and_agency() -> None:
    by_month: Counter[tuple[str, str, str, str, str]] = Counter(
        {
            ("2019-08", "DOC", "r", "a", "permitted"): 2,
            ("2019-09", "DOC", "r", "a", "undetermined"): 3,
            ("2019-09", "DOC", "r", "a", "prohibited"): 5,
            ("2019-09", "NYPD", "r", "a", "permitted"): 7,
            ("2021-01", "DOC", "r", "a", "permitted"): 1,
        }
    )
    period = Period("FY2020", dt.date(2019, 7, 1), dt.date(2020, 6, 30), "NYC DOC", 4, (("m", "a", 1, "s"),))
    (row,) = estimate(by_month, [period], ["r"], ["a"], agency_of={"NYC DOC": "DOC"})
    assert (row.records, row.permitted, row.undetermined, row.months_with_data) == (10, 2, 3, 2)
    assert (row.model_low, row.model_high) == model_range(4, 10, 2, 3) and row.published == 1
    assert {r.agency for r in estimate(by_month, years([m for m, *_ in by_month], 7), ["r"], ["a"])} == {"DOC", "NYPD"}


def test_counts_given_by_hand_are_read_and_bad_ones_refused() -> None:
    assert given_counts(["FY2025=1200"]) == {"FY2025": 1200}
    for bad in (["FY2025"], ["FY2025=many"], ["FY2025=1", "FY2025=2"]):
        with pytest.raises(ValueError, match="--detainers"):
            given_counts(bad)


def test_the_estimate_command_prints_years_and_the_backtest(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "estimate",
            str(FIXTURES / "doc_stays_sample.csv"),
            "--regimes",
            "nyc-2017,adams-2024",
            "--published",
            str(FIXTURES / "published_sample.csv"),
            "--detainers",
            "FY2020=1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Supposed: ICE's usual request")
    lines = result.output.splitlines()
    assert any(line.startswith("| FY2020 | DOC | adams-2024 | info:release_date |") for line in lines)
    backtest = lines[lines.index("Backtest: the model beside the published figures") :]
    assert any(line.startswith("| FY2020 | DOC | nyc-2017 | hold | detainers_honored = 0") for line in backtest)
    as_json = json.loads(runner.invoke(app, ["estimate", str(FIXTURES / "doc_stays_sample.csv"), "--regimes",
                                             "nyc-2017", "--json"]).output)  # fmt: skip
    assert as_json["per_year"] and "hypergeometric" in as_json["model"]


def test_the_estimate_command_refuses_bad_options() -> None:
    stays = str(FIXTURES / "doc_stays_sample.csv")
    refused = (
        ["--year-start", "13"],
        ["--detainers", "FY2020"],
        ["--published", "/nonexistent.csv"],
        ["--published", str(FIXTURES / "doc_stays_sample.csv")],
        ["--assume", "judicial-warrant", "--assume", "no-judicial-warrant"],
    )
    for extra in refused:
        result = runner.invoke(app, ["estimate", stays, "--regimes", "nyc-2017", *extra])
        assert result.exit_code == 2, (extra, result.output)


@pytest.mark.skipif(not (PUBLISHED.exists() and SNAPSHOTS.is_dir()), reason="the shared data is not on this machine")
def test_the_backtest_on_the_published_doc_figures() -> None:
    """DOC FY2016 and FY2017: requests received, none honored. Under ICE's usual request (no judicial warrant)
    the 2014 law permits no hold, so the model says 0 — the published 0 — by the law alone."""
    result = runner.invoke(app, ["estimate", str(SNAPSHOTS), "--regimes", "nyc-2017", "--published",
                                 str(PUBLISHED), "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {(r["period"], r["action"]): r for r in json.loads(result.output)["backtest"]}
    for period in ("FY2016", "FY2017"):
        hold = rows[(period, "hold")]
        assert hold["regime"] == "nyc-2014" and hold["published"] == 0
        assert hold["model_low"] == hold["model_high"] == 0
