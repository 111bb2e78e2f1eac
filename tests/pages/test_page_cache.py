"""Anonymous readers get stored copies of public pages, never stale and never personal."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured.captured_queries)


def test_a_repeat_visit_is_served_without_touching_the_database(client, archive):
    url = archive.can.get_absolute_url()
    first, first_queries = _queries(client, url)
    again, again_queries = _queries(client, url)
    assert first_queries > 0
    assert again_queries == 0
    assert again.status_code == 200
    assert again.content == first.content
    assert "public" in again["Cache-Control"]


def test_a_stored_page_still_answers_revalidation_with_304(client, archive):
    url = archive.can.get_absolute_url()
    etag = client.get(url)["ETag"]
    response, queries = _queries(client, url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert queries == 0


def test_a_correction_is_on_the_page_at_the_next_request(client, archive):
    url = archive.can.get_absolute_url()
    assert b"bright future" not in client.get(url).content
    archive.can.text = "We have a bright future, and the NHS will lead it."
    archive.can.save()
    assert b"bright future" in client.get(url).content


def test_a_new_quote_appears_on_a_stored_list(client, archive):
    from tests.factories import make_quote

    client.get("/quotes/")
    make_quote("An entirely fresh remark.", speech=archive.speech_2012, speaker=archive.alessi)
    assert b"An entirely fresh remark." in client.get("/quotes/").content


def test_head_is_answered_from_the_stored_page(client, archive):
    url = archive.can.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.head(url)
    assert response.status_code == 200
    assert len(captured.captured_queries) == 0


def test_signed_in_curators_never_get_or_leave_a_stored_page(client, archive, django_user_model):
    url = archive.can.get_absolute_url()
    client.get(url)  # an anonymous reader stores the page
    curator = django_user_model.objects.create_user("cara", password="x", is_staff=True)
    client.force_login(curator)
    response, queries = _queries(client, url)
    assert queries > 0
    assert "private" in response["Cache-Control"]

    # What a curator is shown is not stored for anyone else either.
    cache.clear()
    client.get(url)
    client.logout()
    _, anonymous_queries = _queries(client, url)
    assert anonymous_queries > 0


@pytest.mark.parametrize("url", ["/healthz", "/quotes/no-such-quote/"])
def test_uncacheable_responses_are_produced_each_time(client, archive, url):
    first = client.get(url)
    assert first.status_code in (200, 404)
    _, queries = _queries(client, url)
    assert queries > 0


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_export_read_to_the_end_is_stored(client, archive):
    first = _read(client.get("/quotes/export.csv"))
    assert b"We can" in first or b"I will back you." in first
    response, queries = _queries(client, "/quotes/export.csv")
    assert queries == 0
    assert response.content == first
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]


def test_an_abandoned_or_oversized_export_is_not_stored(client, archive, settings):
    client.get("/quotes/export.csv")  # the reader went away before the end
    response, queries = _queries(client, "/quotes/export.csv")
    assert queries > 0
    settings.ARCHIVE_PAGE_CACHE_MAX_BYTES = 100
    _read(response)  # to the end, but larger than the limit
    response, queries = _queries(client, "/quotes/export.csv")
    assert queries > 0
    assert b"I will back you." in _read(response)  # still served whole


def test_the_page_cache_can_be_switched_off(client, archive, settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    url = archive.can.get_absolute_url()
    client.get(url)
    _, queries = _queries(client, url)
    assert queries > 0


def test_hostile_query_strings_get_their_own_entries(client, archive):
    hostile = "/quotes/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    client.get(hostile)
    plain = client.get("/quotes/")
    assert b"<script>alert(1)</script>" not in plain.content
    assert b"<script>alert(1)</script>" not in client.get(hostile).content
