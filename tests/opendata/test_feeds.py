"""Atom feeds under /feeds/: valid Atom, escaped text, advertised on the matching pages."""

import datetime as dt
import io
import re

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.feeds import FEED_ITEMS
from archive.models import Quote, Speech, Status
from archive.services import publish_speech
from tests.factories import make_quote, make_speaker, make_speech, make_theme
from tests.opendata.conftest import ATOM, parse_atom

pytestmark = pytest.mark.django_db

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SEED_FEEDS = [
    "/feeds/quotes/",
    "/feeds/speeches/",
    "/feeds/quotes/?theme=provider-failure&sort=oldest",
    "/feeds/speeches/?speaker=andrew-lansley",
    "/feeds/speakers/patricia-hewitt/",
    "/feeds/themes/service-reconfiguration/",
    "/feeds/search/?q=commissioners",
    "/feeds/new/",
    "/feeds/new/?speaker=andrew-lansley",
]


def only(element, tag):
    found = element.findall(f"{ATOM}{tag}")
    assert len(found) == 1, f"{element.tag} has {len(found)} <{tag}>"
    return found[0]


def assert_valid_atom(response):
    """The elements RFC 4287 requires, with the values it requires of them."""
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_atom(response)
    assert root.tag == f"{ATOM}feed"
    assert only(root, "id").text.startswith("http://testserver/")
    assert only(root, "title").text
    assert RFC3339.match(only(root, "updated").text)
    rels = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert rels["self"].startswith("http://testserver/feeds/")
    assert rels["alternate"].startswith("http://testserver/")
    feed_author = root.find(f"{ATOM}author/{ATOM}name")
    entries = root.findall(f"{ATOM}entry")
    ids = []
    for entry in entries:
        ids.append(only(entry, "id").text)
        assert only(entry, "title").text
        assert RFC3339.match(only(entry, "updated").text)
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href").startswith("http://testserver/")
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None or feed_author is not None
    assert len(ids) == len(set(ids)), "entry ids repeat"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return root, entries


@pytest.mark.parametrize("url", SEED_FEEDS)
def test_every_feed_is_valid_atom_with_entries(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200
    _, entries = assert_valid_atom(response)
    assert entries


def test_an_empty_feed_is_still_valid_atom(client, db):
    theme = make_theme("Nothing yet")
    _, entries = assert_valid_atom(client.get(f"/feeds/themes/{theme.slug}/"))
    assert entries == []


def test_an_entry_names_the_speaker_the_date_and_links_to_the_permalink(client, db):
    speaker = make_speaker("Patricia Hewitt")
    speech = make_speech("Hewitt to the NHS Alliance", speaker=speaker, date=dt.date(2006, 3, 9))
    quote = make_quote("I will absolutely back you.", speech=speech)
    parsed = feedparser.parse(client.get(f"/feeds/speakers/{speaker.slug}/").content)
    [entry] = parsed.entries
    assert entry.id == f"http://testserver{quote.get_absolute_url()}"
    assert entry.link == entry.id
    assert entry.author == "Patricia Hewitt"
    assert "9 March 2006" in entry.title
    assert "I will absolutely back you." in entry.summary


def test_a_quotation_of_several_paragraphs_keeps_them_in_its_entry(client, db):
    text = "Services must change.\n\nWhile rarely popular, it is right <b>now</b>."
    make_quote(text, speech=make_speech(text=text))
    root, _ = assert_valid_atom(client.get("/feeds/quotes/"))
    summary = root.find(f"{ATOM}entry/{ATOM}summary").text
    assert (
        "<blockquote><p>Services must change.</p>\n\n"
        "<p>While rarely popular, it is right &lt;b&gt;now&lt;/b&gt;.</p></blockquote>"
    ) in summary


def test_text_is_escaped_before_it_becomes_the_entrys_html(client, db):
    make_quote('He said <script>alert("x")</script> & left.')
    root, _ = assert_valid_atom(client.get("/feeds/quotes/"))
    summary = root.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    # After XML parsing, the HTML a reader renders still has the tag escaped: shown, not run.
    assert "&lt;script&gt;" in summary.text
    assert "<script>" not in summary.text


def test_drafts_never_reach_a_feed(client, db):
    draft = make_speech("Secret draft", status=Status.DRAFT)
    make_quote("Secret words.", speech=draft)
    for url in ("/feeds/quotes/", "/feeds/speeches/", "/feeds/new/"):
        assert b"Secret" not in client.get(url).content


def test_a_feed_holds_at_most_its_limit_newest_first(client, db):
    speaker = make_speaker()
    for n in range(FEED_ITEMS + 3):
        make_quote(f"Words {n}.", speech=make_speech(speaker=speaker, date=dt.date(2000 + n, 1, 1)))
    parsed = feedparser.parse(client.get("/feeds/quotes/").content)
    assert len(parsed.entries) == FEED_ITEMS
    assert f"Words {FEED_ITEMS + 2}." in parsed.entries[0].summary


def test_a_statement_published_today_leads_the_new_feed_whatever_its_date(client, admin_user):
    speaker = make_speaker("Frank Dobson")
    for n in range(FEED_ITEMS):
        make_speech(f"Recent {n}", speaker=speaker, date=dt.date(2020, 1, 1) + dt.timedelta(n))
    old = make_speech("Dobson on waiting lists", speaker=speaker, date=dt.date(1998, 3, 2))
    Speech.objects.filter(pk=old.pk).update(status=Status.DRAFT, published_at=None)
    old.refresh_from_db()
    publish_speech(old, by=admin_user)  # back-filled: added to the archive today

    # Statement date first: it is 51st, past the end of the latest statements' feed …
    assert "Dobson on waiting lists" not in client.get("/feeds/speeches/").content.decode()
    # … and the first entry of the newly published, dated when it was published.
    parsed = feedparser.parse(client.get("/feeds/new/", {"speaker": speaker.slug}).content)
    assert len(parsed.entries) == FEED_ITEMS
    first = parsed.entries[0]
    assert first.id == f"http://testserver{old.get_absolute_url()}"
    assert "2 March 1998" in first.title
    old.refresh_from_db()
    assert first.published_parsed[:6] == old.published_at.utctimetuple()[:6]


def test_the_new_feed_takes_the_speeches_filters(client, db):
    make_speech("Hewitt on budgets", speaker=make_speaker("Patricia Hewitt"))
    other = make_speech("Lansley on outcomes", speaker=make_speaker("Andrew Lansley"))
    parsed = feedparser.parse(client.get("/feeds/new/", {"speaker": other.speaker.slug}).content)
    assert [entry.title.split(" (")[0] for entry in parsed.entries] == ["Lansley on outcomes"]
    assert "Speaker: Andrew Lansley" in parsed.feed.title


def test_a_search_longer_than_the_search_reads_is_refused_not_cut(client, db):
    # The lists' feeds, CSV and the API refuse it; the search feed searched its first 200.
    words = "nhs " * 60
    for url in ("/feeds/search/", "/feeds/quotes/"):
        response = client.get(url, {"q": words})
        assert response.status_code == 400, url
        assert "Use at most 200 characters." in response.content.decode()
    assert client.get("/feeds/search/", {"q": ("nhs " * 50)[:200]}).status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/feeds/new/?speaker=nobody", 400),
        ("/feeds/quotes/?theme=no-such-theme", 400),
        ("/feeds/speeches/?date_after=yesterday", 400),
        ("/feeds/search/", 400),
        ("/feeds/search/?q=", 400),
        ("/feeds/search/?q=words&speaker=nobody", 400),
        ("/feeds/search/?q=words&show=bogus", 400),
        # A control character, refused as the lists' feeds refuse it (it was an empty feed).
        ("/feeds/search/?q=%00", 400),
        ("/feeds/search/?q=nhs%01", 400),
        ("/feeds/speakers/nobody/", 404),
        ("/feeds/themes/nothing/", 404),
    ],
)
def test_unusable_requests_are_refused_clearly(client, db, url, status):
    response = client.get(url)
    assert response.status_code == status
    if status == 400:
        assert "could not be used" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["theme={other}", "theme={own}&theme={own}", "theme={own}&theme={other}"],
)
def test_a_themes_feed_asked_for_another_theme_says_so(client, db, query):
    own, other = make_theme("Accountability"), make_theme("Competition")
    url = f"/feeds/themes/{own.slug}/?" + query.format(own=own.slug, other=other.slug)
    response = client.get(url)
    assert response.status_code == 400
    assert "This feed is already for one theme" in response.content.decode()
    # Its own theme named again, once, is the same feed.
    assert client.get(f"/feeds/themes/{own.slug}/?theme={own.slug}").status_code == 200


def test_a_speakers_feed_asked_for_two_speakers_says_so(client, db):
    speaker = make_speaker("Andrew Lansley")
    response = client.get(f"/feeds/speakers/{speaker.slug}/?speaker=a&speaker=b")
    assert response.status_code == 400
    assert "This feed is already for one speaker" in response.content.decode()


def test_a_narrowed_speakers_feed_links_to_the_list_it_mirrors(client, db):
    theme = make_theme("Waiting times", slug="waiting-times")
    quote = make_quote("Waits must fall.", themes=[theme])
    slug = quote.speaker.slug
    plain = parse_atom(client.get(f"/feeds/speakers/{slug}/"))
    narrowed = parse_atom(client.get(f"/feeds/speakers/{slug}/?theme=waiting-times&page=2"))

    def page_link(root):
        return next(
            link.get("href")
            for link in root.findall(f"{ATOM}link")
            if link.get("rel") == "alternate"
        )

    assert page_link(plain) == f"http://testserver/speakers/{slug}/"
    # The speaker's page takes no theme: the quotes list filtered by both does.
    assert page_link(narrowed) == (f"http://testserver/quotes/?theme=waiting-times&speaker={slug}")
    listed = client.get(f"/quotes/?theme=waiting-times&speaker={slug}").content.decode()
    assert quote.get_absolute_url() in listed


def alternates(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    head = html[: html.index("</head>")]
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">', head
    )


def test_pages_advertise_their_feeds(client, seed):
    assert [href for _, href in alternates(client.get("/"))] == [
        "/feeds/speeches/",
        "/feeds/quotes/",
        "/feeds/new/",
    ]
    quotes = client.get("/quotes/", {"theme": "provider-failure", "page": "2", "kind": "x"})
    assert [href for _, href in alternates(quotes)] == ["/feeds/quotes/?theme=provider-failure"]
    speeches = client.get("/speeches/", {"speaker": "andrew-lansley"})
    assert [href for _, href in alternates(speeches)] == [
        "/feeds/speeches/?speaker=andrew-lansley",
        "/feeds/new/?speaker=andrew-lansley",
    ]
    theme = client.get("/themes/accountability/")
    assert [href for _, href in alternates(theme)] == ["/feeds/themes/accountability/"]
    speaker = client.get("/speakers/andrew-lansley/")
    assert alternates(speaker) == [
        ("Quotations by Andrew Lansley — Health Policy Archive", "/feeds/speakers/andrew-lansley/")
    ]
    search = client.get("/search/", {"q": "commissioners", "sort": "oldest"})
    assert [href for _, href in alternates(search)] == ["/feeds/search/?q=commissioners"]


def test_every_advertised_feed_answers_with_atom(client, seed):
    for page in ("/", "/quotes/?theme=provider-failure", "/themes/accountability/", "/speeches/",
                 "/speakers/andrew-lansley/", "/search/?q=commissioners",
                 "/offices/secretary-of-state-for-health/"):  # fmt: skip
        for _, href in alternates(client.get(page)):
            assert_valid_atom(client.get(href.replace("&amp;", "&")))


def test_a_feed_whose_list_is_counted_decides_how_to_read_without_counting(
    client, db, settings, kept_totals
):
    settings.ARCHIVE_WALK_FROM_ROWS = 3  # a theme of 4 quotations is read by walking
    theme = make_theme("Waiting times")
    for year in (2001, 2004, 2002, 2003):
        make_quote(
            f"Waits in {year}.", speech=make_speech(date=dt.date(year, 1, 1)), themes=[theme]
        )
    # Narrowed further than the theme: the theme alone is read in order without a count
    # (from the dated tags, below).
    query = f"theme={theme.slug}&quote_kind=direct"

    def read_feed(url: str) -> tuple[list[str], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            entries = feedparser.parse(client.get(url).content).entries
        counts = [
            q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")
        ]
        return [entry.summary.split("</p>")[0] for entry in entries], counts

    newest_first = [f"<blockquote><p>Waits in {y}." for y in (2004, 2003, 2002, 2001)]
    before, counted = read_feed(f"/feeds/quotes/?{query}")
    assert counted  # how many there are decides whether the feed walks the date index
    assert client.get(f"/quotes/?{query}").context["total"] == 4
    after, counted = read_feed(f"/feeds/quotes/?{query}")
    assert counted == []  # the list page's total decided it
    assert after == before == newest_first
    assert read_feed(f"/feeds/themes/{theme.slug}/") == (newest_first, [])


@pytest.mark.parametrize("walk_from", [1, 10_000], ids=["walking", "sorting"])
def test_a_feeds_queries_do_not_grow_with_its_entries(client, db, settings, walk_from):
    from tests.factories import make_office

    settings.ARCHIVE_WALK_FROM_ROWS = walk_from
    theme = make_theme("Waiting times")

    def add(n: int) -> None:
        for i in range(n):
            speaker = make_speaker(f"Speaker {n}-{i}")
            make_office(speaker, post=f"Post {n}-{i}", start_date=dt.date(1990, 1, 1))
            speech = make_speech(speaker=speaker, date=dt.date(2000 + i, 1, 1))
            make_quote(f"Waits {n}-{i}.", speech=speech, speaker=speaker, themes=[theme])

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/feeds/themes/{theme.slug}/")
        entries = feedparser.parse(response.content).entries
        assert all("Post " in entry.summary for entry in entries)  # each with its office
        return len(entries), len(captured.captured_queries)

    add(1)
    one, few = queries()
    add(9)
    ten, many = queries()
    assert (one, ten) == (1, 10)
    assert many == few


def test_a_feed_written_whole_is_byte_for_byte_djangos_atom():
    """The feeds write their document into a string and hand it over whole; the bytes are
    those Django's own Atom writer gives, markup and escaping included."""
    from django.utils.feedgenerator import Atom1Feed

    from archive.feeds import BufferedAtomFeed

    when = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)
    written = []
    for kind in (Atom1Feed, BufferedAtomFeed):
        feed = kind(
            title="Quotations — “Health & <care>”",
            link="https://archive.example/quotes/",
            description="Words: <script>alert(1)</script>",
            feed_url="https://archive.example/feeds/quotes/?q=a&b",
            language="en-gb",
        )
        feed.add_item(
            title="Ann Smith: “Beds & wards <now>” (March 2024)",
            link="https://archive.example/quotes/ann/",
            description="<blockquote><p>Beds &amp; wards</p></blockquote>",
            unique_id="https://archive.example/quotes/ann/",
            author_name="Ann Smith",
            categories=["Workforce & pay", "Ünïcode"],
            pubdate=when,
            updateddate=when,
        )
        # Attribute values with each kind of quote mark, line breaks, tabs and markup.
        feed.add_item(
            title="",
            link="https://archive.example/quotes/o-neill/?a=1&b=<2>",
            description="",
            author_name="Mary O'Neill",
            categories=['Say "no"', "It's", "Both ' and \"", "Lines\nand\ttabs\r", "<&>"],
        )
        out = io.BytesIO()
        feed.write(out, "utf-8")
        written.append(out.getvalue())
    django_atom, whole = written
    assert whole == django_atom
    assert whole.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert "Ünïcode".encode() in whole
    assert b"term='Say \"no\"'" in whole and b'term="Both \' and &quot;"' in whole


def test_control_characters_xml_cannot_carry_are_written_as_breaks_or_spaces():
    """Django's Atom writer refuses them (a 500 for every reader of the feed); ours writes a
    pasted line or page break as a line break and any other as a space."""
    from archive.feeds import BufferedAtomFeed

    feed = BufferedAtomFeed(title="Quotations", link="https://archive.example/", description="")
    feed.add_item(
        title="Bell\x07rings",
        link="https://archive.example/q/",
        description="line\x0bbreak\x0cpage",
        categories=["Tab\x1bbed"],
    )
    out = io.BytesIO()
    feed.write(out, "utf-8")
    document = out.getvalue().decode()
    assert "Bell rings" in document
    assert "line\nbreak\npage" in document
    assert 'term="Tab bed"' in document
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", document)


@pytest.mark.parametrize(
    ("url", "written"),
    [
        ("/feeds/quotes/", "Beds\nwards and more"),
        ("/feeds/speakers/{speaker}/", "Beds\nwards and more"),
        ("/feeds/themes/{theme}/", "Beds\nwards and more"),
        ("/feeds/new/", "A summary\nin two lines"),
        ("/feeds/speeches/", "A summary\nin two lines"),
    ],
)
def test_a_record_holding_a_control_character_does_not_break_its_feeds(client, db, url, written):
    # Saved before the forms refused them (or by a script): the feeds must still answer.
    theme = make_theme("Waiting\x0btimes", slug="waiting-times")
    quote = make_quote(text="Beds\x0cwards and\x07more", themes=[theme])
    Speech.objects.filter(pk=quote.speech_id).update(summary="A summary\x0bin two lines")
    response = client.get(url.format(speaker=quote.speaker.slug, theme=theme.slug))
    assert response.status_code == 200
    assert_valid_atom(response)
    assert written in response.content.decode()


def test_every_feed_is_byte_for_byte_what_djangos_atom_writes(client, seed, settings, monkeypatch):
    from django.utils.feedgenerator import Atom1Feed

    from archive.feeds import ArchiveFeed

    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    quick = {url: client.get(url, secure=url.endswith("/")).content for url in SEED_FEEDS}
    monkeypatch.setattr(ArchiveFeed, "feed_type", Atom1Feed)
    for url, document in quick.items():
        assert client.get(url, secure=url.endswith("/")).content == document, url


def test_every_feed_writes_the_entries_djangos_feed_would(client, seed, settings, monkeypatch):
    """``ArchiveFeed.get_feed`` asks its ``item_*`` methods for each entry directly; every
    kind of feed is, byte for byte, the document Django's own ``Feed.get_feed`` makes."""
    from django.contrib.syndication.views import Feed

    from archive.feeds import ArchiveFeed

    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    quick = {url: client.get(url, secure=url.endswith("/")).content for url in SEED_FEEDS}
    monkeypatch.setattr(ArchiveFeed, "get_feed", Feed.get_feed)
    for url, document in quick.items():
        assert client.get(url, secure=url.endswith("/")).content == document, url
        assert document.count(b"<entry>") >= 1


def test_a_feed_entrys_themes_are_the_quotations_themes_in_their_order(seed):
    """Entries read their themes' names only (``quote_records(entries=True)``): the same
    names, in the same order, as each quotation's ``themes.all()``, for every quotation."""
    from archive.views.reads import quote_records

    quotes = list(Quote.objects.published().prefetch_related("themes"))
    entries = {entry.pk: entry for entry in quote_records([q.pk for q in quotes], entries=True)}
    assert len(entries) == len(quotes)
    for quote in quotes:
        assert entries[quote.pk].theme_names == [theme.name for theme in quote.themes.all()]
    assert any(len(entry.theme_names) > 1 for entry in entries.values())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "One.",
        "Exactly fourteen words here, one two three four five six seven eight nine ten.",
        "Fifteen words: one two three four five six seven eight nine ten eleven twelve thirteen.",
        "  Spaces\tand\nnew lines   between   words, “quotes” & <tags> in a long line of text.",
    ],
)
def test_an_entry_titles_first_words_are_djangos_truncation(text):
    from django.utils.text import Truncator

    from archive.feeds import TITLE_WORDS
    from archive.words import first_words

    assert first_words(text, TITLE_WORDS, "…") == Truncator(text).words(TITLE_WORDS)


def test_a_feeds_title_names_an_office_by_its_post_not_another_holders_term(client, seed):
    # Hewitt held the post before Lansley: her term must not appear in his feed's title.
    url = "/feeds/quotes/?speaker=andrew-lansley&office=secretary-of-state-for-health"
    title = feedparser.parse(client.get(url).content).feed.title
    assert "Office held: Secretary of State for Health" in title
    assert "2005" not in title and "(" not in title.split("Office held: ")[1]


def test_a_theme_or_speaker_feed_narrowed_further_says_so_in_its_title(client, seed):
    theme = feedparser.parse(
        client.get("/feeds/themes/service-reconfiguration/?speaker=andrew-lansley").content
    ).feed.title
    site = " — Health Policy Archive"
    assert theme == f"Quotations on Service reconfiguration (Speaker: Andrew Lansley){site}"
    speaker = feedparser.parse(
        client.get("/feeds/speakers/andrew-lansley/?theme=service-reconfiguration").content
    ).feed.title
    assert speaker == f"Quotations by Andrew Lansley (Theme: Service reconfiguration){site}"
    plain = feedparser.parse(client.get("/feeds/speakers/andrew-lansley/").content).feed.title
    assert plain == f"Quotations by Andrew Lansley{site}"


def test_every_feed_has_an_id_of_its_own_its_own_address(client, seed):
    # /feeds/new/ and /feeds/speeches/ mirror the same page; their ids were both its address.
    ids = []
    for url in SEED_FEEDS:
        root = parse_atom(client.get(url))
        rels = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        ids.append(only(root, "id").text)
        assert ids[-1] == rels["self"]
    assert len(set(ids)) == len(SEED_FEEDS)


def test_an_undated_statement_reads_date_unknown_within_the_feeds_sentences(client, db):
    speaker = make_speaker("Charles Alessi")
    speech = make_speech("Remarks on commissioning", speaker=speaker, date=None)
    make_quote("We need to think differently.", speech=speech)
    for url in ("/feeds/quotes/", "/feeds/speeches/"):
        [entry] = feedparser.parse(client.get(url).content).entries
        assert "Date unknown" not in entry.title + entry.summary, url
        assert ", date unknown." in entry.summary or "(date unknown)" in entry.title, url
    [entry] = feedparser.parse(client.get("/feeds/speeches/").content).entries
    assert entry.title == "Remarks on commissioning (Charles Alessi, date unknown)"


def _dobson_in(years, committed) -> None:
    with committed(execute=True):  # the search index's updates
        speaker = make_speaker("Frank Dobson")
        for year in years:
            speech = make_speech(f"Dobson in {year}", speaker=speaker, date=dt.date(year, 5, 1))
            make_quote(f"Waiting lists, said in {year}.", speech=speech)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/feeds/quotes/", ""),
        ("/feeds/quotes/?sort=oldest", "oldest first"),
        ("/feeds/speeches/?sort=oldest", "oldest first"),
        ("/feeds/speakers/frank-dobson/?sort=oldest", "oldest first"),
        ("/feeds/search/?q=waiting", ""),
        ("/feeds/search/?q=waiting&sort=oldest", "oldest first"),
        ("/feeds/new/?sort=oldest", ""),  # its own order, by publication
    ],
)
def test_a_feed_in_another_order_than_the_newest_first_says_so(
    client, db, django_capture_on_commit_callbacks, url, says
):
    # A list sorted oldest first advertises its feed so, and the feed lists what the page
    # lists; it was described as "newest first", and the search feed ignored its sort.
    _dobson_in((1998, 2004, 2011), django_capture_on_commit_callbacks)
    parsed = feedparser.parse(client.get(url).content)
    years = [next(y for y in ("1998", "2004", "2011") if y in e.title + e.summary)
             for e in parsed.entries]  # fmt: skip
    assert len(years) == 3, url
    if says:
        assert years == ["1998", "2004", "2011"], url
        assert f"Order: {says}" in parsed.feed.title, url
        assert says in parsed.feed.subtitle, url
    else:
        assert "Order" not in parsed.feed.title, url
        assert "oldest" not in parsed.feed.subtitle, url
    if "/new/" not in url:
        assert years == sorted(years, reverse=not says), url


def test_a_list_feed_ranked_by_words_says_best_match_first(
    client, db, django_capture_on_commit_callbacks
):
    _dobson_in((1998, 2004), django_capture_on_commit_callbacks)
    parsed = feedparser.parse(client.get("/feeds/quotes/", {"q": "waiting"}).content)
    assert "Order: best match first" in parsed.feed.title
    assert parsed.feed.subtitle.endswith("best match first.")


def test_the_search_feed_refuses_an_order_it_does_not_know(client, db):
    response = client.get("/feeds/search/", {"q": "waiting", "sort": "sideways"})
    assert response.status_code == 400
    assert "sort: Choose one of: relevance, newest, oldest." in response.content.decode()


def test_a_feed_whose_newest_entry_is_unpublished_is_not_called_unmodified(client, db):
    # Django dated a feed by its newest entry: unpublishing it moved Last-Modified back in
    # time, and a reader asking "modified since?" got 304 and kept the unpublished entry.
    old = make_quote("An older remark.", speech=make_speech("Older speech"))
    new = make_quote("A newer remark.", speech=make_speech("Newer speech"))
    Speech.objects.filter(pk=old.speech_id).update(
        published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    first = client.get("/feeds/quotes/")
    assert b"A newer remark." in first.content
    assert "Last-Modified" not in first  # the ETag tells a changed feed
    Speech.objects.filter(pk=new.speech_id).update(status=Status.DRAFT)
    from archive.views.summaries import archive_changed

    archive_changed()  # as the admin's unpublish does
    again = client.get(
        "/feeds/quotes/",
        headers={"if-modified-since": "Sun, 01 Jan 2040 00:00:00 GMT"},
    )
    assert again.status_code == 200 and b"A newer remark." not in again.content
    assert client.get("/feeds/quotes/", headers={"if-none-match": first["ETag"]}).status_code == 200
