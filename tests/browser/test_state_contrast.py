"""Contrast that axe-core does not measure: a field's border against the page (WCAG 1.4.11)
and a focused link's text against the focus colour (1.4.3), as Chromium draws them."""

import pytest

# The live server needs committed data; serialized_rollback restores what the migrations
# created (the curators' groups) for the tests that run after these.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The contrast ratio of two computed colours, as WCAG defines it (opaque colours only).
CONTRAST = """([first, second]) => {
  const channels = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (css) => {
    const [r, g, b] = channels(css).map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""


def contrast(page, first: str, second: str) -> float:
    return page.evaluate(CONTRAST, [first, second])


def border_against_page(page, selector: str) -> float:
    """The contrast of a field's border with the page behind it (white here)."""
    border = page.eval_on_selector(selector, "el => getComputedStyle(el).borderTopColor")
    return contrast(page, border, "rgb(255, 255, 255)")


def tab_to(page, selector: str, presses: int = 60) -> dict:
    """Press Tab until the focused element matches ``selector``; its computed colours."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return {color: s.color, background: s.backgroundColor}; }"
            )
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def test_the_search_pages_own_box_has_a_border_that_can_be_seen(page):
    # It was white on white: a label and a button, and no field to type in.
    page.goto(page.base + "/search/")
    assert border_against_page(page, "#search-q") >= 3


def test_a_focused_menu_link_reads_against_the_focus_colour(page):
    page.goto(page.base + "/quotes/")
    focused = tab_to(page, ".site-nav a")
    assert contrast(page, focused["color"], focused["background"]) >= 4.5


def test_a_focused_error_summary_link_reads_against_the_focus_colour(page):
    page.goto(page.base + "/quotes/?date_after=notadate")
    focused = tab_to(page, ".error-summary a")
    assert contrast(page, focused["color"], focused["background"]) >= 4.5


def test_the_admin_logins_fields_have_borders_that_can_be_seen(page):
    page.goto(page.base + "/admin/login/")
    for field in ("#id_username", "#id_password"):
        assert border_against_page(page, field) >= 3, field
