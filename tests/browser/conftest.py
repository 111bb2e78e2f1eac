"""Real Chromium (Debian's) driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in this thread, which trips Django's
async-unsafe guard on every ORM call a fixture makes; the guard protects code running
*inside* an event loop, which ours is not, so it is switched off for these tests.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (starting it is the slow part)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make deps-system installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh desktop-sized tab with its own cookies."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def sample(transactional_db):
    """The factories' sample archive, committed so the live server's thread can see it."""
    from tests.factories import make_sample_archive

    return make_sample_archive()
