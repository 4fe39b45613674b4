"""Screenshots of every page, at desktop and phone widths, into ``docs/screenshots/`` (what a reviewer looks
at). Starts a real ``sanctuary serve`` on loopback, fills each page as a person would, and photographs it with
the machine's Chromium (Debian's ``chromium``) driven by Playwright.

Run: ``python scripts/screenshots.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.docket_steps import officer_key, seed_docket, show_docket  # noqa: E402
from tests.web_server import CHROMIUM, example_county_site, running_server  # noqa: E402
from tests.web_steps import (  # noqa: E402
    compare_sample,
    door_sheet,
    door_three_taps,
    enter_defender_case,
    fill_example_county,
    fill_workbench,
    open_clause,
)

OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> int:
    if CHROMIUM is None:
        print("no chromium on this machine (apt-get install chromium)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with running_server() as server, sync_playwright() as playwright:
        officer = officer_key(server.database)
        held = seed_docket(server.url, officer)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size, (width, height) in SIZES.items():
            page: Page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{server.url}/")
            page.screenshot(path=OUT / f"index-{size}.png", full_page=True)
            fill_workbench(page, server.url)
            page.screenshot(path=OUT / f"workbench-{size}.png", full_page=True)
            enter_defender_case(page, server.url)  # issue 15: the defender's case, facts added before asked
            page.screenshot(path=OUT / f"workbench-defender-{size}.png")  # the first screen, as a person sees it
            compare_sample(page, server.url, server.analyst_key)
            page.screenshot(path=OUT / f"compare-{size}.png", full_page=True)
            open_clause(page, server.url)
            page.screenshot(path=OUT / f"law-{size}.png", full_page=True)
            show_docket(page, server.url, officer, held)
            page.screenshot(path=OUT / f"docket-{size}.png", full_page=True)
            door_three_taps(page, server.url)
            page.screenshot(path=OUT / f"door-{size}.png", full_page=True)
            door_sheet(page, server.url, "shelter")
            page.screenshot(path=OUT / f"door-sheet-{size}.png", full_page=True)
            page.close()
        browser.close()
    example_county()
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(ROOT))
    return 0


def example_county() -> None:
    """The workbench of the fictional second pack (its form built from its schema alone), filled and answered."""
    site = Path(tempfile.mkdtemp(prefix="sanctuary-site-"))
    with running_server("example", example_county_site(site)) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size, (width, height) in SIZES.items():
            page: Page = browser.new_page(viewport={"width": width, "height": height})
            fill_example_county(page, server.url)
            page.screenshot(path=OUT / f"workbench-example-{size}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
