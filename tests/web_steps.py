"""What a person does on each page, as steps shared by the end-to-end tests and the screenshots script.
Each step waits for what the page shows (Playwright's ``expect``), so no step sleeps."""

from __future__ import annotations

from playwright.sync_api import Page, expect

WAIT_MS = 30_000


def fill_workbench(page: Page, url: str) -> list[str]:
    """A DOC detainer case, fact by fact: the result for 'hold' after each step (what the page showed)."""
    page.goto(f"{url}/workbench")
    page.select_option("#agency", "DOC")
    page.fill("#decision-date", "2024-03-01")
    page.select_option("#request-from", "ICE")
    page.check("input[name='request.documents'][value='I-247A']")
    page.check("input[name='request.actions'][value='hold']")
    hold = page.locator("#outcomes [data-action='hold']")
    seen = []
    # A detainer without a judicial warrant: DOC may not hold (§ 9-131(b)(1)(i)).
    expect(hold).to_have_attribute("data-result", "prohibited", timeout=WAIT_MS)
    seen.append("prohibited")
    page.check("#request-documents-warrant")
    page.select_option("#request-documents-warrant-signer", "us_magistrate_judge")
    page.select_option("#request-documents-warrant-probable-cause", "yes")
    page.select_option("#request-documents-warrant-authorizes-immigration-custody", "yes")
    page.select_option("#request-documents-warrant-presented-with-detainer", "yes")
    # With the warrant, the outcome turns on the person's record, which nobody has given yet.
    expect(hold).to_have_attribute("data-result", "undetermined", timeout=WAIT_MS)
    seen.append("undetermined")
    question = page.locator("#questions [data-path='person.tsdb_possible_match']")
    expect(question).to_be_visible(timeout=WAIT_MS)
    question.get_by_label("Yes", exact=True).click()  # the answered question then moves to the facts given
    # A possible match in the terrorist screening database: DOC may hold (§ 9-131(b)(1)(ii)).
    expect(hold).to_have_attribute("data-result", "permitted", timeout=WAIT_MS)
    seen.append("permitted")
    return seen


def compare_sample(page: Page, url: str, key: str) -> str:
    """Current law against the Mayor's 2024 position on the bundled sample, a judicial warrant assumed: the
    text of the result."""
    page.goto(f"{url}/compare")
    page.fill("#api-key", key)
    page.check("input[name=regime][value='nyc-2017']")
    page.check("input[name=regime][value='adams-2024']")
    page.check("input[name=assume][value='judicial-warrant']")
    page.check("#dataset-sample")
    page.click("#run")
    result = page.locator("#result")
    expect(result).to_contain_text("adams-2024", timeout=120_000)
    expect(result.locator("table").first).to_be_visible(timeout=WAIT_MS)
    return result.inner_text()


def open_clause(page: Page, url: str) -> str:
    """The DOC hold rule of current law, and the statute's words of its first clause, opened."""
    page.goto(f"{url}/law")
    page.select_option("#law-regime", "nyc-2017")
    page.select_option("#law-agency", "DOC")
    page.select_option("#law-action", "hold")
    clause = page.locator("details.clause").first
    expect(clause).to_be_visible(timeout=WAIT_MS)
    clause.locator("summary").click()
    words = clause.locator("blockquote")
    expect(words).to_be_visible(timeout=WAIT_MS)
    return words.inner_text()


def door_three_taps(page: Page, url: str) -> tuple[int, str, str]:
    """An agent without a judicial warrant asks to enter a shelter's dormitory: three taps. Returns the taps made,
    the result the page shows and its clause."""
    page.goto(f"{url}/door")
    taps = 0
    for label in (
        "a city shelter (DHS)",
        "Go into a dormitory, back office or other non-public area",
        "Nothing, and no one is in danger",
    ):
        page.get_by_role("button", name=label).click()
        taps += 1
    result = page.locator("#answer-result")
    expect(result).to_be_visible(timeout=WAIT_MS)
    return taps, result.get_attribute("data-result") or "", page.locator("#answer-clause").inner_text()


def door_sheet(page: Page, url: str, setting: str) -> str:
    """A setting's printable guidance sheet, as shown."""
    page.goto(f"{url}/door/sheet?setting={setting}")
    rows = page.locator(".sheet-row")
    expect(rows.first).to_be_visible(timeout=WAIT_MS)
    return page.locator("main").inner_text()


def add_fact(page: Page, path: str) -> None:
    """Give a fact no question has asked for yet, with the workbench's "Add a fact" control."""
    page.select_option("#add-fact-path", path)
    page.click("#add-fact")
    expect(page.locator(f"#facts [data-path='{path}']")).to_be_visible(timeout=WAIT_MS)


def enter_defender_case(page: Page, url: str) -> dict[str, str]:
    """The public defender's case of issue 15, entered as a person would: a client at Rikers (DOC), an I-247A
    with an I-200, a 2019 assault in the second degree, a pending robbery in the second degree. The pending
    charge and the arrest date are given before any question asks for them. Returns each action's result."""
    page.goto(f"{url}/workbench")
    page.select_option("#agency", "DOC")
    page.fill("#decision-date", "2024-09-01")
    page.select_option("#request-from", "ICE")
    page.check("input[name='request.documents'][value='I-247A']")
    page.check("input[name='request.documents'][value='I-200']")
    for action in ("hold", "notify_release", "info:release_date"):
        page.check(f"input[name='request.actions'][value='{action}']")
    hold = page.locator("#outcomes [data-action='hold']")
    expect(hold).to_have_attribute("data-result", "prohibited", timeout=WAIT_MS)
    add_fact(page, "person.pending_charges")  # not asked under nyc-2017 (only the adams-2024 proposal reads it)
    page.click("#f-person-pending-charges-add")
    page.fill("#f-person-pending-charges-0-charge-text", "PL 160.10")
    page.select_option("#f-person-pending-charges-0-level-select", "felony")
    page.fill("#f-person-pending-charges-0-arrest-date-date", "2024-06-10")
    add_fact(page, "person.instant_arrest_date")
    page.locator("#facts [data-path='person.instant_arrest_date'] input").fill("2024-06-10")
    page.click("#q-person-convictions-add")  # asked: answered where the question is
    judgment = page.locator("[data-path='person.convictions'] .item-card").first  # stays put while it is filled
    judgment.get_by_label("Charge (law and section)").fill("PL 120.05")
    judgment.get_by_label("Felony, misdemeanor or violation").select_option("felony")
    judgment.get_by_label("Date of the judgment").fill("2019-05-01")
    judgment.get_by_label("Court of the judgment").select_option("NY")
    page.locator("#questions [data-path='person.tsdb_possible_match']").get_by_label("No", exact=True).check()
    release = page.locator("#outcomes [data-action='info:release_date']")
    expect(release).to_have_attribute("data-result", "undetermined", timeout=WAIT_MS)
    expect(release).to_contain_text("at least 41 days in custody", timeout=WAIT_MS)
    return {
        action: page.locator(f"#outcomes [data-action='{action}']").get_attribute("data-result") or ""
        for action in ("hold", "notify_release", "info:release_date")
    }


def fill_example_county(page: Page, url: str) -> dict[str, list[str]]:
    """Example County's case on its own form (built from its schema, no hint): the sheriff asked to hold a person and
    share the address; the warrant given, then one felony conviction. Returns each action's results, in turn."""
    page.goto(f"{url}/workbench")
    page.select_option("#agency", "SHERIFF")
    page.fill("#decision-date", "2026-06-01")
    page.check("input[name='request.actions'][value='hold']")
    page.check("input[name='request.actions'][value='share_address']")
    hold = page.locator("#outcomes [data-action='hold']")
    share = page.locator("#outcomes [data-action='share_address']")
    seen: dict[str, list[str]] = {"hold": [], "share_address": []}

    def saw(action: str, result: str) -> None:
        expect(page.locator(f"#outcomes [data-action='{action}']")).to_have_attribute(
            "data-result", result, timeout=WAIT_MS
        )
        seen[action].append(result)

    # Nothing known yet: the warrant (asked in the form above) and the convictions (asked below) decide.
    saw("hold", "undetermined")
    saw("share_address", "undetermined")
    expect(page.locator("#questions [data-path='request.warrant'] button")).to_have_text("Answer in the form above")
    page.select_option("#request-warrant", "administrative")  # § 2-1(a): a hold needs a judicial warrant
    saw("hold", "prohibited")
    page.click("#q-person-convictions-add")  # the question asks; a conviction is added where it is asked
    conviction = page.locator("[data-path='person.convictions'] .item-card").first
    conviction.get_by_label("Level").select_option("felony")
    conviction.get_by_label("Date").fill("2019-02-01")
    saw("share_address", "permitted")  # § 2-1(b): a felony within ten years
    expect(hold).to_contain_text("2-1(a)")
    expect(share).to_contain_text("2-1(b)")
    return seen
