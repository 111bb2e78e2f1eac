"""A feed or an API page of a list nobody has counted in full counts it once per state of
the archive, not on every request (13 ms a request for a speaker's quotations on
PostgreSQL at a million quotations)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_quote, make_speaker, make_speech

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker(settings):
    settings.ARCHIVE_SUMMARY_CACHE_SECONDS = 300
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0  # kept however fast
    cache.clear()
    speaker = make_speaker("Ann Minister", slug="ann-minister")
    for year in (2001, 2002, 2003):
        speech = make_speech(speaker=speaker, date=dt.date(year, 5, 1))
        make_quote(f"Said in {year}.", speech=speech, speaker=speaker)
    yield speaker
    cache.clear()


def counts(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    made = sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    return made, response.content.decode()


@pytest.mark.parametrize(
    "url", ["/feeds/speakers/ann-minister/", "/api/quotes/?speaker=ann-minister"]
)
def test_a_small_list_is_counted_once_until_the_archive_changes(client, speaker, url):
    first, _ = counts(client, url)
    assert first >= 1
    again, _ = counts(client, url)
    assert again == first - 1
    speech = make_speech(speaker=speaker, date=dt.date(2004, 5, 1))
    make_quote("Said in 2004.", speech=speech, speaker=speaker)
    after, body = counts(client, url)
    assert after == first
    assert "Said in 2004." in body
