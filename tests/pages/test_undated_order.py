"""Undated records come after dated ones in every newest-first order, on both databases.

PostgreSQL puts NULLs first in a descending order and SQLite last: the models' default
ordering (newest first) put an undated speech at the top of the home page and an undated
event at the top of the API's events, on PostgreSQL alone.
"""

import datetime as dt

import pytest

from tests.factories import make_event, make_quote, make_source, make_speech

pytestmark = pytest.mark.django_db


def _positions(text: str, *names: str) -> list[int]:
    return [text.index(name) for name in names]


def test_the_home_page_lists_an_undated_speech_after_the_dated_ones(client):
    make_speech("Speech with no known date", date=None)
    make_speech("Speech of May 2012", date=dt.date(2012, 5, 1))
    page = client.get("/").content.decode()
    dated, undated = _positions(page, "Speech of May 2012", "Speech with no known date")
    assert dated < undated


def test_the_api_lists_an_undated_event_after_the_dated_ones(client):
    make_event("Event of unknown date")
    make_event("Event of 2011", date=dt.date(2011, 3, 1))
    names = [e["name"] for e in client.get("/api/events/").json()["results"]]
    assert names == ["Event of 2011", "Event of unknown date"]


def test_a_sources_page_lists_its_undated_speech_after_the_dated_ones(client):
    source = make_source("A report of two speeches")
    for title, date in (("Undated speech", None), ("Dated speech", dt.date(2012, 1, 1))):
        make_quote("We will help.", speech=make_speech(title, date=date, source=source))
    page = client.get(source.get_absolute_url()).content.decode()
    dated, undated = _positions(page, "Dated speech", "Undated speech")
    assert dated < undated
