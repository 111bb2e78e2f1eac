"""On a phone the list pages' filters stack above the results; a link at the top goes past
them. On a wide screen, where the results sit beside the filters, it is out of sight until
the keyboard reaches it: the filters are still many stops of the Tab key."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def list_pages(a) -> list[str]:
    return [
        "/quotes/",
        "/speeches/",
        "/search/?q=services",
        a.reconfig.get_absolute_url(),
        a.lansley_sos.get_absolute_url(),
    ]


def test_on_a_phone_the_link_goes_past_the_filters_to_the_results(browser, live_server, sample):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in list_pages(sample):
        page.goto(live_server.url + path)
        heading = page.locator("#results-heading")
        assert heading.evaluate("h => h.getBoundingClientRect().top") > 844, path  # below
        link = page.get_by_role("link", name="Skip the filters: go to the results")
        link.click()
        page.wait_for_function(
            "() => { const r = document.querySelector('#results-heading')"
            ".getBoundingClientRect(); return r.top >= 0 && r.top < 844; }"
        )
    context.close()


def test_on_a_wide_screen_the_link_shows_when_the_keyboard_reaches_it(browser, live_server, sample):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=services")
    link = page.get_by_role("link", name="Skip the filters: go to the results")
    assert link.bounding_box()["x"] < 0  # out of sight
    page.get_by_role("button", name="Search").last.focus()
    page.keyboard.press("Tab")
    assert link.evaluate("a => a === document.activeElement")
    box = link.bounding_box()
    assert 0 <= box["x"] < 1280 and 0 <= box["y"] < 900
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const r = document.querySelector('#results-heading')"
        ".getBoundingClientRect(); return r.top >= 0 && r.top < 900; }"
    )
    context.close()
