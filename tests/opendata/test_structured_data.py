"""schema.org JSON-LD and Open Graph tags on record pages."""

import datetime as dt
import json
import re

import pytest

from archive.models import DatePrecision, SpeechKind
from tests.factories import (
    make_event,
    make_office,
    make_quote,
    make_source,
    make_speaker,
    make_speech,
    make_theme,
)
from tests.pages.helpers import XHTML, parse

pytestmark = pytest.mark.django_db


def jsonld(response) -> dict:
    """The page's one JSON-LD object, parsed."""
    scripts = [
        element
        for element in parse(response).iter(f"{{{XHTML}}}script")
        if element.get("type") == "application/ld+json"
    ]
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def open_graph(response) -> dict[str, str]:
    return {
        meta.get("property"): meta.get("content")
        for meta in parse(response).iter(f"{{{XHTML}}}meta")
        if meta.get("property", "").startswith("og:")
    }


@pytest.fixture
def quote():
    speaker = make_speaker("Andrew Lansley")
    make_office(speaker, start_date=dt.date(2010, 5, 12))
    speech = make_speech(
        "Speech to the Commissioning Show",
        speaker=speaker,
        event=make_event("The Commissioning Show 2012", date=dt.date(2012, 6, 1)),
        date=dt.date(2012, 6, 1),
        date_precision=DatePrecision.MONTH,
    )
    return make_quote("I will back you.", speech=speech, themes=[make_theme("Accountability")])


def test_a_quote_page_describes_a_quotation_by_the_right_person_and_date(client, quote):
    response = client.get(quote.get_absolute_url())
    data = jsonld(response)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Quotation"
    assert data["text"] == "I will back you."
    assert data["author"]["@type"] == "Person"
    assert data["author"]["name"] == "Andrew Lansley"
    assert data["author"]["jobTitle"] == "Secretary of State for Health"
    assert data["spokenByCharacter"] == {"@id": data["author"]["@id"]}
    assert data["dateCreated"] == "2012-06"  # only as precise as the source
    assert [theme["name"] for theme in data["about"]] == ["Accountability"]
    assert data["isPartOf"]["name"] == "Speech to the Commissioning Show"
    assert data["isPartOf"]["recordedAt"]["@type"] == "Event"
    assert data["url"] == f"http://testserver{quote.get_absolute_url()}"


def test_a_reaction_reported_alongside_a_speech_is_not_described_as_part_of_it(client, quote):
    # Dixon's words beside Lansley's speech: not part of a work whose author is Lansley.
    speech = quote.speech
    speech.source = make_source("HSJ report of the show")
    speech.text += " Dr Dixon said: ‘It is welcome.’"
    speech.save()
    reaction = make_quote("It is welcome.", speech=speech, speaker=make_speaker("Michael Dixon"))
    response = client.get(reaction.get_absolute_url())
    data = jsonld(response)
    assert data["author"]["name"] == "Michael Dixon"
    assert "isPartOf" not in data
    assert data["isBasedOn"]["name"] == "HSJ report of the show"
    description = open_graph(response)["og:description"]
    assert "Michael Dixon, reported alongside Speech to the Commissioning Show" in description
    # The speech's own speaker's quotation still is part of it.
    assert jsonld(client.get(quote.get_absolute_url()))["isPartOf"]["author"]["name"] == (
        "Andrew Lansley"
    )


def test_a_speech_page_describes_a_creative_work(client):
    letter = make_speech(
        "Letter to CCG leaders",
        speaker=make_speaker("Andrew Lansley"),
        kind=SpeechKind.LETTER,
        date=dt.date(2012, 2, 16),
    )
    make_quote("You will have the freedom to lead.", speech=letter, themes=[make_theme("Autonomy")])
    data = jsonld(client.get(letter.get_absolute_url()))
    assert (data["@type"], data["genre"], data["name"]) == (
        "CreativeWork",
        "Letter",
        "Letter to CCG leaders",
    )
    assert data["author"]["name"] == "Andrew Lansley"
    assert data["dateCreated"] == "2012-02-16"
    assert [theme["name"] for theme in data["about"]] == ["Autonomy"]


def test_speaker_and_event_pages_describe_a_person_and_an_event(client, quote):
    person = jsonld(client.get(quote.speaker.get_absolute_url()))
    assert (person["@type"], person["name"]) == ("Person", "Andrew Lansley")
    assert person["memberOf"][0]["roleName"] == "Secretary of State for Health"
    assert person["memberOf"][0]["startDate"] == "2010-05-12"
    event = jsonld(client.get(quote.speech.event.get_absolute_url()))
    assert (event["@type"], event["name"], event["startDate"]) == (
        "Event",
        "The Commissioning Show 2012",
        "2012-06-01",
    )


def test_an_undated_statement_has_no_invented_date(client):
    speech = make_speech("Undated", date=None)
    quote = make_quote("Words.", speech=speech)
    assert "dateCreated" not in jsonld(client.get(quote.get_absolute_url()))
    assert "dateCreated" not in jsonld(client.get(speech.get_absolute_url()))
    # Mid-sentence in the pages' descriptions, as search results and previews show them.
    for record in (speech, quote):
        html = client.get(record.get_absolute_url()).content.decode()
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert "date unknown" in description and "Date unknown" not in description


def test_text_cannot_break_out_of_the_json_ld_script(client):
    text = 'Ends here </script><script>alert("x")</script> & <!-- more'
    quote = make_quote(text)
    response = client.get(quote.get_absolute_url())
    html = response.content.decode()
    assert '<script>alert("x")' not in html
    assert jsonld(response)["text"] == text
    assert open_graph(response)["og:description"].startswith(f"“{text}”")


def test_open_graph_tags_preview_the_quote(client, quote):
    tags = open_graph(client.get(quote.get_absolute_url()))
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "Andrew Lansley: “I will back you.”"
    assert tags["og:url"] == f"http://testserver{quote.get_absolute_url()}"
    assert tags["og:site_name"] == "Health Policy Archive"
    assert "June 2012" in tags["og:description"]
    html = client.get(quote.get_absolute_url()).content.decode()
    assert re.search(r'<meta name="twitter:card" content="summary">', html)


def test_speech_and_quote_pages_name_their_permanent_address_as_canonical(client):
    speech = make_speech(title="Speech to the NHS Confederation", text="He said: ‘Yes.’")
    quote = make_quote("Yes.", speech=speech)
    for record in (speech, quote):
        page = client.get(record.get_absolute_url(), {"utm_source": "newsletter"})
        links = re.findall(r'<link rel="canonical" href="([^"]+)">', page.content.decode())
        assert links == [f"http://testserver{record.get_absolute_url()}"]


def test_an_undated_statements_preview_reads_date_unknown_mid_sentence(client):
    speech = make_speech("Undated remarks", speaker=make_speaker("Charles Alessi"), date=None)
    quote = make_quote("We need to think differently.", speech=speech)
    for record in (speech, quote):
        description = open_graph(client.get(record.get_absolute_url()))["og:description"]
        assert "date unknown" in description, description
        assert "Date unknown" not in description, description
