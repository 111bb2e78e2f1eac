"""How the office page by theme reads what each holder said (``said_by_holders``): the
oldest ``PER_PAGE_LIMIT`` statements in post, each once, in a number of queries that does
not grow with the number of terms, by the same rule as the ``office`` filter."""

import datetime as dt

import pytest
from django.db.models import F

from archive.filters import said_in_post
from archive.insight import holders
from archive.insight.holders import said_by_holders
from archive.models import Office, Quote, Theme
from tests.factories import make_office, make_quote, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db


def said(speaker, date, theme, precision="day", text=None):
    text = text or f"{speaker.name} on {date.isoformat()} ({precision})."
    speech = make_speech(speaker=speaker, date=date, date_precision=precision, text=text)
    return make_quote(text, speech=speech, themes=[theme])


def terms(slug="minister") -> list[Office]:
    """The post's terms in the office page's order (one with no start date first)."""
    order = F("start_date").asc(nulls_first=True)
    return list(Office.objects.filter(slug=slug).order_by(order, "pk"))


def test_a_statement_in_two_overlapping_terms_is_listed_once_under_the_first():
    theme = make_theme("Waiting times")
    speaker = make_speaker("Twice Recorded")
    make_office(speaker, slug="minister", start_date=dt.date(2010, 1, 1), end_date=None)
    make_office(speaker, slug="minister", start_date=dt.date(2011, 1, 1), end_date=None)
    both = said(speaker, dt.date(2012, 3, 4), theme)
    first_only = said(speaker, dt.date(2010, 6, 1), theme)

    groups = said_by_holders(terms(), Theme.objects.get(pk=theme.pk))

    assert [g.quotes for g in groups] == [[first_only, both], []]


def test_the_oldest_statements_are_read_up_to_the_limit(monkeypatch):
    monkeypatch.setattr(holders, "PER_PAGE_LIMIT", 3)
    theme = make_theme("Waiting times")
    early, late = make_speaker("Early Holder"), make_speaker("Late Holder")
    make_office(early, slug="minister", start_date=None, end_date=dt.date(2005, 12, 31))
    make_office(late, slug="minister", start_date=dt.date(2006, 1, 1), end_date=None)
    dates = [dt.date(2001, 1, 5), dt.date(2004, 7, 1), dt.date(2007, 2, 2), dt.date(2009, 9, 9)]
    by_date = {date: said(early if date.year < 2006 else late, date, theme) for date in dates}
    said(late, dt.date(2003, 3, 3), theme)  # before the late holder took the post
    said(early, dt.date(2008, 8, 8), theme)  # after the early holder left it

    groups = said_by_holders(terms(), Theme.objects.get(pk=theme.pk))

    assert [g.quotes for g in groups] == [
        [by_date[dt.date(2001, 1, 5)], by_date[dt.date(2004, 7, 1)]],
        [by_date[dt.date(2007, 2, 2)]],  # the fourth is past the limit
    ]


@pytest.mark.parametrize(
    ("end", "date", "precision", "listed"),
    [
        (dt.date(2012, 3, 31), dt.date(2012, 3, 1), "month", True),  # all of March in post
        (dt.date(2012, 3, 30), dt.date(2012, 3, 1), "month", False),  # left before it ended
        (dt.date(2012, 3, 30), dt.date(2012, 2, 1), "month", True),
        (dt.date(2012, 12, 31), dt.date(2012, 1, 1), "year", True),
        (dt.date(2012, 12, 30), dt.date(2012, 1, 1), "year", False),
        (dt.date(2013, 1, 15), dt.date(2012, 1, 1), "year", True),
        (dt.date(2012, 3, 30), dt.date(2012, 3, 30), "day", True),
        (dt.date(2012, 3, 30), dt.date(2012, 3, 31), "day", False),
    ],
)
def test_a_term_ending_takes_only_the_periods_it_covers_as_the_filter_does(
    end, date, precision, listed
):
    theme = make_theme("Waiting times")
    speaker = make_speaker("One Holder")
    make_office(speaker, slug="minister", start_date=dt.date(2010, 1, 1), end_date=end)
    quote = said(speaker, date, theme, precision)

    (group,) = said_by_holders(terms(), Theme.objects.get(pk=theme.pk))

    assert (quote in group.quotes) is listed
    assert Quote.objects.filter(said_in_post("minister")).exists() is listed


def test_the_queries_do_not_grow_with_the_number_of_terms(django_assert_num_queries):
    theme = make_theme("Waiting times")
    for n in range(12):
        speaker = make_speaker(f"Holder {n}")
        start = dt.date(2000 + n, 1, 1)
        make_office(speaker, slug="minister", start_date=start, end_date=start.replace(month=12))
        said(speaker, start.replace(month=6), theme)
    all_terms = terms()
    theme = Theme.objects.get(pk=theme.pk)

    # The tags in the terms; those whose source names a term; the quotations with their
    # speech, speaker and event; their themes; their speakers' offices.
    with django_assert_num_queries(5):
        few = said_by_holders(all_terms[:2], theme)
    with django_assert_num_queries(5):
        many = said_by_holders(all_terms, theme)
    assert [len(g.quotes) for g in few] == [1, 1]
    assert [len(g.quotes) for g in many] == [1] * 12


def test_no_terms_read_nothing(django_assert_num_queries):
    theme = make_theme("Waiting times")
    with django_assert_num_queries(0):
        assert said_by_holders([], theme) == []
