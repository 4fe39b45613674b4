"""Regimes: loaded, validated, dated; bad declarations fail loudly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sanctuary.law.regime import RegimeError, load_regimes
from sanctuary.packs.nyc import NYC, NewYorkCity
from sanctuary.packs.nyc.proposals import OVERRIDES
from sanctuary.packs.nyc.rules import PARAMS

GOOD = """
[[regime]]
id = "a"
status = "law"
title = "A"
summary = "A"
in_force_from = 2014-12-14
in_force_until = 2017-12-01
provisions = { "9-131(b)" = 2014-12-14 }
sources = [{ title = "L.L. 58/2014" }]
[regime.params]
lookback_years = 5
federal_immigration_authorities = "dhs-civil-ina"
premises_executive_order_exception = true
"""


def _load(tmp_path: Path, text: str) -> None:
    path = tmp_path / "regimes.toml"
    path.write_text(text, encoding="utf-8")
    load_regimes(path, known_overrides=tuple(OVERRIDES), known_params=PARAMS)


def test_the_nyc_regimes() -> None:
    assert list(NYC.regimes) == [
        "nyc-before-2012",
        "nyc-2012",
        "nyc-2013",
        "nyc-2014",
        "nyc-2017",
        "nyc-2026",
        "adams-2024",
        "repeal-2024",
        "int-185-2022",
    ]
    assert {r.id for r in NYC.regimes.values() if r.status == "proposal"} == {
        "adams-2024",
        "repeal-2024",
        "int-185-2022",
    }
    for proposal in ("adams-2024", "repeal-2024", "int-185-2022"):
        assert NYC.regimes[proposal].base == "nyc-2017"


@pytest.mark.parametrize(
    ("day", "regime"),
    [
        ("1990-01-01", "nyc-before-2012"),
        ("2012-03-20", "nyc-before-2012"),
        ("2012-03-21", "nyc-2012"),
        ("2013-07-15", "nyc-2012"),
        ("2013-07-16", "nyc-2013"),
        ("2014-12-13", "nyc-2013"),
        ("2014-12-14", "nyc-2014"),
        ("2017-11-30", "nyc-2014"),
        ("2017-12-01", "nyc-2017"),
        ("2026-01-28", "nyc-2017"),
        ("2026-01-29", "nyc-2026"),
        ("2030-01-01", "nyc-2026"),
    ],
)
def test_regime_in_force(day: str, regime: str | None) -> None:
    found = NYC.regime_in_force(dt.date.fromisoformat(day))
    assert (found.id if found else None) == regime


def test_provisions_take_effect_on_their_own_dates() -> None:
    nyc_2017 = NYC.regimes["nyc-2017"]
    assert not nyc_2017.provision_applies("10-178", dt.date(2018, 1, 29), by_date=True)
    assert nyc_2017.provision_applies("10-178", dt.date(2018, 1, 30), by_date=True)
    assert nyc_2017.provision_applies("10-178", dt.date(2018, 1, 29), by_date=False)
    assert not NYC.regimes["repeal-2024"].provision_applies("9-131(b)", dt.date(2024, 1, 1), by_date=False)


def test_every_regime_has_a_stable_distinct_law_hash() -> None:
    hashes = {r: NYC.law_hash(NYC.regimes[r]) for r in NYC.regimes}
    assert len(set(hashes.values())) == len(hashes)
    assert NewYorkCity().law_hash(NewYorkCity().regimes["nyc-2017"]) == hashes["nyc-2017"]


def test_a_good_declaration_loads(tmp_path: Path) -> None:
    _load(tmp_path, GOOD)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('status = "law"', 'status = "maybe"'), "status"),
        (('sources = [{ title = "L.L. 58/2014" }]', "sources = []"), "source"),
        (("lookback_years = 5", "lookback_years = 5\nsurprise = 1"), "unknown parameter"),
        (('title = "A"', 'title = "A"\ncolour = "red"'), "unknown keys"),
        (("in_force_until = 2017-12-01", "in_force_until = 2013-12-01"), "not after"),
        (('id = "a"', 'id = "a"\noverrides = ["nonsense"]'), "unknown override"),
        (('id = "a"', 'id = "a"\nbase = "nowhere"'), "unknown base"),
    ],
)
def test_bad_declarations_fail_loudly(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(RegimeError, match=message):
        _load(tmp_path, GOOD.replace(*change))


def test_overlapping_laws_fail(tmp_path: Path) -> None:
    second = GOOD.replace('id = "a"', 'id = "b"').replace("2014-12-14\nin_force_until", "2016-01-01\nin_force_until")
    with pytest.raises(RegimeError, match="overlap"):
        _load(tmp_path, GOOD + second.replace("in_force_until = 2017-12-01", "in_force_until = 2019-12-01"))
