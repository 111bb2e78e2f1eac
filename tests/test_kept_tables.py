"""The table the database keeps from the tags (``archive.kept_tables``): a seed loaded by
``loaddata`` fills it, and ``rebuild`` refills it when it was emptied."""

import pytest
from django.db import connection

from archive import dated_tags
from tests.test_dated_tags import expected, kept

pytestmark = pytest.mark.django_db


def test_the_seed_loaded_by_loaddata_is_kept_and_rebuilt(seed):
    assert len(kept()) > 20
    assert kept() == expected()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {dated_tags.TABLE}")  # noqa: S608
    assert kept() == set()
    assert dated_tags.rebuild() == len(expected())
    assert kept() == expected()


def test_the_retired_speaker_tags_leave_no_table_trigger_or_function_behind():
    # Migration 0018: a trigger left on the tags would write into a table that is gone.
    tables = connection.introspection.table_names()
    assert "archive_speakertag" not in tables and "archive_datedtag" in tables
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
                "UNION ALL SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'archive_%'"
            )
        found = cursor.fetchall()
    assert any("archive_datedtag" in sql for _, sql in found)
    assert not any("speakertag" in f"{name} {sql}" for name, sql in found)
