"""Migration 0028 corrects Patricia Hewitt's term in an archive loaded from the seed before
the correction, with a version in the office's history, and leaves a curator's own edit."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from archive.models import Office
from tests.factories import make_office, make_speaker

migration = importlib.import_module("archive.migrations.0028_correct_hewitt_term")


def hewitt_term(end: dt.date) -> Office:
    """Patricia Hewitt's term from 5 May 2005, as the seed gave it, to ``end``."""
    hewitt = make_speaker("Patricia Hewitt", slug="patricia-hewitt")
    return make_office(
        hewitt,
        post="Secretary of State for Health",
        slug="secretary-of-state-for-health",
        start_date=dt.date(2005, 5, 5),
        end_date=end,
    )


def run(step) -> None:
    # With the models as the migration sees them (no history signals: its own version is
    # the only one), and a schema editor it asks only for the connection.
    state = MigrationLoader(connection).project_state(("archive", "0028_correct_hewitt_term"))
    step(state.apps, SimpleNamespace(connection=connection))


@pytest.mark.django_db
def test_the_seeds_old_term_is_corrected_with_a_version_saying_why_and_back():
    office = hewitt_term(dt.date(2007, 6, 27))  # as the seed gave it
    versions = office.history.count()
    run(migration.correct)
    office.refresh_from_db()
    assert (office.start_date, office.end_date) == (dt.date(2005, 5, 6), dt.date(2007, 6, 28))
    latest = office.history.first()
    assert office.history.count() == versions + 1
    assert latest.start_date == dt.date(2005, 5, 6)
    assert "cited source" in latest.history_change_reason

    run(migration.restore)
    office.refresh_from_db()
    assert (office.start_date, office.end_date) == (dt.date(2005, 5, 5), dt.date(2007, 6, 27))


@pytest.mark.django_db
def test_a_term_a_curator_has_edited_is_left_as_it_is():
    office = hewitt_term(dt.date(2007, 6, 29))  # as a curator has since made it
    run(migration.correct)
    assert Office.objects.get(pk=office.pk).end_date == dt.date(2007, 6, 29)
