"""The search page as a reader meets it: /search/?q=…"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_office, make_quote, make_speaker, make_speech

URL = reverse("archive:search")


def results_html(response) -> str:
    html = response.content.decode()
    start = html.find('<ol class="results')
    return html[start : html.find("</ol>", start)] if start >= 0 else ""


def test_results_are_listed_with_highlights_and_the_query_kept(client, corpus):
    response = client.get(URL, {"q": "reconfigure"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<input type="search" id="search-q" name="q" value="reconfigure"' in html
    assert "<mark>reconfigure</mark>" in results_html(response)
    assert corpus.reconfigure.get_absolute_url() in results_html(response)


def test_the_form_works_without_javascript(client, corpus):
    html = client.get(URL, {"q": "closures"}).content.decode()
    forms = re.findall(
        r'<form class="(search-form|filter-form)" [^>]*method="get" action="/search/"', html
    )
    assert forms == ["search-form", "filter-form"]
    # Filters, order and view are links or GET fields: all state is in the URL.
    assert 'href="?q=closures&amp;sort=newest"' in html


def test_a_theme_filter_on_the_page_lists_only_that_themes_quotes(client, corpus):
    response = client.get(URL, {"q": "reconfiguration OR failure", "theme": "provider-failure"})
    listed = results_html(response)
    assert corpus.provider.get_absolute_url() in listed
    assert corpus.bitten.get_absolute_url() not in listed
    assert "speech-item" not in listed
    assert "Theme:</span> Provider failure" in response.content.decode()


def test_drafts_never_appear_on_the_page(client, corpus):
    html = client.get(URL, {"q": "secret OR reconfiguration"}).content.decode()
    assert corpus.draft.get_absolute_url() not in html
    assert corpus.secret.get_absolute_url() not in html


def test_nothing_found_suggests_looser_searches_and_browsing(client, corpus):
    html = client.get(URL, {"q": "closures unicorns"}).content.decode()
    assert "Nothing in the archive matches “closures unicorns”" in html
    assert 'href="/search/?q=closures"' in html  # leave out "unicorns"
    assert 'href="/search/?q=closures+OR+unicorns"' in html
    assert 'href="/search/?q=unicorns"' not in html  # it would find nothing either
    assert 'href="/themes/"' in html
    assert "Or browse" in html  # after the suggestions


def test_a_misspelt_name_is_offered_as_the_archive_spells_it(client, corpus):
    # A journalist's likeliest slip: a speaker's or a theme's name typed nearly right.
    html = client.get(URL, {"q": "andrew lansly"}).content.decode()
    assert "Did you mean</a>: <kbd>andrew lansley</kbd>" in html
    assert 'href="/search/?q=andrew+lansley"' in html
    html = client.get(URL, {"q": "hewit"}).content.decode()
    assert 'href="/search/?q=hewitt"' in html
    # A word nearly nobody's name, offered nothing of the kind.
    assert "Did you mean" not in client.get(URL, {"q": "xyzzyfoo"}).content.decode()


def test_nothing_found_with_nothing_to_suggest_offers_browsing_alone(client, corpus):
    html = client.get(URL, {"q": "xyzzyfoo"}).content.decode()
    assert "You could try" not in html
    assert "<p>Browse <a" in html and "Or browse" not in html


HOSTILE = [
    '"unbalanced',
    "OR",
    "-",
    "a OR",
    "NEAR(",
    "NEAR(bullets bitten, 2)",
    "'; DROP TABLE archive_quote;--",
    "\x00",
    "closures\x00",
    "x" * 3000,
    "closures " * 400,
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "*",
    "bullets*",
    "^bullets",
    "text:bullets",
    "{text context}: bullets",
    "bullets AND NOT",
    "((((",
    "İ",  # lower-cased, a letter and a combining dot
    "İstanbul -İ",
]


@pytest.mark.parametrize(
    "url",
    ["/quotes/", "/speeches/", "/pledges/", "/feeds/quotes/", "/feeds/search/", "/api/quotes/"],
)
def test_every_words_box_takes_what_lower_cases_into_two_characters(client, corpus, url):
    # "İ" alone is the common word "i": the search feed says so (400), the rest list nothing.
    assert client.get(url, {"q": "İ"}).status_code in (200, 400)
    assert client.get(url, {"q": "İstanbul hospitals"}).status_code == 200


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_a_calm_answer(client, corpus, query):
    response = client.get(URL, {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\x00" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "closures", "speaker": "\x00"},
        {"q": "closures", "speaker": "'; DROP TABLE archive_speaker;--"},
        {"q": "closures", "date_after": "2012-13-45"},
        {"q": "closures", "date_after": "2001", "date_before": "2000"},
        {"q": "closures", "theme": "<script>alert(1)</script>"},
        {"q": "closures", "sort": "'; DROP"},
        {"q": "closures", "show": "<b>"},
        {"q": "closures", "page": "-1"},
        {"q": "closures", "page": "99999999999999999999"},
        {"q": "closures", "page": "\x00"},
    ],
)
def test_hostile_filters_are_left_out_with_a_message(client, corpus, params):
    response = client.get(URL, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "\x00" not in html
    assert corpus.closures.get_absolute_url() in results_html(response)


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"sort": "bogus"}, "That order was not understood, so the best matches come first."),
        ({"show": "bogus"}, "That choice of records was not understood, so quotations and"),
    ],
)
def test_an_order_or_choice_it_cannot_use_is_explained(client, corpus, params, said):
    response = client.get(URL, {"q": "closures", **params})
    assert response.status_code == 200
    assert said in response.content.decode()
    assert corpus.closures.get_absolute_url() in results_html(response)
    plain = client.get(URL, {"q": "closures"}).content.decode()
    assert "was not understood" not in plain


def test_an_unsearchable_query_explains_itself(client, corpus):
    html = client.get(URL, {"q": "OR"}).content.decode()
    assert "nothing in your search that we could look for" in html
    assert "OR needs a word or phrase on each side" in html
    assert "How to search" in html


def test_no_like_scan_anywhere_in_a_search(client, corpus):
    params = {
        "q": '"have to be bitten" OR reconfigure -maternity',
        "speaker": "andrew-lansley",
        "date_after": "2012",
        "kind": "speech",
    }
    for sort in ("relevance", "newest"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {**params, "sort": sort})
        assert corpus.bitten.get_absolute_url() in results_html(response)
        statements = [q["sql"] for q in captured.captured_queries]
        assert statements
        assert not [sql for sql in statements if re.search(r"\bLIKE\b", sql, re.IGNORECASE)]


@pytest.fixture
def many_matches(db, committed):
    """Sixty quotes that all match "integration", across a few speakers."""
    with committed():
        speakers = [make_speaker() for _ in range(3)]
        for n in range(20):
            speech = make_speech(speaker=speakers[n % 3], text="Integration of care.")
            for m in range(3):
                make_quote(f"Integration of care, point {n}-{m}", speech=speech)


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_query_count_does_not_grow_with_the_page(client, many_matches, settings, sort):
    counts = {}
    for size in (5, 50):
        settings.ARCHIVE_PAGE_SIZE = size
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"q": "integration", "sort": sort})
        assert results_html(response).count('class="quote-card search-hit') == size
        counts[size] = len(captured.captured_queries)
    assert counts[5] == counts[50]


@pytest.fixture
def rare_and_common(many_matches, committed):
    """Five quotes that say "telehealth", beside the sixty that say "point"."""
    with committed():
        for n in range(5):
            speech = make_speech(text="Care at home.")
            make_quote(f"Telehealth will reach every home, part {n}", speech=speech)


@pytest.mark.parametrize("q", ['"care point"', "point"])
def test_query_count_does_not_grow_with_the_matches(client, rare_and_common, q):
    # Five matches and a full page out of sixty cost the same number of statements:
    # facets, highlights and records are read once per record type, not once per hit.
    counts = {}
    for query, shown in (("telehealth", 5), (q, 20)):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"q": query})
        assert results_html(response).count('class="quote-card search-hit') == shown
        counts[query] = len(captured.captured_queries)
    assert counts["telehealth"] == counts[q]


def test_a_long_quotation_is_cut_after_ninety_words_with_its_marks_balanced(client, db, committed):
    words = " ".join(f"word{n}" for n in range(120))
    with committed():
        speech = make_speech(text="A speech about something else.")
        make_quote(f"Integration first. {words} integration last.", speech=speech)
        make_quote("Integration, briefly.", speech=speech)
    html = results_html(client.get(URL, {"q": "integration"}))
    assert "<mark>Integration</mark> first." in html
    assert "word87 …" in html and "word88" not in html  # "Integration first." are two words
    assert "last" not in html
    assert html.count("<mark>") == html.count("</mark>")
    assert "<mark>Integration</mark>, briefly." in html


def test_each_hit_links_its_speaker_office_speech_and_themes(client, corpus, committed):
    with committed():
        make_office(
            corpus.alliance.speaker,
            post="Secretary of State for Health",
            start_date=dt.date(2005, 5, 6),
            end_date=dt.date(2007, 6, 27),
        )
    html = results_html(client.get(URL, {"q": "maternity"}))
    quote_hit = html[html.index('class="quote-card search-hit') :]
    quote_hit = quote_hit[: quote_hit.index("</div>")]
    assert f'href="{corpus.maternity.get_absolute_url()}"' in quote_hit
    assert f'href="{corpus.alliance.speaker.get_absolute_url()}">Patricia Hewitt</a>' in quote_hit
    assert '<span class="quotation__office">Secretary of State for Health</span>' in quote_hit
    assert f'<a href="{corpus.alliance.get_absolute_url()}">Speech to the NHS Alliance</a>' in (
        quote_hit
    )
    assert '<time datetime="2006-01-19">19 January 2006</time>' in quote_hit
    assert "<mark>maternity</mark>" in quote_hit
    speech_hit = html[html.index('class="speech-item search-hit') :]
    speech_hit = speech_hit[: speech_hit.index("</article>")]
    assert f'href="{corpus.alliance.get_absolute_url()}">Speech to the NHS Alliance</a>' in (
        speech_hit
    )
    assert "Patricia Hewitt</a>, Secretary of State for Health" in speech_hit
    assert "<mark>maternity</mark>" in speech_hit


def test_a_year_narrows_the_search_and_keeps_its_words_and_filters(client, corpus):
    html = client.get(URL, {"q": "reconfiguration", "kind": "speech", "page": "1"}).content
    years = html.decode().split('id="years-heading"')[1].split("</ul>")[0]
    link = re.search(r'<a href="(\?[^"]+)">2006</a>', years).group(1).replace("&amp;", "&")
    params = dict(pair.split("=") for pair in link[1:].split("&"))
    assert params == {
        "q": "reconfiguration",
        "kind": "speech",
        "date_after": "2006",
        "date_before": "2006",
    }
    narrowed = client.get(URL + link)
    assert narrowed.status_code == 200
    assert 'aria-current="true">2006</span>' in narrowed.content.decode()


def test_the_menus_count_the_matches_and_keep_the_choice(client, corpus, committed):
    from tests.pages.helpers import select_options

    with committed():
        odd = make_speaker('Dr <b>"Odd"</b> & Co')
        make_quote("Reconfiguration, said the odd one", speech=make_speech(speaker=odd))
    response = client.get(URL, {"q": "reconfiguration OR failure"})
    speakers = select_options(response, "speaker")
    assert speakers[""] == "Any speaker"
    assert speakers["patricia-hewitt"] == "Patricia Hewitt (3)"
    assert speakers[odd.slug] == 'Dr <b>"Odd"</b> & Co (1)'  # text, never markup
    assert "<b>" not in response.content.decode().split('id="filter-speaker"')[1][:2000]
    themes = select_options(response, "theme")
    assert themes["provider-failure"].startswith("Provider failure (")
    assert set(select_options(response, "kind")) == {"", "speech", "letter"}
    chosen = client.get(URL, {"q": "reconfiguration OR failure", "speaker": "patricia-hewitt"})
    html = chosen.content.decode()
    assert '<option value="patricia-hewitt" selected>Patricia Hewitt (3)</option>' in html


@pytest.mark.parametrize(
    ("params", "select", "value"),
    [
        ({"q": "closures", "speaker": "andrew-lansley"}, "speaker", "andrew-lansley"),
        ({"q": "unicorns", "theme": "provider-failure"}, "theme", "provider-failure"),
        ({"q": "closures", "kind": "letter"}, "kind", "letter"),
    ],
)
def test_a_chosen_filter_that_matches_nothing_stays_chosen_in_the_form(
    client, corpus, params, select, value
):
    # "Apply filters" sends the form again: a filter left out of its menu would be dropped.
    html = client.get(URL, params).content.decode()
    menu = re.search(
        rf'<select id="filter-{select}" name="{select}"[^>]*>(.*?)</select>', html, re.S
    )
    assert menu, f"the {select} menu is on the page"
    assert re.search(rf'<option value="{value}" selected>[^<]*\(0\)</option>', menu.group(1))


def test_filter_chips_name_what_was_chosen_not_its_slug(client, corpus, committed):
    from tests.factories import make_event

    with committed():
        office = make_office(corpus.lansley, slug="sos-health", start_date=dt.date(2010, 5, 12))
        event = make_event("The Commissioning Show 2012", slug="show-2012")
        corpus.show.event = event
        corpus.show.save()
    params = {
        "q": "unicorns",
        "office": office.slug,
        "event": event.slug,
        "theme": "provider-failure",
    }
    html = client.get(URL, params).content.decode()
    chips = re.search(r'<div class="chips">(.*?)</div>', html, re.S).group(1)
    for shown in (
        "Secretary of State for Health",
        "The Commissioning Show 2012",
        "Provider failure",
    ):
        assert shown in chips
    for slug in ("sos-health", "show-2012"):
        assert f"</span> {slug}" not in chips and f">{slug}<" not in chips


def test_clearing_every_filter_keeps_the_search_itself(client, corpus):
    params = {"q": "services", "sort": "newest", "speaker": "andrew-lansley", "kind": "speech"}
    html = client.get(URL, params).content.decode()
    clear = re.search(r'<a class="chips__clear" href="([^"]*)"', html).group(1)
    assert clear == f"{URL}?q=services&amp;sort=newest"
    # On the lists, the words are a filter like any other: clearing them all clears them.
    html = client.get("/quotes/", {"q": "services", "speaker": "andrew-lansley"}).content
    assert b'<a class="chips__clear" href="/quotes/">' in html


def test_the_searchs_feed_leaves_out_the_filters_it_could_not_use(client, corpus):
    html = client.get(
        URL, {"q": "closures", "speaker": "nobody", "kind": "speech"}
    ).content.decode()
    feed = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
    url = feed.group(1).replace("&amp;", "&")
    assert "speaker=" not in url and "kind=speech" in url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/feeds/quotes/", "/feeds/speeches/", "/feeds/new/", "/feeds/search/"]
)
def test_a_feed_of_words_no_xml_may_hold_is_still_well_formed_xml(client, corpus, url):
    import xml.etree.ElementTree as ET

    response = client.get(url, {"q": "closures\ufffe\uffff"})
    assert response.status_code == 200
    ET.fromstring(response.content)  # noqa: S314 (our own feed) - raises on what XML forbids


def test_the_years_list_counts_the_undated_too(client, corpus, committed):
    with committed():
        make_quote("Reconfiguration, some time", speech=make_speech("Undated", date=None))
    html = client.get(URL, {"q": "reconfiguration"}).content.decode()
    years = re.search(
        r'<ul class="link-list" aria-labelledby="years-heading">(.*?)</ul>', html, re.S
    )
    assert '<li>Date unknown <span class="count">(1)</span></li>' in years.group(1)


def test_a_hit_found_by_its_theme_or_speaker_says_its_words_are_not_in_it(client, db, committed):
    from tests.factories import make_theme

    with committed():
        theme = make_theme("Service reconfiguration")
        speech = make_speech(text="‘We will help.’ ‘Reconfiguration is hard.’")
        by_theme = make_quote("We will help.", speech=speech, themes=[theme])
        in_words = make_quote("Reconfiguration is hard.", speech=speech, themes=[theme])
    html = results_html(client.get(URL, {"q": "reconfiguration"}))
    hits = [h for h in html.split("</li>") if "search-hit--quote" in h]
    (theme_hit,) = [h for h in hits if "We will help." in h]
    (word_hit,) = [h for h in hits if "is hard." in h]
    # Beside the quotation, not inside it: the note is not the speaker's words.
    assert "help.</p></blockquote>" in theme_hit
    assert "<mark>Reconfiguration</mark> is hard." in word_hit
    assert "Your words are not in the quotation itself" in theme_hit
    assert "Your words are not in the quotation itself" not in word_hit
    assert by_theme.get_absolute_url() in theme_hit
    assert in_words.get_absolute_url() in word_hit


def test_both_search_boxes_take_as_many_characters_as_the_search_reads(client, db):
    """The header's box took 500 where the search reads 200 (and says it shortened it)."""
    import re

    from archive.search.query import MAX_QUERY_CHARS

    html = client.get(URL, {"q": "nhs"}).content.decode()
    boxes = re.findall(r'<input type="search"[^>]*name="q"[^>]*>', html)
    assert len(boxes) == 2
    for box in boxes:
        assert f'maxlength="{MAX_QUERY_CHARS}"' in box


def test_a_filter_without_words_says_it_waits_for_words(client, corpus):
    # A shared link such as /search/?speaker=…: not an empty page with no reason.
    html = client.get(URL, {"speaker": corpus.closures.speech.speaker.slug}).content.decode()
    assert "Filters narrow a search: give words to search for" in html
    assert "Filters narrow a search" not in client.get(URL).content.decode()


@pytest.mark.parametrize("path", ["/quotes/", "/speeches/"])
def test_a_lists_words_box_takes_as_many_characters_as_the_list_reads(client, db, path):
    """It took 500 where the list refuses more than 200."""
    import re

    from archive.search.query import MAX_QUERY_CHARS

    # The header's search box and the list's own "Words".
    boxes = re.findall(r'<input [^>]*name="q"[^>]*>', client.get(path).content.decode())
    assert len(boxes) == 2
    for box in boxes:
        assert f'maxlength="{MAX_QUERY_CHARS}"' in box


def test_a_menu_count_is_what_choosing_it_gives(client, db, committed):
    # With a theme chosen the other themes were counted as quotations holding both, but
    # choosing one replaces the theme ("Financial sustainability (1)" gave 2); a year under
    # "from June 2012" counted June to December but led to the whole year.
    from tests.factories import make_theme
    from tests.pages.helpers import select_options

    with committed():
        wards, money = make_theme("Wards"), make_theme("Money")
        for words, themes, day in (
            ("Zeppelinfield wards will close.", [wards, money], dt.date(2012, 9, 1)),
            ("Zeppelinfield money is short.", [money], dt.date(2012, 3, 1)),
        ):
            make_quote(
                words, speech=make_speech(date=day, text=f"He said: ‘{words}’"), themes=themes
            )
    themes = select_options(client.get(URL, {"q": "zeppelinfield", "theme": wards.slug}), "theme")
    assert themes[wards.slug] == "Wards (1)"
    assert themes[money.slug] == "Money"  # its count is not known here: none is shown
    money_page = client.get(URL, {"q": "zeppelinfield", "theme": money.slug})
    assert select_options(money_page, "theme")[money.slug] == "Money (2)"

    html = client.get(URL, {"q": "zeppelinfield", "date_after": "2012-06"}).content.decode()
    years = html.split('id="years-heading"')[1].split("</ul>")[0]
    shown = int(re.search(r">2012</a> <span class=\"count\">\((\d+)\)", years).group(1))
    link = re.search(r'<a href="(\?[^"]+)">2012</a>', years).group(1).replace("&amp;", "&")
    assert "date_after=2012-06" in link and "date_before=2012" in link
    hits = results_html(client.get(URL + link))
    assert hits.count("search-hit--") == shown == 2  # September's quotation and its speech
    assert "money is short" not in hits
