"""Shared pytest fixtures: the seed archive and small factories that build records."""

import os

import pytest
from django.core.management import call_command
from django.db import connection

pytest_plugins = ["tests.browser_fixtures"]


def pytest_configure(config):
    # Whitenoise warns, for every handler a test builds, when STATIC_ROOT does not exist yet
    # (a fresh clone has run no collectstatic): hundreds of warnings hiding the real ones.
    from django.conf import settings

    os.makedirs(settings.STATIC_ROOT, exist_ok=True)


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file, not SQLite's memory.

    Django's live server (the browser tests) hands an in-memory database's one connection
    to every request thread it starts, where a file is opened by each thread. The admin's
    search boxes call a Python function from SQL on SQLite (``archive.lookups``), and a
    connection shared by threads can then deadlock the whole process: one thread waits in
    SQLite, holding the connection, for Python's lock to run the function, while another
    holds Python's lock and waits for the connection (a fresh clone's ``make test`` sat at
    0 % CPU for 15 minutes so). A file is also what the archive runs on.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session", autouse=True)
def _search_side_reads_stopped(django_db_setup, django_db_blocker):
    """At the end, the search's reading threads close their connections before the test
    database is dropped (PostgreSQL refuses to drop a database someone is connected to)."""
    yield
    from archive.search import side_reads

    side_reads.stop()


@pytest.fixture
def summaries_kept(settings):
    """Summaries and small counts kept however fast they are made, as at scale, where they
    take milliseconds; in an empty cache, emptied again afterwards."""
    from django.core.cache import cache

    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _summaries_counted_afresh(settings):
    """Page summaries are counted on every request, however slow a busy machine makes them.

    In production a summary slower than ARCHIVE_SUMMARY_CACHE_MIN_MS is cached; in tests
    that would depend on the machine's load (a request comparing query counts could meet a
    cached summary). tests/pages/test_summaries.py turns caching on where it is the subject.
    """
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 60_000
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 60_000
    # Counted in the request: a counting thread's connection would not see a test's data,
    # which is never committed. tests/pages/test_background_counts.py covers that thread.
    settings.ARCHIVE_BACKGROUND_COUNTS = False
    # Kept in the cache only: tests/pages/test_stored_summaries.py covers the database copy.
    settings.ARCHIVE_STORED_SUMMARIES = False
    # Whole pages likewise: tests/pages/test_page_cache.py turns the page cache on.
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0


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
