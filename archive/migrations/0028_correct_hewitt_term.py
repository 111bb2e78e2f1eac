"""Patricia Hewitt's term as Secretary of State for Health, corrected to the cited source.

The seed gave 5 May 2005 – 27 June 2007; the article it cites gives 6 May 2005 – 28 June
2007 (appointed the day after the election, in office until the next cabinet was named).
A new archive gets the corrected seed; this corrects an archive loaded before, with a
version in the office's history saying why, as a curator's correction would. Only the term
exactly as the seed gave it is changed: one a curator has edited since is theirs.

Going back restores the seed's old dates the same way.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

SPEAKER = "patricia-hewitt"
POST = "secretary-of-state-for-health"
OLD = (dt.date(2005, 5, 5), dt.date(2007, 6, 27))
NEW = (dt.date(2005, 5, 6), dt.date(2007, 6, 28))
REASON = "Term dates corrected to the cited source (en.wikipedia.org/wiki/Patricia_Hewitt)."


def _move_term(apps, schema_editor, *, old, new, reason):
    office_model = apps.get_model("archive", "Office")
    history_model = apps.get_model("archive", "HistoricalOffice")
    alias = schema_editor.connection.alias
    offices = office_model.objects.using(alias).filter(
        speaker__slug=SPEAKER, slug=POST, start_date=old[0], end_date=old[1]
    )
    for office in offices:
        office.start_date, office.end_date = new
        office.save(update_fields=["start_date", "end_date"])
        fields = {
            field.attname: getattr(office, field.attname)
            for field in office_model._meta.concrete_fields
        }
        history_model.objects.using(alias).create(
            **fields,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=reason,
        )


def correct(apps, schema_editor):
    _move_term(apps, schema_editor, old=OLD, new=NEW, reason=REASON)


def restore(apps, schema_editor):
    _move_term(
        apps, schema_editor, old=NEW, new=OLD, reason="Migration 0028 undone: the seed's dates."
    )


class Migration(migrations.Migration):
    dependencies = [("archive", "0027_speaker_name_index")]

    operations = [migrations.RunPython(correct, restore)]
