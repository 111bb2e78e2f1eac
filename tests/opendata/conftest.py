"""Fixtures for the open-data tests: the seed archive, and reading what a list page lists."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache


@pytest.fixture
def whole_lists(settings):
    """List pages show every match on one page, so a page's records can be compared whole."""
    settings.ARCHIVE_PAGE_SIZE = 1000


def listed(response, kind: str) -> list[str]:
    """Slugs of the ``kind`` ("quotes"/"speeches") records in a page's results, in order.

    Quote cards link to their quote page (``quote-card__link``) and to their speech, so for
    quotes only the quote-page links count; a speech result's title links to the speech.
    """
    html = response.content.decode()
    start = html.find('<ol class="results')
    assert start >= 0, "the page lists no results"
    results = html[start : html.find("</ol>", start)]
    if kind == "quotes":
        return re.findall(r'class="quote-card__link" href="/quotes/([^/"]+)/"', results)
    return re.findall(r'class="speech-item__title"><a href="/speeches/([^/"]+)/"', results)


def slug_of(url: str) -> str:
    """The slug in a record's permalink (``http://testserver/quotes/<slug>/``)."""
    return url.rstrip("/").rsplit("/", 1)[-1]


_HIT = re.compile(
    r'(?:class="quote-card__link" href|class="speech-item__title"><a href)'
    r'="/(quotes|speeches)/([^/"]+)/"'
)
ATOM = "{http://www.w3.org/2005/Atom}"


def search_hits(response) -> list[tuple[str, str]]:
    """(kind, slug) of each result on the search page, in order."""
    html = response.content.decode()
    start = html.find('<ol class="results')
    assert start >= 0, "the page lists no results"
    return _HIT.findall(html[start : html.find("</ol>", start)])


def parse_atom(response) -> ET.Element:
    """The feed's XML tree (our own output, so the standard parser is safe here)."""
    return ET.fromstring(response.content)  # noqa: S314


def entry_ids(response) -> list[str]:
    """The ``<id>`` of each entry of an Atom feed, in order."""
    return [entry.find(f"{ATOM}id").text for entry in parse_atom(response).iter(f"{ATOM}entry")]


@pytest.fixture
def kept_totals(settings):
    """Lists' totals kept (every summary counts as slow), in an empty cache: for the feeds
    and the API, which use a list's total when it is current."""
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    cache.clear()
    yield
    cache.clear()
