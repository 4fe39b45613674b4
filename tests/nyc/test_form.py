"""New York's workbench form (``packs/nyc/form.py``) offers exactly the courts its case format accepts."""

from __future__ import annotations

from sanctuary.packs.nyc.case import STATE_CODES
from sanctuary.packs.nyc.form import COURTS


def test_the_courts_offered_are_the_contracts() -> None:
    assert set(COURTS) == {"NY", "federal"} | STATE_CODES
