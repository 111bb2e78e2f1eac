"""A post no longer held, whose end date is not known, never reads as held "to the present"."""

import datetime as dt

import pytest

from archive.insight.timeline import terms_for
from archive.models import Office
from tests.factories import make_office, make_speaker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "ended", "term"),
    [
        (dt.date(2010, 5, 12), dt.date(2012, 9, 4), False, "2010–2012"),
        (dt.date(2010, 5, 12), None, False, "2010–present"),
        (dt.date(2010, 5, 12), None, True, "2010–?"),
        (None, None, False, "?–present"),
        (None, None, True, "dates unknown"),
        (None, dt.date(2012, 9, 4), True, "?–2012"),
    ],
)
def test_a_terms_years_say_what_is_known(start, end, ended, term):
    office = make_office(start_date=start, end_date=end, ended=ended)
    assert office.term == term


def test_the_speaker_page_does_not_call_an_ended_post_current(client):
    speaker = make_speaker("Duncan Selbie")
    make_office(
        speaker,
        post="Director of Commissioning, Department of Health",
        start_date=dt.date(2004, 1, 1),
        ended=True,
        is_ministerial=False,
    )
    page = client.get(speaker.get_absolute_url()).content.decode()
    assert "Director of Commissioning" in page
    assert "end unknown" in page
    assert "present" not in page


def test_the_timeline_marks_an_ended_term_without_an_end(client):
    speaker = make_speaker("Duncan Selbie")
    make_office(speaker, start_date=dt.date(2004, 1, 1), ended=True)
    (term,) = terms_for(Office.objects.filter(speaker=speaker))
    assert term.label.endswith("2004–?")


def test_the_seed_archive_shows_no_unknown_term_as_current(client, seed):
    for office in Office.objects.filter(end_date__isnull=True):
        assert office.ended, f"{office.post} would read as held to the present"
    page = client.get("/speakers/charles-alessi/").content.decode()
    assert "present" not in page
