"""List cards read as plain values show exactly what the same record read as a model shows."""

import datetime as dt

import pytest

from archive.cards import QuoteCard, SpeechItem, quote_cards, speech_items
from archive.models import DatePrecision, Quote, QuoteKind, Speech, SpeechKind
from tests.factories import (
    make_event,
    make_office,
    make_quote,
    make_speaker,
    make_speech,
    make_theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(seed):
    """The seed, plus the cases a card must get right: two posts held at once, a speech
    before any post and one of unknown date, no event, reported speech, several themes."""
    speaker = make_speaker("Alan Milburn")
    make_office(
        speaker, post="Chair of a Review", is_ministerial=False, start_date=dt.date(2000, 1, 1)
    )
    make_office(
        speaker,
        post="Secretary of State for Health",
        start_date=dt.date(2001, 1, 1),
        end_date=dt.date(2003, 6, 13),
    )
    in_office = make_speech(
        speaker=speaker,
        date=dt.date(2002, 3, 1),
        kind=SpeechKind.LETTER,
        summary="A letter to trusts. " * 40,
        event=make_event("NHS Confederation 2002"),
    )
    before = make_speech(speaker=speaker, date=dt.date(1990, 5, 1), summary="")
    undated = make_speech(speaker=speaker, date=None, date_precision=DatePrecision.UNKNOWN)
    themes = [make_theme("Waiting times"), make_theme("Access"), make_theme("Workforce")]
    make_quote("Waits will fall.", speech=in_office, themes=themes)
    make_quote("He said waits would fall.", speech=in_office, kind=QuoteKind.REPORTED)
    make_quote("Long ago.", speech=before, themes=themes[:1])
    make_quote("Some time.", speech=undated)


def test_quotation_cards_match_the_models_cards(varied):
    quotes = list(Quote.objects.for_list().order_by("pk"))
    assert len(quotes) > 10
    cards = quote_cards([q.pk for q in quotes])
    assert cards == [QuoteCard.of(q) for q in quotes]
    by_text = {card.text: card for card in cards}
    # A ministerial post before another held the same day; none before any post.
    assert by_text["Waits will fall."].office == "Secretary of State for Health"
    assert by_text["Long ago."].office == ""
    assert [t.name for t in by_text["Waits will fall."].themes] == [
        "Access",
        "Waiting times",
        "Workforce",
    ]
    assert by_text["Some time."].speech.date_display == "Date unknown"


def test_speech_items_match_the_models_items(varied):
    speeches = list(Speech.objects.for_list().order_by("pk"))
    items = speech_items([s.pk for s in speeches])
    assert items == [SpeechItem.of(s) for s in speeches]
    letter = next(item for item in items if item.summary.startswith("A letter to trusts"))
    assert letter.kind_label == "Letter"
    assert letter.event.name == "NHS Confederation 2002"
    assert letter.office == "Secretary of State for Health"
    assert any(item.event is None for item in items)


def test_cards_come_in_the_order_asked_in_constant_queries(varied, django_assert_num_queries):
    ids = list(Quote.objects.order_by("-pk").values_list("pk", flat=True))
    with django_assert_num_queries(3):  # quotations, their themes, their speakers' offices
        cards = quote_cards([*ids, 10**9])  # an id that is gone is skipped
    assert [card.pk for card in cards] == ids
    speech_ids = list(Speech.objects.order_by("title").values_list("pk", flat=True))
    with django_assert_num_queries(2):  # speeches, their speakers' offices
        assert [item.pk for item in speech_items(speech_ids)] == speech_ids
    assert quote_cards([]) == [] and speech_items([]) == []
