"""What an officer does on the docket page, as steps shared by the end-to-end tests and the screenshots script:
a docket seeded through the service's routes (an NYPD hold whose clock runs, a DOC matter still undetermined),
then the queue shown and a matter opened."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
from playwright.sync_api import Page, expect

NYPD_HOLD: dict[str, Any] = {
    "agency": "NYPD",
    "request": {"from": "ICE", "documents": [{"type": "I-247A"}], "actions": ["hold"]},
    "person": {
        "convictions": [{"charge": "PL 160.15", "level": "felony", "judgment_date": "2019-01-01", "court": "NY"}],
        "reentered_after_removal": True,
    },
}
DOC_WARRANT: dict[str, Any] = {
    "agency": "DOC",
    "request": {
        "from": "ICE",
        "documents": [
            {"type": "I-247A"},
            {"type": "warrant", "signer": "us_magistrate_judge", "probable_cause": True,
             "authorizes_immigration_custody": True, "presented_with_detainer": True},
        ],
        "actions": ["hold", "notify_release"],
    },
    "person": {},
}  # fmt: skip


def officer_key(database: str) -> str:
    created = subprocess.run(
        [sys.executable, "-m", "sanctuary.cli", "keys", "create", "--role", "officer", "--name", "docket desk",
         "--database", database],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return str(json.loads(created.stdout)["secret"])


def seed_docket(url: str, key: str) -> str:
    """Two matters: an NYPD hold started now (its clock running), and a DOC matter with the person's record
    unknown. Returns the NYPD matter's id."""
    headers = {"X-API-Key": key}
    held = httpx.post(f"{url}/v1/requests", json={"case": NYPD_HOLD}, headers=headers, timeout=30).json()
    httpx.post(f"{url}/v1/requests/{held['id']}/actions", json={"type": "held_beyond_release"}, headers=headers)
    httpx.post(f"{url}/v1/requests", json={"case": DOC_WARRANT}, headers=headers, timeout=30)
    return str(held["id"])


def show_docket(page: Page, url: str, key: str, matter_id: str) -> str:
    """Enter the key, show the queue, open the held matter: the text of the page."""
    page.goto(f"{url}/docket")
    page.fill("#officer-key", key)
    page.click("#load-queue")
    expect(page.locator("#queue")).to_contain_text("Holds running (1)")
    page.get_by_role("button", name=f"{matter_id} — NYPD").first.click()
    expect(page.locator("#matter")).to_contain_text("Timeline")
    return page.inner_text("main")
