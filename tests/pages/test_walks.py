"""A large list's page read by walking: its SQL is written once, its rows read every time.

``ARCHIVE_WALK_FROM_ROWS`` is lowered so the seed-sized lists are read as a million-quote
archive's are (``archive.walks``).
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import walks
from archive.search import rebuild_index
from archive.views import listing
from tests.factories import make_quote, make_speaker, make_speech, make_theme
from tests.pages.test_keyset_paging import quote_slugs

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    """The quotations of the page's list (not its timeline), in order."""
    assert response.status_code == 200
    html = response.content.decode()
    start = html.find('<ol class="results"')
    return quote_slugs(html[start : html.index("</ol>", start)] if start >= 0 else "")


@pytest.fixture
def archive(settings):
    settings.ARCHIVE_WALK_FROM_ROWS = 1
    settings.ARCHIVE_PAGE_SIZE = 3
    settings.ARCHIVE_SUMMARY_CACHE_SECONDS = 0
    walks.forget_reads()
    theme, speaker = make_theme("Waiting lists", slug="waiting"), make_speaker("Ann Minister")
    for year in (2001, 2002, 2003, 2004):
        speech = make_speech(speaker=speaker, date=dt.date(year, 5, 1))
        make_quote(f"Waiting in {year}.", speech=speech, slug=f"waiting-{year}", themes=[theme])
    return {"theme": theme, "speaker": speaker}


def test_the_same_list_is_walked_without_building_its_query_again(client, archive, walking_built):
    url = "/quotes/?theme=waiting&date_after=2001&quote_kind=direct"  # walked
    first = listed(client.get(url))
    assert first == ["waiting-2004", "waiting-2003", "waiting-2002"]
    assert walking_built == ["QuoteFilter"]
    assert listed(client.get(url)) == first
    assert walking_built == ["QuoteFilter"]  # the kept SQL, run again
    listed(client.get("/quotes/?theme=waiting&date_after=2002&quote_kind=direct"))  # written anew
    assert len(walking_built) == 2


def test_a_kept_read_finds_statements_added_since(client, archive):
    url = "/themes/waiting/"
    assert listed(client.get(url))[0] == "waiting-2004"
    speech = make_speech(speaker=archive["speaker"], date=dt.date(2005, 1, 1))
    make_quote("Waiting in 2005.", speech=speech, slug="waiting-2005", themes=[archive["theme"]])
    assert listed(client.get(url)) == ["waiting-2005", "waiting-2004", "waiting-2003"]


def test_a_slug_given_to_another_theme_lists_that_theme(client, archive):
    assert listed(client.get("/quotes/?theme=waiting"))[0] == "waiting-2004"
    old = archive["theme"]
    old.slug = "waiting-times"
    old.save()
    other = make_theme("Waiting", slug="waiting")
    speech = make_speech(speaker=archive["speaker"], date=dt.date(1999, 1, 1))
    make_quote("Another theme now.", speech=speech, slug="other-1999", themes=[other])
    assert listed(client.get("/quotes/?theme=waiting")) == ["other-1999"]


def test_lists_with_words_are_built_afresh(archive):
    # How words are searched for depends on the rows (the search engine's plans).
    from django.http import QueryDict

    from archive.filters import QuoteFilter
    from archive.models import Quote

    def key(query):
        filterset = QuoteFilter(data=QueryDict(query), queryset=Quote.objects.published())
        assert filterset.is_valid()
        return walks.read_key(filterset, 0, 20)

    assert key("theme=waiting&sort=newest") is not None
    assert key("theme=waiting&q=waiting&sort=newest") is None
    assert key("theme=waiting") != key("theme=waiting&sort=oldest")


def test_a_page_deep_in_the_list_is_its_own_read(client, archive):
    pages = [listed(client.get(f"/themes/waiting/?page={n}")) for n in (1, 2)]
    assert pages == [["waiting-2004", "waiting-2003", "waiting-2002"], ["waiting-2001"]]


def test_kept_reads_are_bounded(client, archive, monkeypatch):
    monkeypatch.setattr(walks, "KEPT_READS", 2)
    for year in (2001, 2002, 2003, 2004):
        listed(client.get(f"/quotes/?theme=waiting&date_before={year}"))
    assert len(walks._reads) == 2


@pytest.mark.parametrize("narrowed", [True, False], ids=["walked", "dated tags"])
def test_the_api_and_the_feeds_keep_their_reads_too(
    client, archive, walking_built, monkeypatch, narrowed
):
    # A theme alone is read from the dated tags (``DatedTagRows``), narrowed by a kind by
    # walking.
    tags_built = []
    original = walks.DatedTagRows.tags
    monkeypatch.setattr(
        walks.DatedTagRows, "tags", lambda self: tags_built.append(1) or original(self)
    )
    more = {"date_after": "2000", "quote_kind": "direct"} if narrowed else {}
    feed_url = (
        "/feeds/quotes/?theme=waiting&quote_kind=direct" if narrowed else "/feeds/themes/waiting/"
    )
    for _ in range(2):
        api = client.get("/api/quotes/", {"theme": "waiting", "page_size": 3, **more}).json()
        assert [q["text"] for q in api["results"]] == [
            "Waiting in 2004.",
            "Waiting in 2003.",
            "Waiting in 2002.",
        ]
        feed = client.get(feed_url).content.decode()
        assert feed.index("waiting-2004") < feed.index("waiting-2001")
    # Once for the API's page, once for the feed's fifty.
    assert (len(walking_built), len(tags_built)) == ((2, 0) if narrowed else (0, 2))


def test_a_page_reached_by_cursor_keeps_its_reads_and_finds_new_rows(
    client, archive, settings, walking_built
):
    settings.ARCHIVE_NUMBERED_ROWS = 3  # one numbered page, then cursors
    first = client.get("/quotes/?theme=waiting").content.decode()
    after = re.search(r'<a rel="next" href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    url = f"/quotes/?{after}"
    assert listed(client.get(url)) == ["waiting-2001"]
    built = len(walking_built)
    assert listed(client.get(url)) == ["waiting-2001"]
    assert len(walking_built) == built  # the cursor page's reads were kept
    speech = make_speech(speaker=archive["speaker"], date=dt.date(2000, 1, 1))
    make_quote("Waiting in 2000.", speech=speech, slug="waiting-2000", themes=[archive["theme"]])
    assert listed(client.get(url)) == ["waiting-2001", "waiting-2000"]
    back = client.get(url).content.decode()
    before = re.search(r'<a rel="prev" href="\?([^"]+)"', back).group(1).replace("&amp;", "&")
    assert listed(client.get(f"/quotes/?{before}")) == [
        "waiting-2004",
        "waiting-2003",
        "waiting-2002",
    ]


@pytest.fixture
def counts_kept(settings, archive):
    """The archive with a quotation that does not say "waiting", indexed for search, its
    counts kept however quick they were, as a million-quote archive's are."""
    settings.ARCHIVE_SUMMARY_CACHE_SECONDS = 300
    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 0
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0
    speech = make_speech(speaker=archive["speaker"], date=dt.date(2000, 1, 1))
    make_quote("Nothing about queues.", speech=speech, slug="other-2000")
    rebuild_index()
    return archive


def words_read(client, url) -> tuple[list[str], str]:
    """The page's quotations, and the SQL of its walk (the read of the list's ids)."""
    with CaptureQueriesContext(connection) as captured:
        slugs = listed(client.get(url))
    walk = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "archive_quote"."id" AS "pk" FROM')
        and "archive_quote_search" in q["sql"]
    ]
    assert len(walk) == 1
    return slugs, walk[0]


def test_a_list_most_statements_match_looks_each_one_up_in_the_index(client, counts_kept):
    url = "/quotes/?q=waiting&sort=newest"
    expected = ["waiting-2004", "waiting-2003", "waiting-2002"]
    # Until the whole list has been counted, the matches are gathered: never slow.
    slugs, sql = words_read(client, url)
    assert slugs == expected
    assert "EXISTS" not in sql
    client.get("/quotes/")  # counts the whole list: 5 quotations, 4 of them match
    slugs, sql = words_read(client, url)
    assert slugs == expected
    if connection.vendor == "sqlite":
        assert "EXISTS" in sql
    assert listed(client.get(url + "&page=2")) == ["waiting-2001"]
    oldest = ["waiting-2001", "waiting-2002", "waiting-2003"]
    assert listed(client.get("/quotes/?q=waiting&sort=oldest")) == oldest


@pytest.mark.parametrize(
    "url",
    ["/api/quotes/?q=waiting&sort=newest", "/feeds/quotes/?q=waiting&sort=newest"],
    ids=["api", "feed"],
)
def test_the_api_and_the_feeds_look_up_what_most_statements_match_too(client, counts_kept, url):
    def read() -> tuple[bytes, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        walk = [q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"]]
        return response.content, " ".join(walk)

    before, sql = read()
    assert "EXISTS" not in sql
    client.get("/quotes/")  # counts the whole list
    after, sql = read()
    if connection.vendor == "sqlite":
        assert "EXISTS" in sql
    for year in (2004, 2003, 2002):
        assert f"Waiting in {year}.".encode() in after
    assert b"Nothing about queues." not in after
    if url.startswith("/api/"):
        assert after == before  # the same page, however it was read


def test_a_list_few_statements_match_gathers_the_matches(client, counts_kept, monkeypatch):
    monkeypatch.setattr(listing, "DENSE_SHARE", 1)  # 4 matches of 5 are now too few
    client.get("/quotes/")
    slugs, sql = words_read(client, "/quotes/?q=waiting&sort=newest")
    assert slugs == ["waiting-2004", "waiting-2003", "waiting-2002"]
    assert "EXISTS" not in sql


def test_whether_words_match_too_many_to_rank_is_counted_once_per_state_of_the_archive(
    client, counts_kept
):
    def counts_of_the_words(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        # Counted no further than a search ranks (SEARCH_MATCH_LIMIT).
        return sum("LIMIT 1001" in q["sql"] for q in captured.captured_queries)

    assert counts_of_the_words("/quotes/?q=waiting") == 1
    assert counts_of_the_words("/quotes/?q=waiting&page=2") == 0
    assert counts_of_the_words("/quotes/?q=queues") == 1  # other words, counted anew
    speech = make_speech(speaker=counts_kept["speaker"], date=dt.date(2005, 1, 1))
    make_quote("Waiting in 2005.", speech=speech, slug="waiting-2005")
    assert counts_of_the_words("/quotes/?q=waiting") == 1  # a write: counted again


def test_a_walk_that_meets_few_matches_where_it_starts_gathers_them_after_a_bound(
    client, counts_kept, monkeypatch
):
    # The words are in 4 of 45 quotations (dense enough), but in none of the 40 newest.
    speaker = counts_kept["speaker"]
    for n in range(40):
        speech = make_speech(speaker=speaker, date=dt.date(2010, 1, 1) + dt.timedelta(days=n))
        make_quote(f"Queues number {n}.", speech=speech, slug=f"queues-{n}")
    rebuild_index()
    monkeypatch.setattr(walks, "_STEPS_PER_CALL", 100)
    monkeypatch.setattr(walks, "BOUND_ROWS_PER_ROW", 1)  # a few rows walked at most
    client.get("/quotes/")  # counts the whole list
    with CaptureQueriesContext(connection) as captured:
        slugs = listed(client.get("/quotes/?q=waiting&sort=newest"))
    assert slugs == ["waiting-2004", "waiting-2003", "waiting-2002"]
    walked = [q["sql"] for q in captured.captured_queries if "archive_quote_search" in q["sql"]]
    if connection.vendor == "sqlite":
        assert "EXISTS" in walked[-2]  # stopped ...
        assert "EXISTS" not in walked[-1]  # ... and read again, gathering the matches
    # Where the bound is not reached, nothing is read twice.
    monkeypatch.setattr(walks, "BOUND_ROWS_PER_ROW", 1000)
    with CaptureQueriesContext(connection) as captured:
        assert listed(client.get("/quotes/?q=waiting&sort=newest")) == slugs
    walked = [q["sql"] for q in captured.captured_queries if "archive_quote_search" in q["sql"]]
    assert (
        len([sql for sql in walked if sql.startswith('SELECT "archive_quote"."id" AS "pk" FROM')])
        == 1
    )


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_bounded_read_stops_and_leaves_the_connection_usable(counts_kept, monkeypatch):
    from django.db.models import Count

    from archive.models import Quote

    monkeypatch.setattr(walks, "_STEPS_PER_CALL", 1)
    with pytest.raises(walks.StepsExceeded), walks.steps_bounded("default", 10):
        list(Quote.objects.values("speech__speaker").annotate(n=Count("pk")))
    assert Quote.objects.count() == 5  # the same connection and transaction, unharmed
    with walks.steps_bounded("default", 1_000_000):
        assert Quote.objects.count() == 5
