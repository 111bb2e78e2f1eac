"""Stored timelines of format 5 wrote every date in their data table as a day
(``<time datetime="2012-06-01">June 2012</time>``), a day the source does not give. Format 6
(``FORMATS`` in ``archive.views.summaries``) writes it as precisely as it is known
("2012-06"). The old ones are never read again, their keys no longer matching, and are
dropped so that a new server's cache is not filled with them. Every count stays. Each
timeline is drawn again by the first reader of its page."""

from django.db import migrations

TIMELINES = ("theme-timeline", "speaker-timeline")


def forget_timelines(apps, schema_editor):
    StoredSummary = apps.get_model("archive", "StoredSummary")
    StoredSummary.objects.using(schema_editor.connection.alias).filter(name__in=TIMELINES).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0031_pledge_version")]

    operations = [migrations.RunPython(forget_timelines, migrations.RunPython.noop)]
