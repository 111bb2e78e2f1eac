"""The pledges list: commitments with their outcomes, filterable like quotes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from archive.models import Pledge, PledgeStatus, Quote

pytestmark = pytest.mark.django_db


def test_seed_pledges_are_listed_with_their_promise_and_outcome(client, seed):
    response = client.get("/pledges/")
    assert response.status_code == 200
    assert response.context["total"] == Pledge.objects.count() == 9
    assert "Clinical commissioning groups will start in April 2013 with no legacy debts" in (
        response.text
    )
    assert '<time datetime="2013-04">April 2013</time>' in response.text
    assert "Source of the outcome" in response.text  # the one kept pledge cites HSJ


def test_status_filter_keeps_only_that_outcome(client, seed):
    kept = client.get("/pledges/?status=kept")
    assert kept.context["total"] == 1
    assert "unsustainable providers regime" in kept.text
    assert "no legacy debts" not in kept.text
    pending = client.get("/pledges/?status=pending")
    assert pending.context["total"] == 8
    assert "no legacy debts" in pending.text
    assert client.get("/pledges/?status=broken").context["total"] == 0


def test_status_facet_counts_each_outcome(client, seed):
    response = client.get("/pledges/")
    counts = {o.value: o.count for o in response.context["facets"]["status"]}
    assert counts == {"pending": 8, "kept": 1, "partly-kept": 0, "broken": 0}


def test_quote_filters_apply_to_pledges(client, seed):
    hewitt = client.get("/pledges/?speaker=patricia-hewitt")
    assert hewitt.context["total"] == 2
    assert "I will absolutely back you" in hewitt.text
    assert "no legacy debts" not in hewitt.text
    letter = client.get("/pledges/?theme=competition&kind=letter")
    assert letter.context["total"] == 1
    assert "Monitor will not have the power" in letter.text


def test_a_themes_pledges_are_its_pledged_quotations_only(client, seed, settings):
    # A theme alone is read from the dated tags on the quotation lists; the pledges list,
    # the theme's quotations that are commitments, must not be.
    settings.ARCHIVE_WALK_FROM_ROWS = 1  # read as a big list's page is
    from archive.models import Quote

    theme = "competition"
    response = client.get(f"/pledges/?theme={theme}")
    pledged = Quote.objects.published().filter(pledge__isnull=False, themes__slug=theme)
    assert response.context["total"] == pledged.count() > 0
    listed = {quote.pk for quote in response.context["page_obj"].object_list}
    assert listed == set(pledged.values_list("pk", flat=True)[:20])
    assert Quote.objects.published().filter(themes__slug=theme).count() > len(listed)


@pytest.mark.parametrize(
    "query",
    [
        "status=nonsense",
        "status=kept&status=<script>",
        "speaker=nobody-at-all",
        "theme=%00",
        "date_after=2012-13",
        "page=abc",
        "q=" + "x" * 600,
    ],
)
def test_bad_parameters_are_explained_not_a_server_error(client, seed, query):
    response = client.get(f"/pledges/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.text


def test_drafts_pledges_are_not_public(client, seed):
    pledge = Pledge.objects.select_related("quote__speech").get(quote__text__contains="April 2013")
    pledge.quote.speech.status = "draft"
    pledge.quote.speech.save()
    response = client.get("/pledges/")
    assert "no legacy debts" not in response.text


def test_an_outcome_without_a_source_is_refused(seed):
    pledge = Pledge.objects.filter(status=PledgeStatus.PENDING).first()
    pledge.status = PledgeStatus.BROKEN
    with pytest.raises(ValidationError):
        pledge.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        pledge.save()


def test_list_costs_the_same_queries_whatever_the_page_size(
    client, seed, settings, django_assert_max_num_queries
):
    settings.ARCHIVE_PAGE_SIZE = 2
    with django_assert_max_num_queries(100) as small:
        client.get("/pledges/")
    settings.ARCHIVE_PAGE_SIZE = 50
    with django_assert_max_num_queries(100) as large:
        client.get("/pledges/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_pledge_is_shown_on_its_quote_page(client, seed):
    quote = Quote.objects.get(pledge__promise__startswith="Clinical commissioning groups")
    response = client.get(quote.get_absolute_url())
    assert 'id="pledge"' in response.text
    assert "Pending" in response.text


@pytest.mark.parametrize(
    ("due_date", "precision", "past_due"),
    [
        ("2013-04-01", "month", True),  # "by April 2013", long gone
        ("2099-04-01", "month", False),
        (None, "unknown", False),  # no date promised: never overdue
    ],
)
def test_a_pending_pledge_past_its_date_says_its_outcome_is_unrecorded(
    client, seed, due_date, precision, past_due
):
    pledge = Pledge.objects.get(promise__startswith="Clinical commissioning groups")
    pledge.due_date, pledge.due_date_precision = due_date, precision
    pledge.save()
    page = client.get(pledge.quote.get_absolute_url()).text
    assert "Pending" in page
    assert ("no outcome is recorded yet" in page) is past_due


def test_a_pledge_is_due_to_the_end_of_what_its_date_names():
    pledge = Pledge(due_date=dt.date(2012, 7, 1), due_date_precision="month")
    assert pledge.due_by == dt.date(2012, 7, 31)
    pledge.due_date_precision = "year"
    assert pledge.due_by == dt.date(2012, 12, 31)
    pledge.due_date_precision = "day"
    assert pledge.due_by == dt.date(2012, 7, 1)


def test_a_settled_pledge_is_never_called_overdue(seed):
    kept = Pledge.objects.get(status=PledgeStatus.KEPT)
    kept.due_date, kept.due_date_precision = dt.date(2001, 1, 1), "year"
    assert not kept.is_past_due
