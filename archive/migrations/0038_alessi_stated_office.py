"""The post the seed's source names Dr Charles Alessi in, on his two quotations, in an
archive loaded before quotations could carry one (0037).

The GP article calls him "chairman elect of the National Association of Primary Care" at
Reform's event; he is quoted in Andrew Lansley's speech, so the speech's office named by
the source (Lansley's) could not name his, and his post, whose dates the article does not
give, showed none of his words. A new archive gets the office from the fixture; this gives
it to an archive loaded before, with a version in each quotation's history saying why, as a
curator's correction would: only where the quotation is still his, names no office, and
the post is still his. Going back removes only that office.
"""

from django.db import migrations
from django.db.models import F

from archive.migrations._quote_history import record_quote_version

SPEAKER = "charles-alessi"
POST = "chairman-elect-national-association-of-primary-care"
QUOTES = (
    "charles-alessi-so-for-integrated-care-we-really",
    "charles-alessi-if-we-accept-that-we-live",
)


def _set_office(apps, schema_editor, *, to_office: bool, reason: str):
    quote_model = apps.get_model("archive", "Quote")
    office_model = apps.get_model("archive", "Office")
    alias = schema_editor.connection.alias
    office = office_model.objects.using(alias).filter(speaker__slug=SPEAKER, slug=POST).first()
    if office is None:
        return
    old, new = (None, office.pk) if to_office else (office.pk, None)
    quotes = quote_model.objects.using(alias).filter(
        slug__in=QUOTES, speaker_id=office.speaker_id, stated_office_id=old
    )
    for quote in quotes:
        # As a save would: the version goes up, so a curator's page opened before this
        # cannot undo it unnoticed.
        quote_model.objects.using(alias).filter(pk=quote.pk).update(
            stated_office_id=new, version=F("version") + 1
        )
        quote.refresh_from_db()
        record_quote_version(apps, alias, quote, "~", reason)


def name_office(apps, schema_editor):
    _set_office(
        apps,
        schema_editor,
        to_office=True,
        # The history keeps a reason of up to 100 characters.
        reason="Office named by the source: chairman elect, National Association of Primary Care",
    )


def forget_office(apps, schema_editor):
    _set_office(
        apps, schema_editor, to_office=False, reason="Migration 0038 undone: no office named."
    )


class Migration(migrations.Migration):
    dependencies = [("archive", "0037_quote_stated_office")]

    operations = [migrations.RunPython(name_office, forget_office)]
