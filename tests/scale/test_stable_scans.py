"""PostgreSQL scans every table from its first page, so the same search finds the same rows.

A search reads the first thousand matches the database gives, related statements the first
fifty of a word. With the server's default ``synchronize_seqscans``, a sequential scan of a
large table starts where the previous one was: at a million quotations, the same quotation
page listed other related statements from one process to the next.
"""

from tests.test_settings import settings_value

URL = "postgres://u:p@primary.example:5432/archive"


def test_every_postgresql_connection_scans_from_the_start_unless_told_otherwise():
    options = "s.DATABASES['default']['OPTIONS']['options']"
    assert "-c synchronize_seqscans=off" in settings_value(options, DATABASE_URL=URL).stdout
    on = settings_value(options, DATABASE_URL=URL, PG_SYNCHRONIZE_SEQSCANS="on").stdout
    assert "-c synchronize_seqscans=on" in on
    # Empty: the server's own setting (behind a pooler that refuses startup options).
    left = settings_value(options, DATABASE_URL=URL, PG_SYNCHRONIZE_SEQSCANS="").stdout
    assert "synchronize_seqscans" not in left
