"""Anonymous readers get stored copies of public pages, never stale and never personal."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import page_cache
from tests.factories import make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 300
    cache.clear()
    page_cache._large_copies.clear()
    yield
    cache.clear()
    page_cache._large_copies.clear()


@pytest.fixture
def large(monkeypatch):
    """Every export counts as large: kept in the process's memory as well."""
    monkeypatch.setattr(page_cache, "LARGE_COPY_BYTES", 10)


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


def test_a_stored_copy_has_the_etag_of_the_page_it_copies(client, archive, settings):
    url = archive.can.get_absolute_url()
    stored = client.get(url)
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    rendered = client.get(url)
    assert rendered.content == stored.content
    assert rendered["ETag"] == stored["ETag"]


def test_a_correction_is_on_the_page_at_the_next_request(client, archive):
    url = archive.can.get_absolute_url()
    assert b"bright future" not in client.get(url).content
    archive.can.text = "We have a bright future, and the NHS will lead it."
    archive.can.save()
    assert b"bright future" in client.get(url).content


def test_a_page_stored_before_a_write_commits_is_not_served_after_it(
    client, archive, django_capture_on_commit_callbacks
):
    # A reader who came between a curator's save and its commit read the rows as they
    # were, and stored the page under the version the save had just made: it was served
    # as current for five minutes. The version changes again when the write commits, and
    # again once the search index has the change.
    from archive.views.summaries import data_version

    url = archive.can.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        archive.can.save()
        during = data_version()
        _, queries = _queries(client, url)  # stored under the version of the save
        assert queries > 0
        assert _queries(client, url)[1] == 0  # served from it while it is current
    assert data_version() != during
    _, queries = _queries(client, url)
    assert queries > 0  # built again, not the copy stored before the commit


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


def test_a_large_export_is_served_from_memory_without_the_cache(
    client, archive, large, monkeypatch
):
    first = _read(client.get("/quotes/export.csv"))
    cache_reads = []
    read = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *a, **k: cache_reads.append(key) or read(key))
    response, queries = _queries(client, "/quotes/export.csv")
    assert queries == 0
    assert response.content == first
    assert response["Content-Type"].startswith("text/csv")
    # Only the small entries naming the page's key and the data version were read.
    assert all(not key.startswith("views.decorators.cache.cache_page") for key in cache_reads)


def test_each_reader_of_a_large_copy_gets_a_response_of_their_own(client, archive, large):
    _read(client.get("/quotes/export.csv"))
    one = client.get("/quotes/export.csv")
    one["X-Changed-By-One"] = "yes"
    two = client.get("/quotes/export.csv")
    assert two is not one
    assert "X-Changed-By-One" not in two
    assert two.content == one.content


def test_a_large_copy_is_never_served_after_a_write(
    client, archive, large, django_capture_on_commit_callbacks
):
    _read(client.get("/quotes/export.csv"))
    with django_capture_on_commit_callbacks(execute=True):
        make_quote("A remark made after the export.", speech=archive.speech_2012)
    assert b"A remark made after the export." in _read(client.get("/quotes/export.csv"))


def test_large_copies_stay_within_their_memory_budget(client, archive, large, monkeypatch):
    body = _read(client.get("/quotes/export.csv"))
    monkeypatch.setattr(page_cache, "LARGE_COPIES_BYTES", len(body) + 1)
    _read(client.get("/quotes/export.csv?kind=speech"))  # a second copy pushes out the first
    assert page_cache._large_copies.get(next(iter(page_cache._large_copies._copies))) is not None
    assert len(page_cache._large_copies._copies) == 1


def test_a_page_built_on_counts_from_before_the_last_write_is_not_kept(
    client, summaries_kept, settings
):
    """After a write, a list's total may be the previous one while it is counted again
    (another request holds the recount): that page is sent no-store and kept only as long
    as a page shown while its counts are made, so the next readers get the new total, not
    the old one for the page cache's five minutes."""
    from tests.factories import make_speaker, make_speech

    settings.ARCHIVE_PENDING_PAGE_SECONDS = 0
    speaker = make_speaker("Counted Before")
    speech = make_speech("A speech", speaker=speaker)
    for n in range(3):
        make_quote(f"Counted quotation {n}.", speech=speech, speaker=speaker)
    url = f"/quotes/?speaker={speaker.slug}"
    first = client.get(url)
    assert first.context["total"] == 3
    assert "no-store" not in first["Cache-Control"]

    make_quote("Added since.", speech=speech, speaker=speaker)
    # Another process is recounting every summary: this request gets the kept ones.
    original_add = cache.add
    held = []

    def held_elsewhere(key, *args, **kwargs):
        if str(key).endswith(":computing"):
            held.append(key)
            return False
        return original_add(key, *args, **kwargs)

    with mock.patch.object(type(cache._connections[cache._alias]), "add", autospec=True) as add:
        add.side_effect = lambda backend, key, *a, **k: held_elsewhere(key, *a, **k)
        stale = client.get(url)
    assert held  # the kept count was stale, and its recount someone else's
    assert stale.context["total"] == 3
    assert "Added since." in stale.text
    assert "no-store" in stale["Cache-Control"]

    fresh = client.get(url)  # the recount done (here: by this request)
    assert fresh.context["total"] == 4


@pytest.mark.parametrize(
    "url",
    [
        "/api/quotes.json",
        "/api/quotes.json?page=2&page_size=1",
        "/api/speeches.json",
        "/api/speeches.json?q=beds",
        "/api/quotes/",
        "/api/speakers.json",
    ],
)
def test_api_responses_in_any_format_are_stored_and_served(client, archive, url):
    # A rendered API list still held its serializer and queryset, which cannot be
    # stored: every ".json" list was a 500 with the page cache on.
    first, first_queries = _queries(client, url)
    again, again_queries = _queries(client, url)
    assert first.status_code == 200, first.content[:300]
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert first_queries > 0 and again_queries == 0
