"""Fixtures for the reader page tests."""

import pytest

from tests.factories import make_sample_archive


@pytest.fixture
def archive(db):
    """The small sample archive (see ``make_sample_archive``)."""
    return make_sample_archive()
