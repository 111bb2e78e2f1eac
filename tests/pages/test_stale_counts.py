"""A count kept from before a write may be served while it is counted again; it may make a
total wrong for that moment, but never hide a row that is there."""

import pytest
from django.core.cache import cache

from archive.views.summaries import VERSION_KEY, data_version
from tests.factories import make_quote, make_speaker, make_speech

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker_with_three(summaries_kept, settings, client):
    """A speaker with three quotations, whose list and API have been counted; then a fourth
    quotation, added after the counts, which are made to look current (as they are served
    while the counting thread counts them again)."""
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    speaker = make_speaker("Stale Count")
    speech = make_speech("A speech", speaker=speaker)
    for n in range(3):
        make_quote(f"Counted quotation {n}.", speech=speech, speaker=speaker)
    before = data_version()
    assert client.get(f"/quotes/?speaker={speaker.slug}").context["total"] == 3
    assert client.get(f"/api/quotes/?speaker={speaker.slug}").json()["count"] == 3
    make_quote("The quotation added since.", speech=speech, speaker=speaker)
    cache.set(VERSION_KEY, before, None)
    return speaker


def test_the_list_shows_a_row_its_kept_count_does_not_know(client, speaker_with_three):
    response = client.get(f"/quotes/?speaker={speaker_with_three.slug}")
    assert response.context["total"] == 3  # the kept count: the test's premise
    assert "The quotation added since." in response.text
    assert response.text.count('<div class="quote-card">') == 4


def test_the_api_returns_a_row_its_kept_count_does_not_know(client, speaker_with_three):
    body = client.get(f"/api/quotes/?speaker={speaker_with_three.slug}").json()
    texts = [row["text"] for row in body["results"]]
    assert "The quotation added since." in texts
    assert len(texts) == 4
