"""Migration 0030 gives texts saved with a browser's line breaks ("\r\n") the archive's own
("\n"), with a version in the history saying why, and leaves every other text alone."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from archive.models import Quote, Speech
from tests.factories import make_quote, make_speech, make_theme

migration = importlib.import_module("archive.migrations.0030_plain_line_breaks")


def run() -> None:
    state = MigrationLoader(connection).project_state(("archive", "0030_plain_line_breaks"))
    migration.make_plain(state.apps, SimpleNamespace(connection=connection))


@pytest.mark.django_db
def test_texts_saved_with_crlf_get_plain_line_breaks_and_a_version_saying_why():
    speech = make_speech(text="First paragraph.\n\nSecond.", summary="Plain.")
    quote = make_quote("Said once.", speech=speech)
    Speech.objects.filter(pk=speech.pk).update(
        text="First paragraph.\r\n\r\nSecond.", summary="One.\rTwo."
    )
    Quote.objects.filter(pk=quote.pk).update(text="Said\r\nonce.")
    theme = make_theme(description="Line one.\r\nLine two.")
    untouched = make_quote("Nothing to mend.\nAt all.", speech=speech)
    speech.refresh_from_db()
    versions = (speech.version, speech.history.count(), untouched.history.count())

    run()

    speech.refresh_from_db()
    quote.refresh_from_db()
    theme.refresh_from_db()
    untouched.refresh_from_db()
    assert speech.text == "First paragraph.\n\nSecond."
    assert speech.summary == "One.\nTwo."
    assert quote.text == "Said\nonce."
    assert theme.description == "Line one.\nLine two."
    # A form opened before is refused rather than putting the old line breaks back.
    assert speech.version == versions[0] + 1
    latest = speech.history.first()
    assert speech.history.count() == versions[1] + 1
    assert latest.text == speech.text
    assert "Line breaks" in latest.history_change_reason
    assert "Line breaks" in theme.history.first().history_change_reason
    assert untouched.history.count() == versions[2]
    assert untouched.text == "Nothing to mend.\nAt all."
