"""The JSON API: Popolo field names, stable ids and permalinks, pagination, strict 400s."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import DatePrecision, Quote, QuoteKind, Status
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


@pytest.fixture
def quote():
    speaker = make_speaker("Andrew Lansley", honorific="Rt Hon", aliases=["Mr Lansley"])
    make_office(
        speaker,
        organisation="Department of Health",
        start_date=dt.date(2010, 5, 12),
        end_date=dt.date(2012, 9, 4),
        source_url="https://www.gov.uk/x",
    )
    speech = make_speech(
        "Speech to the Commissioning Show",
        speaker=speaker,
        event=make_event("The Commissioning Show 2012", date=dt.date(2012, 6, 1), place="London"),
        source=make_source("Lansley backs commissioners", url="https://x.org/a"),
        date=dt.date(2012, 6, 1),
        date_precision=DatePrecision.MONTH,
        text="He said: “I will back you.”",
    )
    return make_quote(
        "I will back you.",
        speech=speech,
        attribution="He",
        themes=[make_theme("Service reconfiguration")],
    )


def test_a_quote_reads_as_a_popolo_speech_with_permalinks(client, quote):
    body = client.get(f"/api/quotes/{quote.slug}/").json()
    assert body["id"] == quote.slug
    assert body["text"] == "I will back you."
    assert body["creator"]["name"] == "Andrew Lansley"
    assert body["creator_id"] == "andrew-lansley"
    assert body["attribution_text"] == "He"
    assert body["role"] == "Secretary of State for Health"
    assert body["date"] == "2012-06"
    assert body["date_precision"] == "month"
    assert body["event"]["name"] == "The Commissioning Show 2012"
    assert body["event_id"] == body["event"]["id"]
    assert [t["name"] for t in body["themes"]] == ["Service reconfiguration"]
    assert body["url"] == f"http://testserver{quote.get_absolute_url()}"
    assert body["api_url"] == f"http://testserver/api/quotes/{quote.slug}/"
    # Every reference can be followed.
    for ref in (body["creator"], body["speech"], body["event"], body["themes"][0]):
        assert client.get(ref["api_url"]).status_code == 200
        assert client.get(ref["url"]).status_code == 200


def test_a_speaker_reads_as_a_popolo_person_with_memberships(client, quote):
    body = client.get("/api/speakers/andrew-lansley/").json()
    assert body["name"] == "Andrew Lansley"
    assert body["honorific_prefix"] == "Rt Hon"
    assert body["other_names"] == [{"name": "Mr Lansley"}]
    [membership] = body["memberships"]
    assert membership["post"]["label"] == "Secretary of State for Health"
    assert membership["organization"] == {"name": "Department of Health"}
    assert (membership["start_date"], membership["end_date"]) == ("2010-05-12", "2012-09-04")
    assert (body["speech_count"], body["quote_count"]) == (1, 1)


def test_an_office_reads_as_a_popolo_membership(client, quote):
    [office] = client.get("/api/offices/").json()["results"]
    assert office["person"]["id"] == "andrew-lansley"
    assert office["post"]["id"] == "secretary-of-state-for-health"
    assert office["role"] == "Secretary of State for Health"
    assert office["sources"] == [{"url": "https://www.gov.uk/x"}]
    assert client.get(office["api_url"]).json()["id"] == office["id"]


def test_events_speeches_and_themes_have_their_fields(client, quote):
    event = client.get("/api/events/").json()["results"][0]
    assert (event["name"], event["start_date"], event["location"]) == (
        "The Commissioning Show 2012",
        "2012-06-01",
        "London",
    )
    speech = client.get("/api/speeches/").json()["results"][0]
    assert speech["creator"]["name"] == "Andrew Lansley"
    assert speech["kind"] == "speech"
    assert speech["source"]["original_url"] == "https://x.org/a"
    assert [t["name"] for t in speech["themes"]] == ["Service reconfiguration"]
    theme = client.get("/api/themes/").json()["results"][0]
    assert (theme["name"], theme["quote_count"]) == ("Service reconfiguration", 1)


def test_drafts_are_not_in_the_api(client, quote):
    draft = make_speech("Unpublished", status=Status.DRAFT)
    secret = make_quote("Hidden words.", speech=draft)
    assert client.get(f"/api/quotes/{secret.slug}/").status_code == 404
    assert client.get(f"/api/speeches/{draft.slug}/").status_code == 404
    assert b"Hidden words" not in client.get("/api/quotes/").content
    assert b"Unpublished" not in client.get("/api/speeches/").content


def test_lists_are_paginated(client):
    for n in range(5):
        make_quote(f"Words {n}.")
    first = client.get("/api/quotes/", {"page_size": 2}).json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["next"] == "http://testserver/api/quotes/?page=2&page_size=2"
    last = client.get("/api/quotes/", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert client.get("/api/quotes/", {"page": 9}).status_code == 404
    assert first["count_capped"] is False


def test_a_long_list_counts_only_so_far_and_says_so(client, monkeypatch):
    from archive.api import views

    monkeypatch.setattr(views, "COUNT_LIMIT", 3)
    for n in range(7):
        make_quote(f"Words {n}.")
    response = client.get("/api/quotes/", {"page_size": 2})
    first = response.json()
    # Counted as far as 3 rows: "at least 3", and the pages go on.
    assert (first["count"], first["count_capped"]) == (3, True)
    # The exact total is being counted: no cache (a CDN's included) keeps "at least 3".
    assert "no-store" in response["Cache-Control"]
    second = client.get("/api/quotes/", {"page_size": 2, "page": 2}).json()
    assert second["next"] == "http://testserver/api/quotes/?page=3&page_size=2"
    # A deeper page counts as far as it reaches: the last one is exact, with no next.
    last = client.get("/api/quotes/", {"page_size": 2, "page": 4}).json()
    assert (last["count"], last["count_capped"], last["next"]) == (7, False, None)
    assert [q["text"] for q in last["results"]] == ["Words 0."]
    past = client.get("/api/quotes/", {"page_size": 2, "page": 5})
    assert past.status_code == 404
    assert past.json() == {
        "detail": "That page is past the end of the results, which fill 4 pages of 2."
    }


def api_count(client, path: str, **params) -> tuple[int, bool, list[str]]:
    """An API list's count and count_capped (pages of 2), and the queries that counted its
    statements (not the theme filter's look at how many quotations it tags)."""
    table = '"archive_speech"' if "speeches" in path else '"archive_quote"'
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path, {"page_size": 2, **params}).json()
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT COUNT(") and f"FROM {table}" in q["sql"]
    ]
    return answer["count"], answer["count_capped"], counts


def test_a_list_counted_by_its_page_gives_the_api_its_exact_count(client, kept_totals, monkeypatch):
    from archive.api import views

    monkeypatch.setattr(views, "COUNT_LIMIT", 3)
    health, other = make_theme("Public health"), make_theme("Workforce")
    for n in range(7):
        make_quote(f"Words {n}.", themes=[health])
    make_quote("Other words.", themes=[other])
    # Before the list page has counted them: as far as the cap, and said so.
    count, capped, counts = api_count(client, "/api/speeches/", theme=health.slug)
    assert (count, capped) == (3, True) and counts
    assert client.get("/speeches/", {"theme": health.slug}).context["total"] == 7
    # Counted by the page since the last write: exact, past the cap, and not counted again.
    assert api_count(client, "/api/speeches/", theme=health.slug) == (7, False, [])
    # Another filter's count is its own.
    assert api_count(client, "/api/speeches/", theme=other.slug)[:2] == (1, False)
    # The quotes list's total serves the quotes API (and not the speeches one).
    assert api_count(client, "/api/quotes/")[:2] == (3, True)
    client.get("/quotes/")
    assert api_count(client, "/api/quotes/") == (8, False, [])
    assert api_count(client, "/api/speeches/")[:2] == (3, True)
    # A write makes the kept total out of date: the API counts again.
    make_quote("Newer words.", themes=[health])
    count, capped, counts = api_count(client, "/api/speeches/", theme=health.slug)
    assert (count, capped) == (3, True) and counts


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"theme": "no-such-theme"}, "theme"),
        ({"speaker": "<script>"}, "speaker"),
        ({"kind": "sermon"}, "kind"),
        ({"date_after": "2012-13-45"}, "date_after"),
        ({"q": "x" * 501}, "q"),
        ({"speakr": "andrew-lansley"}, "speakr"),
        ({"format": "xml"}, "format"),
        ({"theme": ["service-reconfiguration", "provider-failure"]}, "theme"),
        ({"page": "abc"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
    ],
)
def test_an_unknown_filter_value_is_a_400_naming_the_parameter(client, quote, params, named):
    response = client.get("/api/quotes/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Some query parameters could not be used."
    assert list(body["parameters"]) == [named]
    assert "<script>" not in response.content.decode()


def test_a_filter_given_twice_is_explained_once(client, quote):
    response = client.get("/api/quotes/", {"speaker": [quote.speaker.slug] * 2})
    assert response.status_code == 400
    assert response.json()["parameters"] == {"speaker": ["Give this parameter once."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/speeches/?event=nowhere",
        "/api/speakers/?minister=2",
        "/api/offices/?post=nothing",
        "/api/events/?kind=party",
        "/api/themes/?parent=nothing",
    ],
)
def test_every_endpoint_refuses_unknown_values(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == [url.split("?")[1].split("=")[0]]


@pytest.mark.parametrize(
    ("url", "record"),
    [
        ("/api/speakers/nobody/", "speaker"),
        ("/api/quotes/nothing-said/", "quote"),
        ("/api/speeches/never/", "speech"),
        ("/api/themes/none/", "theme"),
        ("/api/events/nowhere/", "event"),
        ("/api/offices/999999/", "office"),
        ("/api/quotes/not%20an%20id/", "quote"),
    ],
)
def test_unknown_records_are_a_json_404_worded_alike(client, db, url, record):
    # One wording on every endpoint, whether the id names nothing or cannot be one.
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": f"No {record} has that id."}


def test_the_api_is_read_only(client, quote):
    assert client.post("/api/quotes/", {}).status_code == 405
    assert client.delete(f"/api/quotes/{quote.slug}/").status_code == 405


def build(n: int) -> None:
    theme = make_theme()
    event = make_event(date=dt.date(2012, 1, 1))
    for i in range(n):
        speaker = make_speaker()
        make_office(speaker, start_date=dt.date(2000, 1, 1))
        speech = make_speech(speaker=speaker, event=event, source=make_source())
        make_quote(f"Words {i}.", speech=speech, themes=[theme, make_theme()])


LISTS = ["quotes", "speeches", "speakers", "offices", "events", "themes", "quotes?q=words"]


def list_queries(client) -> dict[str, int]:
    counts = {}
    for name in LISTS:
        path, _, query = name.partition("?")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/{path}/?page_size=100&{query}")
        assert response.status_code == 200
        counts[name] = len(queries)
    return counts


def test_list_queries_do_not_grow_with_the_rows(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        build(4)
    few = list_queries(client)
    with django_capture_on_commit_callbacks(execute=True):
        build(40)
    many = list_queries(client)
    assert client.get("/api/quotes/?q=words&page_size=100").json()["count"] == 44
    assert many == few


@pytest.mark.parametrize("walk_from", [5000, 1], ids=["sorted", "walked"])
def test_a_quote_list_never_reads_the_long_texts_it_does_not_show(client, settings, walk_from):
    settings.ARCHIVE_WALK_FROM_ROWS = walk_from
    speech = make_speech(text="A whole speech. " * 200, summary="A summary.")
    make_quote("Words.", speech=speech)
    with CaptureQueriesContext(connection) as queries:
        # Filtered: the page's ids are read first, then its rows by id.
        body = client.get("/api/quotes/", {"speaker": speech.speaker.slug}).json()
    assert [record["text"] for record in body["results"]] == ["Words."]
    read = " ".join(query["sql"] for query in queries)
    assert '"archive_speech"."text"' not in read
    assert '"archive_speech"."summary"' not in read


@pytest.mark.parametrize(
    "url",
    [
        "/api/quotes/%00/",
        "/api/themes/a%00b/",
        "/api/offices/%00/",
        "/api/offices/99999999999999999999/",
    ],
)
def test_ids_that_cannot_exist_are_a_404_on_every_database(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_every_address_in_the_lists_is_the_records_own(client, quote):
    """``url`` is the record's page and ``api_url`` its API record, nested ones included."""
    from django.urls import reverse

    from archive.models import Event, Office, Source, Speaker, Speech, Theme

    models = {
        "speakers": Speaker,
        "events": Event,
        "themes": Theme,
        "speeches": Speech,
        "quotes": type(quote),
        "sources": Source,
        "offices": Office,
    }
    api_names = {"speakers": "speaker", "events": "event", "themes": "theme"}
    api_names |= {"speeches": "speech", "quotes": "quote", "offices": "office"}

    def check(record: dict) -> int:
        checked = 0
        # An office's sources are other sites' addresses: only the archive's own are checked.
        if str(record.get("url")).startswith("http://testserver/"):
            kind = record["url"].split("/")[3]
            key = record["url"].split("/")[4]
            found = models[kind].objects.get(slug=key)
            assert record["url"] == f"http://testserver{found.get_absolute_url()}"
            checked += 1
        if "api_url" in record:
            kind, key = record["api_url"].split("/")[4:6]
            lookup = "pk" if kind == "offices" else "slug"
            path = reverse(f"api:{api_names[kind]}-detail", kwargs={lookup: key})
            assert record["api_url"] == f"http://testserver{path}"
            assert client.get(record["api_url"]).json()["id"] in (
                key,
                int(key) if key.isdigit() else key,
            )
            checked += 1
        for value in record.values():
            for nested in value if isinstance(value, list) else [value]:
                if isinstance(nested, dict):
                    checked += check(nested)
        return checked

    checked = 0
    for kind in ("quotes", "speeches", "speakers", "offices", "events", "themes"):
        for record in client.get(f"/api/{kind}/").json()["results"]:
            checked += check(record)
    assert checked > 30  # every kind of record and reference was looked at


@pytest.mark.usefixtures("seed")
def test_written_out_records_match_drfs_field_by_field_representation(rf):
    """Every serializer's quick representation (``WrittenOut``) is exactly what DRF's own
    would be, for every record of the seed archive and every reference in it."""
    from rest_framework import serializers as drf
    from rest_framework.request import Request

    from archive.api import serializers
    from archive.api.views import (
        EventViewSet,
        QuoteViewSet,
        SpeakerViewSet,
        SpeechViewSet,
        ThemeViewSet,
    )
    from archive.models import Event, Office, Source, Speaker, Speech, Theme
    from archive.views.counts import attach_counts

    def counted(viewset):
        """The endpoint's records with their counts, as the endpoint gives them."""
        records = list(viewset().get_queryset()[:30])
        attach_counts(records, **{n: (make(), f) for n, (make, f) in viewset.counts.items()})
        return records

    context = {"request": Request(rf.get("/api/quotes/"))}
    checked = 0
    for serializer_class, records in [
        (serializers.PersonRefSerializer, Speaker.objects.all()),
        (serializers.EventRefSerializer, Event.objects.all()),
        (serializers.ThemeRefSerializer, Theme.objects.all()),
        (serializers.SpeechRefSerializer, Speech.objects.all()),
        (serializers.SourceSerializer, Source.objects.all()),
        (serializers.MembershipSerializer, Office.objects.select_related("speaker")),
        (serializers.PersonSerializer, counted(SpeakerViewSet)),
        (serializers.EventSerializer, counted(EventViewSet)),
        (serializers.ThemeSerializer, counted(ThemeViewSet)),
        (serializers.QuoteSerializer, QuoteViewSet().get_queryset()),
        (serializers.SpeechSerializer, SpeechViewSet().get_queryset()),
    ]:
        serializer = serializer_class(context=context)
        for record in records[:30]:
            quick = serializer.to_representation(record)
            assert quick == drf.Serializer.to_representation(serializer, record)
            assert list(quick) == serializer_class.Meta.fields
            checked += 1
    assert checked > 80  # every serializer, several records each


def test_each_request_writes_its_own_addresses(client, quote, settings):
    """Fields are copied from ones built once per class: each request's serializer must
    still build addresses from its own request (its host), never an earlier one's."""
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    first = client.get("/api/quotes/", HTTP_HOST="one.example").json()["results"][0]
    second = client.get("/api/quotes/", HTTP_HOST="two.example").json()["results"][0]
    for record, host in ((first, "one.example"), (second, "two.example")):
        links = [record["url"], record["api_url"], record["creator"]["url"]]
        links += [record["speech"]["api_url"], *(theme["url"] for theme in record["themes"])]
        assert all(link.startswith(f"http://{host}/") for link in links), links


@pytest.mark.usefixtures("seed")
def test_a_page_of_quotations_read_by_id_reads_as_the_querysets_records(rf):
    """The list's prepared page read (``archive.views.reads.quote_records``) gives every
    field, reference, theme and office that the viewset's queryset gives, in the order of
    the ids."""
    from rest_framework.request import Request

    from archive.api.serializers import QuoteSerializer
    from archive.api.views import QuoteViewSet
    from archive.views.reads import quote_records

    queryset = QuoteViewSet().get_queryset()
    ids = list(queryset.values_list("pk", flat=True))
    assert len(ids) > 20
    ids = ids[::-1]  # an order of their own, not the database's
    by_queryset = {quote.pk: quote for quote in queryset}
    context = {"request": Request(rf.get("/api/quotes/"))}
    with CaptureQueriesContext(connection) as captured:
        read = quote_records(ids)
        quick = QuoteSerializer(read, many=True, context=context).data
    assert len(captured.captured_queries) == 3  # records, themes, offices
    expected = QuoteSerializer([by_queryset[pk] for pk in ids], many=True, context=context).data
    assert quick == expected
    assert any(record["themes"] for record in quick) and any(record["office"] for record in quick)


def _drf_quote_records(quotes, context) -> list[dict]:
    """Quotations as DRF's own field-by-field writing gives them (not ``QuoteWriter``)."""
    from rest_framework import serializers as drf

    from archive.api.serializers import QuoteSerializer

    serializer = QuoteSerializer(context=context)
    return [drf.Serializer.to_representation(serializer, quote) for quote in quotes]


@pytest.mark.usefixtures("seed")
def test_the_quick_quote_writer_writes_what_drf_writes_for_every_seed_quotation(rf):
    """``QuoteWriter`` (the list's and the record's quick path) gives, for every quotation
    of the seed archive, read as the list reads them, exactly DRF's own representation."""
    from rest_framework.request import Request

    from archive.api.serializers import QuoteSerializer
    from archive.api.views import QuoteViewSet
    from archive.views.reads import quote_records

    context = {"request": Request(rf.get("/api/quotes/"))}
    read = quote_records(list(QuoteViewSet().get_queryset().values_list("pk", flat=True)))
    quick = QuoteSerializer(read, many=True, context=context).data
    assert quick == _drf_quote_records(read, context)
    assert len(quick) == Quote.objects.published().count() > 20


def test_the_quick_quote_writer_handles_every_missing_and_unusual_part(rf, settings):
    """No event, source or office; an office ended, unpaid, with no organisation; dates of
    every precision; hostile text: the same record as DRF's, and each part as stated."""
    from rest_framework.request import Request

    from archive.api.serializers import QuoteSerializer

    speaker = make_speaker("Ann <b>Smith</b> & co")
    make_office(
        speaker,
        post="Junior <i>minister</i>",
        organisation="",
        start_date=dt.date(2001, 1, 1),
        end_date=dt.date(2003, 1, 1),
        is_ministerial=False,
        ended=True,
    )
    bare = make_quote(
        "“Beds & <script>alert(1)</script>”",
        speech=make_speech(
            speaker=speaker,
            date=dt.date(1999, 1, 1),
            date_precision=DatePrecision.YEAR,
            text="He said “Beds & <script>alert(1)</script>”",
        ),
        kind=QuoteKind.REPORTED,
        attribution="a spokesman",
    )
    full = make_quote(
        "Waiting lists will fall.",
        speech=make_speech(
            speaker=speaker,
            date=dt.date(2002, 6, 1),
            date_precision=DatePrecision.MONTH,
            event=make_event("Conference & <dinner>"),
            source=make_source("Report", url="https://example.org/a?b=1&c=2"),
            text="Waiting lists will fall.",
        ),
        themes=[make_theme("Waiting"), make_theme("Access")],
    )
    settings.ALLOWED_HOSTS = ["archive.example"]
    context = {"request": Request(rf.get("/api/quotes/", HTTP_HOST="archive.example"))}
    records = [Quote.objects.get(pk=quote.pk) for quote in (bare, full)]
    quick = QuoteSerializer(records, many=True, context=context).data
    assert quick == _drf_quote_records(records, context)
    bare_record, full_record = quick
    assert (bare_record["event"], bare_record["source"], bare_record["office"]) == (None,) * 3
    assert (bare_record["date"], bare_record["quote_kind"]) == ("1999", "reported")
    assert bare_record["text"] == "“Beds & <script>alert(1)</script>”"  # JSON escapes, not HTML
    assert full_record["office"]["organization"] is None
    assert full_record["office"]["end_date"] == "2003-01-01"
    assert (full_record["date"], full_record["role"]) == ("2002-06", "Junior <i>minister</i>")
    assert full_record["source"]["original_url"] == "https://example.org/a?b=1&c=2"
    assert [theme["name"] for theme in full_record["themes"]] == ["Access", "Waiting"]
    assert full_record["api_url"].startswith("http://archive.example/api/quotes/")


@pytest.mark.usefixtures("seed")
def test_a_page_of_speeches_read_by_id_is_written_as_drf_writes_the_querysets(rf):
    """The list's page read (``speech_records``: three queries whatever the number) written
    by ``SpeechWriter`` is exactly DRF's own representation of the viewset's records."""
    from rest_framework import serializers as drf
    from rest_framework.request import Request

    from archive.api.serializers import SpeechSerializer
    from archive.api.views import SpeechViewSet
    from archive.views.reads import speech_records

    queryset = SpeechViewSet().get_queryset()
    ids = list(queryset.values_list("pk", flat=True))[::-1]  # an order of their own
    assert len(ids) > 3
    by_queryset = {speech.pk: speech for speech in queryset}
    context = {"request": Request(rf.get("/api/speeches/"))}
    with CaptureQueriesContext(connection) as captured:
        quick = SpeechSerializer(speech_records(ids), many=True, context=context).data
    assert len(captured.captured_queries) == 3  # speeches, their themes, offices
    serializer = SpeechSerializer(context=context)
    expected = [drf.Serializer.to_representation(serializer, by_queryset[pk]) for pk in ids]
    assert quick == expected
    assert [record["id"] for record in quick] == [by_queryset[pk].slug for pk in ids]
    assert any(len(record["themes"]) > 1 for record in quick)


def test_a_speechs_themes_are_its_quotations_once_each_by_name(client):
    """A speech's record lists each theme of its quotations once, by name; a speech with no
    quotation, none; and no event, source or office is null, in the list and the record."""
    speaker = make_speaker("Ann <b>Smith</b>")
    waiting, access = make_theme("Waiting"), make_theme("Access")
    tagged = make_speech("Beds & wards", speaker=speaker, text="One. Two.")
    make_quote("One.", speech=tagged, themes=[waiting, access])
    make_quote("Two.", speech=tagged, themes=[waiting])
    bare = make_speech("Nothing quoted", speaker=speaker)
    listed = {r["id"]: r for r in client.get("/api/speeches/").json()["results"]}
    for slug, themes in ((tagged.slug, ["Access", "Waiting"]), (bare.slug, [])):
        one = client.get(f"/api/speeches/{slug}/").json()
        assert listed[slug] == one
        assert [theme["name"] for theme in one["themes"]] == themes
        assert (one["event"], one["source"], one["office"], one["role"]) == (None,) * 4
    assert listed[tagged.slug]["creator"]["name"] == "Ann <b>Smith</b>"


@pytest.mark.parametrize("zone", [None, "Asia/Kolkata", "UTC"])
def test_the_quick_timestamp_writer_writes_what_drf_writes(zone):
    """In winter ("Z"), in British summer time (+01:00), under another current zone, naive
    and empty: ``moment_writer`` agrees with DRF's ``DateTimeField``."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone
    from rest_framework import serializers as drf

    from archive.api.writers import moment_writer

    values = [
        dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 5, 9, 30, 12, 345678, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 5, 9, 30, tzinfo=ZoneInfo("America/New_York")),
        dt.datetime(2026, 7, 5, 9, 30),
        None,
    ]
    with timezone.override(zone) if zone else timezone.override(timezone.get_default_timezone()):
        drf_writes = drf.DateTimeField(read_only=True).to_representation
        written = [moment_writer()(value) for value in values]
        assert written == [drf_writes(value) for value in values]
    if zone is None:  # Europe/London: "Z" in winter, an hour ahead in summer
        assert written[0] == "2026-01-05T09:30:00Z"
        assert written[1] == "2026-07-05T10:30:12.345678+01:00"


def test_an_endpoint_typed_without_its_final_slash_is_redirected_to_it(client):
    response = client.get("/api/quotes?theme=nhs-reform&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/quotes/?theme=nhs-reform&page=2"
    assert client.get("/api/speakers/andrew-lansley").status_code == 301
    # Anything else under /api/ is the API's own 404, in JSON, with or without a slash.
    for address in ("/api/nothing", "/api/nothing/", "/api/quotes/a/b/c"):
        response = client.get(address)
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no such address in the API."}


def test_an_address_with_bytes_that_are_not_utf8_is_not_redirected_elsewhere(client, db):
    # Django wrote the slash's redirect with the percent sign encoded again: %FF -> %25FF,
    # another address, which named nothing either.
    response = client.get("/api/quotes/%FF")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no such address in the API."}
    # A slash is still added where one is missing, as above.
    assert client.get("/api/quotes/some-slug")["Location"] == "/api/quotes/some-slug/"


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "text/html,*/*;q=0.8", None])
@pytest.mark.parametrize("url", ["/api/quotes/", "/api/quotes.json", "/api/speakers/"])
def test_the_api_answers_json_whatever_the_client_accepts(client, quote, settings, url, accept):
    # A browser's text/html was a 406 until the page cache held a copy, then that copy:
    # one address must give one answer (no Vary: Accept is sent, so caches share it).
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    response = client.get(url, headers={"accept": accept} if accept else {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"]
    assert "Accept" not in response.get("Vary", "")


def test_a_format_suffix_naming_no_format_is_still_not_found(client, quote):
    assert client.get("/api/quotes.xml", headers={"accept": "text/html"}).status_code == 404


def test_the_schema_still_follows_what_the_client_accepts(client, db):
    json_schema = client.get("/api/schema/", headers={"accept": "application/json"})
    assert json_schema["Content-Type"] == "application/json"
    assert "Accept" in json_schema["Vary"]  # caches keep the two formats apart
    browser = client.get("/api/schema/", headers={"accept": "text/html"})
    assert browser.status_code == 200
    assert browser["Content-Type"].startswith("application/vnd.oai.openapi")


def test_a_server_error_in_the_api_is_json(db, monkeypatch):
    from django.test import Client

    from archive.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.QuoteViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/api/quotes/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "could not answer" in response.json()["detail"]
    # A reader's page still gets the page in the site's design.
    monkeypatch.setattr("archive.views.quotes.statement_listing", broken)
    page = client.get("/quotes/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_a_host_the_archive_does_not_serve_is_refused_in_json_under_the_api(client, db):
    response = client.get("/api/quotes/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "Host header" in response.json()["detail"]
    page = client.get("/quotes/", HTTP_HOST="elsewhere.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/quotes", "/api/speeches", "/api/speakers", "/api/themes"])
def test_a_format_suffix_gives_the_same_records_with_the_same_addresses(client, quote, path):
    # Scripts written against /api/quotes.json keep working, and a record's api_url is
    # its one address whichever way the list was asked for.
    plain = client.get(f"{path}/").json()
    suffixed = client.get(f"{path}.json").json()
    assert suffixed["results"] == plain["results"]
    assert all(".json" not in record["api_url"] for record in suffixed["results"])
