"""Stored summaries were keyed by the database's name as well as by what they count, so a
moved SQLite file or a backup restored under another name could not read them. Their keys
no longer include it; rows under the old keys are never read again, so they are dropped
rather than copied into every new server's cache. The data version row stays; the counts are
made again by the first readers (or by ``manage.py count_archive``)."""

from django.db import migrations

VERSION_KEY = "archive:data-version"


def forget_previous_keys(apps, schema_editor):
    StoredSummary = apps.get_model("archive", "StoredSummary")
    StoredSummary.objects.using(schema_editor.connection.alias).exclude(key=VERSION_KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0012_forget_stored_timelines")]

    operations = [migrations.RunPython(forget_previous_keys, migrations.RunPython.noop)]
