"""Shared pytest fixtures: the seed archive and small factories that build records."""

import os

import pytest
from django.core.management import call_command
from django.db import connection

pytest_plugins = ["tests.browser_fixtures"]


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


@pytest.fixture
def seed(db, django_capture_on_commit_callbacks):
    """The committed seed archive (fixtures/archive.json), loaded into the test database.

    Work deferred to the commit (the search index update) runs as after a real load.
    """
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", "archive", verbosity=0)


@pytest.fixture
def vendor():
    return connection.vendor
