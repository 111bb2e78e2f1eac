"""SQLite connections last beyond a request and read through a large page cache."""

import pytest
from django.db import close_old_connections, connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
@pytest.mark.django_db(transaction=True)
def test_a_request_end_keeps_the_connection_and_its_page_cache():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (size,) = cursor.fetchone()
    # Negative: KiB. 64 MB, not SQLite's 2 MB default.
    assert size == -64 * 1024
    kept = connection.connection
    close_old_connections()  # what Django does when a request ends
    assert connection.connection is kept
