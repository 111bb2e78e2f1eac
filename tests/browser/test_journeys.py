"""The main journeys through the archive, in a real browser, checked by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations

# The live server needs committed data; serialized_rollback restores what the migrations
# created (the curators' groups) for the tests that run after these.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def test_home_theme_quote_speech_speaker(page, live_server, sample):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)

    page.locator("section[aria-labelledby=themes-heading]").get_by_role(
        "link", name="Provider failure"
    ).click()
    expect(page.locator("h1")).to_have_text("Provider failure")
    assert_accessible(page)

    page.get_by_role(
        "link", name=re.compile(r"^Quote page\W+Bullets will have to be bitten")
    ).click()
    expect(page.locator("blockquote")).to_have_text("Bullets will have to be bitten.")
    expect(page.locator("figcaption cite")).to_have_text("Lansley at the Commissioning Show")
    assert_accessible(page)

    page.locator("figcaption cite a").click()
    expect(page.locator("h1")).to_have_text("Lansley at the Commissioning Show")
    expect(page.locator("mark.quote-mark").first).to_be_visible()
    assert_accessible(page)

    page.locator("dl.facts").get_by_role("link", name="Rt Hon Andrew Lansley").click()
    expect(page.locator("h1")).to_contain_text("Andrew Lansley")
    offices = page.locator("section[aria-labelledby=offices-heading]")
    expect(offices.get_by_role("link", name="Shadow Secretary of State for Health")).to_be_visible()
    assert_accessible(page)


def test_filter_paginate_and_clear_a_filter(page, live_server, sample, settings):
    settings.ARCHIVE_PAGE_SIZE = 2
    page.goto(live_server.url + "/quotes/")
    expect(page.locator("#results-heading")).to_have_text("6 quotes")

    page.get_by_label("Theme", exact=True).select_option("service-reconfiguration")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-heading")).to_have_text("3 quotes match your filters")
    # Only the fields that say something are in the address: it can be shared as it is.
    query = page.url.split("?", 1)[1]
    assert "theme=service-reconfiguration" in query.split("&")
    assert not [part for part in query.split("&") if part.endswith("=")], query
    expect(page.locator("ol.results > li")).to_have_count(2)
    assert_accessible(page)

    page.get_by_role("link", name="Next page").click()
    expect(page.locator("ol.results > li")).to_have_count(1)
    assert "theme=service-reconfiguration" in page.url and "page=2" in page.url
    expect(page.get_by_label("Theme", exact=True)).to_have_value("service-reconfiguration")

    page.get_by_role("link", name=re.compile(r"Theme: Service reconfiguration")).click()
    expect(page.locator("#results-heading")).to_have_text("6 quotes")
    assert "theme=" not in page.url and "page=" not in page.url


def test_invalid_filter_is_reported_and_focusable(page, live_server, sample):
    page.goto(
        live_server.url + "/quotes/?date_after=notadate&theme=%3Cscript%3Ealert(1)%3C/script%3E"
    )
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a date as YYYY-MM-DD")
    summary.get_by_role("link", name=re.compile("^From")).click()
    expect(page.get_by_label("From")).to_be_focused()
    assert_accessible(page)


def test_the_filter_form_works_without_javascript(browser, live_server, sample):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/speeches/")
    page.get_by_label("Kind of statement").select_option("letter")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("ol.results > li")).to_have_count(1)
    expect(page.locator("ol.results")).to_contain_text("Letter to CCG leaders")
    assert "kind=letter" in page.url  # with every empty field besides: no script to leave them out
    context.close()


def test_a_filter_form_left_by_the_back_button_still_sends_every_field(page, live_server, sample):
    # The fields left out of one submission are back when the browser returns to the page.
    page.goto(live_server.url + "/quotes/")
    page.get_by_label("Theme", exact=True).select_option("service-reconfiguration")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-heading")).to_have_text("3 quotes match your filters")
    page.go_back()
    expect(page.get_by_label("From")).to_be_enabled()
    page.get_by_label("From").fill("2012")
    page.get_by_role("button", name="Apply filters").click()
    assert "date_after=2012" in page.url


def test_skip_link_appears_on_focus_and_moves_to_main(page, live_server, sample):
    page.goto(live_server.url + "/quotes/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0  # on screen once focused
    page.keyboard.press("Enter")
    # Waits for the jump: the page's URL changes after the key press returns.
    expect(page).to_have_url(re.compile(r"#main$"))


def test_permalink_gets_a_copy_button_with_javascript(page, live_server, sample):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + sample.back.get_absolute_url())
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()


def test_a_quotations_whole_words_are_copied_with_who_said_them(page, live_server, sample):
    # The reference cuts a quotation at 25 words; a journalist pastes the whole of it.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + sample.back.get_absolute_url())
    page.get_by_role("button", name="Copy the words").click()
    expect(page.get_by_role("button", name="Copied the words")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"“{sample.back.text}” — {sample.back.speaker.name}, ")
    assert copied.endswith(live_server.url + sample.back.get_absolute_url())
