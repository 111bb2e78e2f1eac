"""Stored timelines of format 2 described their quotations as "statements" over the years
of the chart's axis, which spans the terms of office drawn too ("14 statements from 2010 to
2014" for fourteen quotations of 2012). Format 3 (``FORMATS`` in ``archive.views.summaries``)
says "quotations" over their own years; the old ones are never read again, their keys no
longer matching, and are dropped so that a new server's cache is not filled with them.
Every count stays. Each timeline is drawn again by the first reader of its page."""

from django.db import migrations

TIMELINES = ("theme-timeline", "speaker-timeline")


def forget_timelines(apps, schema_editor):
    StoredSummary = apps.get_model("archive", "StoredSummary")
    StoredSummary.objects.using(schema_editor.connection.alias).filter(name__in=TIMELINES).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0020_search_filter_tokens")]

    operations = [migrations.RunPython(forget_timelines, migrations.RunPython.noop)]
