"""Fixtures for the scale tests: a small synthetic archive built by generate_archive."""

import pytest
from django.core.management import call_command

SMALL = 300


@pytest.fixture
def small_archive(db):
    """A 300-quote synthetic archive (seed 7) in the test database, without a search index."""
    call_command("generate_archive", quotes=SMALL, seed=7, no_search_index=True, verbosity=0)
    return SMALL
