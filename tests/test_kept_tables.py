"""Both tables the database keeps from the tags (``archive.kept_tables``): a seed loaded by
``loaddata`` fills them, and ``rebuild`` refills them when they were emptied."""

import pytest
from django.db import connection

from archive import dated_tags, speaker_tags
from tests import test_dated_tags, test_speaker_tags

pytestmark = pytest.mark.django_db

KEPT = [(speaker_tags, test_speaker_tags), (dated_tags, test_dated_tags)]


@pytest.mark.parametrize(("module", "checks"), KEPT, ids=["speaker tags", "dated tags"])
def test_the_seed_loaded_by_loaddata_is_kept_and_rebuilt(seed, module, checks):
    assert len(checks.kept()) > 20
    assert checks.kept() == checks.expected()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {module.TABLE}")  # noqa: S608
    assert checks.kept() == set()
    assert module.rebuild() == len(checks.expected())
    assert checks.kept() == checks.expected()
