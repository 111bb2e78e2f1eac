"""A quotation by someone other than its speech's speaker (a reaction reported beside the
speech) reads "reported alongside" the speech, never "in" it, wherever it is shown or cited."""

import bibtexparser
import feedparser
import pytest
import rispy

from archive.cards import quote_cards
from archive.models import Quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def reaction(seed):
    """Dixon's reaction, reported beside Lansley's speech to CCG leaders (in the seed)."""
    return Quote.objects.select_related("speech").get(
        speaker__name="Michael Dixon", text__startswith="I counted the use of the word autonomy"
    )


@pytest.fixture
def own(reaction):
    """A quotation from the same speech by its own speaker."""
    return reaction.speech.quotes.filter(speaker=reaction.speech.speaker).first()


def _caption(html: str, quote: Quote) -> str:
    """The card caption of ``quote`` on a list page."""
    card = html.split(f'href="{quote.get_absolute_url()}"', 1)[0].rsplit("<figcaption>", 1)[1]
    return card.split("</figcaption>", 1)[0]


def test_the_cards_know_whose_speech_it_is(reaction, own):
    cards = {card.pk: card for card in quote_cards([reaction.pk, own.pk])}
    assert cards[reaction.pk].own_speech is False
    assert cards[own.pk].own_speech is True


def test_a_list_says_reported_alongside_for_a_reaction_and_in_for_the_speakers_own(
    client, reaction, own
):
    html = client.get("/quotes/", {"speaker": "michael-dixon"}).content.decode()
    assert '<span class="quotation__where">reported alongside <cite>' in _caption(html, reaction)
    html = client.get("/quotes/", {"speaker": "andrew-lansley"}).content.decode()
    assert '<span class="quotation__where">in <cite>' in _caption(html, own)


def test_the_quotation_page_says_reported_alongside(client, reaction, own):
    html = client.get(reaction.get_absolute_url()).content.decode()
    assert '<span class="quotation__where">reported alongside <cite>' in html
    assert "<dt>Reported alongside</dt>" in html
    assert "<dt>In</dt>" not in html
    html = client.get(own.get_absolute_url()).content.decode()
    assert '<span class="quotation__where">in <cite>' in html
    assert "<dt>In</dt>" in html


def test_the_feed_says_reported_alongside(client, reaction):
    feed = feedparser.parse(client.get("/feeds/quotes/", {"speaker": "michael-dixon"}).content)
    [entry] = feed.entries
    assert ", reported alongside “Speech to a meeting of 150 CCG leaders" in entry.summary
    assert ", in “" not in entry.summary


def test_the_citations_name_the_quotations_speaker_beside_another_speech(client, reaction, own):
    html = client.get(reaction.get_absolute_url()).content.decode()
    harvard = html.split('id="citation-text" data-copy-text>', 1)[1].split("</p>", 1)[0]
    assert harvard.startswith("Dixon, M. (")
    assert "’, reported alongside Speech to a meeting of 150 CCG leaders" in harvard
    assert "[Speech by Andrew Lansley]." in harvard
    assert "’, in Speech" not in harvard

    url = reaction.get_absolute_url()
    [entry] = bibtexparser.loads(client.get(f"{url}cite.bib").content.decode()).entries
    assert entry["author"] == "Dixon, Michael"
    assert "Reported alongside a speech by Andrew Lansley" in entry["note"]
    [record] = rispy.loads(client.get(f"{url}cite.ris").content.decode())
    assert "Reported alongside a speech by Andrew Lansley" in record["notes"]

    # The speech's own speaker is cited as before.
    html = client.get(own.get_absolute_url()).content.decode()
    assert "’, in Speech to a meeting of 150 CCG leaders" in html
    assert (
        "Reported alongside a speech"
        not in client.get(f"{own.get_absolute_url()}cite.bib").content.decode()
    )


def test_reference_managers_do_not_give_the_speech_as_the_quotations_speakers_work(
    client, reaction
):
    # Dixon as the author of "Speech to a meeting of 150 CCG leaders" (a speech), which is
    # Lansley's: a reference manager prints the title and type, not the note.
    url = reaction.get_absolute_url()
    [entry] = bibtexparser.loads(client.get(f"{url}cite.bib").content.decode()).entries
    assert entry["title"].startswith("{Reported alongside Speech to a meeting of 150 CCG")
    assert entry["title"].endswith("[Speech by Andrew Lansley]}")
    assert entry["howpublished"].startswith("Reported alongside a speech by Andrew Lansley")
    [record] = rispy.loads(client.get(f"{url}cite.ris").content.decode())
    assert record["type_of_reference"] == "GEN"
    assert record["title"].startswith("Reported alongside Speech to a meeting of 150 CCG")
    assert record["type_of_work"] == "Reported alongside a speech by Andrew Lansley"
