"""Every list and detail page (and feed) runs the same number of SQL queries for 5 rows as
for 50."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Event, Office, Quote, Source, Speaker, Speech, Theme
from tests.factories import (
    make_event,
    make_office,
    make_quote,
    make_source,
    make_speaker,
    make_speech,
    make_theme,
)

pytestmark = pytest.mark.django_db


def build(n: int) -> dict[str, str]:
    """An archive where every page shows about ``n`` rows; returns the URL of each page."""
    theme = make_theme("Shared theme")
    event = make_event("Shared event", date=dt.date(2012, 7, 1))
    source = make_source("Shared source", url="https://example.org/")
    main = make_speaker("Main Speaker")
    make_office(main, start_date=dt.date(2000, 1, 1))
    big = make_speech("Big speech", speaker=main, event=event, source=source, text="Intro.")
    for i in range(n):
        other = make_speaker(f"Respondent {i}")
        make_office(other, start_date=dt.date(2000 + i % 10, 1, 1))
        make_theme(f"Theme {i}")
        make_event(f"Event {i}")
        speech = make_speech(
            f"Speech {i}", speaker=main, event=event, source=source,
            date=dt.date(2012, 1, 1) + dt.timedelta(days=i), text=f"He said “Words {i}.”",
        )  # fmt: skip
        make_quote(f"Words {i}.", speech=speech, themes=[theme, Theme.objects.last()])
        make_quote(f"Reply {i}.", speech=big, speaker=other, themes=[theme])
    quote = Quote.objects.filter(speech=big).first()
    return {
        "home": "/",
        "speech list": "/speeches/",
        "quote list": "/quotes/",
        "quote list, filtered": f"/quotes/?theme={theme.slug}&date_after=2000&sort=oldest",
        "speaker list": "/speakers/",
        "office list": "/offices/",
        "event list": "/events/",
        "theme list": "/themes/",
        "speech page": big.get_absolute_url(),
        "quote page": quote.get_absolute_url(),
        "speaker page": main.get_absolute_url(),
        "office page": Office.objects.first().get_absolute_url(),
        "event page": event.get_absolute_url(),
        "theme page": theme.get_absolute_url(),
        "source page": source.get_absolute_url(),
        "quotes feed": "/feeds/quotes/",
        "statements feed": "/feeds/speeches/",
        "newly published feed": "/feeds/new/",
        "theme feed": f"/feeds/themes/{theme.slug}/",
        "speaker feed": f"/feeds/speakers/{main.slug}/",
    }


def query_counts(client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def clear():
    for model in (Quote, Speech, Office, Speaker, Event, Source, Theme):
        model.objects.all().delete()


def test_query_count_does_not_grow_with_rows(client, settings):
    settings.ARCHIVE_PAGE_SIZE = 50
    few = query_counts(client, build(5))
    clear()
    many = query_counts(client, build(50))
    assert Quote.objects.count() == 100
    assert many == few


def test_query_count_of_a_filtered_quote_list_is_bounded(
    client, settings, django_assert_max_num_queries
):
    settings.ARCHIVE_PAGE_SIZE = 50
    urls = build(50)
    # Validation of each chosen record, count, page, two prefetches, one query per facet.
    with django_assert_max_num_queries(20):
        client.get(urls["quote list, filtered"])
