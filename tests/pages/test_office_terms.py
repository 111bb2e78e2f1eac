"""A post no longer held, whose end date is not known, never reads as held "to the present"."""

import datetime as dt

import pytest

from archive.insight.timeline import terms_for
from archive.models import Office
from tests.factories import (
    make_office,
    make_post_changer,
    make_quote,
    make_speaker,
    make_speech,
)

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


def test_an_office_page_lists_each_holder_with_their_term_count_and_record(client):
    hostile = make_speaker('Ann <script>alert("x")</script> O\'Neil', slug="ann-oneil")
    plain = make_speaker("Bob Plain", slug="bob-plain")
    make_office(
        hostile,
        slug="chief-nurse",
        post="Chief Nurse",
        start_date=dt.date(2010, 5, 12),
        end_date=dt.date(2012, 9, 4),
        source_url="https://example.org/terms?a=1&b=2",
    )
    make_office(
        plain,
        slug="chief-nurse",
        post="Chief Nurse",
        start_date=None,
        ended=True,
        source_url="javascript:alert(1)",
    )
    speech = make_speech(speaker=hostile, date=dt.date(2011, 1, 1))
    make_quote("Once in post.", speech=speech, speaker=hostile)
    page = client.get("/offices/chief-nurse/").content.decode()
    start = page.index('<ol class="terms">')
    holders = page[start : page.index("</ol>", start)]
    assert "<script>" not in holders
    assert "Ann &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Neil" in holders
    assert (
        '<a href="/quotes/?office=chief-nurse&amp;speaker=ann-oneil">1 quotation in post</a>'
        in holders
    )
    assert "0 quotations in post" in holders
    assert (
        '<time datetime="2010-05-12">12 May 2010</time> – '
        '<time datetime="2012-09-04">4 September 2012</time>'
    ) in holders
    assert "dates unknown" in holders  # no start, over at an unknown time
    assert "start unknown – end unknown" not in holders
    assert 'href="https://example.org/terms?a=1&amp;b=2" rel="external"' in holders
    assert "javascript:" not in holders
    assert holders.count("public record of the term") == 1


def test_an_organisation_the_post_names_already_is_not_written_twice(client):
    speaker = make_speaker("Michael Dixon")
    make_office(speaker, post="Chairman, NHS Alliance", organisation="NHS Alliance", slug="chair")
    other = make_speaker("Andrew Lansley")
    make_office(other, post="Secretary of State for Health", organisation="Department of Health")
    speech = make_speech("At the Alliance", speaker=speaker, date=dt.date(2012, 3, 1))
    quote = make_quote("We will lead", speech=speech)
    for url in (speaker.get_absolute_url(), speech.get_absolute_url(), quote.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Chairman, NHS Alliance" in html, url
        assert "NHS Alliance, NHS Alliance" not in html, url
    html = client.get(other.get_absolute_url()).content.decode()
    assert "Secretary of State for Health</a>, Department of Health" in html


def test_a_quotation_without_an_office_says_why_by_whether_it_is_dated(client):
    dated = make_quote("Said on a day.", speech=make_speech(text="Said on a day."))
    page = client.get(dated.get_absolute_url()).text
    assert "No office recorded on that date" in page
    undated = make_quote("Said some time.", speech=make_speech(date=None, text="Said some time."))
    page = client.get(undated.get_absolute_url()).text
    assert "Not known: the statement is undated" in page
    assert "on that date" not in page


@pytest.fixture
def changed_posts_in_2012():
    """A speaker who left one post on 4 September 2012 and took another the next day, with a
    statement known to the day, to the month and to the year, each in 2012."""
    speaker = make_post_changer()
    said = {}
    for key, date, precision in (
        ("day", dt.date(2012, 6, 1), "day"),
        ("june", dt.date(2012, 6, 1), "month"),
        ("september", dt.date(2012, 9, 1), "month"),
        ("year", dt.date(2012, 1, 1), "year"),
    ):
        text = f"Said in {key}."
        speech = make_speech(speaker=speaker, date=date, date_precision=precision, text=text)
        said[key] = make_quote(text, speech=speech, speaker=speaker)
    return speaker, said


def test_a_statement_known_to_the_month_or_year_gets_an_office_held_throughout_it(
    changed_posts_in_2012,
):
    _, said = changed_posts_in_2012
    posts = {
        key: (office.post if (office := quote.speaker_office()) else None)
        for key, quote in said.items()
    }
    assert posts == {
        "day": "Secretary of State for Health",
        "june": "Secretary of State for Health",  # held all June
        "september": None,  # left on the 4th: either post
        "year": None,  # two posts in 2012
    }


def test_the_office_filter_and_its_facet_follow_the_same_rule(client, changed_posts_in_2012):
    speaker, said = changed_posts_in_2012
    url = f"/quotes/?speaker={speaker.slug}&office=secretary-of-state-for-health"
    response = client.get(url)
    listed = response.content.decode()
    assert "Said in day." in listed and "Said in june." in listed
    assert "Said in september." not in listed and "Said in year." not in listed
    facet = client.get(f"/quotes/?speaker={speaker.slug}").context["facets"]["office"]
    counts = {option.value: option.count for option in facet}
    assert counts == {"secretary-of-state-for-health": 2}
    # The cards and the quotation's page say the same.
    page = client.get(said["year"].get_absolute_url()).content.decode()
    assert "No single office held throughout 2012" in page
