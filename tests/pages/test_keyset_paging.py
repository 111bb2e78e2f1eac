"""Paging long lists by position: ``?after=`` / ``?before=`` cursors and capped page numbers.

The thresholds are lowered so a handful of rows behaves like a million-quote archive: pages
are numbered only up to ``ARCHIVE_NUMBERED_ROWS`` rows, and from ``ARCHIVE_WALK_FROM_ROWS``
matching rows a page is read by walking the date index instead of sorting the set. Walking
must give exactly the rows sorting gives.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.filters import QuoteFilter, SpeechFilter
from archive.models import Quote, Speech
from tests.factories import make_quote, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db

CARD_LINK = re.compile(r'href="/quotes/([^/"]+)/"')
SPEECH_LINK = re.compile(r'href="/speeches/([^/"]+)/"')


def quote_slugs(html: str) -> list[str]:
    """The quotations listed on a page, in order (each card links to its quote once); on a
    theme page, those of the list, not of the chart above it."""
    seen: list[str] = []
    for slug in CARD_LINK.findall(html.split('id="results-heading"', 1)[-1]):
        if slug not in seen:
            seen.append(slug)
    return seen


@pytest.fixture
def archive(settings):
    """Quotes over several dates (two speeches on one day, one speech undated), two themes."""
    settings.ARCHIVE_PAGE_SIZE = 3
    settings.ARCHIVE_SUMMARY_CACHE_SECONDS = 0
    health, money = make_theme("Health"), make_theme("Money")
    speaker, other = make_speaker("Ann Minister"), make_speaker("Bob Backbencher")
    dates = [dt.date(2010, 1, 5), dt.date(2011, 3, 1), dt.date(2011, 3, 1), dt.date(2012, 9, 9)]
    speeches = [make_speech(speaker=speaker, date=d) for d in dates]
    speeches.append(make_speech(speaker=other, date=None))
    for n, speech in enumerate(speeches):
        for position in range(3):
            themes = [health] if (n + position) % 3 else [health, money]
            make_quote(
                f"Statement {n}-{position} on the service.",
                speech=speech,
                speaker=other if position == 2 else speech.speaker,
                position=position,
                themes=themes,
            )
    return {"health": health, "money": money, "speaker": speaker}


def expected(order: str = "newest", **filters) -> list[str]:
    """The slugs in list order, straight from the ORM (sorting, never walking)."""
    ordering = QuoteFilter.newest_first if order == "newest" else QuoteFilter.oldest_first
    return list(
        Quote.objects.published()
        .filter(**filters)
        .order_by(*ordering)
        .values_list("slug", flat=True)
    )


def walk(client, url: str, direction: str = "after") -> list[str]:
    """Every quotation met by following Next (or Previous) links from ``url``."""
    seen: list[str] = []
    path = url.split("?")[0]
    for _ in range(50):
        html = client.get(url).content.decode()
        page = quote_slugs(html)
        seen += page if direction == "after" else list(reversed(page))
        rel = "next" if direction == "after" else "prev"
        link = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
        if not link:
            return seen
        url = path + link.group(1).replace("&amp;", "&")
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("walk_from", [1, 10_000], ids=["walking", "sorting"])
@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_following_next_links_visits_every_quote_once_in_order(
    client, settings, archive, walk_from, order
):
    settings.ARCHIVE_NUMBERED_ROWS = 3  # one numbered page, then cursors
    settings.ARCHIVE_WALK_FROM_ROWS = walk_from
    assert walk(client, f"/quotes/?sort={order}") == expected(order)


@pytest.mark.parametrize("walk_from", [1, 10_000], ids=["walking", "sorting"])
def test_filtered_paging_by_theme_and_speaker_matches_the_sorted_list(
    client, settings, archive, walk_from
):
    settings.ARCHIVE_NUMBERED_ROWS = 3
    settings.ARCHIVE_WALK_FROM_ROWS = walk_from
    money, speaker = archive["money"], archive["speaker"]
    got = walk(client, f"/quotes/?theme={money.slug}&speaker={speaker.slug}")
    assert got == expected(themes=money, speaker=speaker)
    assert got  # the filter matches something, so the comparison means something


@pytest.mark.parametrize("walk_from", [1, 10_000], ids=["walking", "sorting"])
@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_a_cursor_kept_from_before_its_speech_was_redated_loses_no_rows(
    client, settings, archive, walk_from, order
):
    # A bookmark names a quotation by its speech's date then; a curator then moves the
    # speech past the bookmark's place in the list: all its quotations now follow it.
    settings.ARCHIVE_NUMBERED_ROWS = 3
    settings.ARCHIVE_WALK_FROM_ROWS = walk_from
    settings.ARCHIVE_PAGE_SIZE = 50  # the rows past the cursor on the page it opens
    keyset = QuoteFilter.keysets[order]
    bookmarked = Quote.objects.select_related("speech").get(slug=expected(order)[4])
    assert bookmarked.position > 0  # quotations before it in its speech are at stake
    cursor = keyset.cursor_of(bookmarked)
    speech = bookmarked.speech
    speech.date += dt.timedelta(days=-400 if order == "newest" else 400)
    speech.save()

    def place(quote: Quote) -> tuple:
        # The list's order as a sort key: undated last, then the date in the list's
        # direction, the speech likewise, then the position in the speech.
        days = quote.speech.date.toordinal() if quote.speech.date else 0
        sign = -1 if order == "newest" else 1
        return (quote.speech.date is None, sign * days, sign * quote.speech_id, quote.position)

    date, group, position, _ = keyset.parse(cursor)
    sign = -1 if order == "newest" else 1
    mark = (False, sign * date.toordinal(), sign * group, position)
    past = [
        quote.slug
        for quote in Quote.objects.published().select_related("speech")
        if place(quote) > mark
    ]
    got = walk(client, f"/quotes/?sort={order}&after={cursor}")
    assert got == [slug for slug in expected(order) if slug in past]
    assert {quote.slug for quote in speech.quotes.all()} <= set(got)


def test_previous_links_lead_back_through_the_same_rows(client, settings, archive):
    settings.ARCHIVE_NUMBERED_ROWS = 3
    settings.ARCHIVE_WALK_FROM_ROWS = 1
    rows = expected()
    keyset = QuoteFilter.keysets["newest"]
    last = Quote.objects.select_related("speech").get(slug=rows[-1])
    # Start past the end and page backwards: the undated speech's quotes, then dated ones.
    url = f"/quotes/?before={keyset.cursor_of(last)}"
    assert walk(client, url, direction="before") == list(reversed(rows[:-1]))


def test_the_last_numbered_page_links_on_by_cursor(client, settings, archive):
    settings.ARCHIVE_NUMBERED_ROWS = 6
    html = client.get("/quotes/?page=2").content.decode()
    assert "Page 2 of 2" in html
    assert re.search(r'<a rel="next" href="\?after=[0-9x_-]+"', html)
    # Asking for a page past the numbered ones says how to go further, never a 500.
    deep = client.get("/quotes/?page=400")
    assert deep.status_code == 200
    assert "follow the “Next” link" in deep.content.decode()


def test_cursor_pages_run_a_constant_number_of_queries(client, settings, archive):
    settings.ARCHIVE_WALK_FROM_ROWS = 1
    keyset = QuoteFilter.keysets["newest"]
    rows = expected()
    counts = []
    for index in (0, 6):
        start = Quote.objects.select_related("speech").get(slug=rows[index])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/quotes/?after={keyset.cursor_of(start)}")
        assert quote_slugs(response.content.decode()) == rows[index + 1 : index + 4]
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "2012-13-01_1_1_1",
        "2012-01-01_1_1",
        "2012-01-01_-1_0_1",
        "2012-01-01_99999999999999999999_0_1",
        "<script>alert(1)</script>",
        "x_1_1_1_1",
    ],
)
def test_a_malformed_cursor_gives_the_first_page_with_a_message(client, archive, cursor):
    response = client.get("/quotes/", {"after": cursor})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That position in the list was not understood" in html
    assert quote_slugs(html) == expected()[:3]
    assert "<script>alert(1)</script>" not in html


def test_speech_list_pages_by_cursor_across_unknown_dates(client, settings, archive):
    settings.ARCHIVE_NUMBERED_ROWS = 3
    settings.ARCHIVE_WALK_FROM_ROWS = 1
    ordered = list(
        Speech.objects.published()
        .order_by(*SpeechFilter.newest_first)
        .values_list("slug", flat=True)
    )
    url, seen = "/speeches/", []
    for _ in range(10):
        html = client.get(url).content.decode()
        for slug in SPEECH_LINK.findall(html):
            if slug not in seen:
                seen.append(slug)
        link = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not link:
            break
        url = "/speeches/" + link.group(1).replace("&amp;", "&")
    assert seen == ordered
    assert Speech.objects.filter(date__isnull=True).exists()


def test_page_links_after_a_malformed_cursor_leave_it_behind(client, settings, archive):
    html = client.get("/quotes/", {"after": "garbage"}).content.decode()
    links = re.findall(r'<a rel="next" href="([^"]+)"', html)
    assert links and all("garbage" not in link for link in links)


# A theme's list with no other filter, newest first, is read from the dated tags' index
# (``DatedTag``), whatever its size: it must give exactly what sorting gives, by page
# number and by cursor, on the theme page, the quotations list, the feed and the API.


def reads_dated_tags(queries) -> bool:
    return any("archive_datedtag" in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def with_draft(archive):
    """A newer speech, still a draft, with quotations on the theme."""
    draft = make_speech(speaker=archive["speaker"], date=dt.date(2020, 1, 1), status="draft")
    make_quote("Not yet public.", speech=draft, themes=[archive["health"], archive["money"]])
    return archive


@pytest.mark.parametrize("walk_from", [1, 10_000], ids=["large", "small"])
@pytest.mark.parametrize("page", ["/quotes/?theme={slug}", "/themes/{slug}/"])
def test_a_themes_pages_come_from_the_dated_tags_in_list_order(
    client, settings, with_draft, walk_from, page
):
    settings.ARCHIVE_NUMBERED_ROWS = 3  # one numbered page, then cursors
    settings.ARCHIVE_WALK_FROM_ROWS = walk_from
    health = with_draft["health"]
    url = page.format(slug=health.slug)
    rows = expected(themes=health)
    assert "not-yet-public" not in " ".join(rows)
    with CaptureQueriesContext(connection) as queries:
        assert walk(client, url) == rows
    assert reads_dated_tags(queries)
    # Back from past the end, through the undated speech's quotations first.
    last = Quote.objects.select_related("speech").get(slug=rows[-1])
    before = f"{url}{'&' if '?' in url else '?'}before="
    before += QuoteFilter.keysets["newest"].cursor_of(last)
    assert walk(client, before, direction="before") == list(reversed(rows[:-1]))


def test_numbered_pages_of_a_theme_come_from_the_dated_tags(client, settings, archive):
    health = archive["health"]
    rows = expected(themes=health)
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/themes/{health.slug}/?page={number}").content.decode()
        assert quote_slugs(html) == rows[(number - 1) * 3 : number * 3]
        assert reads_dated_tags(queries)


def test_other_orders_and_filters_are_not_read_from_the_dated_tags(client, archive):
    health, speaker = archive["health"], archive["speaker"]
    for query, rows, dated in (
        (f"theme={health.slug}&sort=oldest", expected("oldest", themes=health), False),
        (f"theme={health.slug}&quote_kind=direct", expected(themes=health), False),
        (
            f"theme={health.slug}&speaker={speaker.slug}",
            expected(themes=health, speaker=speaker),
            True,  # one speaker on a theme: the tags by speaker's index
        ),
    ):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/quotes/?{query}").content.decode()
        assert quote_slugs(html) == rows[:3]
        assert reads_dated_tags(queries) == dated


def test_a_speech_withdrawn_or_redated_moves_its_quotations_in_the_theme(client, archive):
    health = archive["health"]
    newest = Speech.objects.published().filter(date__isnull=False).order_by("-date").first()
    oldest = Speech.objects.filter(date__isnull=False).order_by("date").first()
    first_page = quote_slugs(client.get(f"/themes/{health.slug}/").content.decode())
    assert set(first_page) & set(newest.quotes.values_list("slug", flat=True))
    newest.status = "draft"
    newest.save()
    shown = quote_slugs(client.get(f"/themes/{health.slug}/").content.decode())
    assert not set(shown) & set(newest.quotes.values_list("slug", flat=True))
    assert shown == expected(themes=health)[:3]
    oldest.date = dt.date(2030, 1, 1)
    oldest.save()
    shown = quote_slugs(client.get(f"/themes/{health.slug}/").content.decode())
    assert shown == expected(themes=health)[:3]
    assert shown[0] in set(oldest.quotes.values_list("slug", flat=True))


def test_a_themes_feed_and_api_list_come_from_the_dated_tags(client, with_draft):
    health = with_draft["health"]
    rows = expected(themes=health)
    with CaptureQueriesContext(connection) as queries:
        feed = client.get(f"/feeds/themes/{health.slug}/").content.decode()
    assert reads_dated_tags(queries)
    entries = re.findall(r'<link href="[^"]*/quotes/([^/"]+)/"', feed)
    assert list(dict.fromkeys(entries)) == rows
    with CaptureQueriesContext(connection) as queries:
        api = client.get("/api/quotes/", {"theme": health.slug, "page_size": 100}).json()
    assert reads_dated_tags(queries)
    assert [quote["id"] for quote in api["results"]] == rows


@pytest.fixture
def vague_dates(archive):
    """Speeches dated to the month and to the year, and one to the day near them."""
    speaker, health = archive["speaker"], archive["health"]
    for date, precision in (
        (dt.date(2011, 3, 1), "month"),
        (dt.date(2011, 1, 1), "year"),
        (dt.date(2011, 2, 10), "day"),
    ):
        speech = make_speech(speaker=speaker, date=date, date_precision=precision)
        make_quote(f"Said in {precision} {date}.", speech=speech, themes=[health])
    return archive


@pytest.mark.parametrize(
    "dates",
    [
        {"date_after": "2011-03-15"},
        {"date_after": "2011-03"},
        {"date_after": "2011-02-11"},
        {"date_after": "2011"},
        {"date_after": "2012"},
        {"date_before": "2011-02"},
        {"date_after": "2011-02-11", "date_before": "2011-12"},
    ],
)
def test_a_themes_list_between_dates_comes_from_the_dated_tags(
    client, settings, vague_dates, dates
):
    from django.http import QueryDict

    settings.ARCHIVE_NUMBERED_ROWS = 3  # one numbered page, then cursors
    health = vague_dates["health"]
    data = QueryDict(mutable=True)
    data.update({"theme": health.slug, **dates})
    # The same filters on a set the dated tags do not hold: the quotations' own filters.
    other = Quote.objects.published().filter(pk__gt=0)
    sorted_set = QuoteFilter(data=data, queryset=other)
    assert sorted_set.dated_theme() is None
    rows = list(sorted_set.qs.values_list("slug", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert walk(client, f"/quotes/?{data.urlencode()}") == rows
    assert reads_dated_tags(queries)


def speech_slugs(html: str) -> list[str]:
    return list(dict.fromkeys(SPEECH_LINK.findall(html.split('id="results-heading"', 1)[-1])))


def walk_speeches(client, url: str) -> list[str]:
    """Every speech met by following Next links from ``url``."""
    seen: list[str] = []
    for _ in range(50):
        html = client.get(url).content.decode()
        seen += speech_slugs(html)
        link = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not link:
            return seen
        url = "/speeches/" + link.group(1).replace("&amp;", "&")
    raise AssertionError("paging did not end")


@pytest.mark.parametrize(
    "dates", [{}, {"date_after": "2011-02-11"}, {"date_before": "2011-02"}], ids=str
)
def test_a_themes_speeches_come_from_the_dated_tags_each_once(
    client, settings, vague_dates, with_draft, dates
):
    from django.http import QueryDict

    settings.ARCHIVE_NUMBERED_ROWS = 2  # one numbered page, then cursors
    health = vague_dates["health"]
    data = QueryDict(mutable=True)
    data.update({"theme": health.slug, **dates})
    other = Speech.objects.published().filter(pk__gt=0)  # not held by the dated tags
    sorted_set = SpeechFilter(data=data, queryset=other)
    assert sorted_set.dated_theme() is None
    rows = list(sorted_set.qs.values_list("slug", flat=True))
    assert len(rows) == len(set(rows)) > 1  # several quotations on a theme, one speech
    with CaptureQueriesContext(connection) as queries:
        assert walk_speeches(client, f"/speeches/?{data.urlencode()}") == rows
    assert reads_dated_tags(queries)
    api = client.get("/api/speeches/", {**dates, "theme": health.slug, "page_size": 100})
    assert [speech["id"] for speech in api.json()["results"]] == rows


def test_a_theme_with_nothing_published_on_it_lists_nothing(client, archive):
    draft = make_speech(speaker=archive["speaker"], status="draft")
    quiet = make_theme("Quiet")
    make_quote("Not yet public either.", speech=draft, themes=[quiet])
    for url in (f"/themes/{quiet.slug}/", f"/quotes/?theme={quiet.slug}"):
        response = client.get(url)
        assert response.status_code == 200
        assert quote_slugs(response.content.decode()) == []
    feed = client.get(f"/feeds/themes/{quiet.slug}/")
    assert feed.status_code == 200
    assert "<entry>" not in feed.content.decode()
    api = client.get("/api/quotes/", {"theme": quiet.slug})
    assert api.status_code == 200
    assert api.json()["results"] == []


def test_a_malformed_cursor_beside_a_page_number_says_which_page_is_shown(client, archive):
    html = client.get("/quotes/", {"after": "x", "page": "2"}).content.decode()
    assert "That position in the list was not understood, so it was left out." in html
    assert "so this is the first page" not in html
    assert quote_slugs(html) == expected()[3:6]
