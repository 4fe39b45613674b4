"""The "violent or serious crime" list, checked against the statute text and for its structure."""

from __future__ import annotations

import re

import pytest

from sanctuary.facts.truth import Tri
from sanctuary.packs.nyc.catalog import CATALOG, load_catalog
from sanctuary.packs.nyc.charges import parse_charge
from sanctuary.packs.nyc.offenses import OffenseListError, parse_entry
from tests.conftest import SHARED_DATA

LAW_TEXTS = SHARED_DATA.parent / "law" / "nyc"


def _statute_list(name: str) -> list[str]:
    text = (LAW_TEXTS / name).read_text(encoding="utf-8")
    match = re.search(r"sections of the penal law: (.*?);", text)
    assert match
    return [
        re.sub(r"\s+", " ", t.strip().removeprefix("or ")).replace(" (", "(").replace(") through(", ") through (")
        for t in match.group(1).split(",")
    ]


@pytest.mark.parametrize("name", ["admin-code-9-131.rst", "admin-code-14-154.rst"])
def test_the_list_is_the_statute_list_word_for_word(name: str) -> None:
    if not LAW_TEXTS.is_dir():
        pytest.skip("statute texts not present")
    assert CATALOG.felonies.sections() == _statute_list(name)


def test_the_list_has_155_entries_and_seven_rule_additions() -> None:
    assert len(CATALOG.felonies.entries) == 155
    assert [a.section for a in CATALOG.additions] == [
        "135.37",
        "135.61",
        "230.08",
        "230.11",
        "230.12",
        "230.13",
        "230.34-a",
    ]


@pytest.mark.parametrize(
    ("charge", "expected"),
    [
        ("PL 265.02(2)", Tri.TRUE),
        ("PL 265.02(8)", Tri.TRUE),
        ("PL 265.02(1)", Tri.FALSE),
        ("PL 265.02", Tri.UNKNOWN),
        ("PL 135.65(2)(b)", Tri.TRUE),
        ("PL 135.65(2)", Tri.UNKNOWN),
        ("PL 135.65(2)(a)", Tri.FALSE),
        ("PL 135.65(1)", Tri.FALSE),
        ("PL 120.04-a(4)", Tri.TRUE),
        ("PL 120.04-a(1)", Tri.FALSE),
        ("PL 160.15", Tri.TRUE),
        ("PL 160.15(4)", Tri.TRUE),
    ],
)
def test_subdivision_limits(charge: str, expected: Tri) -> None:
    import datetime as dt

    code = parse_charge(charge)
    entry = CATALOG.felonies.lookup(code, dt.date(2024, 1, 1))
    assert entry is not None
    assert entry.match(code)[0] is expected


def test_unlisted_sections_are_not_found() -> None:
    import datetime as dt

    assert CATALOG.felonies.lookup(parse_charge("PL 155.30"), dt.date(2024, 1, 1)) is None


def test_malformed_entries_fail_loudly() -> None:
    with pytest.raises(OffenseListError):
        parse_entry("160.15 through")
    with pytest.raises(OffenseListError):
        load_catalog('id = "x"\ntitle = "x"\nsurprise = 1\n[penal_law_felonies]\nsections = "160.15"\n')
    with pytest.raises(OffenseListError):
        load_catalog('id = "x"\ntitle = "x"\n[penal_law_felonies]\nsections = "160.15, 160.15"\n')


def test_rule_additions_are_dated_in_three_values() -> None:
    import datetime as dt

    addition = CATALOG.additions[0]
    assert addition.in_force(dt.date(2019, 1, 1)) is Tri.FALSE
    assert addition.in_force(dt.date(2019, 12, 1)) is Tri.UNKNOWN
    assert addition.in_force(dt.date(2021, 1, 1)) is Tri.TRUE
