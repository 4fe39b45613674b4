"""End-to-end: the docket page in a real headless Chromium against a real ``sanctuary serve``, at desktop and
phone widths: the queue, a matter's decision, clock and timeline, and an action recorded with the keyboard.
Skipped, saying why, where no Chromium is installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.web_server import CHROMIUM, Server, running_server

if CHROMIUM is None:
    pytest.skip("no chromium on this machine (Debian's chromium package): end-to-end tests skipped",
                allow_module_level=True)  # fmt: skip

from tests.docket_steps import officer_key, seed_docket, show_docket


@pytest.fixture(scope="module")
def desk() -> Iterator[tuple[Server, str, str]]:
    with running_server() as server:
        key = officer_key(server.database)
        yield server, key, seed_docket(server.url, key)


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def page(request: pytest.FixtureRequest) -> Iterator[Page]:
    width, height = request.param
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser.new_page(viewport={"width": width, "height": height})
        browser.close()


def test_the_queue_and_a_matters_timeline_and_clock(page: Page, desk: tuple[Server, str, str]) -> None:
    server, key, matter_id = desk
    shown = show_docket(page, server.url, key, matter_id)
    assert "Undetermined: facts missing (1)" in shown  # the DOC matter, its record unknown
    assert "Running" in shown and "h left" in shown  # the 48-hour clock of § 14-154(b)(2)
    assert "opened" in shown and "acted: held_beyond_release" in shown
    assert "14-154(b)(2)" in shown
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_refused_action_is_explained_and_nothing_is_recorded(page: Page, desk: tuple[Server, str, str]) -> None:
    server, key, matter_id = desk
    show_docket(page, server.url, key, matter_id)
    page.select_option("#action-type", "notified_of_release")  # not requested: not decided, so refused
    page.focus("#action-override")
    page.keyboard.press("Enter")  # submits the form from the keyboard
    expect(page.locator("#action-error")).to_contain_text("override")
    assert page.locator("#matter .timeline > li").count() == 3  # opened, decided, acted


def test_a_workbench_case_is_opened_as_a_matter(page: Page, desk: tuple[Server, str, str]) -> None:
    """The workbench hands its case to the docket (without the decision date the docket sets); the officer opens
    it, and the matter is decided and on the queue."""
    from tests.web_steps import fill_workbench

    server, key, _ = desk
    fill_workbench(page, server.url)
    page.click("#to-docket")
    page.wait_for_url(f"{server.url}/docket*")
    handed = page.input_value("#new-case")
    assert '"agency": "DOC"' in handed and "decision_date" not in handed
    page.fill("#officer-key", key)
    page.fill("#new-release", "2026-04-01T10:00:00-04:00")
    page.click("#open-matter")
    expect(page.locator("#matter")).to_contain_text("Decision in force (nyc-2026, 2026-04-01)")
    expect(page.locator("#matter")).to_contain_text("opened")
