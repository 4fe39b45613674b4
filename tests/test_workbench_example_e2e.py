"""End-to-end: the case workbench on Example County (``tests/packs/example_county``), a pack that gives no form
hint, in a real headless Chromium against a real ``sanctuary --jurisdiction example serve``: the form is built from
the pack's schema and questions alone, filled, and answered. Skipped, saying why, where no Chromium is installed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.web_server import CHROMIUM, Server, example_county_site, running_server

if CHROMIUM is None:
    pytest.skip("no chromium on this machine (Debian's chromium package): end-to-end tests skipped",
                allow_module_level=True)  # fmt: skip

from tests.web_steps import fill_example_county


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server("example", example_county_site(tmp_path_factory.mktemp("site"))) as running:
        yield running


@pytest.fixture(scope="module", params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def page(request: pytest.FixtureRequest) -> Iterator[Page]:
    width, height = request.param
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser.new_page(viewport={"width": width, "height": height})
        browser.close()


def test_example_countys_form_is_filled_and_answered(page: Page, server: Server, tmp_path: Path) -> None:
    seen = fill_example_county(page, server.url)
    assert seen == {"hold": ["undetermined", "prohibited"], "share_address": ["undetermined", "permitted"]}
    # The form is the pack's: its agencies, its actions in its words, none of New York's fields.
    form = page.locator("#case-form").inner_text()
    assert "Share the person's address" in form and "Which warrant did the requester present?" in form
    for new_york in ("DOC", "I-247A", "ICE", "judgment"):
        assert new_york not in page.locator("main").inner_text()
    assert "Law applied" in form  # the frame's words, the same in every jurisdiction
    assert "What is person." not in page.locator("main").inner_text()  # a fact without the pack's words: its name
    # The case saved is the pack's case format, every fact given and nothing guessed.
    with page.expect_download() as download:
        page.click("#save")
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert saved == {
        "agency": "SHERIFF",
        "decision_date": "2026-06-01",
        "request": {"actions": ["hold", "share_address"], "warrant": "administrative"},
        "person": {"convictions": [{"level": "felony", "date": "2019-02-01"}]},
    }
    # Loaded back after a new case: the same answers.
    page.click("#reset")
    expect(page.locator("#outcomes [data-action='hold']")).to_have_count(0)
    case = tmp_path / "case.json"
    case.write_text(json.dumps(saved), encoding="utf-8")
    page.set_input_files("#load", case)
    expect(page.locator("#outcomes [data-action='share_address']")).to_have_attribute("data-result", "permitted")
    expect(page.locator("#request-warrant")).to_have_value("administrative")


def test_every_input_of_example_countys_form_has_a_label(page: Page, server: Server) -> None:
    fill_example_county(page, server.url)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                           && !el.getAttribute('aria-labelledby'))
             .map(el => el.id || el.name || el.outerHTML.slice(0, 60))"""
    )
    assert unlabelled == []
    # A yes-or-no fact would be three choices; Example County has none, but its unknown facts stay unknown:
    assert page.locator("#request-warrant option").first.inner_text() == "Not known"
