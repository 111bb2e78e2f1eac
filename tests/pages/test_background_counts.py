"""Recounts, and with a budget set big first counts, are made by each process's counting
thread, not by a reader waiting.

These tests commit their data (``transaction=True``): the counting thread reads through a
connection of its own, which would not see a test transaction's rows.
"""

import threading
import time
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import background
from archive.budget import OverBudget, time_limit
from archive.models import Status
from archive.pending import PENDING
from archive.views import summaries
from archive.views.summaries import archive_changed, cached_summary
from tests.factories import make_quote, make_speaker, make_speech, make_theme
from tests.pages.helpers import select_options

pytestmark = pytest.mark.django_db(transaction=True)


def drain() -> None:
    """Wait until this process's counting thread has nothing left to do."""
    assert background.drain(timeout=10)


@pytest.fixture(autouse=True)
def _counted_in_background(settings):
    settings.ARCHIVE_BACKGROUND_COUNTS = True
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0  # every count is worth keeping
    settings.ARCHIVE_SUMMARY_BUDGET_MS = 5_000
    # Outside a request: an earlier test's streamed response may never have been closed,
    # which would leave its request's budget behind in this thread.
    summaries._end_budget()
    cache.clear()
    yield
    drain()
    cache.clear()


def every_count_over_budget(monkeypatch) -> None:
    """Every first count a page tries goes over its budget at once."""

    @contextmanager
    def no_time(seconds):
        raise OverBudget
        yield  # a generator, as contextmanager needs

    monkeypatch.setattr(summaries, "time_limit", no_time)


@pytest.fixture
def over_budget(monkeypatch):
    every_count_over_budget(monkeypatch)


@pytest.fixture
def gate():
    """An event the counting thread is held on until the test sets it."""
    event = threading.Event()
    yield event
    event.set()


SLOW_SQL = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000000) "
    "SELECT count(*) FROM n"
)


def test_a_slow_count_is_stopped_at_the_budget_and_finished_by_the_counting_thread(settings, gate):
    settings.ARCHIVE_SUMMARY_BUDGET_MS = 100
    counted_in = []

    def count():
        counted_in.append(threading.current_thread())
        if len(counted_in) == 1:  # the reader's attempt: a count far too big to wait for
            with connection.cursor() as cursor:
                cursor.execute(SLOW_SQL)
        gate.wait(30)
        return 42

    started = time.monotonic()
    assert cached_summary("test", (), count, wait=False) is PENDING
    assert time.monotonic() - started < 5  # stopped at its budget, not counted to the end
    # A second reader meanwhile neither waits nor queues the same count again.
    assert cached_summary("test", (), count, wait=False) is PENDING
    gate.set()
    drain()
    assert cached_summary("test", (), count, wait=False) == 42
    assert len(counted_in) == 2
    assert counted_in[0] is threading.current_thread()
    assert counted_in[1] is not threading.current_thread()
    # The stopped statement left the reader's connection usable.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_time_limit_stops_a_statement_and_raises_over_budget():
    started = time.monotonic()
    with pytest.raises(OverBudget), time_limit(0.05), connection.cursor() as cursor:
        cursor.execute(SLOW_SQL)
    assert time.monotonic() - started < 5
    with time_limit(5), connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


def test_a_count_done_within_the_budget_is_used_at_once():
    assert cached_summary("test", (), lambda: 7, wait=False) == 7


def test_pages_that_show_the_count_still_count_it_themselves(gate):
    background.submit(lambda: gate.wait(30))  # the counting thread is busy
    assert cached_summary("test", (), lambda: 3) == 3


def test_without_a_budget_a_first_count_is_made_by_the_reader(settings, gate):
    settings.ARCHIVE_SUMMARY_BUDGET_MS = 0  # the default: no budget
    background.submit(lambda: gate.wait(30))  # the counting thread is busy
    counted_in = []
    assert cached_summary("test", (), lambda: counted_in.append(1) or 8, wait=False) == 8
    assert counted_in == [1]


def test_a_full_queue_refuses_a_count_and_a_later_reader_asks_again(settings, monkeypatch, gate):
    settings.ARCHIVE_BACKGROUND_QUEUE = 1
    background.submit(lambda: gate.wait(30))
    every_count_over_budget(monkeypatch)
    assert cached_summary("test", (), lambda: 5, wait=False) is PENDING
    monkeypatch.undo()
    gate.set()
    drain()
    # The refused count left no claim behind: the next reader's is made.
    assert cached_summary("test", (), lambda: 5, wait=False) == 5


def test_a_stale_count_is_served_while_the_counting_thread_recounts_it(gate):
    assert cached_summary("test", (), lambda: "before", wait=False) == "before"
    archive_changed()

    def recount():
        gate.wait(30)
        return "after"

    started = time.monotonic()
    assert cached_summary("test", (), recount) == "before"  # even a page that would wait
    assert time.monotonic() - started < 2
    gate.set()
    drain()
    assert cached_summary("test", (), recount) == "after"


def test_a_failed_count_is_raised_to_its_reader_and_tried_again_later():
    def broken():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        cached_summary("test", (), broken, wait=False)
    assert cached_summary("test", (), lambda: 9, wait=False) == 9


def test_a_list_is_shown_before_its_counts_and_with_them_once_made(
    client, archive, settings, over_budget, gate
):
    settings.ARCHIVE_NUMBERED_ROWS = 2
    background.submit(lambda: gate.wait(30))  # the counting thread is busy

    response = client.get("/quotes/")
    assert response.status_code == 200
    assert response.context["counts_pending"]
    assert select_options(response, "speaker") == {"": "Any speaker"}
    # The total is counted only as far as page numbers go, and says so.
    assert response.context["total_capped"]
    assert b"More than 2 quotes" in response.content
    assert archive.back.text.encode() in response.content  # the newest quote is listed
    assert "no-store" in response["Cache-Control"]

    gate.set()
    drain()
    response = client.get("/quotes/")
    assert not response.context["counts_pending"]
    assert not response.context["total_capped"]
    assert response.context["total"] == 6
    # Counted by the thread over the committed archive: the right figures.
    assert select_options(response, "speaker")[archive.alessi.slug] == "Charles Alessi (1)"
    assert b"More than" not in response.content


def test_a_theme_page_is_shown_while_its_timeline_is_drawn(client, archive, over_budget, gate):
    background.submit(lambda: gate.wait(30))
    response = client.get(archive.reconfig.get_absolute_url())
    assert response.status_code == 200
    assert response.context["timeline_pending"]
    assert b"still being drawn" in response.content
    assert archive.back.text.encode() in response.content  # its quotations are listed
    assert "no-store" in response["Cache-Control"]

    gate.set()
    drain()
    response = client.get(archive.reconfig.get_absolute_url())
    assert not response.context["timeline_pending"]
    assert response.context["timeline"] is not None
    assert b"still being drawn" not in response.content


def test_a_capped_api_list_is_counted_in_full_for_the_next_request(client, monkeypatch):
    from archive.api import views

    monkeypatch.setattr(views, "COUNT_LIMIT", 3)
    for n in range(7):
        make_quote(f"Words {n}.")
    first = client.get("/api/quotes/", {"page_size": 2}).json()
    assert (first["count"], first["count_capped"]) == (3, True)  # as far as the cap, now
    drain()  # the counting thread counts the whole list meanwhile
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/quotes/", {"page_size": 2}).json()
    assert (again["count"], again["count_capped"]) == (7, False)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    # The list page with the same filters has it too, without counting.
    assert client.get("/quotes/").context["total"] == 7


def test_a_big_feed_not_yet_counted_is_counted_once_for_the_next_request(client, settings):
    settings.ARCHIVE_WALK_FROM_ROWS = 3  # a theme of seven quotations is a big list
    theme = make_theme("Workforce")
    quotes = [make_quote(f"Words {n}.", themes=[theme]) for n in range(7)]
    # Narrowed further than the theme (a theme alone is read in order, never counted).
    feed = f"/feeds/quotes/?theme={theme.slug}&quote_kind=direct"

    def counts() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(feed)
        assert response.status_code == 200
        assert all(q.text.encode() in response.content for q in quotes)
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]

    assert counts()  # counted as far as the threshold, to choose how to read the page
    drain()  # the counting thread counts the whole list meanwhile
    assert counts() == []
    # The theme's quotation list has the total too, without counting.
    listed = client.get("/quotes/", {"theme": theme.slug, "quote_kind": "direct"})
    assert listed.context["total"] == 7


def test_a_count_asked_for_as_current_is_never_one_from_before_the_last_write():
    counts = iter([2, 0])

    def count():
        return next(counts)

    assert cached_summary("shown", "x", count, current=True) == 2
    archive_changed()
    # Not the 2 from before the write while the counting thread recounts it: counted now.
    assert cached_summary("shown", "x", count, current=True) == 0


def test_the_api_count_agrees_with_its_results_right_after_an_unpublish(client, settings):
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0  # counts kept, however fast
    speech = make_speech(speaker=make_speaker("Just Unpublished"))
    for n in range(2):
        make_quote(f"Said thing {n}.", speech=speech)
    url = "/api/quotes/?speaker=just-unpublished"
    body = client.get(url).json()
    assert (body["count"], len(body["results"])) == (2, 2)

    speech.status = Status.DRAFT
    speech.save()
    body = client.get(url).json()
    assert (body["count"], body["results"]) == (0, [])
    speech.status = Status.PUBLISHED
    speech.save()
    body = client.get(url).json()
    assert (body["count"], len(body["results"])) == (2, 2)


def test_the_speaker_page_counts_what_it_lists_right_after_an_unpublish(client, settings):
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0
    speaker = make_speaker("Also Unpublished")
    kept, dropped = make_speech(speaker=speaker), make_speech(speaker=speaker)
    make_quote("Kept words.", speech=kept)
    make_quote("Dropped words.", speech=dropped)
    assert client.get(f"/speakers/{speaker.slug}/").context["quote_count"] == 2

    dropped.status = Status.DRAFT
    dropped.save()
    response = client.get(f"/speakers/{speaker.slug}/")
    assert response.context["quote_count"] == 1
    html = response.content.decode()
    section = html[html.index('id="quotes-heading"') :]
    section = section[: section.index("</section>")]
    assert "Quotations (1)" in section
    assert "Kept words." in section
    assert "Dropped words." not in section


def test_a_recount_too_quick_to_keep_leaves_no_stale_figures_behind(settings):
    # Slow when first counted (kept), quick once recounted after a write: the reader after
    # the recount has the new figures, not the kept ones until they expire.
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 50
    figures = iter([("before", 0.08), ("after", 0), ("after", 0), ("after", 0)])

    def count():
        value, seconds = next(figures)
        time.sleep(seconds)
        return value

    assert cached_summary("test-quick-recount", (), count) == "before"
    assert cached_summary("test-quick-recount", (), count) == "before"  # kept
    archive_changed()
    assert cached_summary("test-quick-recount", (), count) == "before"  # stale, recounted
    drain()
    assert cached_summary("test-quick-recount", (), count) == "after"
