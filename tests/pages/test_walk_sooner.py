"""A small theme narrowed further is walked when the walk reaches the page sooner.

A theme's quotations narrowed by dates were gathered from all the theme's tags and sorted
(11 ms at a million quotations) when walking the date index found the first page in 0.5 ms.
A walk meets the list's records about once in ``whole / total`` rows; it is taken when the
page's end takes fewer rows than the theme has tags. Either way the page is the same.
"""

import datetime as dt

import pytest
from django.core.cache import cache

from archive import walks
from tests.factories import make_quote, make_speaker, make_speech, make_theme
from tests.pages.helpers import listed_speeches
from tests.pages.test_walks import listed

pytestmark = pytest.mark.django_db
# Narrowed by a kind as well as dates: a theme narrowed by dates alone is read from the dated
# tags (``DatedTag``), in order, never walked or gathered.
LIST = "/quotes/?theme=tariffs&date_after=2005&quote_kind=direct"


@pytest.fixture
def archive(settings):
    """Ten quotations, 2001-2010; eight on the theme (2001-2008), four of them from 2005."""
    settings.ARCHIVE_PAGE_SIZE = 1
    settings.ARCHIVE_SUMMARY_CACHE_SECONDS = 300
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0  # totals kept however fast
    cache.clear()
    walks.forget_reads()
    theme, speaker = make_theme("Tariffs", slug="tariffs"), make_speaker("Ann Minister")
    for year in range(2001, 2011):
        speech = make_speech(speaker=speaker, date=dt.date(year, 5, 1), slug=f"speech-{year}")
        themes = [theme] if year <= 2008 else []
        make_quote(f"Tariffs in {year}.", speech=speech, slug=f"tariffs-{year}", themes=themes)
    yield
    cache.clear()


def test_the_first_pages_are_walked_and_the_later_ones_gathered(client, archive, walking_built):
    assert listed(client.get("/quotes/")) == ["tariffs-2010"]  # the whole list is counted
    # 10 quotations, 4 in the list, 8 tagged: page n ends n rows in, about 2.5n walked.
    pages = {n: listed(client.get(f"{LIST}&page={n}")) for n in (1, 3, 4)}
    assert pages == {1: ["tariffs-2008"], 3: ["tariffs-2006"], 4: ["tariffs-2005"]}
    assert walking_built == ["QuoteFilter", "QuoteFilter"]  # pages 1 and 3, not 4
    assert listed(client.get(f"{LIST}&page=2")) == ["tariffs-2007"]


def test_until_the_whole_list_is_counted_the_set_is_gathered(client, archive, walking_built):
    assert listed(client.get(LIST)) == ["tariffs-2008"]
    assert walking_built == []


def test_the_api_takes_the_same_plan(client, archive, walking_built):
    client.get("/quotes/")
    response = client.get(
        "/api/quotes/?theme=tariffs&date_after=2005&quote_kind=direct&page_size=1"
    )
    assert [q["id"] for q in response.json()["results"]] == ["tariffs-2008"]
    assert len(walking_built) == 1
    response = client.get(
        "/api/quotes/?theme=tariffs&date_after=2005&quote_kind=direct&page_size=1&page=4"
    )
    assert [q["id"] for q in response.json()["results"]] == ["tariffs-2005"]
    assert len(walking_built) == 1  # the fourth page is gathered


def test_a_themes_speeches_are_walked_while_that_is_cheaper(client, archive, walking_built):
    # Ten speeches, eight with a quotation on the theme; a walked speech costs three tags.
    # (Narrowed by a kind: a theme's speeches alone are read from the dated tags.)
    client.get("/speeches/")
    listing = "/speeches/?theme=tariffs&kind=speech"
    assert listed_speeches(client.get(listing)) == ["speech-2008"]
    assert walking_built == ["SpeechFilter"]  # 1 row in: about 1.25 speeches walked, 8 tags
    assert listed_speeches(client.get(f"{listing}&page=3")) == ["speech-2006"]
    assert walking_built == ["SpeechFilter"]  # 3 rows in: gathered
