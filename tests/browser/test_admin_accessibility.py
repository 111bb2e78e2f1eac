"""axe-core finds no WCAG 2.2 A/AA violation on the admin pages curators work in."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.browser.axe import axe_violations
from tests.browser.layout import sideways_overflow

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-browser-password-8"


def admin_pages(a) -> dict[str, str]:
    quote = a.can
    pages = {"index": reverse("admin:index")}
    for name, record in {
        "speech": a.speech_2012,
        "quote": quote,
        "speaker": a.lansley,  # with its offices inline, as a table
        "event": a.show,
        "source": a.source,
        "theme": a.autonomy,
        "office": a.lansley_sos,  # an admin that declares no fields of its own
    }.items():
        pages[f"{name} list"] = reverse(f"admin:archive_{name}_changelist")
        pages[f"{name} form"] = reverse(f"admin:archive_{name}_change", args=[record.pk])
        pages[f"{name} history"] = reverse(f"admin:archive_{name}_history", args=[record.pk])
    pages["new speech"] = reverse("admin:archive_speech_add")
    return pages


def _admin_violations(page, live_server, sample) -> dict[str, list[str]]:
    """axe's violations on the sign-in page and, signed in, on every page of admin_pages."""
    User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    # The login page too: everyone's first admin page.
    problems = {"login": violations} if (violations := axe_violations(page)) else {}
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    for name, path in admin_pages(sample).items():
        page.goto(live_server.url + path)
        if violations := axe_violations(page):
            problems[name] = violations
    return problems


def test_the_admin_pages_have_no_axe_violations(live_server, page, sample):
    problems = _admin_violations(page, live_server, sample)
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_no_admin_page_makes_a_phone_scroll_sideways(live_server, browser, sample):
    # A record's history is a table of seven columns: it scrolls in its own region.
    User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    sideways = {}
    for name, path in admin_pages(sample).items():
        page.goto(live_server.url + path)
        overflow = sideways_overflow(page)
        if overflow > 0:
            sideways[name] = overflow
    context.close()
    assert not sideways, sideways


def test_an_open_menu_of_one_choice_has_no_axe_violations(live_server, page, sample):
    # Its drop-down's search box had no name, its highlighted choice was 2.4:1, and its
    # combobox lacked aria-controls while open: axe sees them only with the menu open.
    User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:archive_quote_change", args=[sample.can.pk]))
    page.locator(".field-speaker .select2-selection").first.click()
    search = page.locator(".select2-dropdown .select2-search__field")
    search.wait_for()
    search.press("ArrowDown")  # a choice highlighted
    assert not axe_violations(page)
    assert search.get_attribute("aria-labelledby")


def test_without_javascript_the_admin_pages_have_no_axe_violations(live_server, browser, sample):
    # Django's colour-theme button is named by its script: without it the button had no
    # name and did nothing (axe: button-name). Scripts are refused as they load, so the
    # page is as a browser without JavaScript gets it while axe itself can still run.
    context = browser.new_context(bypass_csp=True)  # for axe's own script
    context.route("**/*.js", lambda route: route.abort())
    problems = _admin_violations(context.new_page(), live_server, sample)
    context.close()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
