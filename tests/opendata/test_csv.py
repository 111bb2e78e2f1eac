"""CSV downloads: /quotes/export.csv and /speeches/export.csv."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from archive import exports
from archive.exports import QUOTE_COLUMNS, SPEECH_COLUMNS, csv_lines, spreadsheet_safe
from archive.models import DatePrecision, Speech, SpeechKind, Status
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


def download(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content).decode("utf-8")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def lansley_quote():
    speaker = make_speaker("Andrew Lansley")
    make_office(speaker, start_date=dt.date(2010, 5, 12), end_date=dt.date(2012, 9, 4))
    speech = make_speech(
        "Speech to the Commissioning Show",
        speaker=speaker,
        event=make_event("The Commissioning Show 2012", date=dt.date(2012, 6, 1)),
        source=make_source("Lansley backs commissioners", publisher="HSJ", url="https://x.org/a"),
        date=dt.date(2012, 6, 1),
        date_precision=DatePrecision.MONTH,
    )
    return make_quote(
        "We can’t just keep kicking the can down the road, “diverting” money.",
        speech=speech,
        themes=[make_theme("Service reconfiguration"), make_theme("Provider failure")],
    )


def test_the_quotes_csv_opens_with_the_header_row_and_holds_each_quote(client, lansley_quote):
    response, text = download(client, "/quotes/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    # A byte-order mark for spreadsheet programs, then the header row.
    assert text.startswith("\ufeffid,date,date_precision,speaker,office,event,speech_title,text,")
    assert next(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == list(QUOTE_COLUMNS)
    [row] = rows(text)
    assert row == {
        "id": lansley_quote.slug,
        "date": "2012-06",
        "date_precision": "month",
        "speaker": "Andrew Lansley",
        "office": "Secretary of State for Health",
        "event": "The Commissioning Show 2012",
        "speech_title": "Speech to the Commissioning Show",
        "text": "We can’t just keep kicking the can down the road, “diverting” money.",
        "themes": "Provider failure; Service reconfiguration",
        "kind": "speech",
        "quote_kind": "direct",
        "source": "Lansley backs commissioners, HSJ",
        "source_url": "https://x.org/a",
        "permalink": f"http://testserver{lansley_quote.get_absolute_url()}",
        "editorial_note": "",
    }


def test_both_csvs_end_with_the_speechs_editorial_note(client, lansley_quote):
    note = "The source prints a dash as “?” (“can?t”); the archive shows it as a dash."
    Speech.objects.filter(pk=lansley_quote.speech_id).update(editorial_note=note)
    make_speech("A letter", kind=SpeechKind.LETTER)
    for url in ("/quotes/export.csv", "/speeches/export.csv"):
        _, text = download(client, url)
        header, *lines = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
        # Last, so that scripts reading the earlier columns by position still work.
        assert header[-1] == "editorial_note"
        assert sorted(line[-1] for line in lines) == ([""] if "speeches" in url else []) + [note]


def test_the_speeches_csv_has_its_header_and_a_row_per_published_speech(client, lansley_quote):
    make_speech("A letter", kind=SpeechKind.LETTER, date=None)
    make_speech("A draft", status=Status.DRAFT)
    _, text = download(client, "/speeches/export.csv")
    assert next(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == list(SPEECH_COLUMNS)
    by_title = {row["title"]: row for row in rows(text)}
    assert set(by_title) == {"Speech to the Commissioning Show", "A letter"}
    assert by_title["Speech to the Commissioning Show"]["themes"] == (
        "Provider failure; Service reconfiguration"
    )
    # An unknown date stays unknown: nothing is invented.
    assert by_title["A letter"]["date"] == ""
    assert by_title["A letter"]["date_precision"] == "unknown"
    assert by_title["A letter"]["kind"] == "letter"


def test_drafts_are_never_exported(client, lansley_quote):
    draft = make_speech("Secret draft", status=Status.DRAFT, text="“Secret words.”")
    make_quote("Secret words.", speech=draft)
    _, text = download(client, "/quotes/export.csv")
    assert "Secret words" not in text
    assert [row["id"] for row in rows(text)] == [lansley_quote.slug]


def test_filters_apply_to_every_page_of_the_list_not_just_the_first(client, settings):
    settings.ARCHIVE_PAGE_SIZE = 2
    theme = make_theme("Shared")
    quotes = [make_quote(f"Words {n}.", themes=[theme]) for n in range(5)]
    make_quote("Off theme.")
    _, text = download(client, "/quotes/export.csv", {"theme": theme.slug, "page": "2"})
    assert sorted(row["id"] for row in rows(text)) == sorted(q.slug for q in quotes)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"theme": "no-such-theme"}, "theme"),
        ({"theme": "<script>alert(1)</script>"}, "theme"),
        ({"date_after": "2012-13"}, "date_after"),
        ({"kind": "sermon"}, "kind"),
        ({"date_after": "2013", "date_before": "2012"}, "date_before"),
    ],
)
def test_an_unusable_filter_is_a_400_naming_it(client, params, named):
    response = client.get("/quotes/export.csv", params)
    assert response.status_code == 400
    body = response.content.decode()
    assert f"- {named}:" in body
    assert "<script>" not in body  # what was typed is never repeated


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client):
    quote = make_quote('=HYPERLINK("http://evil.example","click")')
    _, text = download(client, "/quotes/export.csv")
    [row] = rows(text)
    assert row["text"] == "'" + quote.text


def test_the_list_pages_offer_the_csv_with_their_valid_filters(client):
    theme = make_theme("Shared")
    make_quote("Words.", themes=[theme])
    html = client.get(
        "/quotes/", {"theme": theme.slug, "date_after": "nonsense", "page": "1"}
    ).content.decode()
    # The unusable date is left out, as the page leaves it out; so is the page number.
    assert f'href="/quotes/export.csv?theme={theme.slug}" download' in html
    html = client.get("/speeches/", {"kind": "letter"}).content.decode()
    assert 'href="/speeches/export.csv?kind=letter" download' in html


def build(n: int) -> None:
    theme = make_theme()
    event = make_event(date=dt.date(2012, 1, 1))
    source = make_source()
    for i in range(n):
        speaker = make_speaker()
        make_office(speaker, start_date=dt.date(2000, 1, 1))
        speech = make_speech(speaker=speaker, event=event, source=source)
        make_quote(f"Words {i}.", speech=speech, themes=[theme, make_theme()])


def export_queries(client) -> dict[str, int]:
    counts = {}
    for url in ("/quotes/export.csv", "/speeches/export.csv", "/quotes/export.csv?q=words"):
        with CaptureQueriesContext(connection) as queries:
            download(client, url)
        counts[url] = len(queries)
    return counts


def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        build(5)
    few = export_queries(client)
    with django_capture_on_commit_callbacks(execute=True):
        build(45)
    many = export_queries(client)
    assert many == few
    _, text = download(client, "/quotes/export.csv", {"q": "words"})
    assert len(rows(text)) == 50


@given(st.lists(st.text(), min_size=2, max_size=5))
@hypothesis_settings(max_examples=300, deadline=None)
def test_cells_are_written_as_the_csv_module_writes_them(cells):
    """The hand-written quoting agrees with csv.writer (after the formula guard)."""
    expected = io.StringIO()
    csv.writer(expected).writerow([spreadsheet_safe(cell) for cell in cells])
    assert (
        "".join(csv_lines(["a"] * len(cells), [cells]))
        == "a,a" + ",a" * (len(cells) - 2) + "\r\n" + expected.getvalue()
    )


def test_each_row_names_the_office_held_that_day_as_the_quote_page_does(client):
    """Ministerial posts first; a respondent's own office, not the speech giver's."""
    minister = make_speaker("Minister")
    make_office(minister, post="MP", is_ministerial=False, start_date=dt.date(2005, 1, 1))
    make_office(
        minister,
        post="Minister of State",
        start_date=dt.date(2011, 1, 1),
        end_date=dt.date(2012, 9, 4),
    )
    make_office(minister, post="Secretary of State", start_date=dt.date(2012, 9, 5), end_date=None)
    respondent = make_speaker("Respondent")
    make_office(respondent, post="Chief Executive", is_ministerial=False, start_date=None)
    quotes = []
    for day in (dt.date(2010, 6, 1), dt.date(2012, 6, 1), dt.date(2013, 6, 1)):
        speech = make_speech(speaker=minister, date=day)
        quotes.append(make_quote(f"On {day}.", speech=speech))
        quotes.append(make_quote(f"Reply on {day}.", speech=speech, speaker=respondent))
    undated = make_speech(speaker=minister, date=None)
    quotes.append(make_quote("Undated.", speech=undated))

    _, text = download(client, "/quotes/export.csv")
    offices = {row["id"]: row["office"] for row in rows(text)}
    expected = {}
    for quote in quotes:
        office = quote.speaker_office()
        expected[quote.slug] = office.post if office else ""
    assert offices == expected
    # Guards the comparison: every kind of answer occurs.
    assert set(expected.values()) == {
        "MP",
        "Minister of State",
        "Secretary of State",
        "Chief Executive",
        "",
    }
    _, text = download(client, "/speeches/export.csv")
    speeches = {row["id"]: row["office"] for row in rows(text)}
    assert speeches[undated.slug] == ""
    assert sorted(speeches.values()) == ["", "MP", "Minister of State", "Secretary of State"]


def test_rows_are_whole_across_chunk_boundaries(client, monkeypatch):
    """Themes, offices and order hold when an export is read in many small chunks."""
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 2)
    monkeypatch.setattr(exports, "STREAMED_ROWS", 3)
    alpha, beta = make_theme("Alpha"), make_theme("Beta")
    speaker = make_speaker()
    make_office(speaker, post="Health Secretary", start_date=dt.date(2000, 1, 1))
    made = []
    for n in range(7):
        speech = make_speech(speaker=speaker, date=dt.date(2012, 1, 1 + n))
        themes = [[], [alpha], [beta, alpha]][n % 3]
        made.append(make_quote(f"Words {n}.", speech=speech, themes=themes))
        if n % 2:
            make_quote(f"More words {n}.", speech=speech, themes=[beta])
    _, text = download(client, "/quotes/export.csv")
    listed = rows(text)
    assert len(listed) == 10
    by_id = {row["id"]: row for row in listed}
    for n, quote in enumerate(made):
        assert by_id[quote.slug]["themes"] == ["", "Alpha", "Alpha; Beta"][n % 3]
        assert by_id[quote.slug]["office"] == "Health Secretary"
    # Newest first, as the page lists them.
    dates = [row["date"] for row in listed]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2012-01-07"
    _, text = download(client, "/speeches/export.csv")
    themes = [row["themes"] for row in rows(text)]
    # A speech's themes: each of its quotes' themes once, by name; newest first.
    assert themes == ["", "Alpha; Beta", "Alpha", "Beta", "Alpha; Beta", "Alpha; Beta", ""]


def test_a_refused_filter_is_said_in_utf_8_text(client, db):
    response = client.get("/quotes/export.csv", {"date_after": "“soon”"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Some filters could not be used" in response.content.decode("utf-8")
