"""Reads by ids whose SQL the ORM writes once (``archive.prepared``)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Speech
from archive.prepared import PreparedRead
from tests.factories import make_speech

pytestmark = pytest.mark.django_db


def counting_read():
    built = []

    def build(among):
        built.append(among)
        return Speech.objects.filter(among).order_by().values_list("pk", "title", "date")

    return PreparedRead(Speech, "pk", build), built


def test_the_query_is_written_once_and_serves_any_number_of_ids():
    speeches = [make_speech(title=f"Speech {n}", date=dt.date(2010, 1, n + 1)) for n in range(3)]
    read, built = counting_read()
    assert read.rows([speeches[0].pk]) == [(speeches[0].pk, "Speech 0", dt.date(2010, 1, 1))]
    with CaptureQueriesContext(connection) as captured:
        rows = read.rows([s.pk for s in speeches] + [10**9])  # an id with no row is left out
    assert sorted(rows) == sorted((s.pk, s.title, s.date) for s in speeches)
    assert len(built) == 1  # written for one id, run for four
    assert len(captured.captured_queries) == 1


def test_values_are_converted_as_the_orm_converts_them():
    speech = make_speech(date=dt.date(1999, 12, 31))
    read, _ = counting_read()
    ((pk, title, date),) = read.rows([speech.pk])
    assert isinstance(date, dt.date) and date == dt.date(1999, 12, 31)
    assert (pk, title, date) == Speech.objects.values_list("pk", "title", "date").get(pk=pk)


def test_no_ids_reads_nothing():
    read, built = counting_read()
    with CaptureQueriesContext(connection) as captured:
        assert read.rows([]) == []
    assert not captured.captured_queries and not built


def test_a_query_that_does_not_take_the_ids_is_refused():
    read = PreparedRead(Speech, "pk", lambda among: Speech.objects.values_list("pk"))
    with pytest.raises(ValueError, match="exactly one parameter"):
        read.rows([1])
