"""Browser tests: real Chromium against pytest-django's live server (real HTTP).

The Chromium fixtures (``browser``, ``page``) live in tests/browser_fixtures.py.
"""

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def sample(transactional_db):
    """The factories' sample archive, committed so the live server's thread can see it."""
    from tests.factories import make_sample_archive

    return make_sample_archive()
