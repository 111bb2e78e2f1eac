"""Fixtures for the scale tests: a small synthetic archive built by generate_archive."""

import pytest
from django.core.management import call_command

SMALL = 300


@pytest.fixture
def small_archive(db):
    """A 300-quote synthetic archive (seed 7) in the test database, without a search index."""
    call_command("generate_archive", quotes=SMALL, seed=7, no_search_index=True, verbosity=0)
    return SMALL


@pytest.fixture
def served_archive(transactional_db):
    """The same archive, committed: the benchmark requests pages as a server does, and a
    request's start closes a connection it finds inside a transaction (a test's own)."""
    call_command("generate_archive", quotes=SMALL, seed=7, no_search_index=True, verbosity=0)
    return SMALL
