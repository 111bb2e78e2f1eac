"""Migration 0033 rewords the seed's outcome note of the unsustainable-providers pledge in
an archive loaded before the correction, with a version in the pledge's history, and
leaves a curator's own note."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from archive.models import Pledge, PledgeStatus
from tests.factories import make_quote

migration = importlib.import_module("archive.migrations.0033_correct_pledge_outcome_month")

pytestmark = pytest.mark.django_db


def run(step) -> None:
    # With the models as the migration sees them, and a schema editor it asks only for the
    # connection.
    state = MigrationLoader(connection).project_state(
        ("archive", "0033_correct_pledge_outcome_month")
    )
    step(state.apps, SimpleNamespace(connection=connection))


def pledge_with(note: str) -> Pledge:
    quote = make_quote(text="There is an unsustainable providers' regime")
    return Pledge.objects.create(
        quote=quote,
        promise="To use the regime.",
        status=PledgeStatus.KEPT,
        outcome_note=note,
        outcome_source_url="https://www.hsj.co.uk/",
    )


def test_the_seeds_note_is_reworded_with_a_version_saying_why_and_back():
    pledge = pledge_with(migration.OLD)
    versions, version = pledge.history.count(), pledge.version
    run(migration.correct)
    pledge.refresh_from_db()
    assert pledge.outcome_note == migration.NEW
    assert "12 July 2012" in pledge.outcome_note
    # A page a curator opened before the correction is stale now: saving it is refused.
    assert pledge.version == version + 1
    assert pledge.history.count() == versions + 1
    latest = pledge.history.first()
    assert latest.outcome_note == migration.NEW
    assert "corrected" in latest.history_change_reason

    run(migration.restore)
    pledge.refresh_from_db()
    assert pledge.outcome_note == migration.OLD


def test_a_note_a_curator_has_edited_is_left_as_it_is():
    pledge = pledge_with("Placed in administration in July 2012.")
    run(migration.correct)
    assert Pledge.objects.get(pk=pledge.pk).outcome_note == "Placed in administration in July 2012."


def test_the_seed_gives_the_new_note():
    from pathlib import Path

    seed = (Path(__file__).resolve().parent.parent / "fixtures" / "archive.json").read_text()
    assert migration.NEW in seed
    assert migration.OLD not in seed
