"""Stored timelines of format 3 were drawn at the page's width, so a phone shrank their
labels to about 6 px, and one speaker's bands were named after the speaker, not the post.
Format 4 (``FORMATS`` in ``archive.views.summaries``) sits in a region that scrolls sideways
on a narrow screen and names one speaker's bands by post. The old ones are never read again,
their keys no longer matching, and are dropped so that a new server's cache is not filled
with them. Every count stays. Each timeline is drawn again by the first reader of its page."""

from django.db import migrations

TIMELINES = ("theme-timeline", "speaker-timeline")


def forget_timelines(apps, schema_editor):
    StoredSummary = apps.get_model("archive", "StoredSummary")
    StoredSummary.objects.using(schema_editor.connection.alias).filter(name__in=TIMELINES).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0022_search_word_pairs")]

    operations = [migrations.RunPython(forget_timelines, migrations.RunPython.noop)]
