"""What each record's page tells a reader."""

import datetime as dt
import re

import pytest
from django.test import override_settings

from archive.models import Speech, Status
from archive.views import server_error
from tests.factories import make_quote, make_speech
from tests.pages.helpers import XHTML, facts, links, parse, section_links

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join("".join(parse(response).itertext()).split())


def test_speech_page_shows_office_held_on_that_date_and_date_precision(client, archive):
    response = client.get(archive.speech_2012.get_absolute_url())
    shown = facts(response)
    assert shown["Office at the time"] == "Secretary of State for Health, Department of Health"
    assert shown["Date"] == "July 2012"
    html = response.content.decode()
    assert '<time datetime="2012-07">July 2012</time>' in html  # no invented day
    assert shown["Event"] == "The Commissioning Show, London"
    assert shown["Source"] == "Lansley backs reconfiguration, Health Service Journal"
    assert shown["Themes"] == "Provider failureService reconfiguration"
    assert shown["Speaker"] == "Rt Hon Andrew Lansley"


def test_speech_page_says_since_when_it_is_in_the_archive(client, archive):
    speech = archive.speech_2012
    published = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC)
    Speech.objects.filter(pk=speech.pk).update(published_at=published)
    response = client.get(speech.get_absolute_url())
    assert facts(response)["In the archive since"] == "3 March 2025"
    assert '<time datetime="2025-03-03">3 March 2025</time>' in response.content.decode()


def test_speech_page_before_taking_office_shows_the_office_then_held(client, archive):
    shown = facts(client.get(archive.speech_2009.get_absolute_url()))
    assert shown["Office at the time"].startswith("Shadow Secretary of State for Health")
    assert shown["Date"] == "2 March 2009"


def test_speech_text_marks_and_links_each_quotation(client, archive):
    a = archive
    response = client.get(a.speech_2012.get_absolute_url())
    marks = [m for m in parse(response).iter(f"{{{XHTML}}}mark") if m.get("id")]
    marked = {m.get("id"): "".join(m.itertext()) for m in marks}
    # Curly apostrophe in the text, straight one in the quote: still found.
    assert marked[f"quote-{a.can.slug}"].startswith("We can’t just keep kicking")
    assert marked[f"quote-{a.bullets.slug}"] == "Bullets will have to be bitten."
    assert a.can.get_absolute_url() in links(response)
    assert a.bullets.get_absolute_url() in links(response)


def test_quote_page_has_blockquote_with_cite_who_capacity_context_and_permalink(client, archive):
    a = archive
    response = client.get(a.back.get_absolute_url())
    tree = parse(response)
    figure = next(tree.iter(f"{{{XHTML}}}figure"))
    assert "".join(next(figure.iter(f"{{{XHTML}}}blockquote")).itertext()).strip() == (
        "I will back you."
    )
    assert "".join(next(figure.iter(f"{{{XHTML}}}cite")).itertext()) == (
        "Lansley at the Commissioning Show"
    )
    assert facts(response)["In what capacity"].startswith("Secretary of State for Health")
    text = text_of(response)
    assert "He added: “I will back you.”" in text  # the surrounding context
    assert "Dr Alessi said" in text  # the paragraph after it
    assert "http://testserver" + a.back.get_absolute_url() in links(response)
    assert a.speech_2012.get_absolute_url() + f"#quote-{a.back.slug}" in links(response)


def test_quote_by_a_respondent_names_them_and_the_speech_speaker(client, archive):
    a = archive
    shown = facts(client.get(a.bullets.get_absolute_url()))
    assert shown["Said by"] == "Charles Alessi"
    assert shown["In what capacity"].startswith("Chairman elect, National Association")
    # Said beside the speech, not in it.
    assert "In" not in shown
    assert shown["Reported alongside"] == (
        "Speech: Lansley at the Commissioning Show by Andrew Lansley"
    )


def test_quote_page_lists_ten_more_from_its_speech_in_the_speechs_order(client, db):
    from tests.factories import make_quote, make_speech, make_theme

    speech = make_speech("Long speech")
    quotes = [make_quote(f"Point {n}.", speech=speech, position=n) for n in range(13)]
    make_quote("Elsewhere.")  # another speech's
    third = client.get(quotes[2].get_absolute_url())
    expected = [q.get_absolute_url() for q in quotes[:11] if q != quotes[2]]
    assert section_links(third, "more-heading") == expected
    last = client.get(quotes[12].get_absolute_url())
    assert section_links(last, "more-heading") == [q.get_absolute_url() for q in quotes[:10]]
    # Its themes by name, as given.
    quotes[0].themes.set([make_theme("Workforce"), make_theme("Access")])
    assert facts(client.get(quotes[0].get_absolute_url()))["Themes"] == "AccessWorkforce"


@pytest.mark.parametrize("walk_from", [1, 5_000])  # walking the date index, or not
def test_speaker_page_lists_their_ten_latest_published_statements(client, db, walk_from):
    from archive.models import Status
    from tests.factories import make_quote, make_speaker, make_speech

    speaker = make_speaker("Ann Minister")
    speeches = [make_speech(speaker=speaker, date=dt.date(2000 + n, 1, 1)) for n in range(12)]
    quotes = [make_quote(f"Point {n}.", speech=s, speaker=speaker) for n, s in enumerate(speeches)]
    draft = make_speech(speaker=speaker, date=dt.date(2030, 1, 1), status=Status.DRAFT)
    make_quote("Not yet public.", speech=draft, speaker=speaker)
    make_quote("Someone else's.", speech=make_speech(date=dt.date(2031, 1, 1)))
    with override_settings(ARCHIVE_WALK_FROM_ROWS=walk_from):
        response = client.get(speaker.get_absolute_url())

    def records(heading: str, prefix: str) -> list[str]:
        hrefs = section_links(response, heading)
        return [h for h in dict.fromkeys(hrefs) if h.startswith(prefix) and "?" not in h]

    newest = [q.get_absolute_url() for q in reversed(quotes)][:10]
    assert records("quotes-heading", "/quotes/") == newest
    assert (
        records("speeches-heading", "/speeches/")
        == [s.get_absolute_url() for s in reversed(speeches)][:10]
    )


def test_quote_text_is_escaped(client, archive):
    from tests.factories import make_quote

    quote = make_quote("<script>alert('x')</script> & more")
    html = client.get(quote.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_speaker_page_lists_offices_with_dates_speeches_and_quotes(client, archive):
    a = archive
    response = client.get(a.lansley.get_absolute_url())
    text = text_of(response)
    assert "Shadow Secretary of State for Health" in text
    assert "12 May 2010 – 4 September 2012" in text
    hrefs = links(response)
    for record in (a.speech_2012, a.speech_2009, a.letter, a.can, a.back, a.freedom):
        assert record.get_absolute_url() in hrefs
    assert a.draft.get_absolute_url() not in hrefs


def test_event_page_shows_who_spoke_and_what_they_said(client, archive):
    a = archive
    response = client.get(a.show.get_absolute_url())
    assert facts(response)["Who spoke"] == "Andrew Lansley, Charles Alessi"
    hrefs = links(response)
    for quote in (a.can, a.back, a.bullets):
        assert quote.get_absolute_url() in hrefs
    # Each speaker's words under their own heading, in order of name, anchored by slug.
    page = response.content.decode()
    headings = re.findall(r'<h3 id="said-([^"]+)"><a href="([^"]+)">([^<]+)</a></h3>', page)
    assert [name for _, _, name in headings] == ["Andrew Lansley", "Charles Alessi"]
    assert all(url == f"/speakers/{slug}/" for slug, url, _ in headings)
    lansley, alessi = page.split('<h3 id="said-')[1:3]
    assert a.can.get_absolute_url() in lansley and a.can.get_absolute_url() not in alessi
    assert "All quotations from this event" not in page


def test_an_event_with_more_quotations_than_shown_links_to_them_all(client, archive, monkeypatch):
    monkeypatch.setattr("archive.views.events.EVENT_QUOTES", 1)
    page = client.get(archive.show.get_absolute_url()).content.decode()
    assert page.count('class="said-by"') == 1
    assert f"/quotes/?event={archive.show.slug}" in page


def test_source_page_links_to_the_original_and_its_speeches(client, archive):
    a = archive
    response = client.get(a.source.get_absolute_url())
    hrefs = links(response)
    assert "https://example.org/article" in hrefs
    assert a.speech_2012.get_absolute_url() in hrefs
    assert "Original article text." in text_of(response)


def test_source_url_that_is_not_a_web_address_is_not_linked(client, archive):
    from tests.factories import make_source

    source = make_source(url="javascript:alert(1)")
    make_speech("Reported there", source=source)
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    assert not any(h.startswith("javascript:") for h in links(response))


def test_a_source_no_published_statement_cites_has_no_page(client, archive):
    # Its page shows the document as received: a draft's words, or those of a statement
    # unpublished or deleted since, were public there.
    from archive.models import Speech, Status
    from tests.factories import make_source

    source = make_source("Not yet reported", original_text="Words of a draft.")
    speech = make_speech("Draft", source=source, status=Status.DRAFT)
    assert client.get(source.get_absolute_url()).status_code == 404
    Speech.objects.filter(pk=speech.pk).update(status=Status.PUBLISHED)
    assert "Words of a draft." in client.get(source.get_absolute_url()).content.decode()
    speech.delete()
    assert client.get(source.get_absolute_url()).status_code == 404


def test_theme_list_shows_descriptions_and_counts(client, archive):
    text = text_of(client.get("/themes/"))
    assert "Service reconfiguration Changing where care is given. 3 quotations" in text


def test_home_shows_counts_latest_themes_ministers_and_events(client, archive):
    a = archive
    response = client.get("/")
    text = text_of(response)
    assert "4 statements" in text and "6 quotations" in text and "3 speakers" in text
    hrefs = links(response)
    for record in (a.speech_2012, a.reconfig, a.lansley, a.hewitt, a.show):
        assert record.get_absolute_url() in hrefs
    ministers = section_links(response, "ministers-heading")
    assert a.lansley.get_absolute_url() in ministers
    assert a.alessi.get_absolute_url() not in ministers  # not a minister


def test_home_lists_the_latest_published_statements_newest_first(client, archive):
    a = archive
    draft = make_speech("Tomorrow's draft", date=dt.date(2030, 1, 1), status=Status.DRAFT)
    make_quote("Not yet said.", speech=draft)
    response = client.get("/")

    def records(heading, prefix):  # the section's links to records (not to the whole list)
        return [h for h in section_links(response, heading) if h.startswith(prefix) and h != prefix]

    speeches = records("latest-heading", "/speeches/")
    quotes = records("latest-quotes-heading", "/quotes/")
    assert draft.get_absolute_url() not in speeches
    assert speeches[0] == a.speech_2012.get_absolute_url()  # the newest published statement
    assert speeches.index(a.letter.get_absolute_url()) < speeches.index(
        a.speech_2006.get_absolute_url()
    )
    assert len(quotes) == 3 and "/quotes/not-yet-said/" not in quotes


def test_every_page_has_one_h1_a_skip_link_landmarks_and_the_search_form(client, archive):
    a = archive
    for url in (
        "/",
        "/quotes/",
        a.can.get_absolute_url(),
        a.speech_2012.get_absolute_url(),
        a.lansley_sos.get_absolute_url(),
    ):
        tree = parse(client.get(url))
        assert len(list(tree.iter(f"{{{XHTML}}}h1"))) == 1, url
        assert len(list(tree.iter(f"{{{XHTML}}}main"))) == 1
        skip = next(tree.iter(f"{{{XHTML}}}a"))
        assert skip.get("href") == "#main"
        form = next(f for f in tree.iter(f"{{{XHTML}}}form") if f.get("role") == "search")
        assert form.get("action") == "/search/" and form.get("method") == "get"
        assert any(i.get("name") == "q" for i in form.iter(f"{{{XHTML}}}input"))
        assert any(lab.get("for") == "site-search-q" for lab in form.iter(f"{{{XHTML}}}label"))


def test_detail_pages_have_breadcrumbs(client, archive):
    a = archive
    for record in (a.can, a.speech_2012, a.lansley, a.lansley_sos, a.show, a.reconfig, a.source):
        tree = parse(client.get(record.get_absolute_url()))
        assert any(n.get("aria-label") == "Breadcrumb" for n in tree.iter(f"{{{XHTML}}}nav"))


def test_theme_pages_link_broader_and_narrower_themes(client, archive):
    a = archive  # "Commissioning autonomy" is narrower than "Service reconfiguration"
    narrower = parse(client.get(a.autonomy.get_absolute_url()))
    crumbs = next(
        n for n in narrower.iter(f"{{{XHTML}}}nav") if n.get("aria-label") == "Breadcrumb"
    )
    assert a.reconfig.get_absolute_url() in [x.get("href") for x in crumbs.iter(f"{{{XHTML}}}a")]
    broader = client.get(a.reconfig.get_absolute_url())
    assert "Narrower themes: Commissioning autonomy" in text_of(broader)
    assert a.autonomy.get_absolute_url() in links(broader)
    assert "Narrower themes" not in text_of(client.get(a.failure.get_absolute_url()))


def test_every_get_absolute_url_answers_200(client, archive):
    a = archive
    records = [
        a.reconfig,
        a.failure,
        a.autonomy,
        a.lansley,
        a.hewitt,
        a.alessi,
        a.lansley_sos,
        a.hewitt_sos,
        a.show,
        a.alliance,
        a.source,
        a.speech_2012,
        a.speech_2006,
        a.speech_2009,
        a.letter,
        a.can,
        a.back,
        a.bullets,
        a.hewitt_back,
        a.opposition,
        a.freedom,
    ]
    for record in records:
        assert client.get(record.get_absolute_url()).status_code == 200, record


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "url",
    [
        "/speakers/nobody/",
        "/quotes/no-such-quote/",
        "/offices/nowhere/",
        "/themes/x/",
        "/events/none/",
        "/sources/none/",
        "/speeches/none/",
        "/no/such/page/",
    ],
)
def test_unknown_addresses_get_the_sites_404_page(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'role="search"' in html and "archive.css" in html


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("url", "search"),
    [
        ("/quotes/andrew-lansley-i-will-bak/", "/search/?q=andrew%20lansley%20i%20will%20bak"),
        ("/speakers/andrew-lansley-2/", "/search/?q=andrew%20lansley"),
        ("/speeches/%3Cscript%3E/", None),  # not a slug: no search offered
        ("/quotes/123/", None),
    ],
)
def test_a_404_offers_a_search_for_the_words_of_a_slug_and_never_says_renamed(
    client, archive, url, search
):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "renamed" not in html
    if search:
        assert f'href="{search}"' in html
    else:
        assert "Search the archive for" not in html


@override_settings(DEBUG=False)
def test_drafts_are_not_public(client, archive):
    a = archive
    assert client.get(a.draft.get_absolute_url()).status_code == 404
    assert client.get(a.secret.get_absolute_url()).status_code == 404


def test_server_error_page_is_in_the_sites_design(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "archive.css" in html


def test_the_events_list_offers_only_kinds_some_event_is_of_with_their_counts(client, db):
    from archive.models import EventKind
    from tests.factories import make_event, make_speech
    from tests.pages.helpers import select_options

    for name, kind in (
        ("Conference one", EventKind.CONFERENCE),
        ("Conference two", EventKind.CONFERENCE),
        ("A meeting", EventKind.MEETING),
    ):
        make_speech(event=make_event(name, kind=kind))  # listed: a speech was given there
    kinds = select_options(client.get("/events/"), "kind")
    assert kinds[EventKind.CONFERENCE] == "Conference (2)"
    assert kinds[EventKind.MEETING] == "Meeting (1)"
    assert EventKind.PARLIAMENT not in kinds
    # A kind chosen in the URL stays chosen, even with no event of it.
    chosen = select_options(client.get("/events/", {"kind": EventKind.PARLIAMENT}), "kind")
    assert EventKind.PARLIAMENT in chosen


def test_event_office_and_source_pages_describe_themselves_to_search_engines(client, seed):
    """Their meta description was the site's generic one."""
    import re

    from archive.models import Event, Office, Source

    generic = "What UK health ministers and health leaders said in public"
    for record, words in (
        (Event.objects.get(slug="commissioning-show-2012"), "Commissioning Show"),
        (Office.objects.filter(slug="secretary-of-state-for-health").first(), "Secretary of"),
        (Source.objects.first(), None),
    ):
        html = client.get(record.get_absolute_url()).content.decode()
        (description,) = re.findall(r'<meta name="description" content="([^"]*)"', html)
        assert generic not in description
        assert (words or "statements in the archive from") in description


def test_an_unknown_date_reads_as_part_of_the_sentence_it_is_in(client):
    speech = make_speech(title="Undated remarks", text="He said: ‘Some time.’", date=None)
    quote = make_quote("Some time.", speech=speech)
    text = text_of(client.get(quote.get_absolute_url()))
    assert f"Quotation from {quote.speaker.name}, date unknown" in text
    assert "in Undated remarks, date unknown" in text
    assert "Date unknown" not in text  # capitalised, where it stands alone, by the stylesheet
    listed = text_of(client.get("/quotes/"))
    assert "Undated remarks, date unknown" in listed


def test_a_speaker_only_quoted_in_others_statements_is_told_so(client):
    from tests.factories import make_speaker

    guest = make_speaker("Charles Alessi")
    speech = make_speech(title="Reform event", text="He said: ‘So for integrated care.’")
    make_quote("So for integrated care.", speech=speech, speaker=guest)
    text = text_of(client.get(guest.get_absolute_url()))
    assert "Statements (0) No statement of their own is in the archive yet" in text
    assert "No published statements" not in text
    assert "Quotations (1)" in text
