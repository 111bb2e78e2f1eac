"""Every published record can be reached by following links from the home page."""

from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings as django_settings

from archive.models import Event, Office, Quote, Source, Speaker, Speech, Theme
from tests.pages.helpers import links

pytestmark = pytest.mark.django_db

SEED = Path(django_settings.BASE_DIR) / "fixtures" / "archive.json"


def crawl(client, start: str = "/") -> dict[str, int]:
    """Follow every link within the public site; the status of every page reached.

    Pagination is followed; links that add filters are not (they lead to subsets of pages
    already reached), so the crawl stays small.
    """
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in links(response):
            target = absolute(url, href)
            if target and target not in seen:
                queue.append(target)
    return seen


def absolute(page: str, href: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc and parts.netloc != "testserver":
        return None
    path = parts.path or urlsplit(page).path
    if not path.startswith("/") or path.startswith(("/admin/", "/static/", "/search/")):
        return None
    query = parts.query
    if query and not (query.startswith("page=") and "&" not in query):
        return None
    return f"{path}?{query}" if query else path


def public_records():
    return [
        *Speech.objects.published(),
        *Quote.objects.published(),
        *Speaker.objects.all(),
        *Theme.objects.all(),
        *Event.objects.all(),
        *Source.objects.all(),
        *Office.objects.all(),
    ]


def assert_all_reachable(client):
    seen = crawl(client)
    broken = {url: status for url, status in seen.items() if status != 200}
    assert not broken, f"links to pages that fail: {broken}"
    missing = [r for r in public_records() if r.get_absolute_url() not in seen]
    assert not missing, f"not reachable from the home page: {missing}"
    return seen


def test_every_record_is_reachable_from_home(client, archive, settings):
    settings.ARCHIVE_PAGE_SIZE = 2  # so the crawl must page through the lists
    seen = assert_all_reachable(client)
    assert "/quotes/?page=3" in seen
    assert archive.draft.get_absolute_url() not in seen
    assert archive.secret.get_absolute_url() not in seen


@pytest.mark.skipif(not SEED.exists(), reason="fixtures/archive.json has not been built yet")
def test_every_seed_record_is_reachable_from_home(client, seed):
    assert Speech.objects.published().exists()
    assert_all_reachable(client)


@pytest.mark.skipif(not SEED.exists(), reason="fixtures/archive.json has not been built yet")
def test_every_seed_records_url_answers_200(client, seed):
    for record in public_records():
        assert client.get(record.get_absolute_url()).status_code == 200, record


@pytest.mark.skipif(not SEED.exists(), reason="fixtures/archive.json has not been built yet")
def test_every_seed_quote_is_marked_and_linked_in_its_speech(client, seed):
    for speech in Speech.objects.published().prefetch_related("quotes"):
        html = client.get(speech.get_absolute_url()).content.decode()
        for quote in speech.quotes.all():
            assert f'id="quote-{quote.slug}"><a href="{quote.get_absolute_url()}"' in html, quote
