"""Five summaries the seed's reports give in reported speech, added to an archive loaded
before the seed held them (a new archive gets them from the fixture).

Each is added only where its speech, speaker and themes are still there, the speech's text
(or its source's) still holds the words, and the speech has no quotation of the same words;
with a version in its history saying why, as an import would; just before the quotation
the seed places after it (those from there move down one, each with a version, so a page
opened before cannot put its old place back), or last if that one is gone; and in the
search index. Going back removes those still as they were added (never edited since) and
moves the quotations after each back up.
"""

from django.db import migrations
from django.db.models import F

from archive.migrations._quote_history import record_quote_version

REASON = "Added from the seed: the report's summary of a point it does not quote directly."
ALESSI_POST = ("charles-alessi", "chairman-elect-national-association-of-primary-care")

# slug, speech, speaker, the quotation the seed places after it, attribution, themes, the
# office the source names (speaker, post), words
ADDED = (
    (
        "andrew-lansley-sometimes-improving-services-will-involve-taking",
        "lansley-commissioning-show-2012",
        "andrew-lansley",
        "andrew-lansley-sometimes-improving-outcomes-means-reorganising-services",
        "He",
        ("service-reconfiguration",),
        None,
        "sometimes improving services will involve taking difficult decisions",
    ),
    (
        "charles-alessi-trusts-must-have-financial-responsibility-in",
        "lansley-reform-clinical-commissioning",
        "charles-alessi",
        "charles-alessi-so-for-integrated-care-we-really",
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
        "charles-alessi-if-we-accept-that-we-live",
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
        "patricia-hewitt-complex-care-like-primary-angioplasty-needs",
        "Ms Hewitt",
        ("service-reconfiguration",),
        None,
        "changes were also afoot in other areas, such as emergency services and urgent care",
    ),
    (
        "andrew-lansley-pct-managers-often-talked-to-hospital",
        "lansley-ccg-leaders-meeting-2012",
        "andrew-lansley",
        "andrew-lansley-if-we-turned-you-into-managers",
        "He",
        ("commissioning-autonomy", "clinical-leadership"),
        None,
        "PCT managers often talked to hospital managers about activity levels when what "
        "mattered to patients was GP opinion about how clinical pathways should work",
    ),
)


MOVED = "Moved down one: a summary the seed places before it was added (migration 0039)."
MOVED_BACK = "Moved up one: migration 0039 undone."


def _shift(apps, alias, speech, from_position: int, by: int, reason: str) -> None:
    """Move the speech's quotations from ``from_position`` on by ``by``, each with a new
    version (and one in its history), as a curator's renumbering would be saved."""
    quote_model = apps.get_model("archive", "Quote")
    moved = quote_model.objects.using(alias).filter(speech=speech, position__gte=from_position)
    for quote in moved.order_by("position"):
        quote_model.objects.using(alias).filter(pk=quote.pk).update(
            position=F("position") + by, version=F("version") + 1
        )
        quote.refresh_from_db()
        record_quote_version(apps, alias, quote, "~", reason)


def add_summaries(apps, schema_editor):
    from archive.ingest.normalise import appears_in, fingerprint
    from archive.search.indexing import sync_quotes

    alias = schema_editor.connection.alias
    quote_model = apps.get_model("archive", "Quote")
    speech_model = apps.get_model("archive", "Speech")
    speaker_model = apps.get_model("archive", "Speaker")
    theme_model = apps.get_model("archive", "Theme")
    office_model = apps.get_model("archive", "Office")
    added = []
    for slug, speech_slug, speaker_slug, before, attribution, themes, office, words in ADDED:
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
        source = speech.source.original_text if speech.source_id else ""
        if not (appears_in(words, speech.text) or appears_in(words, source)):
            continue  # a curator has changed the text since: the words are not there now
        named = None
        if office is not None:
            named = (
                office_model.objects.using(alias)
                .filter(speaker__slug=office[0], slug=office[1])
                .first()
            )
        after = speech.quotes.filter(slug=before).first()
        if after is not None:
            position = after.position
            _shift(apps, alias, speech, position, 1, MOVED)
        else:
            last = speech.quotes.order_by("-position").first()
            position = (last.position if last else 0) + 1
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
        record_quote_version(apps, alias, quote, "+", REASON)
        added.append(quote.pk)
    if added:
        sync_quotes(added, using=alias, quote_model=quote_model)


def remove_summaries(apps, schema_editor):
    from archive.search.indexing import sync_quotes

    alias = schema_editor.connection.alias
    quote_model = apps.get_model("archive", "Quote")
    # Only those still as they were added: a curator's edit since makes one theirs. Chosen
    # before any is removed, since moving the others up gives each a new version.
    removable = [
        quote.pk
        for slug, *_, words in ADDED
        for quote in quote_model.objects.using(alias).filter(slug=slug, text=words, version=1)
    ]
    removed = []
    for pk in removable:
        quote = quote_model.objects.using(alias).get(pk=pk)
        speech, position = quote.speech, quote.position
        record_quote_version(apps, alias, quote, "-", "Migration 0039 undone: the seed's summary removed.")
        removed.append(quote.pk)
        quote.delete()
        _shift(apps, alias, speech, position + 1, -1, MOVED_BACK)
    if removed:
        sync_quotes(removed, using=alias, quote_model=quote_model)


class Migration(migrations.Migration):
    dependencies = [("archive", "0038_alessi_stated_office")]

    operations = [migrations.RunPython(add_summaries, remove_summaries)]
