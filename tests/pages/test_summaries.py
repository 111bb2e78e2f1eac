"""Expensive page summaries are cached, and any write to the archive refreshes them."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.views import themes
from archive.views.summaries import archive_changed, cached_summary, data_version, summary_key
from tests.factories import make_quote
from tests.pages.helpers import select_options

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_slow_summaries_are_reused(settings):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0  # everything counts as slow
    calls = []
    for _ in range(2):
        cached_summary("test", ("a",), lambda: calls.append(1) or len(calls))
    assert calls == [1]


def test_cheap_summaries_are_computed_afresh(settings):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 10_000
    calls = []
    for _ in range(2):
        cached_summary("test", ("a",), lambda: calls.append(1) or len(calls))
    assert calls == [1, 1]


def test_caching_can_be_switched_off(settings):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    settings.ARCHIVE_SUMMARY_CACHE_SECONDS = 0
    calls = []
    for _ in range(2):
        cached_summary("test", ("a",), lambda: calls.append(1) or len(calls))
    assert calls == [1, 1]


def test_a_new_quote_shows_in_cached_counts_at_once(client, archive, settings):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    speakers = select_options(client.get("/quotes/"), "speaker")
    assert speakers[archive.alessi.slug] == "Charles Alessi (1)"
    make_quote("A second remark.", speech=archive.speech_2012, speaker=archive.alessi)
    response = client.get("/quotes/")
    assert select_options(response, "speaker")[archive.alessi.slug] == "Charles Alessi (2)"
    assert response.context["total"] == 7


def test_concurrent_requests_for_one_slow_summary_compute_it_once(settings):
    """While one request counts, the others wait for its result instead of counting too."""
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    calls, results = [], []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return "counted"

    threads = [
        threading.Thread(target=lambda: results.append(cached_summary("slow", (), slow)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    assert results == ["counted"] * 4


def test_a_summary_that_is_none_is_still_cached(settings):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    calls = []
    for _ in range(2):
        assert cached_summary("nothing", (), lambda: calls.append(1)) is None
    assert calls == [1]


def test_a_request_that_never_finishes_computing_does_not_block_others(settings):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    settings.ARCHIVE_SUMMARY_WAIT_SECONDS = 0.2
    # Another process took the lock and died: after the wait, this request counts itself.
    cache.add(summary_key("probe", ()) + ":computing", 1, 60)
    started = time.monotonic()
    assert cached_summary("probe", (), lambda: 42) == 42
    assert time.monotonic() - started >= 0.2  # it did wait for the other one first


def test_a_stale_summary_is_served_while_another_request_recounts_it(settings):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    assert cached_summary("probe", (), lambda: "before the write") == "before the write"
    archive_changed()
    # Another request is recounting it: this one gets the previous figures at once.
    lock = summary_key("probe", ()) + ":computing"
    cache.add(lock, 1, 60)
    started = time.monotonic()
    assert cached_summary("probe", (), lambda: "after the write") == "before the write"
    assert time.monotonic() - started < 0.5
    # Once nobody is recounting, the next request recounts it and the new figures stay.
    cache.delete(lock)
    assert cached_summary("probe", (), lambda: "after the write") == "after the write"
    assert cached_summary("probe", (), lambda: "not counted again") == "after the write"


def test_a_lost_data_version_is_never_an_old_one(settings):
    """If the cache drops the version, pages and summaries stored before are not revived."""
    first = data_version()
    archive_changed()
    second = data_version()
    cache.delete("archive:data-version")
    assert data_version() not in (first, second, "")


def test_a_facet_is_reused_by_lists_that_differ_only_in_its_own_filter(client, archive, settings):
    """Choosing a theme keeps the other filters, so its theme counts are those already made."""
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    client.get("/quotes/")  # counts every facet for the unfiltered list
    theme = select_options(client.get("/quotes/"), "theme")
    chosen = next(slug for slug in theme if slug)
    with CaptureQueriesContext(connection) as unfiltered_again:
        client.get("/quotes/")
    with CaptureQueriesContext(connection) as by_theme:
        response = client.get("/quotes/", {"theme": chosen})
    # The theme facet of the themed list is the unfiltered one, so it is not counted again;
    # its other facets (and its total) are counted for the first time.
    grouped_by_theme = [
        q
        for q in by_theme.captured_queries
        if "quote_themes" in q["sql"]
        and "GROUP BY" in q["sql"]
        and '"theme_id"' in q["sql"].split("FROM")[0]
    ]
    assert not grouped_by_theme
    assert len(by_theme) > len(unfiltered_again)
    assert select_options(response, "theme") == theme  # the same counts beside each theme


@pytest.fixture
def everything_being_counted_elsewhere(settings, monkeypatch):
    """Every summary's lock is held by some other request, and nothing is stored yet."""
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    settings.ARCHIVE_SUMMARY_WAIT_SECONDS = 5
    real_add = cache.add

    def add(key, *args, **kwargs):
        if str(key).endswith(":computing"):
            return False
        return real_add(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", add)


def test_a_list_does_not_wait_for_facet_counts_another_request_is_making(
    client, archive, everything_being_counted_elsewhere, settings
):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 300
    started = time.monotonic()
    response = client.get("/quotes/", {"theme": archive.reconfig.slug})
    assert time.monotonic() - started < 4  # did not wait for the others
    assert response.status_code == 200
    assert response.context["counts_pending"]
    assert b"still being counted" in response.content
    # The list itself is complete; only the menus' options wait.
    assert response.context["total"] == response.context["page_obj"].paginator.count
    assert archive.back.text.encode() in response.content
    assert select_options(response, "speaker") == {"": "Any speaker"}
    # No browser or CDN keeps the incomplete page; the page cache keeps it a few seconds
    # (ARCHIVE_PENDING_PAGE_SECONDS), and its copy still says no-store.
    assert "no-store" in response["Cache-Control"]
    with CaptureQueriesContext(connection) as again:
        copy = client.get("/quotes/", {"theme": archive.reconfig.slug})
    assert len(again) == 0
    assert "no-store" in copy["Cache-Control"]
    assert "public" not in copy["Cache-Control"]
    assert b"still being counted" in copy.content


def test_a_list_waiting_for_counts_is_not_kept_when_pending_pages_are_not(
    client, archive, everything_being_counted_elsewhere, settings
):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 300
    settings.ARCHIVE_PENDING_PAGE_SECONDS = 0
    client.get("/quotes/", {"theme": archive.reconfig.slug})
    with CaptureQueriesContext(connection) as again:
        client.get("/quotes/", {"theme": archive.reconfig.slug})
    assert len(again) > 0


def test_a_chosen_value_stays_chosen_while_its_menu_is_counted(
    client, archive, everything_being_counted_elsewhere
):
    response = client.get("/quotes/", {"speaker": archive.lansley.slug})
    assert response.context["counts_pending"]
    options = select_options(response, "speaker")
    assert archive.lansley.slug in options


def test_an_office_page_waits_for_the_counts_it_shows(
    client, archive, everything_being_counted_elsewhere, settings
):
    settings.ARCHIVE_SUMMARY_WAIT_SECONDS = 0.2
    response = client.get(archive.lansley_sos.get_absolute_url())
    assert response.status_code == 200
    assert not response.context["counts_pending"]
    holders = {office.speaker.slug: office for office in response.context["holders"]}
    assert holders[archive.lansley.slug].statement_count > 0


def test_a_time_limit_inside_a_transaction_leaves_it_usable(archive):
    from archive.budget import OverBudget, time_limit
    from tests.pages.test_background_counts import SLOW_SQL

    with pytest.raises(OverBudget), time_limit(0.05), connection.cursor() as cursor:
        cursor.execute(SLOW_SQL)
    # Only the stopped statement's savepoint was rolled back: the test's rows are still there.
    assert archive.back.__class__.objects.filter(pk=archive.back.pk).exists()


def test_a_summary_can_be_kept_sooner_than_the_counts(settings):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 10_000  # no count is slow enough
    calls = []
    for _ in range(2):
        cached_summary("chart", ("a",), lambda: calls.append(1) or len(calls), min_ms=0)
    assert calls == [1]


def test_a_theme_chart_is_kept_though_drawn_faster_than_a_count(
    client, archive, settings, monkeypatch
):
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 10_000
    # Kept after 0 ms here: the sample theme's chart is drawn faster than the 5 ms it takes.
    monkeypatch.setattr("archive.views.themes.KEEP_AFTER_MS", 0)
    drawn = []
    draw = themes.theme_timeline
    monkeypatch.setattr(
        themes, "theme_timeline", lambda *a, **kw: drawn.append(1) or draw(*a, **kw)
    )
    url = archive.reconfig.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert drawn == [1]
    assert second.content == first.content
    assert 'class="timeline"' in second.content.decode()


def test_a_list_pages_per_record_counts_are_kept_sooner_than_other_counts(client, settings):
    """A page of speakers' statement counts, made on every view of the list, is kept from
    ``ARCHIVE_SMALL_COUNT_CACHE_MIN_MS`` (0 here), and counted afresh after a write."""
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 10_000  # no other count is slow enough
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0
    quote = make_quote("Beds.")

    def grouped_counts() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/speakers/").content.decode()
        return sum("GROUP BY" in q["sql"] for q in queries.captured_queries), page

    counted, page = grouped_counts()
    assert counted == 2  # speeches and quotations per speaker
    assert grouped_counts() == (0, page)
    make_quote("Wards.", speech=quote.speech)
    counted, page = grouped_counts()
    assert counted == 2
    assert "1 statement · 2 quotations" in page


def test_a_lists_total_is_kept_sooner_than_other_counts(client, settings):
    """A list's total, made on every build of its pages, is kept from
    ``ARCHIVE_SMALL_COUNT_CACHE_MIN_MS`` (0 here) until the next write."""
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 10_000  # no other count is slow enough
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0
    quote = make_quote("Beds.")

    def totals() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/speeches/", {"kind": quote.speech.kind})
        counted = sum(q["sql"].startswith("SELECT COUNT(*)") for q in queries.captured_queries)
        return counted, response.context["total"]

    assert totals() == (1, 1)
    assert totals() == (0, 1)
    make_quote("Wards.")  # another speech of the same kind
    assert totals() == (1, 2)


def test_a_speakers_totals_are_kept_sooner_than_other_counts(client, settings):
    """A speaker's page counts their speeches and quotations on every build: kept from
    ``ARCHIVE_SMALL_COUNT_CACHE_MIN_MS`` (0 here) until the next write."""
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 10_000  # no other count is slow enough
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0
    quote = make_quote("Beds.")
    url = quote.speaker.get_absolute_url()

    def totals() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counted = sum(q["sql"].startswith("SELECT COUNT(*)") for q in queries.captured_queries)
        return counted, response.context["quote_count"]

    assert totals() == (2, 1)  # speeches and quotations
    assert totals() == (0, 1)
    make_quote("Wards.", speech=quote.speech)
    assert totals() == (2, 2)
