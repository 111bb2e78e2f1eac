"""Speech.editorial_note: what readers must be told about the words as the archive shows them.

The seed's Hewitt article prints "unit?it", a dash garbled by a character-set conversion;
the cleaner shows the dash, and until now only curation.toml said so. A new archive gets
the note from the fixture; this gives it to an archive loaded before, with a version in the
speech's history, when the speech still holds the repaired words and has no note of a
curator's. Going back removes only that note.

On SQLite, Django adds a column that may not be null by copying the table into a new one,
which the triggers of the kept tables (``archive.dated_tags``) refuse: they name the speech
table. SQLite adds such a column in place when it is given a constant default, so the
column is added that way there (its default, an empty note, stays in SQLite's schema).
"""

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

SLUG = "hewitt-nhs-alliance-conference-2006"
REPAIRED = "unit\u2014it"
NOTE = "The source prints a dash as “?” (“unit?it”); it is shown here as a dash."
HELP = (
    "What readers must be told about the words as shown here, e.g. a character the source "
    "garbled and the archive repaired. Shown with the speech and its quotations."
)


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
        apps, schema_editor, old=NOTE, new="", reason="Migration 0034 undone: no editorial note."
    )


def _field() -> models.TextField:
    field = models.TextField(blank=True, help_text=HELP)
    field.set_attributes_from_name("editorial_note")
    return field


def add_columns(apps, schema_editor):
    for name in ("Speech", "HistoricalSpeech"):
        model = apps.get_model("archive", name)
        if schema_editor.connection.vendor != "sqlite":
            schema_editor.add_field(model, _field())
            continue
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} "
            f"ADD COLUMN {quote('editorial_note')} text NOT NULL DEFAULT ''"
        )


def remove_columns(apps, schema_editor):
    for name in ("Speech", "HistoricalSpeech"):
        schema_editor.remove_field(apps.get_model("archive", name), _field())


class Migration(migrations.Migration):
    dependencies = [("archive", "0033_correct_pledge_outcome_month")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name=model, name="editorial_note", field=_field())
                for model in ("historicalspeech", "speech")
            ],
            database_operations=[migrations.RunPython(add_columns, remove_columns)],
        ),
        migrations.RunPython(add_note, remove_note),
    ]
