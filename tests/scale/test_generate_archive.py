"""generate_archive: deterministic from its seed, and shaped like a real archive."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive.ingest.normalise import appears_in, fingerprint
from archive.models import (
    DatePrecision,
    Event,
    Office,
    Quote,
    QuoteKind,
    Speaker,
    Speech,
    Status,
    Theme,
)
from tests.scale.conftest import SMALL


def snapshot() -> dict:
    """Every generated record's content (not its timestamps), in id order."""
    return {
        "themes": list(Theme.objects.order_by("id").values_list("slug", "name", "parent_id")),
        "speakers": list(Speaker.objects.order_by("id").values_list("slug", "name", "aliases")),
        "offices": list(
            Office.objects.order_by("id").values_list(
                "speaker_id", "slug", "start_date", "end_date", "is_ministerial"
            )
        ),
        "events": list(Event.objects.order_by("id").values_list("slug", "kind", "date")),
        "speeches": list(
            Speech.objects.order_by("id").values_list(
                "slug", "speaker_id", "event_id", "kind", "date", "date_precision", "status", "text"
            )
        ),
        "quotes": list(
            Quote.objects.order_by("id").values_list(
                "slug", "speech_id", "speaker_id", "text", "kind", "fingerprint", "position"
            )
        ),
        "quote_themes": list(
            Quote.themes.through.objects.order_by("id").values_list("quote_id", "theme_id")
        ),
    }


def test_same_seed_gives_the_same_archive(small_archive):
    first = snapshot()
    call_command(
        "generate_archive", quotes=SMALL, seed=7, clear=True, no_search_index=True, verbosity=0
    )
    assert snapshot() == first


def test_another_seed_gives_another_archive(small_archive):
    first = snapshot()
    call_command(
        "generate_archive", quotes=SMALL, seed=8, clear=True, no_search_index=True, verbosity=0
    )
    assert snapshot()["quotes"] != first["quotes"]


def test_it_writes_exactly_the_quotes_asked_for_in_several_per_speech(small_archive):
    assert Quote.objects.count() == SMALL
    assert Speech.objects.count() == SMALL // 10
    per_speech = Counter(Quote.objects.values_list("speech_id", flat=True))
    assert len(per_speech) == Speech.objects.count()
    assert min(per_speech.values()) >= 1
    assert max(per_speech.values()) > 3


def test_records_are_complete_where_bulk_inserts_skip_save(small_archive):
    for quote in Quote.objects.select_related("speech"):
        assert quote.fingerprint == fingerprint(quote.text)
        assert appears_in(quote.text, quote.speech.text), quote.slug
    assert len(set(Quote.objects.values_list("slug", flat=True))) == SMALL
    assert not Quote.objects.filter(created_at__isnull=True).exists()


def test_published_statements_carry_their_time_of_publication(small_archive, client):
    published = Speech.objects.filter(status=Status.PUBLISHED)
    assert not published.filter(published_at__isnull=True).exists()
    assert not Speech.objects.filter(status=Status.DRAFT, published_at__isnull=False).exists()
    # So the newly published feed lists them, as it lists statements saved one by one.
    feed = client.get("/feeds/new/")
    assert feed.status_code == 200
    assert feed.content.count(b"<entry>") == min(published.count(), 50)


def test_new_records_continue_the_id_sequences(small_archive):
    speech = Speech.objects.first()
    quote = Quote.objects.create(speech=speech, speaker=speech.speaker, slug="new-one", text="x")
    assert quote.pk == SMALL + 1


def test_speakers_hold_offices_over_decades_and_some_are_ministers(small_archive):
    assert Speaker.objects.count() >= 12
    assert Speaker.objects.ministers().exists()
    assert Speaker.objects.exclude(offices__is_ministerial=True).exists()
    years = Office.objects.values_list("start_date__year", flat=True)
    assert max(years) - min(years) >= 20
    # One Secretary of State at a time.
    terms = Office.objects.filter(post="Secretary of State for Health").order_by("start_date")
    for earlier, later in zip(terms, terms[1:], strict=False):
        assert earlier.end_date is not None and earlier.end_date < later.start_date


def test_every_dated_speech_falls_in_one_of_its_speakers_terms(small_archive):
    for speech in Speech.objects.exclude(date=None).prefetch_related("speaker__offices"):
        if speech.date_precision == DatePrecision.DAY:
            assert speech.speaker_office() is not None, speech.slug


def test_events_of_several_kinds_and_dates_of_several_precisions(small_archive):
    assert len(set(Event.objects.values_list("kind", flat=True))) >= 3
    assert Speech.objects.filter(event__isnull=False).exists()
    assert Speech.objects.filter(kind="letter", event__isnull=False).count() == 0
    precisions = set(Speech.objects.values_list("date_precision", flat=True))
    assert DatePrecision.DAY in precisions and len(precisions) >= 2


def test_popularity_is_skewed(small_archive):
    by_speaker = Counter(Speech.objects.values_list("speaker_id", flat=True))
    by_theme = Counter(Quote.themes.through.objects.values_list("theme_id", flat=True))
    mean_per_speaker = sum(by_speaker.values()) / len(by_speaker)
    assert by_speaker.most_common(1)[0][1] >= 3 * mean_per_speaker
    assert by_theme.most_common(1)[0][1] >= 4 * min(by_theme.values())


def test_some_drafts_some_reported_speech_and_respondents(small_archive):
    assert (
        Speech.objects.filter(status=Status.PUBLISHED).count()
        > Speech.objects.filter(status=Status.DRAFT).count()
    )
    assert Quote.objects.filter(kind=QuoteKind.REPORTED).exists()
    assert Quote.objects.filter(kind=QuoteKind.DIRECT).exists()
    assert Theme.objects.filter(parent__isnull=False).exists()


def test_refuses_to_mix_with_an_existing_archive(small_archive):
    with pytest.raises(CommandError, match="--clear"):
        call_command("generate_archive", quotes=10, no_search_index=True, stdout=StringIO())


def test_rejects_a_nonsense_size(db):
    with pytest.raises(CommandError):
        call_command("generate_archive", quotes=0, stdout=StringIO())
