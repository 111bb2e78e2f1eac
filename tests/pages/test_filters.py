"""The filters on the quotes and speeches lists return exactly the right records."""

import pytest

pytestmark = pytest.mark.django_db

from tests.pages.helpers import links, listed_quotes, listed_speeches, select_options  # noqa: E402


@pytest.fixture(autouse=True)
def _one_page(settings):
    # Every match on one page, so a test sees the whole result set.
    settings.ARCHIVE_PAGE_SIZE = 100


def slugs(*records):
    return sorted(r.slug for r in records)


def test_theme_filter_lists_every_quote_of_the_theme_and_no_other(client, archive):
    a = archive
    response = client.get("/quotes/", {"theme": a.reconfig.slug})
    # The draft's quote is on the theme too, but drafts are never public.
    assert sorted(listed_quotes(response)) == slugs(a.can, a.back, a.hewitt_back)


def test_theme_page_lists_the_same_quotes_as_the_theme_filter(client, archive):
    a = archive
    response = client.get(a.failure.get_absolute_url())
    assert sorted(listed_quotes(response)) == slugs(a.can, a.bullets)


def test_theme_page_is_filterable_by_speaker(client, archive):
    a = archive
    response = client.get(a.failure.get_absolute_url(), {"speaker": a.alessi.slug})
    assert listed_quotes(response) == [a.bullets.slug]


def test_minister_filter_shows_only_ministers_statements(client, archive):
    a = archive
    ministers = client.get("/quotes/", {"minister": "1"})
    assert sorted(listed_quotes(ministers)) == slugs(
        a.can, a.back, a.hewitt_back, a.opposition, a.freedom
    )
    others = client.get("/quotes/", {"minister": "0"})
    assert listed_quotes(others) == [a.bullets.slug]


def test_office_filter_finds_every_holder_only_while_in_post(client, archive):
    a = archive
    response = client.get("/quotes/", {"office": "secretary-of-state-for-health"})
    # Lansley in 2012 and Hewitt in 2006 as Secretary of State; not Lansley in opposition
    # (2009), not Dr Alessi speaking at the Secretary of State's event.
    assert sorted(listed_quotes(response)) == slugs(a.can, a.back, a.freedom, a.hewitt_back)

    speeches = client.get("/speeches/", {"office": "secretary-of-state-for-health"})
    assert sorted(listed_speeches(speeches)) == slugs(a.speech_2012, a.letter, a.speech_2006)


def test_office_page_lists_both_holders_in_order_with_their_statements(client, archive):
    a = archive
    response = client.get(a.lansley_sos.get_absolute_url())
    html = response.content.decode()
    assert html.index("Patricia Hewitt") < html.index("Andrew Lansley")
    assert sorted(listed_quotes(response)) == slugs(a.can, a.back, a.freedom, a.hewitt_back)
    assert "3 quotations in post" in html and "1 quotation in post" in html


@pytest.mark.parametrize(
    ("params", "included"),
    [
        # "July 2012" (month precision) could be any day of July 2012.
        ({"date_after": "2012-07-15"}, True),
        ({"date_before": "2012-07-15"}, True),
        ({"date_after": "2012-07-10", "date_before": "2012-07-20"}, True),
        ({"date_after": "2012-07-31"}, True),
        ({"date_after": "2012-08-01"}, False),
        ({"date_before": "2012-06-30"}, False),
        ({"date_after": "2012-07", "date_before": "2012-07"}, True),
        ({"date_after": "2012"}, True),
        ({"date_before": "2011"}, False),
    ],
)
def test_date_range_honours_month_precision(client, archive, params, included):
    response = client.get("/speeches/", params)
    assert (archive.speech_2012.slug in listed_speeches(response)) is included


@pytest.mark.parametrize(
    ("params", "included"),
    [
        # "2006" (year precision) could be any day of 2006.
        ({"date_after": "2006-12-31"}, True),
        ({"date_before": "2006-01-01"}, True),
        ({"date_after": "2006-06-01", "date_before": "2006-06-30"}, True),
        ({"date_after": "2007-01-01"}, False),
        ({"date_before": "2005-12-31"}, False),
    ],
)
def test_date_range_honours_year_precision(client, archive, params, included):
    response = client.get("/quotes/", params)
    assert (archive.hewitt_back.slug in listed_quotes(response)) is included


def test_date_range_is_exact_for_dates_known_to_the_day(client, archive):
    a = archive  # the letter is dated 16 February 2012
    assert a.letter.slug in listed_speeches(client.get("/speeches/", {"date_after": "2012-02-16"}))
    assert a.letter.slug not in listed_speeches(
        client.get("/speeches/", {"date_after": "2012-02-17"})
    )
    assert a.letter.slug in listed_speeches(client.get("/speeches/", {"date_before": "2012-02"}))


def test_date_range_running_backwards_is_reported(client, archive):
    response = client.get("/quotes/", {"date_after": "2012-01-01", "date_before": "2011-01-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_filters_combine(client, archive):
    a = archive
    response = client.get(
        "/quotes/", {"theme": a.reconfig.slug, "speaker": a.lansley.slug, "date_after": "2012"}
    )
    assert sorted(listed_quotes(response)) == slugs(a.can, a.back)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"event": "the-commissioning-show"}, ("can", "back", "bullets")),
        ({"event_kind": "conference"}, ("can", "back", "bullets", "hewitt_back")),
        ({"kind": "letter"}, ("freedom",)),
        ({"kind": "interview"}, ("opposition",)),
        ({"quote_kind": "reported"}, ("opposition",)),
        ({"speaker": "charles-alessi"}, ("bullets",)),
    ],
)
def test_each_quote_filter(client, archive, params, expected):
    response = client.get("/quotes/", params)
    assert sorted(listed_quotes(response)) == sorted(getattr(archive, n).slug for n in expected)


def test_speech_filters_by_theme_list_each_speech_once(client, archive):
    a = archive
    response = client.get("/speeches/", {"theme": a.reconfig.slug})
    assert listed_speeches(response) == [a.speech_2012.slug, a.speech_2006.slug]
    reported = client.get("/speeches/", {"quote_kind": "reported"})
    assert listed_speeches(reported) == [a.speech_2009.slug]


def test_sort_newest_and_oldest(client, archive):
    a = archive
    newest = listed_speeches(client.get("/speeches/"))
    assert newest == [a.speech_2012.slug, a.letter.slug, a.speech_2009.slug, a.speech_2006.slug]
    oldest = listed_speeches(client.get("/speeches/", {"sort": "oldest"}))
    assert oldest == list(reversed(newest))


def test_drafts_never_listed(client, archive):
    a = archive
    assert a.draft.slug not in listed_speeches(client.get("/speeches/"))
    assert a.secret.slug not in listed_quotes(client.get("/quotes/", {"speaker": a.hewitt.slug}))


def test_facet_counts_are_computed_on_the_filtered_set(client, archive):
    a = archive
    response = client.get("/quotes/", {"theme": a.failure.slug})
    speakers = select_options(response, "speaker")
    assert speakers[a.lansley.slug] == "Andrew Lansley (1)"
    assert speakers[a.alessi.slug] == "Charles Alessi (1)"
    assert a.hewitt.slug not in speakers  # no quote of hers on this theme
    # A facet counts with the other filters kept, so its own choices stay switchable.
    themes = select_options(response, "theme")
    assert themes[a.failure.slug] == "Provider failure (2)"
    assert themes[a.reconfig.slug] == "Service reconfiguration (3)"
    offices = select_options(response, "office")
    assert offices["secretary-of-state-for-health"] == "Secretary of State for Health (1)"


def test_facet_counts_on_the_unfiltered_list(client, archive):
    response = client.get("/quotes/")
    assert select_options(response, "office")["secretary-of-state-for-health"].endswith("(4)")
    assert select_options(response, "minister")["1"] == "Ministers only (5)"
    assert select_options(response, "kind")["letter"] == "Letter (1)"
    assert select_options(response, "quote_kind")["reported"] == "Reported speech (1)"


def test_chips_show_current_filters_and_remove_one_at_a_time(client, archive):
    a = archive
    response = client.get(
        "/quotes/", {"theme": a.reconfig.slug, "speaker": a.hewitt.slug, "page": "1"}
    )
    html = response.content.decode()
    assert "Theme:</span> Service reconfiguration" in html
    assert "Speaker:</span> Patricia Hewitt" in html
    hrefs = links(response)
    assert f"/quotes/?speaker={a.hewitt.slug}" in hrefs  # removes the theme (and the page)
    assert f"/quotes/?theme={a.reconfig.slug}" in hrefs  # removes the speaker


def test_removing_a_filter_starts_the_wider_list_at_its_first_page(client, archive, settings):
    a = archive
    settings.ARCHIVE_PAGE_SIZE = settings.ARCHIVE_NUMBERED_ROWS = 1  # "Next" is a cursor
    first = client.get("/quotes/", {"theme": a.reconfig.slug, "speaker": a.lansley.slug})
    cursor = next(href for href in links(first) if "after=" in href)  # "Next"
    response = client.get("/quotes/" + cursor)
    assert response.status_code == 200
    chips = [href for href in links(response) if href.startswith("/quotes/?")]
    assert f"/quotes/?speaker={a.lansley.slug}" in chips
    assert f"/quotes/?theme={a.reconfig.slug}" in chips
    assert not [href for href in chips if "after=" in href or "before=" in href]


def test_a_position_the_list_cannot_use_is_reported(client, archive, settings):
    a = archive
    settings.ARCHIVE_PAGE_SIZE = settings.ARCHIVE_NUMBERED_ROWS = 1
    first = client.get("/quotes/", {"theme": a.reconfig.slug})
    cursor = next(href for href in links(first) if "after=" in href)
    position = cursor.split("after=")[1]
    # Ranked by relevance, the list is numbered: a date-order position cannot apply.
    ranked = client.get(
        "/quotes/", {"q": "reconfiguration", "sort": "relevance", "after": position}
    )
    assert "applies to its date order only, so this is the first page" in ranked.content.decode()
    # Both directions at once: the page follows the position, and says so.
    both = client.get("/quotes/", {"theme": a.reconfig.slug, "after": position, "before": position})
    assert "not both: this page follows it" in both.content.decode()
    assert listed_quotes(both) == listed_quotes(client.get("/quotes/" + cursor))


def test_invalid_values_are_reported_not_applied(client, archive):
    response = client.get("/quotes/", {"speaker": "nobody-at-all", "kind": "sermon"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no speaker with that name in the archive" in html
    assert "Choose one of the options in the list." in html
    assert 'aria-invalid="true"' in html
    assert len(listed_quotes(response)) == 6  # the valid (empty) filters still apply


def test_filtersets_made_together_keep_their_own_filters(archive):
    # Each filterset's filters are light copies of the declared ones (filters.CopiedLightly):
    # a filter's method must still be looked up on its own filterset, never another's.
    from django.http import QueryDict

    from archive.filters import QuoteFilter
    from archive.models import Quote

    a = archive
    by_reconfig = QuoteFilter(QueryDict(f"theme={a.reconfig.slug}"), Quote.objects.all())
    by_failure = QuoteFilter(QueryDict(f"theme={a.failure.slug}"), Quote.objects.all())
    assert by_reconfig.filters["theme"].parent is by_reconfig
    assert by_failure.filters["theme"].parent is by_failure
    assert getattr(QuoteFilter.base_filters["theme"], "parent", None) is None
    reconfig = set(Quote.objects.filter(themes=a.reconfig))
    failure = set(Quote.objects.filter(themes=a.failure))
    assert reconfig != failure
    assert set(by_failure.qs) == failure
    assert set(by_reconfig.qs) == reconfig


def test_a_filter_given_twice_is_reported_not_half_applied(client, archive):
    a = archive
    url = f"/quotes/?speaker={a.lansley.slug}&speaker={a.hewitt.slug}"
    response = client.get(url)
    assert response.status_code == 200
    assert "Give this filter once." in response.content.decode()
    # Neither speaker's list passes for both: the filter is left out, as any invalid one.
    assert len(listed_quotes(response)) == 6
    # The feeds, exports and API refuse it alike.
    assert (
        client.get(f"/feeds/quotes/?speaker={a.lansley.slug}&speaker={a.hewitt.slug}").status_code
        == 400
    )


def test_the_search_and_the_events_list_say_when_a_parameter_is_given_twice(client, archive):
    """``q`` twice: the search page says it searched for the last, the search feed refuses
    it as the other feeds refuse a filter given twice; an event kind twice is explained on
    the events list as a filter is on the others."""
    page = client.get("/search/", {"q": ["reconfiguration", "failure"]})
    assert page.status_code == 200
    assert "“q” was given more than once; this page uses the last one given." in page.text
    assert client.get("/search/", {"q": "failure"}).context["results"].notices == []

    feed = client.get("/feeds/search/", {"q": ["reconfiguration", "failure"]})
    assert feed.status_code == 400
    assert "Give this once." in feed.text
    assert client.get("/feeds/search/", {"q": "failure"}).status_code == 200

    events = client.get("/events/", {"kind": ["conference", "meeting"]})
    assert events.status_code == 200
    assert "Give this filter once." in events.text


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/quotes/?date_after=notadate", "Error: Quotes"),
        ("/speeches/?speaker=nobody", "Error: Speeches"),
        ("/search/?q=commissioners&speaker=nobody", "Error: Search: commissioners"),
        ("/compare/?theme=nothing&speaker=nobody", "Error: Compare"),
        ("/quotes/?theme=provider-failure", "Quotes (filtered)"),
        ("/events/?kind=nothing", "Error: Events"),
        ("/events/?kind=conference", "Events (filtered)"),
        (
            "/offices/secretary-of-state-for-health/?theme=provider-failure",
            "Secretary of State for Health (filtered)",
        ),
        ("/search/?q=commissioners", "Search: commissioners"),
    ],
)
def test_a_page_whose_filters_could_not_be_used_says_error_in_its_title(client, seed, url, title):
    # A screen reader announces the title first: it must not read as the page that was
    # asked for when the page says some of what was asked could not be done.
    html = client.get(url).content.decode()
    assert html.split("<title>", 1)[1].startswith(f"{title} — ")
