"""Migration 0035 gives the seed's Hewitt speech, in an archive loaded before, the editorial
note on its repaired dash, with a version in its history, and leaves a curator's own note."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from archive.models import Speech
from tests.factories import make_speech

migration = importlib.import_module("archive.migrations.0035_hewitt_editorial_note")

pytestmark = pytest.mark.django_db


def run(step) -> None:
    state = MigrationLoader(connection).project_state(("archive", "0035_hewitt_editorial_note"))
    step(state.apps, SimpleNamespace(connection=connection))


def hewitt(note: str = "") -> Speech:
    return make_speech(
        "Speech to the NHS Alliance conference",
        slug=migration.SLUG,
        text="They did not want to lose their consultant-led unit—it was very noisy.",
        editorial_note=note,
    )


def test_the_seed_speech_is_given_the_note_with_a_version_saying_why_and_back():
    speech = hewitt()
    versions, version = speech.history.count(), speech.version
    run(migration.add_note)
    speech.refresh_from_db()
    assert speech.editorial_note == migration.NOTE
    assert speech.version == version + 1  # a form opened before cannot drop it unnoticed
    assert speech.history.count() == versions + 1
    assert "Editorial note" in speech.history.first().history_change_reason

    run(migration.remove_note)
    speech.refresh_from_db()
    assert speech.editorial_note == ""


def test_a_curators_own_note_and_other_speeches_are_left_as_they_are():
    own = hewitt("Dash restored by the curator.")
    other = make_speech("Another speech", text="A unit—it was quiet.")
    run(migration.add_note)
    assert Speech.objects.get(pk=own.pk).editorial_note == "Dash restored by the curator."
    assert Speech.objects.get(pk=other.pk).editorial_note == ""


def test_the_seed_gives_the_same_note():
    from pathlib import Path

    seed = (Path(__file__).resolve().parent.parent / "fixtures" / "archive.json").read_text()
    assert f'"editorial_note": "{migration.NOTE}"' in seed
