"""The test database is one the live server's threads each open for themselves."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_sqlite_test_database_is_a_file_each_thread_opens(live_server):
    # In SQLite's memory, Django's live server would share this one connection between its
    # request threads, which the admin's folded search (a Python function called from SQL)
    # can deadlock: see ``django_db_modify_db_settings`` in tests/conftest.py.
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL connections are never shared between threads")
    assert not connection.is_in_memory_db()
    assert connection.settings_dict["NAME"].endswith("test.sqlite3")
