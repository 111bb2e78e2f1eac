"""Citations: a Harvard reference on quote and speech pages, BibTeX and RIS downloads."""

import datetime as dt

import bibtexparser
import pytest
import rispy

from archive.models import DatePrecision, SpeechKind, Status
from tests.factories import (
    make_event,
    make_quote,
    make_source,
    make_speaker,
    make_speech,
    make_theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote():
    speech = make_speech(
        "Speech to the Commissioning Show",
        speaker=make_speaker("Andrew Lansley"),
        event=make_event("The Commissioning Show 2012", place="London"),
        source=make_source("Lansley backs commissioners", publisher="HSJ"),
        date=dt.date(2012, 6, 1),
        date_precision=DatePrecision.MONTH,
    )
    return make_quote("I will back you.", speech=speech, themes=[make_theme("Accountability")])


def download(client, url: str, content_type: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content.decode()


def test_a_quotes_bibtex_parses_and_names_author_date_and_permalink(client, quote):
    text = download(
        client, f"{quote.get_absolute_url()}cite.bib", "application/x-bibtex; charset=utf-8"
    )
    [entry] = bibtexparser.loads(text).entries
    assert entry["ENTRYTYPE"] == "misc"
    assert entry["author"] == "Lansley, Andrew"
    assert entry["title"] == "{Speech to the Commissioning Show}"
    assert (entry["year"], entry["month"], entry["date"]) == ("2012", "June", "2012-06")
    assert entry["url"] == f"http://testserver{quote.get_absolute_url()}"
    assert "I will back you." in entry["note"]
    assert entry["keywords"] == "Accountability"


def test_two_quotations_whose_slugs_begin_alike_have_different_bibtex_keys(client, quote):
    # A key cut to the slug's first 40 characters was one key for both: reference managers
    # merge entries that share a key.
    words = "you will have the freedom to commission services for your patients"
    first = make_quote(f"{words} now", speech=quote.speech)
    second = make_quote(f"{words} soon", speech=quote.speech)
    keys = set()
    for record in (first, second):
        text = download(
            client, f"{record.get_absolute_url()}cite.bib", "application/x-bibtex; charset=utf-8"
        )
        [entry] = bibtexparser.loads(text).entries
        assert entry["ID"].endswith(record.slug)
        keys.add(entry["ID"])
    assert len(keys) == 2


def test_bibtex_escapes_characters_that_would_break_the_entry(client):
    speech = make_speech("Costs & 100% of {budgets} for #1 $ale_x", date=None)
    text = download(
        client, f"{speech.get_absolute_url()}cite.bib", "application/x-bibtex; charset=utf-8"
    )
    [entry] = bibtexparser.loads(text).entries
    assert r"Costs \& 100\% of \{budgets\} for \#1 \$ale\_x" in entry["title"]
    assert entry["url"] == f"http://testserver{speech.get_absolute_url()}"
    assert "year" not in entry  # the date is unknown: none is invented
    assert entry["ID"].startswith(f"{speech.speaker.name.split()[-1].lower()}nd:")


def test_a_quotes_ris_parses_with_the_reference_details(client, quote):
    text = download(
        client,
        f"{quote.get_absolute_url()}cite.ris",
        "application/x-research-info-systems; charset=utf-8",
    )
    assert text.endswith("ER  - \r\n")
    [entry] = rispy.loads(text)
    assert entry["type_of_reference"] == "GEN"
    assert entry["authors"] == ["Lansley, Andrew"]
    assert entry["title"] == "Speech to the Commissioning Show"
    assert entry["year"] == "2012"
    assert entry["date"] == "2012/06//"
    assert entry["secondary_title"] == "The Commissioning Show 2012"
    assert entry["urls"] == [f"http://testserver{quote.get_absolute_url()}"]
    assert entry["keywords"] == ["Accountability"]


def test_a_letters_ris_is_a_personal_communication_dated_to_the_day(client):
    letter = make_speech(
        "Letter to CCG leaders", kind=SpeechKind.LETTER, date=dt.date(2012, 2, 16), summary="x\ny"
    )
    [entry] = rispy.loads(client.get(f"{letter.get_absolute_url()}cite.ris").content.decode())
    assert entry["type_of_reference"] == "PCOMM"
    assert entry["date"] == "2012/02/16/"


def test_quote_and_speech_pages_show_a_harvard_reference_and_the_downloads(client, quote):
    html = client.get(quote.get_absolute_url()).content.decode()
    assert "Cite this quotation" in html
    assert (
        "Lansley, A. (2012) ‘I will back you.’, in Speech to the Commissioning Show [Speech]. "
        "The Commissioning Show 2012, London, June 2012. Reported in: HSJ, "
        "‘Lansley backs commissioners’. Health Policy Archive. Available at: "
        f"http://testserver{quote.get_absolute_url()} (Accessed: "
    ) in html
    assert f'href="{quote.get_absolute_url()}cite.bib" download' in html
    assert f'href="{quote.get_absolute_url()}cite.ris" download' in html

    speech = quote.speech
    html = client.get(speech.get_absolute_url()).content.decode()
    assert "Cite this speech" in html
    assert "Lansley, A. (2012) Speech to the Commissioning Show [Speech]." in html
    # The copy-permalink control is a plain link first; JavaScript only adds a button.
    permalink = f"http://testserver{speech.get_absolute_url()}"
    assert f'<a href="{permalink}" rel="bookmark" data-copy-link>{permalink}</a>' in html
    assert f'href="{speech.get_absolute_url()}cite.ris" download' in html


def test_an_undated_statement_is_cited_with_no_date(client):
    speech = make_speech("Undated remarks", speaker=make_speaker("Charles Alessi"), date=None)
    html = client.get(speech.get_absolute_url()).content.decode()
    assert "Alessi, C. (no date) Undated remarks [Speech]." in html


def test_drafts_and_unknown_records_have_no_citation(client):
    draft = make_speech("Unpublished", status=Status.DRAFT)
    quote = make_quote("Hidden words.", speech=draft)
    for url in (
        f"{draft.get_absolute_url()}cite.bib",
        f"{quote.get_absolute_url()}cite.ris",
        "/quotes/nothing-here/cite.bib",
    ):
        assert client.get(url).status_code == 404
