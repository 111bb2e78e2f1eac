"""Stored timelines of format 4 stacked a speaker's marks of one date four deep, 7 units
apart, so marks 10 high covered each other and many could not be clicked. Format 5
(``FORMATS`` in ``archive.views.summaries``) puts marks that would cover each other in lanes
of their own. The old ones are never read again, their keys no longer matching, and are
dropped so that a new server's cache is not filled with them. Every count stays. Each
timeline is drawn again by the first reader of its page."""

from django.db import migrations

TIMELINES = ("theme-timeline", "speaker-timeline")


def forget_timelines(apps, schema_editor):
    StoredSummary = apps.get_model("archive", "StoredSummary")
    StoredSummary.objects.using(schema_editor.connection.alias).filter(name__in=TIMELINES).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0028_correct_hewitt_term")]

    operations = [migrations.RunPython(forget_timelines, migrations.RunPython.noop)]
