"""The outcome of Andrew Lansley's pledge to use the unsustainable providers regime,
worded as the record has it.

The seed said "In June 2012 he placed South London Healthcare NHS Trust into the regime":
he announced the decision on 26 June 2012 (HSJ's report of his Commissioning Show speech
says he had "personally placed" the trust into administration), and the order placing it
there was made on 12 July. A new archive gets the corrected seed; this corrects an archive
loaded before, with a version in the pledge's history saying why, as a curator's
correction would. Only the note exactly as the seed gave it is changed: one a curator has
edited since is theirs. Going back restores the seed's note the same way.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

OLD = (
    "In June 2012 he placed South London Healthcare NHS Trust into the regime, its first "
    "use, as HSJ reported."
)
NEW = (
    "In June 2012 he decided to place South London Healthcare NHS Trust into the regime, "
    "its first use, as HSJ reported; the order placing it there was made on 12 July 2012."
)
REASON = "Outcome note corrected: the decision was announced in June 2012, the order made in July."


def _reword(apps, schema_editor, *, old, new, reason):
    pledge_model = apps.get_model("archive", "Pledge")
    history_model = apps.get_model("archive", "HistoricalPledge")
    alias = schema_editor.connection.alias
    for pledge in pledge_model.objects.using(alias).filter(outcome_note=old):
        # As a save would: the version goes up, so a curator's page opened before this
        # cannot put the old words back unnoticed.
        pledge_model.objects.using(alias).filter(pk=pledge.pk).update(
            outcome_note=new, version=F("version") + 1
        )
        pledge.refresh_from_db()
        fields = {
            field.attname: getattr(pledge, field.attname)
            for field in pledge_model._meta.concrete_fields
        }
        history_model.objects.using(alias).create(
            **fields,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=reason,
        )


def correct(apps, schema_editor):
    _reword(apps, schema_editor, old=OLD, new=NEW, reason=REASON)


def restore(apps, schema_editor):
    _reword(apps, schema_editor, old=NEW, new=OLD, reason="Migration 0033 undone: the seed's note.")


class Migration(migrations.Migration):
    dependencies = [("archive", "0032_forget_timelines_of_format_5")]

    operations = [migrations.RunPython(correct, restore)]
