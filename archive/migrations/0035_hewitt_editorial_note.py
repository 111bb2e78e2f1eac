"""The editorial note on the seed's Hewitt speech, in an archive loaded before notes existed.

The seed's Hewitt article prints "unit?it", a dash garbled by a character-set conversion;
the cleaner shows the dash, and until migration 0034 only curation.toml said so. A new
archive gets the note from the fixture; this gives it to an archive loaded before, with a
version in the speech's history, when the speech still holds the repaired words and has no
note of a curator's. Going back removes only that note. (Apart from 0034: on PostgreSQL a
table cannot be altered in the transaction that wrote history rows pointing at users.)
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

SLUG = "hewitt-nhs-alliance-conference-2006"
REPAIRED = "unit\u2014it"
NOTE = "The source prints a dash as “?” (“unit?it”); the archive shows it as a dash."


def _set_note(apps, schema_editor, *, old, new, reason):
    speech_model = apps.get_model("archive", "Speech")
    history_model = apps.get_model("archive", "HistoricalSpeech")
    alias = schema_editor.connection.alias
    speeches = speech_model.objects.using(alias).filter(
        slug=SLUG, editorial_note=old, text__contains=REPAIRED
    )
    for speech in speeches:
        # As a save would: the version goes up, so a curator's page opened before this
        # cannot drop the note unnoticed.
        speech_model.objects.using(alias).filter(pk=speech.pk).update(
            editorial_note=new, version=F("version") + 1
        )
        speech.refresh_from_db()
        fields = {
            field.attname: getattr(speech, field.attname)
            for field in speech_model._meta.concrete_fields
        }
        history_model.objects.using(alias).create(
            **fields,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=reason,
        )


def add_note(apps, schema_editor):
    _set_note(
        apps,
        schema_editor,
        old="",
        new=NOTE,
        reason="Editorial note: the dash the source garbled as “?”, shown repaired.",
    )


def remove_note(apps, schema_editor):
    _set_note(
        apps, schema_editor, old=NOTE, new="", reason="Migration 0035 undone: no editorial note."
    )


class Migration(migrations.Migration):
    dependencies = [("archive", "0034_speech_editorial_note")]

    operations = [migrations.RunPython(add_note, remove_note)]
