"""SpeakerTag, each theme tag beside its quotation's speaker, follows every way of writing.

The table is kept by database triggers, so it must match the tags joined to the quotations
after writes through the models, through ``QuerySet.update()``, through raw SQL and bulk
loads, in whatever order their rows arrive.
"""

import datetime as dt

import pytest
from django.db import connection, transaction

from archive.bench.bulkload import BulkWriter
from archive.models import Quote, SpeakerTag, Theme
from tests.factories import make_quote, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db


def kept() -> set[tuple[int, int, int, int]]:
    return set(SpeakerTag.objects.values_list("id", "theme_id", "speaker_id", "quote_id"))


def expected() -> set[tuple[int, int, int, int]]:
    tags = Quote.themes.through.objects.values_list(
        "id", "theme_id", "quote__speaker_id", "quote_id"
    )
    return set(tags)


@pytest.fixture
def tagged():
    pat, rae = make_speaker("Pat Hewitt"), make_speaker("Rae Lansley")
    alcohol, funding = make_theme("Alcohol"), make_theme("Funding")
    speech = make_speech(speaker=pat, date=dt.date(2010, 5, 1))
    first = make_quote("Minimum unit pricing.", speech=speech, themes=[alcohol, funding])
    second = make_quote("Budgets will rise.", speech=speech, speaker=rae, themes=[funding])
    return {"pat": pat, "rae": rae, "alcohol": alcohol, "funding": funding, "q": (first, second)}


def test_tags_added_through_the_models_are_kept_with_their_speaker(tagged):
    first, second = tagged["q"]
    assert kept() == expected()
    assert len(kept()) == 3
    assert set(
        SpeakerTag.objects.filter(quote_id=second.pk).values_list("speaker_id", flat=True)
    ) == {tagged["rae"].pk}


def test_removing_and_setting_tags(tagged):
    first, second = tagged["q"]
    first.themes.remove(tagged["funding"])
    second.themes.set([tagged["alcohol"]])
    assert kept() == expected()
    first.themes.clear()
    assert kept() == expected()
    assert set(SpeakerTag.objects.values_list("quote_id", "theme_id")) == {
        (second.pk, tagged["alcohol"].pk)
    }


def test_a_new_speaker_moves_the_rows_however_it_is_written(tagged):
    first, second = tagged["q"]
    first.speaker = tagged["rae"]
    first.save()
    assert kept() == expected()
    assert SpeakerTag.objects.filter(speaker_id=tagged["rae"].pk).count() == 3
    Quote.objects.filter(pk=second.pk).update(speaker=tagged["pat"])
    assert kept() == expected()
    assert SpeakerTag.objects.filter(speaker_id=tagged["pat"].pk).count() == 1
    first.text = "Minimum unit pricing, now."  # other columns leave the rows alone
    first.save()
    assert kept() == expected()


def test_deleting_quotations_and_themes_removes_their_rows(tagged):
    first, second = tagged["q"]
    first.delete()
    assert kept() == expected()
    Theme.objects.filter(pk=tagged["funding"].pk).delete()
    assert kept() == expected() == set()


def test_a_bulk_load_may_write_tags_before_their_quotations(tagged):
    pat, alcohol = tagged["pat"], tagged["alcohol"]
    speech = make_speech(speaker=pat)
    quote_id, tag_id = 900_001, 900_002
    with transaction.atomic():
        # Tag first, quotation second: foreign keys are checked at commit, so a loader may.
        writer = BulkWriter(connection)
        tags = writer.table(Quote.themes.through, ["id", "quote_id", "theme_id"])
        quotes = writer.table(
            Quote, ["id", "speech_id", "speaker_id", "slug", "text", "kind", "fingerprint"]
        )
        tags.add(tag_id, quote_id, alcohol.pk)
        quotes.add(quote_id, speech.pk, pat.pk, "bulk", "Bulk words.", "direct", "f" * 40)
        writer.flush()
    assert (tag_id, alcohol.pk, pat.pk, quote_id) in kept()
    assert kept() == expected()
