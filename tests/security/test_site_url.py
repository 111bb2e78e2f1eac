"""SITE_URL: every absolute link names the archive's public address, not the request's Host.

Django checks a Host's name against ALLOWED_HOSTS but not its port, and behind a load
balancer the Host can be the app server's own name; a CDN would keep whatever links the
first request's Host produced.
"""

import csv
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from archive.settings import site_url
from tests.factories import make_quote, make_speaker, make_speech, make_theme
from tests.opendata.test_structured_data import jsonld
from tests.pages.helpers import XHTML, parse

pytestmark = pytest.mark.django_db

SITE = "https://archive.example.org"
# A name ALLOWED_HOSTS takes, with a port nobody serves the archive on.
ODD_HOST = "testserver:6666"


@pytest.fixture
def quote():
    speaker = make_speaker("Andrew Lansley")
    speech = make_speech("Speech to the NHS Confederation", speaker=speaker)
    return make_quote("I will back you.", speech=speech, themes=[make_theme("Accountability")])


def canonical(response) -> str:
    [link] = [
        element.get("href")
        for element in parse(response).iter(f"{{{XHTML}}}link")
        if element.get("rel") == "canonical"
    ]
    return link


@override_settings(SITE_URL=SITE)
def test_a_pages_canonical_and_json_ld_name_the_site_whatever_the_host(client, quote):
    response = client.get(quote.get_absolute_url(), headers={"host": ODD_HOST})
    assert canonical(response) == f"{SITE}{quote.get_absolute_url()}"
    data = jsonld(response)
    assert data["url"] == f"{SITE}{quote.get_absolute_url()}"
    assert "6666" not in response.content.decode()


@override_settings(SITE_URL=SITE)
def test_feeds_name_the_site_for_the_feed_and_its_entries(client, quote):
    text = client.get("/feeds/quotes/", headers={"host": ODD_HOST}).content.decode()
    assert f"<id>{SITE}{quote.get_absolute_url()}</id>" in text
    assert f'href="{SITE}/feeds/quotes/"' in text
    assert f"<uri>{SITE}{quote.speaker.get_absolute_url()}</uri>" in text
    assert "6666" not in text and "testserver" not in text


@override_settings(SITE_URL=SITE)
def test_the_api_csv_and_citations_name_the_site(client, quote):
    make_quote("A second quotation.", speech=quote.speech)
    body = client.get("/api/quotes/?page_size=1", headers={"host": ODD_HOST}).json()
    assert body["next"] == f"{SITE}/api/quotes/?page=2&page_size=1"
    assert body["results"][0]["url"].startswith(f"{SITE}/quotes/")

    response = client.get("/quotes/export.csv", headers={"host": ODD_HOST})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert {row["permalink"] for row in rows} >= {f"{SITE}{quote.get_absolute_url()}"}

    ris = client.get(f"{quote.get_absolute_url()}cite.ris", headers={"host": ODD_HOST})
    assert f"UR  - {SITE}{quote.get_absolute_url()}" in ris.content.decode()


@override_settings(SITE_URL=SITE)
def test_a_host_outside_allowed_hosts_is_still_refused(client, quote):
    response = client.get(quote.get_absolute_url(), headers={"host": "evil.example"})
    assert response.status_code == 400


def test_without_it_links_follow_the_requests_host(client, quote):
    response = client.get(quote.get_absolute_url(), headers={"host": ODD_HOST})
    assert canonical(response) == f"http://{ODD_HOST}{quote.get_absolute_url()}"
    data = json.loads(client.get(f"/api/quotes/{quote.slug}/").content)
    assert data["url"] == f"http://testserver{quote.get_absolute_url()}"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("", ""),
        ("https://archive.example.org/", "https://archive.example.org"),
        ("  http://localhost:8000 ", "http://localhost:8000"),
        ("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"),
        ("https://archive.example.org:443", "https://archive.example.org:443"),
    ],
)
def test_site_url_is_read_as_scheme_and_host(given, used):
    assert site_url(given) == used


@pytest.mark.parametrize(
    "given",
    [
        "archive.example.org",
        "ftp://archive.example.org",
        "https://archive.example.org/archive",
        "https://archive.example.org?x=1",
        "https://archive.example.org:port",
        "https://archive.example.org:",
        "https://user@archive.example.org",
        "https://",
        "https://archive example.org",
        'https://exa"mple.org',
        "https://x.org\\evil",
        "https://x.org;y",
        "https://x.org%2F",
        "https://[::1",
    ],
)
def test_a_site_url_that_is_not_an_origin_stops_the_settings(given):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        site_url(given)
