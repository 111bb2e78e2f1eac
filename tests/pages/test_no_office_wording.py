"""When a statement has no office beside it, its speech's page and its quotation's page say
why in the same words: undated; offices held during its month or year but none throughout
it; or no office recorded then. One function (``models.no_office_reason``) decides."""

import datetime as dt

import pytest

from archive.models import Office, Speech, no_office_reason
from tests.factories import (
    make_office,
    make_post_changer,
    make_quote,
    make_speaker,
    make_speech,
)
from tests.pages.helpers import facts

pytestmark = pytest.mark.django_db

CHANGED = "No single office held throughout 2012: changed posts during it"


def said(speaker, date, precision, text="Said then."):
    speech = make_speech(speaker=speaker, date=date, date_precision=precision, text=text)
    return speech, make_quote(text, speech=speech, speaker=speaker)


def shown_on_both_pages(client, speech, quote) -> tuple[str, str]:
    on_speech = facts(client.get(speech.get_absolute_url()))["Office at the time"]
    on_quote = facts(client.get(quote.get_absolute_url()))["In what capacity"]
    return on_speech, on_quote


def post_changer():
    """Left one post on 4 September 2012 and took another on the 5th."""
    return make_post_changer()


@pytest.mark.parametrize(
    ("date", "precision", "wording"),
    [
        (dt.date(2012, 1, 1), "year", CHANGED),
        (
            dt.date(2012, 9, 1),
            "month",
            "No single office held throughout September 2012: changed posts during it",
        ),
    ],
)
def test_a_change_of_post_within_the_period_is_said_on_both_pages(client, date, precision, wording):
    speech, quote = said(post_changer(), date, precision)
    assert shown_on_both_pages(client, speech, quote) == (wording, wording)


def test_the_seeds_2012_meeting_and_undated_event_give_the_post_their_reports_name(client, seed):
    # "2012" alone would not give Lansley an office (he changed posts that year) and an
    # unknown date none at all; the reports call him "Health secretary Andrew Lansley".
    for speech in Speech.objects.filter(speaker__slug="andrew-lansley").exclude(
        date_precision__in=["day", "month"]
    ):
        assert speech.stated_office.slug == "secretary-of-state-for-health"
        quote = speech.quotes.filter(speaker=speech.speaker).first()
        shown = shown_on_both_pages(client, speech, quote)
        named = "Secretary of State for Health, Department of Health (as the source names it)"
        assert shown == (named, named), speech.slug
        # Someone else quoted in the same report is not given his post.
        for other in speech.quotes.exclude(speaker=speech.speaker):
            assert other.speaker_office() is None or other.speaker_office().speaker_id == (
                other.speaker_id
            )


def test_a_first_post_taken_within_the_period_is_said_so(client):
    speaker = make_speaker("New Minister")
    make_office(speaker, start_date=dt.date(2012, 3, 1))
    speech, quote = said(speaker, dt.date(2012, 1, 1), "year")
    wording = "No single office held throughout 2012: in office for only part of it"
    assert shown_on_both_pages(client, speech, quote) == (wording, wording)


@pytest.mark.parametrize("with_offices", [False, True])
def test_out_of_office_the_pages_say_none_is_recorded_and_imply_no_change(client, with_offices):
    # Out of office in May 2011: no post at all, or only one taken up later.
    speaker = make_speaker("Out Of Office")
    if with_offices:
        make_office(speaker, start_date=dt.date(2012, 9, 5))
        make_office(
            speaker, slug="earlier", start_date=dt.date(2001, 1, 1), end_date=dt.date(2010, 5, 11)
        )
    speech, quote = said(speaker, dt.date(2011, 5, 1), "month")
    wording = "No office recorded in May 2011"
    assert shown_on_both_pages(client, speech, quote) == (wording, wording)
    for url in (speech.get_absolute_url(), quote.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "throughout" not in page and "changed posts" not in page, url
    # On a day known exactly, likewise.
    speech, quote = said(speaker, dt.date(2011, 5, 17), "day", text="Said on the day.")
    wording = "No office recorded on that date"
    assert shown_on_both_pages(client, speech, quote) == (wording, wording)


def test_an_unknown_date_is_said_to_be_unknown_on_both_pages(client):
    speech, quote = said(post_changer(), None, "unknown")
    wording = "Not known: the statement is undated"
    assert shown_on_both_pages(client, speech, quote) == (wording, wording)


def test_an_office_held_throughout_is_shown_not_a_reason(client):
    speech, quote = said(post_changer(), dt.date(2012, 6, 1), "month")
    assert shown_on_both_pages(client, speech, quote) == (
        "Secretary of State for Health, Department of Health",
        "Secretary of State for Health, Department of Health",
    )


def test_a_respondents_quotation_is_explained_by_their_own_offices(client):
    # Quoted in someone else's speech: the quotation's speaker's posts decide its page.
    speech, _ = said(post_changer(), dt.date(2012, 1, 1), "year", text="Host. Guest.")
    guest = make_speaker("Guest Speaker")
    quote = make_quote("Guest.", speech=speech, speaker=guest)
    assert facts(client.get(quote.get_absolute_url()))["In what capacity"] == (
        "No office recorded in 2012"
    )
    assert facts(client.get(speech.get_absolute_url()))["Office at the time"] == CHANGED


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        (dt.date(2012, 12, 31), None, True),  # begun on the last day
        (None, dt.date(2012, 1, 1), True),  # ended on the first
        (dt.date(2013, 1, 1), None, False),
        (None, dt.date(2011, 12, 31), False),
        (None, None, True),
    ],
)
def test_an_office_overlaps_a_period_if_held_on_any_day_of_it(start, end, overlaps):
    office = Office(start_date=start, end_date=end)
    assert office.overlaps(dt.date(2012, 1, 1), dt.date(2012, 12, 31)) is overlaps


def test_the_reason_needs_no_query_beyond_the_offices_given(django_assert_num_queries):
    offices = [Office(start_date=dt.date(2010, 1, 1), end_date=dt.date(2012, 9, 4))]
    with django_assert_num_queries(0):
        reason = no_office_reason(offices, dt.date(2012, 1, 1), "year")
    assert reason == "No single office held throughout 2012: in office for only part of it"


@pytest.mark.parametrize(
    ("start", "end", "ended", "note"),
    [
        (None, None, True, " (the post's dates are not recorded)"),
        (None, dt.date(2013, 1, 1), True, " (when the post began is not recorded)"),
        (dt.date(2001, 1, 1), None, True, " (when the post ended is not recorded)"),
        (dt.date(2001, 1, 1), None, False, ""),  # still held
        (dt.date(2001, 1, 1), dt.date(2013, 1, 1), True, ""),
    ],
)
def test_an_office_named_on_dates_not_all_recorded_says_so(client, start, end, ended, note):
    # Such a term is matched to a statement as if it had no limit on that side: a 1985
    # statement was shown as said in a post whose dates nobody recorded, without a word.
    speaker = make_speaker("Michael Dixon")
    make_office(
        speaker,
        post="Chairman, NHS Alliance",
        organisation="NHS Alliance",
        is_ministerial=False,
        start_date=start,
        end_date=end,
        ended=ended,
    )
    speech, quote = said(speaker, dt.date(2012, 3, 4), "day")
    expected = "Chairman, NHS Alliance" + note
    assert shown_on_both_pages(client, speech, quote) == (expected, expected)
