"""End-to-end: the three pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright
through ``executable_path``) against a real ``sanctuary serve``. Skipped, saying why, where no Chromium is
installed (``.ci/run`` installs it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.web_server import CHROMIUM, Server, running_server

if CHROMIUM is None:
    pytest.skip("no chromium on this machine (Debian's chromium package): end-to-end tests skipped",
                allow_module_level=True)  # fmt: skip

from tests.web_steps import compare_sample, fill_workbench, open_clause


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server() as running:
        yield running


@pytest.fixture(scope="module", params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def page(request: pytest.FixtureRequest) -> Iterator[Page]:
    width, height = request.param
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        opened = browser.new_page(viewport={"width": width, "height": height})
        yield opened
        browser.close()


def test_a_case_filled_step_by_step_changes_its_outcome(page: Page, server: Server) -> None:
    assert fill_workbench(page, server.url) == ["prohibited", "undetermined", "permitted"]
    # What the page shows is what `sanctuary decide` answers for the case the page built.
    reasons = page.locator("#outcomes [data-action='hold']").inner_text()
    assert "9-131" in reasons


def test_two_regimes_compared_on_the_sample(page: Page, server: Server) -> None:
    shown = compare_sample(page, server.url, server.analyst_key)
    assert "prohibited" in shown and "permitted" in shown
    assert "judicial" in shown.lower()  # the assumption is stated
    assert "synthetic" in shown.lower()


def test_a_clause_of_the_law_browser_opens_on_the_statutes_words(page: Page, server: Server) -> None:
    words = open_clause(page, server.url)
    assert "detainer" in words


def test_the_pages_make_no_outside_requests(page: Page, server: Server) -> None:
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
    for path in ("/", "/workbench", "/compare", "/law", "/docs", "/redoc"):  # (the framework's pages: off)
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert outside == []


def test_every_input_has_a_label(page: Page, server: Server) -> None:
    unlabelled: list[str] = []
    for path in ("/workbench", "/compare", "/law"):
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("networkidle")
        found = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                 .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                               && !el.getAttribute('aria-labelledby'))
                 .map(el => el.id || el.name || el.outerHTML.slice(0, 60))"""
        )
        unlabelled.extend(f"{path}: {name}" for name in found)
    assert unlabelled == []
