"""Reported speech (the reporter's words for what was said) is never shown or cited in
quotation marks as the speaker's own words; a direct quotation always is."""

import json
import re

import bibtexparser
import feedparser
import pytest
import rispy

from archive.models import Quote, QuoteKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(seed):
    """Lansley's paraphrase in the seed: "he would not shy away from closing down …"."""
    return Quote.objects.select_related("speech").get(
        kind=QuoteKind.REPORTED, text__startswith="he would not shy away"
    )


@pytest.fixture
def direct(reported):
    """A direct quotation from the same speech."""
    return reported.speech.quotes.filter(kind=QuoteKind.DIRECT).first()


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


def test_the_quote_pages_title_and_previews_do_not_quote_reported_speech(client, reported, direct):
    html = client.get(reported.get_absolute_url()).content.decode()
    head = _head(html)
    assert "<title>Reported: he would not shy away" in head
    assert "“he would not" not in head
    assert 'content="Andrew Lansley: Reported: he would not shy away' in head  # og:title
    [data] = [json.loads(block) for block in re.findall(r'ld\+json">(.*?)</script>', html)]
    assert data["@type"] == "CreativeWork" and data["genre"] == "Reported speech"
    assert "spokenByCharacter" not in data
    # A direct quotation is quoted as before.
    head = _head(client.get(direct.get_absolute_url()).content.decode())
    assert f"<title>“{direct.text.split()[0]}" in head


def test_lists_of_a_speechs_quotations_do_not_quote_reported_speech(client, reported, direct):
    for page in (reported.speech.get_absolute_url(), direct.get_absolute_url()):
        html = client.get(page).content.decode()
        assert "Reported: he would not shy away" in html, page
        assert "“he would not shy away" not in html, page


def test_a_timeline_does_not_quote_reported_speech(client, reported):
    theme = reported.themes.first()
    html = client.get(theme.get_absolute_url()).content.decode()
    assert "Reported: he would not shy away" in html
    assert "“he would not shy away" not in html


def test_the_feed_titles_reported_speech_as_reported(client, reported):
    feed = feedparser.parse(client.get("/feeds/quotes/", {"speaker": "andrew-lansley"}).content)
    titles = [entry.title for entry in feed.entries]
    assert any(t.startswith("Andrew Lansley: Reported: he would not shy away") for t in titles)
    assert not any("“he would not" in t for t in titles)
    assert any(t.startswith("Andrew Lansley: “") for t in titles)  # the direct ones


def test_citations_give_reported_speech_as_reported_not_verbatim(client, reported, direct):
    url = reported.get_absolute_url()
    html = client.get(url).content.decode()
    harvard = html.split('id="citation-text" data-copy-text>', 1)[1].split("</p>", 1)[0]
    assert ") reported speech, not verbatim: he would not shy away" in harvard
    assert "‘he would not" not in harvard
    [entry] = bibtexparser.loads(client.get(f"{url}cite.bib").content.decode()).entries
    assert "Reported speech (not verbatim): he would not shy away" in entry["note"]
    assert "Quotation:" not in entry["note"]
    [record] = rispy.loads(client.get(f"{url}cite.ris").content.decode())
    assert any(n.startswith("Reported speech (not verbatim): he would") for n in record["notes"])
    [entry] = bibtexparser.loads(
        client.get(f"{direct.get_absolute_url()}cite.bib").content.decode()
    ).entries
    assert "Quotation: ‘" in entry["note"]


def test_the_quote_page_says_at_its_top_that_reported_speech_is_not_a_quotation(
    client, reported, direct
):
    html = client.get(reported.get_absolute_url()).content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert heading.startswith("Reported speech from Andrew Lansley")
    figure = html.split('<figure class="quotation quotation--feature">', 1)[1].split("</figure>")[0]
    assert "The report's words for what Andrew Lansley said, not a quotation of them." in figure
    html = client.get(direct.get_absolute_url()).content.decode()
    assert re.search(r"<h1[^>]*>Quotation from Andrew Lansley", html)
    assert "The report's words" not in html


def test_the_citation_is_reached_from_the_top_of_the_record(client, reported):
    for url in (reported.get_absolute_url(), reported.speech.get_absolute_url()):
        html = client.get(url).content.decode()
        top, rest = html.split("</dl>", 1)
        assert 'href="#cite"' in top  # "How to cite it", among the facts
        assert '<section class="citation" id="cite"' in rest
