"""Stored summaries of the previous format (SUMMARY_FORMAT 1) are never read again: their
keys no longer match. They are dropped rather than copied into every new server's cache.
The data version row stays; the counts are made again by the first readers (or by
``manage.py count_archive``)."""

from django.db import migrations

VERSION_KEY = "archive:data-version"


def forget_previous_format(apps, schema_editor):
    StoredSummary = apps.get_model("archive", "StoredSummary")
    StoredSummary.objects.using(schema_editor.connection.alias).exclude(key=VERSION_KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0011_office_ended")]

    operations = [migrations.RunPython(forget_previous_format, migrations.RunPython.noop)]
