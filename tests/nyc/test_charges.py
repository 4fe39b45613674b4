"""Reading charge codes in every form people hold them in."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from sanctuary.packs.nyc.charges import ChargeParseError, parse_charge


@pytest.mark.parametrize(
    ("text", "law", "section", "subdivision", "attempt", "hate"),
    [
        ("PL 160.15(4)", "PL", "160.15", ("4",), False, False),
        ("PL 265.02(3)", "PL", "265.02", ("3",), False, False),
        ("PL 135.65(2)(b)", "PL", "135.65", ("2", "b"), False, False),
        ("PL 120.04-a(4)", "PL", "120.04-a", ("4",), False, False),
        ("Penal Law § 160.15", "PL", "160.15", None, False, False),
        ("VTL 600(2)", "VTL", "600", ("2",), False, False),
        # DOC TOP_CHARGE forms
        ("160.15", "PL", "160.15", None, False, False),
        ("110-125.25", "PL", "125.25", None, True, False),
        ("265.01B", "PL", "265.01-b", None, False, False),
        ("130.65A", "PL", "130.65-a", None, False, False),
        ("120.00H", "PL", "120.00", None, False, True),
        ("110-120.10H", "PL", "120.10", None, True, True),
        ("245.15(1)", "PL", "245.15", ("1",), False, False),
        ("1192(2)", "VTL", "1192", ("2",), False, False),
        ("VTL 1192.2", "VTL", "1192", ("2",), False, False),
        ("600(2)(A)", "VTL", "600", ("2", "a"), False, False),
        # NYPD LAW_CODE packing
        ("PL 1601503", "PL", "160.15", ("3",), False, False),
        ("PL 1200500", "PL", "120.05", None, False, False),
        ("PL 265031B", "PL", "265.03", ("1", "b"), False, False),
        ("PL 215510B", "PL", "215.51", ("b",), False, False),
        ("PL 120001H", "PL", "120.00", ("1",), False, True),
        ("PL 12005A3", "PL", "120.05", None, False, False),
        ("VTL0511003", "VTL", "511", ("3",), False, False),
        ("VTL06000AA", "VTL", "600", None, False, False),
    ],
)
def test_forms(
    text: str, law: str, section: str, subdivision: tuple[str, ...] | None, attempt: bool, hate: bool
) -> None:
    code = parse_charge(text)
    assert (code.law, code.section, code.subdivision, code.attempt, code.hate_crime) == (
        law,
        section,
        subdivision,
        attempt,
        hate,
    )


@pytest.mark.parametrize("text", ["", "CO", "VOP", "FOA 900.00", "XYZ 12", "PL 16O.15", "PL abc", "168-T"])
def test_non_charges_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ChargeParseError, match=r"\S"):
        parse_charge(text)


def test_every_penal_law_shaped_doc_top_charge_parses(shared_data: Path) -> None:
    """All 746 distinct DOC TOP_CHARGE values: each Penal-Law-shaped one reads as that section."""
    path = shared_data / "nyc-doc-daily-inmates-in-custody" / "doc_top_charge_values.csv"
    shaped = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value = row["top_charge"]
            if not re.fullmatch(r"(110-)?\d{3}\.\d{2}[A-Z]{0,2}", value):
                continue
            shaped += 1
            code = parse_charge(value)
            assert code.law == "PL"
            assert code.section.startswith(row["section"]), (value, row["section"], code)
            assert code.attempt == (row["attempt_110"] == "Y"), value
    assert shaped > 550


def test_every_penal_law_nypd_law_code_parses_to_its_section(shared_data: Path) -> None:
    path = shared_data / "nypd-arrests" / "law_code_observed.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["law"] == "PL"]
    assert len(rows) > 400
    for row in rows:
        code = parse_charge(row["LAW_CODE"])
        assert code.section == row["section"], row["LAW_CODE"]
