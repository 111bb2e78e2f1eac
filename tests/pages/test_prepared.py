"""Reads by ids whose SQL the ORM writes once (``archive.prepared``)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from archive.models import Office, Speech, Status
from archive.prepared import PreparedRead, PreparedRecords, prefetched
from tests.factories import make_office, make_source, make_speaker, make_speech

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


def speech_records():
    built = []

    def build(slug):
        built.append(slug)
        return (
            Speech.objects.published()
            .select_related("speaker", "source")
            .defer("source__original_text")
            .filter(slug=slug)
        )

    return PreparedRecords(Speech, build), built


def test_records_are_found_by_each_value_with_their_related_records():
    source = make_source("The letter's source", original_text="A long document.")
    first = make_speech("First", source=source, date=dt.date(2004, 2, 29))
    second = make_speech("Second", speaker=make_speaker("Ann Other"))
    make_speech("Draft", slug="draft", status=Status.DRAFT)
    read, built = speech_records()
    assert read.records("no-such-speech") == []
    assert read.records("draft") == []  # the query's own conditions hold for every value
    with CaptureQueriesContext(connection) as captured:
        (found,) = read.records(first.slug)
        # Its related records came with it, their values converted as the ORM converts them.
        assert (found.title, found.date, found.source.title) == ("First", first.date, source.title)
        assert found.speaker.name == first.speaker.name
        assert found.source.get_deferred_fields() == {"original_text"}
    assert len(captured.captured_queries) == 1
    (other,) = read.records(second.slug)
    assert (other.pk, other.speaker.name, other.source) == (second.pk, "Ann Other", None)
    assert len(built) == 1  # written once, run for four values


def test_records_by_id_and_a_relation_given_as_prefetched():
    speaker = make_speaker()
    later = make_office(speaker, post="Later post", start_date=dt.date(2015, 1, 1))
    earlier = make_office(
        speaker, post="Earlier post", start_date=dt.date(2001, 1, 1), end_date=dt.date(2005, 5, 5)
    )
    make_office(post="Someone else's post")
    read = PreparedRecords(Office, lambda pk: Office.objects.filter(speaker=pk), by_id=True)
    offices = read.records(speaker.pk)
    assert offices == [earlier, later]  # the model's own ordering
    prefetched(speaker, "offices", offices)
    with CaptureQueriesContext(connection) as captured:
        assert list(speaker.offices.all()) == [earlier, later]
        assert speaker.office_on(dt.date(2016, 1, 1)) == later
    assert not captured.captured_queries


def _quote_with_themes():
    from tests.factories import make_quote, make_theme

    quote = make_quote(themes=[make_theme("Beta"), make_theme("Alpha")])
    make_quote(themes=[make_theme("Gamma")])  # another quotation's theme
    return quote


@pytest.mark.parametrize(
    ("model", "make", "relation"),
    [
        ("Quote", _quote_with_themes, "themes"),  # a many-to-many
        ("Speaker", lambda: make_office(post="Chair").speaker, "offices"),  # a reverse key
    ],
)
def test_a_relation_given_as_prefetched_behaves_as_djangos_prefetch(model, make, relation):
    from django.apps import apps
    from django.db.models import prefetch_related_objects

    record = make()
    cls = apps.get_model("archive", model)
    ours, django = cls.objects.get(pk=record.pk), cls.objects.get(pk=record.pk)
    prefetch_related_objects([django], relation)
    prefetched(ours, relation, list(getattr(django, relation).all()))
    with CaptureQueriesContext(connection) as captured:
        for made in (ours, django):
            rows = getattr(made, relation)
            assert rows.all().count() == len(rows.all()) and bool(rows.all())
    assert not captured.captured_queries  # read from what was given, as Django's is
    for made in (ours, django):
        assert isinstance(
            getattr(made, relation).all(),
            type(cls._meta.get_field(relation).related_model._default_manager.all()),
        )

    def answers(made):
        rows = getattr(made, relation)
        return (
            list(rows.all()),
            list(rows.order_by("-pk")),  # a new query: the relation's own, not everything
            list(rows.filter(pk__gt=0).values_list("pk", flat=True)),
            rows.order_by("pk").first(),
            list(rows.all().iterator()),
            rows.all().aggregate(n=Count("pk"))["n"],
        )

    assert answers(ours) == answers(django)


def test_a_record_given_a_relation_is_freed_without_the_garbage_collector():
    """No reference cycle: the record goes when its last reference does (the collector's
    pauses to free such cycles set an API page's 95th percentile), and a relation's
    queryset kept beyond it still makes the relation's own query."""
    import gc
    import weakref

    speaker = make_speaker()
    make_office(speaker, post="Chair")
    make_office(post="Someone else's post")
    read = PreparedRecords(Office, lambda pk: Office.objects.filter(speaker=pk), by_id=True)
    record = type(speaker).objects.get(pk=speaker.pk)
    prefetched(record, "offices", read.records(record.pk))
    kept, gone = record.offices.all(), weakref.ref(record)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del record
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()
    assert [office.post for office in kept.filter(pk__gt=0)] == ["Chair"]
    assert kept.count() == 1


def test_records_among_ids_with_their_related_records():
    speeches = [make_speech(f"Among {n}", speaker=make_speaker(f"Speaker {n}")) for n in range(3)]
    make_speech("Not asked for")
    built = []

    def build(among):
        built.append(among)
        return Speech.objects.filter(among).select_related("speaker").order_by("title")

    read = PreparedRecords(Speech, build, among="pk")
    with CaptureQueriesContext(connection) as captured:
        assert read.records([]) == []
    assert not captured.captured_queries and not built  # no ids: nothing read or written
    asked = [speeches[2].pk, speeches[0].pk, 10**9]
    with CaptureQueriesContext(connection) as captured:
        found = read.records(asked)
        assert [(s.title, s.speaker.name) for s in found] == [
            ("Among 0", "Speaker 0"),
            ("Among 2", "Speaker 2"),
        ]
    assert len(captured.captured_queries) == 1
    assert [s.title for s in read.records([s.pk for s in speeches])] == [
        "Among 0",
        "Among 1",
        "Among 2",
    ]
    assert len(built) == 1  # written once, run for two lists of ids


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_on_postgresql_a_read_with_one_plan_is_planned_once_per_connection(settings):
    speech = make_speech("Kept plan")
    read = PreparedRecords(Speech, lambda slug: Speech.objects.filter(slug=slug))
    varying = PreparedRecords(
        Speech, lambda slug: Speech.objects.filter(title=slug), same_plan=False
    )

    def prepared() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    with CaptureQueriesContext(connection) as captured:
        assert read.records(speech.slug) == [speech]
        assert read.records(speech.slug) == [speech]
        assert varying.records("Kept plan") == [speech]
    assert len(captured.captured_queries) == 3  # counted as any query is
    statements = prepared()
    assert any('"slug" = $1' in sql for sql in statements)
    assert not any('"title" = $1' in sql for sql in statements)
