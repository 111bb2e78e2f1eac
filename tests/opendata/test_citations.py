"""Citations: a Harvard reference on quote and speech pages, BibTeX and RIS downloads."""

import datetime as dt
import re

import bibtexparser
import pytest
import rispy

from archive.models import DatePrecision, Quote, Speech, SpeechKind, Status
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


def _cited(client, record) -> tuple[str, dict, dict]:
    """The Harvard text on the record's page, and its BibTeX and RIS entries, parsed."""
    html = client.get(record.get_absolute_url()).content.decode()
    harvard = html.split('id="citation-text" data-copy-text>', 1)[1].split("</p>", 1)[0]
    bib = download(
        client, f"{record.get_absolute_url()}cite.bib", "application/x-bibtex; charset=utf-8"
    )
    ris = download(
        client,
        f"{record.get_absolute_url()}cite.ris",
        "application/x-research-info-systems; charset=utf-8",
    )
    [bib_entry] = bibtexparser.loads(bib).entries
    [ris_entry] = rispy.loads(ris)
    return harvard, bib_entry, ris_entry


def _quote_reported_in(source):
    speech = make_speech(
        "Speech to the NHS Alliance",
        speaker=make_speaker("Andrew Lansley"),
        source=source,
        date=dt.date(2011, 5, 1),
        date_precision=DatePrecision.MONTH,
    )
    return make_quote("We will not turn back.", speech=speech)


@pytest.mark.parametrize(
    ("date", "precision", "written"),
    [
        (dt.date(2011, 5, 17), DatePrecision.DAY, "17 May 2011"),
        (dt.date(2011, 5, 1), DatePrecision.MONTH, "May 2011"),
        (dt.date(2011, 1, 1), DatePrecision.YEAR, "2011"),
    ],
)
def test_a_statement_known_through_a_report_is_cited_with_its_date_and_address(
    client, date, precision, written
):
    source = make_source(
        "Lansley: no turning back on reforms",
        publisher="GP (gponline.com)",
        date=date,
        date_precision=precision,
        url="https://www.gponline.com/lansley-no-turning-back/article/1070000",
    )
    reported = (
        f"Reported in: GP (gponline.com), ‘Lansley: no turning back on reforms’, {written}. "
        "Available at: https://www.gponline.com/lansley-no-turning-back/article/1070000"
    )
    for record in (_quote_reported_in(source), source.speeches.get()):
        harvard, bib, ris = _cited(client, record)
        # The page escapes the text for HTML; the reference is otherwise as written.
        assert f"{reported}. Health Policy Archive. Available at: http://testserver" in harvard
        told = "Quoted" if isinstance(record, Quote) else "Archived"
        assert f"{reported}. {told} in the Health Policy Archive" in bib["note"]
        assert reported in ris["notes"]
        # The statement's own date and address are still the record's.
        assert bib["url"] == ris["urls"][0] == f"http://testserver{record.get_absolute_url()}"
        assert ris["urls"] == [bib["url"]]
        assert bib["date"] == "2011-05"
        assert ris["date"] == "2011/05//"


def test_a_report_with_no_date_or_address_is_cited_without_empty_parts(client):
    source = make_source("Lansley: no turning back", publisher="GP (gponline.com)")
    quote = _quote_reported_in(source)
    harvard, bib, ris = _cited(client, quote)
    reported = "Reported in: GP (gponline.com), ‘Lansley: no turning back’."
    assert f"{reported} Health Policy Archive. Available at:" in harvard
    assert "Reported in: GP (gponline.com), ‘Lansley: no turning back’. Quoted in" in bib["note"]
    assert "Reported in: GP (gponline.com), ‘Lansley: no turning back’" in ris["notes"]
    for text in (harvard, bib["note"], *ris["notes"]):
        assert "Available at: ." not in text
        assert ", ." not in text
        assert ",," not in text
        assert "‘’" not in text

    # Without a publisher either, the title alone names the report.
    bare = make_source("Lansley: no turning back again", publisher="", date=dt.date(2011, 5, 17))
    harvard, bib, ris = _cited(client, _quote_reported_in(bare))
    assert "Reported in: Lansley: no turning back again, 17 May 2011. Health" in harvard


def test_a_hostile_report_cannot_add_a_bibtex_field_or_an_ris_line(client):
    source = make_source(
        "Cuts} , note = {Injected\n@misc{evil, title = {x}}\r\nER  - \nTI  - Injected",
        publisher="{HSJ",
        date=dt.date(2011, 5, 17),
        url="https://example.org/a_b%20c?d=1&e=2#f}\nUR  - https://evil.example/\n},x={",
    )
    quote = _quote_reported_in(source)
    bib_text = client.get(f"{quote.get_absolute_url()}cite.bib").content.decode()
    ris_text = client.get(f"{quote.get_absolute_url()}cite.ris").content.decode()

    # BibTeX: one entry, the same fields as any reference, every brace of a value balanced.
    entries = bibtexparser.loads(bib_text).entries
    assert len(entries) == 1
    [entry] = entries
    assert set(entry) == {
        "ENTRYTYPE", "ID", "author", "title", "year", "month", "date",
        "howpublished", "note", "url", "urldate",
    }  # fmt: skip
    assert entry["url"] == f"http://testserver{quote.get_absolute_url()}"
    assert "Injected" in entry["note"] and "evil.example" in entry["note"]
    assert r"\textbraceright{}" in entry["note"] and r"\_b\%20c" in entry["note"]
    assert bib_text.count("\n") == len(entry) - 2 + 2  # a line per field, the head and the end
    for line in bib_text.splitlines()[1:-1]:
        depth = 0
        for char in line.split(" = ", 1)[1]:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0
        assert depth == 0

    # RIS: one record, each tag once as any reference has it, the hostile text in one note.
    lines = ris_text.split("\r\n")
    assert lines[-2:] == ["ER  - ", ""]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert "\n" not in ris_text.replace("\r\n", "")
    assert [line[:2] for line in lines[:-1]].count("ER") == 1
    assert [line[:2] for line in lines[:-1]].count("TI") == 1
    assert [line[:2] for line in lines[:-1]].count("UR") == 1
    [record] = rispy.loads(ris_text)
    assert record["title"] == "Speech to the NHS Alliance"
    assert record["urls"] == [f"http://testserver{quote.get_absolute_url()}"]
    [reported] = [note for note in record["notes"] if note.startswith("Reported in:")]
    assert "Injected @misc{evil" in reported and "https://evil.example/" in reported
    assert "17 May 2011" in reported


def test_a_long_quotation_is_cut_with_a_bracketed_ellipsis_not_one_like_the_speakers(client):
    # The speaker's own "…" stays as said; where the citation leaves words out, it says so
    # as an omission by the one quoting does: "[…]". The "…" is not one of the 25 words.
    words = " ".join(f"word{n}" for n in range(40))
    text = f"We must … decide. {words}"
    speech = make_speech(text=f"He said: ‘{text}’", source=make_source("A report"))
    quote = make_quote(text, speech=speech)
    html = client.get(f"/quotes/{quote.slug}/").content.decode()
    page = re.search(r'id="citation-text"[^>]*>(.*?)</p>', html, re.S).group(1)
    bib = client.get(f"/quotes/{quote.slug}/cite.bib").content.decode()
    ris = client.get(f"/quotes/{quote.slug}/cite.ris").content.decode()
    for citation in (page, bib, ris):
        assert "‘We must … decide. word0" in citation
        assert "word21 […]’" in citation
        assert "word22" not in citation


def test_a_citations_25_words_are_words_not_the_dashes_between_them(client):
    # "services – and" is two words; a cut falling after a dash leaves the dash out too.
    text = " ".join(f"word{n} –" for n in range(40))
    quote = make_quote(text, speech=make_speech(text=text))
    html = client.get(f"/quotes/{quote.slug}/").content.decode()
    page = re.search(r'id="citation-text"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "word24 […]’" in page
    assert "word25" not in page
    assert "– […]" not in page


def test_a_quotation_ending_with_a_full_stop_takes_no_second_in_the_bibtex_note(client, quote):
    bib = client.get(f"/quotes/{quote.slug}/cite.bib").content.decode()
    note = re.search(r"note = \{(.*)\},", bib).group(1)
    assert "Quotation: ‘I will back you.’ Reported in:" in note
    assert ".’." not in note


def test_the_statement_itself_as_published_is_cited_as_published_not_as_reported(client):
    letter = make_source(
        "Letter from Andrew Lansley to CCG leaders", publisher="Department of Health"
    )
    letter.is_original = True
    letter.save()
    speech = make_speech(
        "Letter to CCG leaders",
        kind=SpeechKind.LETTER,
        source=letter,
        text="‘You will have freedom.’",
    )
    quote = make_quote("You will have freedom.", speech=speech)
    html = client.get(f"/quotes/{quote.slug}/").content.decode()
    bib = client.get(f"/quotes/{quote.slug}/cite.bib").content.decode()
    ris = client.get(f"/quotes/{quote.slug}/cite.ris").content.decode()
    for citation in (html, bib, ris):
        assert "Published as: Department of Health, ‘Letter from Andrew Lansley" in citation
        assert "Reported in" not in citation
    page = client.get(speech.get_absolute_url()).content.decode()
    assert '<h2 id="text-heading">Text</h2>' in page
    body = client.get(f"/api/quotes/{quote.slug}/").json()
    assert body["source"]["is_original"] is True


def test_the_seed_letter_is_its_own_source(client, seed):
    from archive.models import Speech

    letter = Speech.objects.get(kind=SpeechKind.LETTER)
    assert letter.source.is_original
    reports = Speech.objects.exclude(kind=SpeechKind.LETTER)
    assert not any(speech.source.is_original for speech in reports)


def test_a_shortened_quotation_ends_its_sentence_in_the_bibtex_note(client, quote):
    quote.text = " ".join(["Sometimes improving outcomes means reorganising services"] * 6)
    quote.save()
    note = re.search(
        r"note = \{(.*)\}", client.get(f"{quote.get_absolute_url()}cite.bib").content.decode()
    ).group(1)
    assert "[…]’. Reported in: " in note


def test_the_speechs_editorial_note_is_in_both_downloads(client, quote):
    note = "The source prints a dash as “?” (“unit?it”); the archive shows it as a dash."
    Speech.objects.filter(pk=quote.speech_id).update(editorial_note=note)
    bib = client.get(f"{quote.speech.get_absolute_url()}cite.bib").content.decode()
    assert f"Editorial note: {note}" in bib
    ris = client.get(f"{quote.speech.get_absolute_url()}cite.ris").content.decode()
    assert f"N1  - Editorial note: {note}\r\n" in ris
    # A quotation's say the note is about its speech's text, as its page does: the note
    # may concern another passage of the speech.
    bib = client.get(f"{quote.get_absolute_url()}cite.bib").content.decode()
    assert f"Note on the speech's text: {note}" in bib and "Editorial note" not in bib
    ris = client.get(f"{quote.get_absolute_url()}cite.ris").content.decode()
    assert f"N1  - Note on the speech's text: {note}\r\n" in ris


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Andrew Lansley", "Lansley", "Andrew"),
        ("Seán Ó Dálaigh", "Ó Dálaigh", "Seán"),
        ("Zoë Brontë-Ó Dálaigh", "Brontë-Ó Dálaigh", "Zoë"),
        ("Ursula von der Leyen", "von der Leyen", "Ursula"),
        ("Jean-Luc Picard", "Picard", "Jean-Luc"),
        ("De Gaulle", "Gaulle", "De"),  # a particle is never the whole of the given names
    ],
)
def test_a_family_name_keeps_the_particles_before_it(name, family, given):
    from archive.citations import split_name

    assert split_name(name) == (family, given)


def test_a_speakers_family_name_with_a_particle_is_cited_whole(client):
    speech = make_speech("Speech to the summit", speaker=make_speaker("Seán Ó Dálaigh"))
    html = client.get(speech.get_absolute_url()).content.decode()
    assert "Ó Dálaigh, S." in html
    text = download(
        client, f"{speech.get_absolute_url()}cite.bib", "application/x-bibtex; charset=utf-8"
    )
    [entry] = bibtexparser.loads(text).entries
    assert entry["author"] == "Ó Dálaigh, Seán"


def test_a_quotations_words_are_given_whole_with_who_said_them(client):
    long_words = " ".join(["Services"] + ["must change"] * 20) + "."
    speech = make_speech(
        "Speech to the Commissioning Show",
        speaker=make_speaker("Andrew Lansley"),
        date=dt.date(2012, 6, 1),
        date_precision=DatePrecision.MONTH,
        text=f"He said: ‘{long_words}’",
    )
    quote = make_quote(long_words, speech=speech)
    html = client.get(quote.get_absolute_url()).content.decode()
    expected = (
        f"“{long_words}” — Andrew Lansley, Speech to the Commissioning Show, June 2012. "
        f"http://testserver{quote.get_absolute_url()}"
    )
    assert f'data-copy-label="Copy the words">{expected}</p>' in html
    # Reported speech is never put in quotation marks as the speaker's words.
    from archive.models import QuoteKind

    quote.kind = QuoteKind.REPORTED
    quote.save()
    html = client.get(quote.get_absolute_url()).content.decode()
    # Its own full stop goes: the words run on into where and when they were said.
    assert f"Andrew Lansley (reported speech, not verbatim): {long_words[:-1]}, Speech" in html
    # A speech has its reference only.
    assert "Copy the words" not in client.get(speech.get_absolute_url()).content.decode()
    # A statement known only to its year is of that year (it was "date unknown").
    speech.date, speech.date_precision = dt.date(2006, 1, 1), DatePrecision.YEAR
    speech.save()
    html = client.get(quote.get_absolute_url()).content.decode()
    assert (
        f", Speech to the Commissioning Show, 2006. http://testserver{quote.get_absolute_url()}"
        in html
    )
    assert "date unknown" not in html.split('data-copy-label="Copy the words">', 1)[1][:400]
