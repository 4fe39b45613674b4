"""New York's workbench form (``packs/nyc/form.py``) offers exactly the courts its case format accepts, each once."""

from __future__ import annotations

from sanctuary.packs.nyc.case import STATE_CODES
from sanctuary.packs.nyc.courts import STATES
from sanctuary.packs.nyc.form import COURTS


def test_the_courts_offered_are_the_contracts() -> None:
    assert len(STATES) == len(STATE_CODES) == 55  # 49 states besides New York ("NY"), DC and five territories
    assert set(COURTS) == {"NY", "federal"} | STATE_CODES
