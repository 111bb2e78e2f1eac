"""robots.txt and the sitemaps: every published record's page, nothing of a draft's."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from archive import sitemaps
from archive.models import Quote, Speech, Status
from tests.factories import make_event, make_office, make_quote, make_speaker, make_speech

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://archive.example.org"


def _locs(client, path: str, tag: str = "url") -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 (our own sitemap) - well-formed
    return [element.findtext(f"{NS}loc") for element in root.iter(f"{NS}{tag}")]


def _every_address(client) -> list[str]:
    return [
        loc
        for section in _locs(client, "/sitemap.xml", "sitemap")
        for loc in _locs(client, section.removeprefix("http://testserver"))
    ]


def test_the_sitemaps_list_every_published_record_and_nothing_of_a_draft(client, seed):
    addresses = _every_address(client)
    for record in [*Quote.objects.published(), *Speech.objects.published()]:
        assert f"http://testserver{record.get_absolute_url()}" in addresses, record
    assert "http://testserver/quotes/" in addresses and "http://testserver/" in addresses
    assert "http://testserver/speakers/andrew-lansley/" in addresses
    assert len(addresses) == len(set(addresses))
    # A post two ministers held is one page, listed once.
    assert "http://testserver/offices/secretary-of-state-for-health/" in addresses
    # A draft, its quotation, and a speaker and event known only from it, are not.
    hidden = make_speaker("Nobody Yet")
    post = make_office(hidden, post="Minister for Hidden Things")
    draft = make_speech(
        "Draft speech", speaker=hidden, event=make_event("Draft event"), status=Status.DRAFT
    )
    words = make_quote("Not yet public.", speech=draft)
    addresses = _every_address(client)
    for record in (draft, words, hidden, draft.event, post):
        assert f"http://testserver{record.get_absolute_url()}" not in addresses, record
    # Every listed page is there to read.
    for address in addresses[:: max(1, len(addresses) // 25)]:
        assert client.get(address.removeprefix("http://testserver")).status_code == 200


def test_speeches_and_quotations_are_listed_in_pages_by_record_number(client, monkeypatch, seed):
    monkeypatch.setattr(sitemaps, "PAGE_SIZE", 20)
    highest = Quote.objects.order_by("-pk").first().pk
    pages = highest // 20 + 1
    index = _locs(client, "/sitemap.xml", "sitemap")
    assert [loc for loc in index if "/sitemap-quotes-" in loc] == [
        f"http://testserver/sitemap-quotes-{page}.xml" for page in range(1, pages + 1)
    ]
    listed = []
    for page in range(1, pages + 1):
        found = _locs(client, f"/sitemap-quotes-{page}.xml")
        assert len(found) <= 20
        listed += found
    expected = [f"http://testserver{q.get_absolute_url()}" for q in Quote.objects.order_by("pk")]
    assert listed == expected
    # Past the last page, a page 0, a section that is not one: the site's 404.
    for path in (
        f"/sitemap-quotes-{pages + 1}.xml",
        "/sitemap-quotes-0.xml",
        "/sitemap-pages-2.xml",
        "/sitemap-drafts-1.xml",
        "/sitemap-quotes-99999999999999999999999.xml",
        "/sitemaps/quotes/1.xml",
    ):
        assert client.get(path).status_code == 404, path


def test_a_page_with_nothing_public_is_not_in_the_index(client, monkeypatch, seed):
    # The protocol asks at least one address of a sitemap: a page of record numbers that
    # holds only drafts (or deleted records) is left out, and is a 404.
    monkeypatch.setattr(sitemaps, "PAGE_SIZE", 5)
    draft = make_speech("Drafts alone", status=Status.DRAFT)
    words = (f"Not yet public, number {n}." for n in range(20))
    while Quote.objects.order_by("-pk").first().pk % 5 != 4:
        make_quote(next(words), speech=draft)
    first = Quote.objects.order_by("-pk").first().pk + 1
    for _ in range(5):  # a whole page of drafts, then one public quotation after it
        make_quote(next(words), speech=draft)
    make_quote("In public.", speech=Speech.objects.published().first())
    empty = first // 5 + 1
    index = _locs(client, "/sitemap.xml", "sitemap")
    assert f"http://testserver/sitemap-quotes-{empty}.xml" not in index
    assert f"http://testserver/sitemap-quotes-{empty + 1}.xml" in index
    assert client.get(f"/sitemap-quotes-{empty}.xml").status_code == 404
    # Every page the index names lists at least one address.
    for loc in index:
        assert _locs(client, loc.removeprefix("http://testserver"))


def test_a_page_of_quotations_makes_the_same_queries_however_many_it_lists(client, seed):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap-quotes-1.xml").status_code == 200
        return len(captured)

    before = queries()
    speech = Speech.objects.published().first()
    for n in range(5):
        make_quote(f"Another quotation number {n}.", speech=speech)
    assert queries() == before


@override_settings(SITE_URL=SITE)
def test_robots_txt_keeps_crawlers_to_the_records_and_names_the_sitemap(client, seed):
    response = client.get("/robots.txt", headers={"host": "testserver:6666"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    for rule in ("/*?", "/search/", "/admin/", "/api/", "/*.csv"):
        assert f"Disallow: {rule}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    index = client.get("/sitemap.xml", headers={"host": "testserver:6666"}).content.decode()
    assert f"<loc>{SITE}/sitemap-quotes-1.xml</loc>" in index and "6666" not in index
