"""Real Chromium (Debian's) driven by Playwright: one browser for the whole session.

A pytest plugin (listed in tests/conftest.py) rather than a conftest, so every test folder
shares the same session-scoped browser: two Playwright sync instances cannot coexist in
one thread.

Playwright's sync API runs an event loop in this thread, which trips Django's async-unsafe
guard on every ORM call a fixture makes; the guard protects code running *inside* an event
loop, which ours is not, so it is switched off while the browser runs.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (starting it is the slow part)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make deps-system installs it)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    # Subprocesses started later (manage.py check --deploy) must not inherit the switch.
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    """A fresh desktop-sized tab with its own cookies."""
    # axe-core is injected as a script tag; the site's CSP (rightly) forbids that, so the
    # tests' own injection bypasses it. tests/security/test_csp_in_browser.py does not.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
