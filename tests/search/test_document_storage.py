"""On PostgreSQL a search document stays in its table's row, however long the speech
(migration 0019): a phrase's recheck and the ranking read it there, not from TOAST."""

import pytest
from django.db import connection

from archive.search import search
from tests.factories import make_speech

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's TOAST"),
]

TABLES = ("archive_quote_search", "archive_speech_search")


def moved_out(table: str) -> int:
    """How many values of ``table`` are stored out of their rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = %s", [table]
        )
        (toast,) = cursor.fetchone()
        cursor.execute(f"SELECT count(DISTINCT chunk_id) FROM {toast}")  # noqa: S608 - a catalog name
        return cursor.fetchone()[0]


def test_the_documents_are_kept_in_their_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstorage FROM pg_attribute "
            "WHERE attname = 'document' AND attrelid = ANY(%s::regclass[])",
            [list(TABLES)],
        )
        assert dict(cursor.fetchall()) == {table: "m" for table in TABLES}


def test_a_long_speech_is_indexed_in_its_row_and_found_by_a_phrase(committed):
    words = " ".join(f"distinct{n} lexeme{n} variety{n}" for n in range(100))
    with committed():
        make_speech(title="A long one", text=f"{words} waiting lists fell {words}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(pg_column_size(document)) FROM archive_speech_search")
        assert cursor.fetchone()[0] > 2500  # over the size TOAST would move out of the row
    assert moved_out("archive_speech_search") == 0
    results = search('"waiting lists fell"')
    assert [hit.record.title for hit in results.hits] == ["A long one"]
