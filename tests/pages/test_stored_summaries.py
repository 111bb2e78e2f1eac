"""Slow summaries kept in the database: a server with an empty cache finds them counted."""

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from archive.filters import StatementFilterSet
from archive.models import StoredSummary
from archive.views import summaries
from archive.views.summaries import VERSION_KEY, archive_changed, cached_summary
from tests.factories import make_quote, make_sample_archive
from tests.pages.helpers import select_options

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stored(settings):
    settings.ARCHIVE_STORED_SUMMARIES = True
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0  # every summary counts as slow
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def archive(_stored, db, django_capture_on_commit_callbacks):
    """The sample archive, committed: its writes' on-commit work (keeping the data version
    in the database) has run, as after a curator's save."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_sample_archive()


def counted(value):
    """A summary's compute function that records each call."""
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_summary_outlives_the_cache():
    compute, calls = counted({"quotes": 7})
    cached_summary("test", ("a",), compute)
    cache.clear()  # a server started afresh, or another machine
    assert cached_summary("test", ("a",), compute) == {"quotes": 7}
    assert calls == [1]
    assert StoredSummary.objects.filter(name="test").count() == 1


def test_a_renamed_database_keeps_its_stored_summaries(monkeypatch):
    compute, calls = counted({"quotes": 7})
    cached_summary("test", ("a",), compute)
    cache.clear()
    # The SQLite file moved, or a backup restored into a database of another name: the
    # rows came with the data, and the cache (which databases may share) has none of them.
    monkeypatch.setitem(connection.settings_dict, "NAME", "/elsewhere/archive.sqlite3")
    assert cached_summary("test", ("a",), compute) == {"quotes": 7}
    assert calls == [1]


def test_databases_sharing_a_cache_do_not_read_each_others_summaries(monkeypatch):
    cached_summary("test", ("a",), counted("first database")[0])
    monkeypatch.setitem(connection.settings_dict, "NAME", "/elsewhere/other.sqlite3")
    compute, calls = counted("second database")
    assert cached_summary("test", ("a",), compute) == "second database"
    assert calls == [1]


def test_after_a_write_the_stored_summary_is_counted_again(django_capture_on_commit_callbacks):
    first, _ = counted("before")
    cached_summary("test", ("a",), first)
    with django_capture_on_commit_callbacks(execute=True):
        archive_changed()
    cache.clear()
    second, calls = counted("after")
    # Counted here (no counting thread in tests); a server with one would show "before" once.
    assert cached_summary("test", ("a",), second) == "after"
    assert calls == [1]
    stored = StoredSummary.objects.get(name="test")
    assert stored.version == StoredSummary.objects.get(key=VERSION_KEY).version


def test_a_stale_summary_comes_back_from_the_database_stale(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ARCHIVE_BACKGROUND_COUNTS = True
    first, _ = counted("before")
    cached_summary("test", ("a",), first)
    with django_capture_on_commit_callbacks(execute=True):
        archive_changed()
    cache.clear()
    submitted = []
    monkeypatch.setattr(summaries.background, "submit", lambda job: submitted.append(job) or True)
    second, calls = counted("after")
    assert cached_summary("test", ("a",), second) == "before"  # shown while recounted
    assert calls == [] and len(submitted) == 1
    submitted[0]()
    assert calls == [1]
    cache.clear()
    assert cached_summary("test", ("a",), second) == "after"


def test_summaries_without_number_are_kept_in_the_cache_only():
    compute, calls = counted(3)
    cached_summary("search", ("words",), compute, keep=False)
    assert not StoredSummary.objects.filter(name="search").exists()
    cache.clear()
    cached_summary("search", ("words",), compute, keep=False)
    assert calls == [1, 1]


def test_a_stored_summary_that_cannot_be_read_is_counted_again():
    compute, calls = counted("good")
    cached_summary("test", ("a",), compute)
    StoredSummary.objects.filter(name="test").update(value=b"not a pickle")
    cache.clear()
    assert cached_summary("test", ("a",), compute) == "good"
    assert calls == [1, 1]


def test_a_database_that_refuses_the_write_costs_only_a_recount(monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("read-only")

    monkeypatch.setattr(StoredSummary.objects, "bulk_create", refuse)
    compute, calls = counted("counted")
    assert cached_summary("test", ("a",), compute) == "counted"
    assert cached_summary("test", ("a",), compute) == "counted"  # still in the cache
    assert calls == [1]


def test_searches_are_not_kept_but_browsed_lists_are(client, archive):
    client.get("/quotes/", {"q": "reconfiguration"})
    assert not StoredSummary.objects.exclude(key=VERSION_KEY).exists()
    client.get("/quotes/", {"theme": archive.reconfig.slug})
    names = set(StoredSummary.objects.values_list("name", flat=True))
    assert {"facet", "total"} <= names


def test_count_archive_makes_the_counts_a_fresh_server_shows(
    client, archive, monkeypatch, django_capture_on_commit_callbacks
):
    output = io.StringIO()
    call_command("count_archive", speakers=5, stdout=output)
    # Each of the sample's three themes: its page and the two lists filtered by it.
    assert "themes: 9 pages" in output.getvalue()
    cache.clear()

    def no_counting(self, key):
        raise AssertionError(f"counted {key} again")

    monkeypatch.setattr(StatementFilterSet, "facet_rows", no_counting)
    response = client.get("/quotes/", {"theme": archive.reconfig.slug})
    assert response.status_code == 200
    assert select_options(response, "speaker")[archive.lansley.slug].startswith("Andrew Lansley (")
    response = client.get(f"/themes/{archive.reconfig.slug}/")
    assert response.status_code == 200 and not response.context["counts_pending"]


def test_a_new_quote_shows_in_stored_counts(client, archive, django_capture_on_commit_callbacks):
    before = select_options(client.get("/quotes/"), "speaker")[archive.alessi.slug]
    assert before == "Charles Alessi (1)"
    with django_capture_on_commit_callbacks(execute=True):
        make_quote("A second remark.", speech=archive.speech_2012, speaker=archive.alessi)
    cache.clear()
    after = select_options(client.get("/quotes/"), "speaker")[archive.alessi.slug]
    assert after == "Charles Alessi (2)"


def test_a_transaction_of_many_writes_stores_the_version_once(
    archive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        for n in range(5):
            make_quote(f"Remark {n}.", speech=archive.speech_2012, speaker=archive.alessi)
    # One for the five writes, one for the search index's update after them (which, in a
    # real commit, runs outside the transaction and stores its version at once).
    assert len([hook for hook in hooks if hook.__qualname__.endswith("committed")]) == 2
    stored = StoredSummary.objects.get(key=VERSION_KEY).version
    assert stored == cache.get(VERSION_KEY)


def test_a_write_rolled_back_leaves_the_next_one_stored(
    archive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            archive_changed()
            raise RuntimeError("the curator's save failed")
        archive_changed()
    assert StoredSummary.objects.get(key=VERSION_KEY).version == cache.get(VERSION_KEY)


def test_a_server_copies_in_the_newest_summaries_up_to_its_limit(monkeypatch):
    for name in ("old", "new"):
        compute, _ = counted("x" * 1000)
        cached_summary(name, (), compute)
    StoredSummary.objects.filter(name="old").update(counted_at="2020-01-01T00:00:00Z")
    monkeypatch.setattr(summaries, "RESTORE_MAX_BYTES", 1500)
    cache.clear()
    again, calls = counted("x" * 1000)
    cached_summary("new", (), again)
    assert calls == []  # copied in
    cached_summary("old", (), again)
    assert calls == [1]  # over the limit: counted again


def test_a_theme_chart_from_the_database_is_drawn_as_counted(client, monkeypatch):
    # Two charted of three: the table's caption says how many it lists.
    monkeypatch.setattr("archive.insight.timeline.MAX_MARKS", 2)
    with transaction.atomic():
        quotes = [make_quote(text=f"Waiting lists will fall by {n} per cent.") for n in (1, 2, 3)]
        theme = quotes[0].themes.create(name="Waiting times", slug="waiting-times")
        theme.quotes.add(*quotes)
    first = client.get(theme.get_absolute_url()).content.decode()
    cache.clear()  # a server started afresh: the chart comes from the database
    again = client.get(theme.get_absolute_url()).content.decode()
    assert "(the latest 2)" in again
    assert again.count('class="timeline__mark') == 2
    assert again == first


def test_a_new_timeline_format_changes_only_the_timelines_keys(monkeypatch):
    before = {name: summaries.stored_key(name, 1) for name in ("theme-timeline", "facet")}
    monkeypatch.setitem(
        summaries.FORMATS, "theme-timeline", summaries.FORMATS["theme-timeline"] + 1
    )
    assert summaries.stored_key("theme-timeline", 1) != before["theme-timeline"]
    assert summaries.stored_key("facet", 1) == before["facet"]


@pytest.mark.parametrize(
    "name",
    [
        "0015_forget_timelines_drawn_in_parts",
        "0023_forget_timelines_of_format_3",
        "0036_forget_timelines_of_format_6",
    ],
)
def test_the_migration_dropping_old_timelines_keeps_every_count(name):
    migration = importlib.import_module(f"archive.migrations.{name}")
    for name in ("theme-timeline", "speaker-timeline", "facet", "total"):
        compute, _ = counted(name)
        cached_summary(name, (), compute)
    migration.forget_timelines(django_apps, SimpleNamespace(connection=connection))
    names = set(StoredSummary.objects.exclude(key=VERSION_KEY).values_list("name", flat=True))
    assert names == {"facet", "total"}
