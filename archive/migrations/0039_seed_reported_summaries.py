"""Five summaries the seed's reports give in reported speech, added to an archive loaded
before the seed held them (a new archive gets them from the fixture).

Each is added only where its speech, speaker and themes are still there and the speech has
no quotation of the same words; with a version in its history saying why, as an import
would; among its speech's quotations where the seed places it (those after it move down
one); and in the search index. Going back removes those still as they were added.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

REASON = "Added from the seed: the report's summary of a point it does not quote directly."
ALESSI_POST = ("charles-alessi", "chairman-elect-national-association-of-primary-care")

# slug, speech, speaker, position, attribution, themes, office (speaker, post), words
ADDED = (
    (
        "andrew-lansley-sometimes-improving-services-will-involve-taking",
        "lansley-commissioning-show-2012",
        "andrew-lansley",
        1,
        "He",
        ("service-reconfiguration",),
        None,
        "sometimes improving services will involve taking difficult decisions",
    ),
    (
        "charles-alessi-trusts-must-have-financial-responsibility-in",
        "lansley-reform-clinical-commissioning",
        "charles-alessi",
        10,
        "Dr Charles Alessi",
        ("financial-sustainability", "integrated-care"),
        ALESSI_POST,
        "trusts must have financial responsibility in order for integrated care, a key "
        "aspect of clinical commissioning, to work",
    ),
    (
        "charles-alessi-in-order-to-have-productive-discussions",
        "lansley-reform-clinical-commissioning",
        "charles-alessi",
        12,
        "Dr Alessi",
        ("integrated-care", "nhs-funding"),
        ALESSI_POST,
        "in order to have productive discussions about budgets at health and wellbeing "
        "board level, trusts and CCGs must accept the need to share resources",
    ),
    (
        "patricia-hewitt-changes-were-also-afoot-in-other",
        "hewitt-nhs-alliance-conference-2006",
        "patricia-hewitt",
        8,
        "Ms Hewitt",
        ("service-reconfiguration",),
        None,
        "changes were also afoot in other areas, such as emergency services and urgent care",
    ),
    (
        "andrew-lansley-pct-managers-often-talked-to-hospital",
        "lansley-ccg-leaders-meeting-2012",
        "andrew-lansley",
        5,
        "He",
        ("commissioning-autonomy", "clinical-leadership"),
        None,
        "PCT managers often talked to hospital managers about activity levels when what "
        "mattered to patients was GP opinion about how clinical pathways should work",
    ),
)


def _record(apps, alias, quote, history_type: str, reason: str) -> None:
    """A version of ``quote`` in its history, with its themes, as a save would write."""
    quote_model = apps.get_model("archive", "Quote")
    history_model = apps.get_model("archive", "HistoricalQuote")
    themes_history = apps.get_model("archive", "HistoricalQuote_themes")
    fields = {f.attname: getattr(quote, f.attname) for f in quote_model._meta.concrete_fields}
    version = history_model.objects.using(alias).create(
        **fields,
        history_date=timezone.now(),
        history_type=history_type,
        history_change_reason=reason,
    )
    tags = quote_model.themes.through.objects.using(alias).filter(quote_id=quote.pk)
    themes_history.objects.using(alias).bulk_create(
        themes_history(id=tag.pk, history=version, quote_id=quote.pk, theme_id=tag.theme_id)
        for tag in tags
    )


def add_summaries(apps, schema_editor):
    from archive.ingest.normalise import fingerprint
    from archive.search.indexing import sync_quotes

    alias = schema_editor.connection.alias
    quote_model = apps.get_model("archive", "Quote")
    speech_model = apps.get_model("archive", "Speech")
    speaker_model = apps.get_model("archive", "Speaker")
    theme_model = apps.get_model("archive", "Theme")
    office_model = apps.get_model("archive", "Office")
    added = []
    for slug, speech_slug, speaker_slug, position, attribution, themes, office, words in ADDED:
        speech = speech_model.objects.using(alias).filter(slug=speech_slug).first()
        speaker = speaker_model.objects.using(alias).filter(slug=speaker_slug).first()
        tagged = list(theme_model.objects.using(alias).filter(slug__in=themes))
        digest = fingerprint(words)
        if (
            speech is None
            or speaker is None
            or len(tagged) != len(themes)
            or quote_model.objects.using(alias).filter(slug=slug).exists()
            or speech.quotes.filter(fingerprint=digest).exists()
        ):
            continue
        named = None
        if office is not None:
            named = (
                office_model.objects.using(alias)
                .filter(speaker__slug=office[0], slug=office[1])
                .first()
            )
        # Those the seed places after it move down one, as in a new archive.
        quote_model.objects.using(alias).filter(speech=speech, position__gte=position).update(
            position=F("position") + 1
        )
        quote = quote_model.objects.using(alias).create(
            speech=speech,
            speaker=speaker,
            slug=slug,
            text=words,
            attribution=attribution,
            kind="reported",
            fingerprint=digest,
            position=position,
            stated_office=named,
        )
        quote.themes.set(tagged)
        _record(apps, alias, quote, "+", REASON)
        added.append(quote.pk)
    if added:
        sync_quotes(added, using=alias, quote_model=quote_model)


def remove_summaries(apps, schema_editor):
    from archive.search.indexing import sync_quotes

    alias = schema_editor.connection.alias
    quote_model = apps.get_model("archive", "Quote")
    removed = []
    for slug, *_, words in ADDED:
        for quote in quote_model.objects.using(alias).filter(slug=slug, text=words):
            _record(apps, alias, quote, "-", "Migration 0039 undone: the seed's summary removed.")
            removed.append(quote.pk)
            quote.delete()
    if removed:
        sync_quotes(removed, using=alias, quote_model=quote_model)


class Migration(migrations.Migration):
    dependencies = [("archive", "0038_alessi_stated_office")]

    operations = [migrations.RunPython(add_summaries, remove_summaries)]
