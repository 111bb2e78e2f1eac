"""axe-core finds no WCAG 2.2 A/AA violation on the insight pages (issue 9), desktop and phone."""

import pytest
from django.core.management import call_command

from tests.browser.axe import axe_violations
from tests.browser.layout import sideways_overflow

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = {
    "theme with timeline": "/themes/service-reconfiguration/",
    "speaker with timeline": "/speakers/andrew-lansley/",
    "office by theme": "/offices/secretary-of-state-for-health/?theme=service-reconfiguration",
    "compare": "/compare/?theme=service-reconfiguration"
    "&speaker=andrew-lansley&speaker=patricia-hewitt",
    "compare, invalid": "/compare/?theme=nope&speaker=andrew-lansley",
    "pledges": "/pledges/",
    "pledges, filtered": "/pledges/?status=kept",
    "quote with pledge and related": "/quotes/andrew-lansley-i-will-back-you/",
}


@pytest.fixture
def seeded(transactional_db):
    """The seed archive, committed so the live server's thread can see it."""
    call_command("loaddata", "archive", verbosity=0)
    call_command("rebuild_search_index", verbosity=0)


@pytest.mark.parametrize("size", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_insight_pages_have_no_axe_violations(browser, live_server, seeded, size):
    # axe-core is injected as an inline script, which the site's Content-Security-Policy
    # rightly refuses; the browser is told to let the test tooling through.
    context = browser.new_context(viewport=size, bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            problems[name] = violations
        overflow = sideways_overflow(page)
        if overflow > 0:
            problems.setdefault(name, []).append(f"page scrolls sideways by {overflow}px")
    context.close()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_a_timeline_mark_leads_to_its_quotation(page, live_server, seeded):
    page.goto(live_server.url + "/speakers/andrew-lansley/")
    # Every mark can be clicked: none lies under another (the letter's nine passages share
    # a day, and the year's bars run over it), and the wide screen needs no scrolling hint.
    figure = page.locator(".timeline__figure").first
    figure.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
    clickable = page.evaluate(
        """() => [...document.querySelectorAll('a.timeline__mark')].map(a => {
                 const r = a.getBoundingClientRect();
                 const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                 return Boolean(hit && a.contains(hit)); })"""
    )
    assert len(clickable) > 9 and all(clickable)
    assert page.locator(".timeline__hint").is_hidden()
    mark = page.locator("svg.timeline__links a.timeline__mark[data-date='2012-02-16']").last
    href = mark.get_attribute("href")
    mark.click()
    page.wait_for_url(live_server.url + href)
    assert page.locator("h1").inner_text().startswith("Quotation from Andrew Lansley")


def test_on_a_phone_the_timeline_keeps_legible_labels_and_scrolls_sideways(
    browser, live_server, seeded
):
    # Drawn at the page's width, a phone shrank its 12px labels to about 6px.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/speakers/andrew-lansley/")
    chart = page.locator("svg.timeline__chart").bounding_box()
    links = page.locator("svg.timeline__links").bounding_box()
    assert chart["width"] >= 600  # its labels at 10px or more (12px at 760 wide)
    assert (links["x"], links["width"], links["height"]) == (
        chart["x"],
        chart["width"],
        chart["height"],
    )  # the marks' links still lie over the marks
    region = page.locator(".timeline__scroll")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.locator(".timeline__hint").is_visible()  # "scroll the chart sideways"
    # It opens on his statements (2010-2012, at its right), not on 1997 with them off screen.
    start = region.evaluate("e => e.scrollLeft")
    assert start > 0
    seen = region.evaluate(
        """e => { const box = e.getBoundingClientRect();
                  return [...e.querySelectorAll('.timeline__mark')].every(c => {
                    const r = c.getBoundingClientRect();
                    return r.left >= box.left && r.right <= box.left + e.clientWidth; }); }"""
    )
    assert seen
    region.focus()
    page.keyboard.press("ArrowLeft")
    # Scrolled by the keyboard alone (smoothly: waited for).
    for _ in range(50):
        if region.evaluate("e => e.scrollLeft") < start:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("e => e.scrollLeft") < start
    context.close()


def test_without_javascript_the_timeline_still_scrolls_from_its_start(browser, live_server, seeded):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/speakers/andrew-lansley/")
    region = page.locator(".timeline__scroll")
    assert region.evaluate("e => e.scrollLeft") == 0
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_api_reference_passes_axe_as_it_opens(browser, live_server, seeded, width):
    # Swagger UI's own colours and its deep links (a link inside each operation's button)
    # failed WCAG; what it draws inside an opened operation is its own (see the README).
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert axe_violations(page) == []
    context.close()
