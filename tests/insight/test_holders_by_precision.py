"""The office page by theme counts a statement known only to the month or year for a term
only when the term covered all of it: the rule of the ``office`` filter and of the office
shown on the statement (``office_held``), so the page's sections, its counts and
``/quotes/?office=…&theme=…`` agree."""

import datetime as dt

import pytest

from archive.filters import said_in_post
from archive.insight.holders import said_by_holders
from archive.models import Office, Quote, Theme
from tests.factories import make_office, make_quote, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db

SOS = "secretary-of-state-for-health"
RECONFIG = "service-reconfiguration"


def quotes_listed(client, office: str, theme: str, speaker: str | None = None) -> dict:
    """``/quotes/?office=…&theme=…``: its total and its speaker facet's counts."""
    query = {"office": office, "theme": theme}
    if speaker:
        query["speaker"] = speaker
    context = client.get("/quotes/", query).context
    facet = {option.value: option.count for option in context["facets"]["speaker"]}
    return {"total": context["total"], "by_speaker": facet}


def office_page(client, office: str, theme: str):
    response = client.get(f"/offices/{office}/", {"theme": theme})
    assert response.status_code == 200
    return response


def test_the_seed_year_statement_is_under_the_term_its_report_names(client, seed):
    # Lansley left Health on 4 September 2012; the CCG leaders' meeting is known only as
    # "2012", which alone would not say which post he spoke in. Its report names it
    # ("Health secretary Andrew Lansley"), and the curation records that: the statement is
    # under his term, on the office page, in its counts and in the office filter alike.
    year_quote = Quote.objects.get(text__startswith="Clinical redesign can lead")
    assert year_quote.speech.date_precision == "year"
    assert year_quote.speaker_office().slug == SOS

    response = office_page(client, SOS, RECONFIG)
    groups = {g.office.speaker.slug: g for g in response.context["by_holder"]}
    lansley = groups["andrew-lansley"]
    assert year_quote in lansley.quotes
    html = response.content.decode()
    section = html[html.index('id="by-holder-heading"') : html.index('class="listing"')]
    assert "Clinical redesign can lead" in section
    assert year_quote in Quote.objects.filter(said_in_post(SOS))

    # Each holder's section, their count on the page and the quotes list say the same.
    listed = quotes_listed(client, SOS, RECONFIG)
    counts = {h.speaker.slug: h.statement_count for h in response.context["holders"]}
    for slug, group in groups.items():
        assert len(group.quotes) == counts[slug] == listed["by_speaker"].get(slug, 0), slug
        only = quotes_listed(client, SOS, RECONFIG, speaker=slug)
        assert only["total"] == len(group.quotes), slug
    assert listed["total"] == sum(len(g.quotes) for g in groups.values())


@pytest.fixture
def two_holders():
    """A post held by one speaker to 4 September 2012 and by another all through 2012, each
    with statements on a theme known to the day, the month and the year."""
    theme = make_theme("Hospital closures")
    leaver = make_speaker("Left Midyear")
    make_office(
        leaver, slug="minister", start_date=dt.date(2010, 5, 12), end_date=dt.date(2012, 9, 4)
    )
    stayer = make_speaker("Held Throughout")
    make_office(
        stayer, slug="minister", start_date=dt.date(2011, 3, 1), end_date=dt.date(2012, 12, 31)
    )
    said = {}
    for who in (leaver, stayer):
        for key, date, precision in (
            ("4 September", dt.date(2012, 9, 4), "day"),
            ("June", dt.date(2012, 6, 1), "month"),
            ("September", dt.date(2012, 9, 1), "month"),
            ("2012", dt.date(2012, 1, 1), "year"),
        ):
            text = f"{who.name} in {key}."
            speech = make_speech(speaker=who, date=date, date_precision=precision, text=text)
            said[who.slug, key] = make_quote(text, speech=speech, themes=[theme])
    return theme, leaver, stayer, said


def test_a_year_statement_counts_only_for_a_term_covering_the_whole_year(client, two_holders):
    theme, leaver, stayer, said = two_holders
    holders = list(Office.objects.filter(slug="minister").order_by("start_date"))
    groups = said_by_holders(holders, theme)
    by_speaker = {g.office.speaker_id: {q.text for q in g.quotes} for g in groups}
    assert by_speaker[leaver.pk] == {"Left Midyear in 4 September.", "Left Midyear in June."}
    assert by_speaker[stayer.pk] == {
        "Held Throughout in 4 September.",
        "Held Throughout in June.",
        "Held Throughout in September.",
        "Held Throughout in 2012.",  # the term ran to 31 December: all of 2012
    }
    # The SQL rule alone says the same as the grouping.
    for office in holders:
        in_post = Quote.objects.filter(said_in_post(office.slug), speaker=office.speaker)
        in_sql = set(in_post.values_list("text", flat=True))
        assert in_sql == by_speaker[office.speaker_id]
    # And the same as the office shown on each statement.
    for quote in said.values():
        shown = quote.speaker_office()
        assert (shown is not None) == (quote.text in by_speaker[quote.speaker_id]), quote.text

    response = office_page(client, "minister", theme.slug)
    listed = quotes_listed(client, "minister", theme.slug)
    counts = {h.speaker.slug: h.statement_count for h in response.context["holders"]}
    assert counts == listed["by_speaker"] == {leaver.slug: 2, stayer.slug: 4}
    assert listed["total"] == 6
    page_groups = {g.office.speaker.slug: len(g.quotes) for g in response.context["by_holder"]}
    assert page_groups == counts


def test_a_statement_goes_under_the_term_held_all_through_its_period(client, db):
    # Two recorded terms of one post by one person that overlap (a reappointment entered
    # twice): a "2012" statement belongs to the one that covered all of 2012, not the
    # first one that had begun by 1 January.
    theme = make_theme("Hospital closures")
    speaker = make_speaker("Twice Appointed")
    first = make_office(
        speaker, slug="minister", start_date=dt.date(2010, 1, 1), end_date=dt.date(2012, 9, 4)
    )
    second = make_office(
        speaker, slug="minister", start_date=dt.date(2011, 1, 1), end_date=dt.date(2014, 1, 1)
    )
    speech = make_speech(
        speaker=speaker, date=dt.date(2012, 1, 1), date_precision="year", text="In 2012."
    )
    quote = make_quote("In 2012.", speech=speech, themes=[theme])
    groups = said_by_holders([first, second], Theme.objects.get(pk=theme.pk))
    assert [g.quotes for g in groups] == [[], [quote]]


def test_an_undated_statement_is_in_no_term_even_one_whose_dates_are_unknown(client, db):
    # A post with neither date known (ended) is taken to cover any dated statement by its
    # holder; an undated statement has no office (its page says it is undated), and the
    # office filter, the holder's count and the section by theme leave it out alike.
    theme = make_theme("Integrated care")
    speaker = make_speaker("Charles Alessi")
    make_office(
        speaker,
        post="Chairman elect, National Association of Primary Care",
        slug="chairman-elect",
        start_date=None,
        ended=True,
        is_ministerial=False,
    )
    undated = make_speech(speaker=speaker, date=None, text="Undated words.")
    make_quote("Undated words.", speech=undated, themes=[theme])
    dated = make_speech(speaker=speaker, date=dt.date(2011, 5, 1), date_precision="month")
    make_quote("Dated words.", speech=make_speech(speaker=speaker, text="Dated words."))
    make_quote("Said in May.", speech=dated, themes=[theme])

    listed = quotes_listed(client, "chairman-elect", theme.slug)
    assert listed == {"total": 1, "by_speaker": {speaker.slug: 1}}
    assert client.get("/quotes/", {"office": "chairman-elect"}).context["total"] == 2
    assert client.get("/speeches/", {"office": "chairman-elect"}).context["total"] == 2
    response = office_page(client, "chairman-elect", theme.slug)
    (holder,) = response.context["holders"]
    (group,) = response.context["by_holder"]
    assert holder.statement_count == len(group.quotes) == 1
    assert [q.text for q in group.quotes] == ["Said in May."]
