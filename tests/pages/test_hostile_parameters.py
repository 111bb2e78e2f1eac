"""Hostile or malformed query parameters never break a list page nor echo markup raw."""

import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>"
LONG = "a" * 5000
FILTERS = (
    "q",
    "speaker",
    "minister",
    "office",
    "event",
    "event_kind",
    "theme",
    "kind",
    "quote_kind",
    "date_after",
    "date_before",
    "sort",
)

HOSTILE = [
    {"page": "abc"},
    {"page": "999999"},
    {"page": "-3"},
    {"page": "1e3"},
    {"page": "9" * 5000},
    {"page": PAYLOAD},
    {"theme": PAYLOAD},
    {"date_after": "notadate"},
    {"date_after": "2012-13-45", "date_before": "0000"},
    {"unknown_key": PAYLOAD, PAYLOAD: "x"},
    {"speaker": "x\x00y", "q": "nul\x00byte"},
    *({name: PAYLOAD} for name in FILTERS),
    {name: LONG for name in FILTERS},
    {name: PAYLOAD for name in FILTERS} | {"page": "2"},
]


@pytest.fixture
def list_urls(archive):
    a = archive
    return [
        "/", "/speeches/", "/quotes/", "/speakers/", "/offices/", "/events/", "/themes/",
        a.reconfig.get_absolute_url(), a.lansley_sos.get_absolute_url(),
    ]  # fmt: skip


@override_settings(DEBUG=False)
@pytest.mark.parametrize("params", HOSTILE, ids=lambda p: repr(p)[:40])
def test_list_pages_survive_hostile_parameters(client, list_urls, params):
    for url in list_urls:
        response = client.get(url, params)
        assert response.status_code == 200, (url, params)
        html = response.content.decode()
        assert "<script>alert" not in html, (url, params)


@pytest.mark.parametrize("page", ["abc", "1_0", "٢", "２", "+2", "-1"])
def test_malformed_page_number_gives_the_first_page_with_a_message(client, archive, page):
    # Only plain digits are a page number, as the API reads them ("1_0" is not page 10).
    response = client.get("/quotes/", {"page": page})
    assert response.status_code == 200
    assert "That page number was not understood, so this is the first page." in (
        response.content.decode()
    )
    assert response.context["page_obj"].number == 1


@pytest.mark.parametrize("page", ["1000000", "99999999999999999999", "0" * 12 + "9" * 20])
def test_any_page_number_past_the_end_gives_the_last_page(client, archive, page):
    # A number too long to read was "not understood" and gave the first page, where one
    # merely large gave the last.
    response = client.get("/quotes/", {"page": page})
    assert response.status_code == 200
    assert "That page is past the end of the list, so this is the last page" in (
        response.content.decode()
    )
    assert response.context["page_obj"].number == response.context["page_obj"].paginator.num_pages


@pytest.mark.parametrize("page", ["1000000", "99999999999999999999"])
def test_the_search_gives_its_last_page_for_any_number_past_the_end(client, archive, page):
    response = client.get("/search/", {"q": "services", "page": page})
    assert response.status_code == 200
    assert "this is the last one." in response.content.decode()


@pytest.mark.parametrize("page", ["1_0", "٢", "-1", "abc"])
def test_the_search_reads_plain_digits_only_as_a_page_number(client, archive, page):
    response = client.get("/search/", {"q": "services", "page": page})
    assert "That page number was not understood; this is the first page." in (
        response.content.decode()
    )


@pytest.mark.parametrize("date", ["٢٠١٢", "２０１２", "2012-٠٦"])
def test_a_date_in_other_digits_than_0_to_9_is_explained_not_read(client, archive, date):
    # As the date's help says: YYYY-MM-DD in the digits 0-9; the chip showed "From: ２٠١٢".
    html = client.get("/quotes/", {"date_after": date}).content.decode()
    assert "Enter a date as YYYY-MM-DD, YYYY-MM or YYYY" in html
    assert client.get("/api/quotes/", {"date_after": date}).status_code == 400


def test_page_past_the_end_gives_the_last_page_with_a_message(client, archive, settings):
    settings.ARCHIVE_PAGE_SIZE = 2
    response = client.get("/quotes/", {"page": "999999", "theme": archive.reconfig.slug})
    html = response.content.decode()
    assert "That page is past the end of the list, so this is the last page (page 2 of 2)." in html
    assert response.context["page_obj"].number == 2


def test_pagination_links_keep_the_filters(client, archive, settings):
    settings.ARCHIVE_PAGE_SIZE = 2
    response = client.get("/quotes/", {"theme": archive.reconfig.slug})
    assert f'href="?theme={archive.reconfig.slug}&amp;page=2"' in response.content.decode()


def test_hostile_values_are_not_echoed_in_error_messages(client, archive):
    response = client.get("/quotes/", {"sort": "zz-unique-value-zz", "theme": "zz-theme-zz"})
    html = response.content.decode()
    assert "Choose one of the options in the list." in html
    assert "Choose a theme from the list." not in html  # well-formed slug, unknown theme:
    assert "There is no theme with that name in the archive" in html
    assert "zz-unique-value-zz" not in html
    assert "zz-theme-zz" not in html


def test_long_search_words_are_refused_with_a_message(client, archive):
    response = client.get("/quotes/", {"q": LONG})
    assert response.status_code == 200
    assert "Use at most 200 characters." in response.content.decode()


@pytest.mark.parametrize(
    "words",
    [
        # Past the search's 200 characters: the list searched the first 200 and said nothing.
        "waiting " * 30 + "xylophone",
        # 199 characters as typed, 227 once folded (each "ﬃ" is three letters).
        "ﬃ" * 14 + " " + "a" * 184,
    ],
)
def test_words_the_search_would_shorten_are_refused_not_cut(client, archive, words):
    response = client.get("/quotes/", {"q": words})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use at most 200 characters." in html
    assert re.search(r'<input[^>]*name="q"[^>]*aria-invalid="true"', html)


def test_words_of_the_search_length_are_taken(client, archive):
    words = "waiting " * 24 + "a" * 8  # 200 characters
    assert len(words) == 200
    response = client.get("/quotes/", {"q": words})
    assert "Use at most 200 characters." not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/themes/{theme}/?theme=someone-elses", "This page is for one theme already"),
        ("/offices/{office}/?office=another-post", "This page is for one post already"),
    ],
)
def test_a_pages_own_filter_asked_for_again_is_left_out_with_a_note(client, archive, url, said):
    from archive.models import Office

    post = Office.objects.first().slug
    response = client.get(url.format(theme=archive.reconfig.slug, office=post))
    assert response.status_code == 200
    assert said in response.content.decode()
    same = client.get(f"/themes/{archive.reconfig.slug}/?theme={archive.reconfig.slug}")
    assert "This page is for one" not in same.content.decode()


def test_a_page_number_given_twice_shows_the_last_and_says_so(client, archive, settings):
    settings.ARCHIVE_PAGE_SIZE = 2
    response = client.get("/quotes/?page=1&page=2")
    assert response.context["page_obj"].number == 2
    assert "A page number was given more than once; page 2 is shown." in (response.content.decode())
    once = client.get("/quotes/?page=2").content.decode()
    assert "given more than once" not in once


@pytest.mark.parametrize("url", ["/quotes/", "/speeches/"])
def test_best_match_without_words_says_the_list_is_newest_first(client, archive, url):
    html = client.get(url, {"sort": "relevance"}).content.decode()
    assert "with none given, the list is newest first" in html
    ranked = client.get(url, {"sort": "relevance", "q": "services"}).content.decode()
    assert "with none given" not in ranked
