"""No page breaks the Content-Security-Policy: a real Chromium reports every violation.

The policy allows no inline script or style; a template that slips one in (or a library
page that carries one) shows up here as a "Refused to …" console message.
"""

from __future__ import annotations

import re

import pytest

from archive.models import Quote, Speech
from tests.security.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "/",
    "/quotes/",
    "/speeches/",
    "/themes/",
    "/search/?q=commissioning",
    "/api/docs/",
    "/admin/login/",
]


def _visit(tab, url: str, violations: list[str]) -> None:
    before = len(violations)
    response = tab.goto(url)
    assert response is not None and response.status == 200, url
    tab.wait_for_load_state("networkidle")
    assert len(violations) == before, f"{url}: {violations[before:]}"


@pytest.fixture
def page(browser):
    """A tab that enforces the CSP (the shared ``page`` bypasses it to inject axe-core)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def violations(page):
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    return found


def test_public_pages_and_the_api_docs_run_within_the_policy(
    live_server,
    seed,
    page,
    violations,
):
    quote = Quote.objects.published().order_by("pk").first()
    speech = Speech.objects.published().order_by("pk").first()
    for path in [*PUBLIC, quote.get_absolute_url(), speech.get_absolute_url()]:
        _visit(page, live_server.url + path, violations)
    # The API documentation is drawn by script: it did run, and fetched the schema.
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert violations == []


def test_the_curators_admin_runs_within_the_policy(
    live_server,
    seed,
    roles,
    page,
    violations,
):
    make_user("carol", "Curators")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    speech = Speech.objects.order_by("pk").first()
    quote = Quote.objects.order_by("pk").first()
    for path in [
        "/admin/",
        "/admin/archive/speech/",
        f"/admin/archive/speech/{speech.pk}/change/",
        f"/admin/archive/quote/{quote.pk}/change/",
        f"/admin/archive/quote/{quote.pk}/history/",
        "/admin/archive/speech/import/",
    ]:
        _visit(page, live_server.url + path, violations)
    # The admin's own scripts work: the autocomplete widget opens and lists speakers.
    page.goto(f"{live_server.url}/admin/archive/quote/{quote.pk}/change/")
    page.click(".field-speaker .select2-selection")
    page.wait_for_selector(".select2-results__option", timeout=15_000)
    assert violations == []
