"""Each broken rule is reported once, about the values the curator typed.

A date and its precision, and a pledge's outcome and its source, are checked by the model's
``clean()`` alone: the admin's forms used to check them as well, so the message came twice,
and the model then judged the precision the record was stored with, which the form no
longer showed ("known to the month" and "known to the year" for one date).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from archive.models import (
    UNKNOWN_PRECISION_WITH_DATE,
    DatePrecision,
    Event,
    Pledge,
    PledgeStatus,
    Source,
)
from tests.admin.html_forms import form_values, post_form
from tests.factories import make_event, make_quote, make_source, make_speech

TO_THE_DAY = "A precision of “day” needs a date: give the date, or choose “unknown”."
TO_THE_MONTH = "A date known to the month is stored as the first day of that month."
TO_THE_YEAR = "A date known to the year is stored as 1 January of that year."
NO_SOURCE = "Give the public source for the outcome, or leave the status pending."
DATE_MESSAGES = (
    TO_THE_DAY,
    TO_THE_MONTH,
    TO_THE_YEAR,
    "A precision of “month” needs a date: give the date, or choose “unknown”.",
    "A precision of “year” needs a date: give the date, or choose “unknown”.",
    UNKNOWN_PRECISION_WITH_DATE,
)


def _messages(page: str, *expected: str, among=DATE_MESSAGES) -> None:
    """``page`` shows each ``expected`` message once and none of the others ``among``."""
    for message in {*expected, *among}:
        assert page.count(escape(message)) == (1 if message in expected else 0), message


def _post(client, url: str, **changes: str) -> str:
    response = post_form(client, url, **changes)
    assert response.status_code == 200  # shown again with the problems, nothing saved
    return response.content.decode()


def _year_speech():
    return make_speech(date=dt.date(2011, 1, 1), date_precision=DatePrecision.YEAR)


def test_a_day_typed_with_month_precision_is_not_judged_by_the_stored_year(curator_client):
    speech = _year_speech()
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    page = _post(curator_client, url, date="2011-05-17", date_precision="month")
    _messages(page, TO_THE_MONTH)
    speech.refresh_from_db()
    assert (speech.date, speech.date_precision) == (dt.date(2011, 1, 1), DatePrecision.YEAR)


def test_an_empty_date_with_day_precision_is_reported_once_as_day(curator_client):
    speech = _year_speech()
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    _messages(_post(curator_client, url, date="", date_precision="day"), TO_THE_DAY)


def test_a_date_the_form_cannot_read_is_not_judged_by_the_stored_date(curator_client):
    # Stored 17 May 2011 to the day; "month" would not fit the stored day, but the curator
    # typed another date, which the form refused: only that is reported.
    speech = make_speech(date=dt.date(2011, 5, 17))
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    page = _post(curator_client, url, date="2011-13-45", date_precision="month")
    assert page.count("Enter a valid date.") == 1
    _messages(page)
    # Once the date can be read, the pair is checked.
    _messages(_post(curator_client, url, date="2011-06-17", date_precision="month"), TO_THE_MONTH)


def test_a_fitting_date_and_precision_are_saved(curator_client):
    speech = _year_speech()
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    fields = form_values(curator_client.get(url).content.decode())
    fields.update({"date": "2011-05-01", "date_precision": "month"})
    assert curator_client.post(url, fields).status_code == 302
    speech.refresh_from_db()
    assert (speech.date, speech.date_precision) == (dt.date(2011, 5, 1), DatePrecision.MONTH)


def test_sources_and_events_report_their_dates_once(curator_client):
    source = make_source(date=dt.date(2011, 1, 1), date_precision=DatePrecision.YEAR)
    event = make_event(date=dt.date(2011, 1, 1), date_precision=DatePrecision.YEAR)
    for record in (source, event):
        name = record._meta.model_name
        url = reverse(f"admin:archive_{name}_change", args=[record.pk])
        page = _post(curator_client, url, date="2011-05-17", date_precision="month")
        _messages(page, TO_THE_MONTH)
        _messages(_post(curator_client, url, date="", date_precision="day"), TO_THE_DAY)
        page = _post(curator_client, url, date="2011-05-17", date_precision="unknown")
        _messages(page, UNKNOWN_PRECISION_WITH_DATE)
    # New records too: the model's clean() is the only check, and it runs on every form.
    url = reverse("admin:archive_source_add")
    page = _post(
        curator_client, url, title="A report", slug="a-report", date="", date_precision="day"
    )
    _messages(page, TO_THE_DAY)
    assert not Source.objects.filter(slug="a-report").exists()
    assert Event.objects.get(pk=event.pk).date_precision == DatePrecision.YEAR


def _pledge(**fields):
    quote = make_quote("We will publish the figures every month.")
    values = {"quote": quote, "promise": "Publish the figures monthly."}
    return Pledge.objects.create(**{**values, **fields})


def test_an_outcome_without_a_source_is_reported_once(curator_client):
    pledge = _pledge()
    url = reverse("admin:archive_pledge_change", args=[pledge.pk])
    page = _post(curator_client, url, status="kept", outcome_source_url="")
    _messages(page, NO_SOURCE, among=(NO_SOURCE, *DATE_MESSAGES))
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.PENDING

    # A new pledge, and the pledge inline on its quotation's page, say it once as well.
    quote = make_quote("We will end mixed-sex wards.")
    page = _post(
        curator_client,
        reverse("admin:archive_pledge_add"),
        quote=str(quote.pk),
        promise="End mixed-sex wards.",
        due_date_precision="unknown",
        status="broken",
    )
    _messages(page, NO_SOURCE, among=(NO_SOURCE, *DATE_MESSAGES))
    page = _post(
        curator_client,
        reverse("admin:archive_quote_change", args=[quote.pk]),
        **{
            "pledge-TOTAL_FORMS": "1",
            "pledge-0-promise": "End mixed-sex wards.",
            "pledge-0-due_date_precision": "unknown",
            "pledge-0-status": "partly-kept",
        },
    )
    _messages(page, NO_SOURCE, among=(NO_SOURCE, *DATE_MESSAGES))
    assert not Pledge.objects.filter(quote=quote).exists()


def test_an_outcome_source_the_form_refuses_is_not_reported_as_missing(curator_client):
    pledge = _pledge()
    url = reverse("admin:archive_pledge_change", args=[pledge.pk])
    page = _post(curator_client, url, status="kept", outcome_source_url="not a web address")
    assert page.count("Enter a valid URL.") == 1
    _messages(page, among=(NO_SOURCE,))


def test_a_pledges_due_date_is_judged_by_the_typed_precision_once(curator_client):
    pledge = _pledge(due_date=dt.date(2013, 1, 1), due_date_precision=DatePrecision.YEAR)
    url = reverse("admin:archive_pledge_change", args=[pledge.pk])
    page = _post(curator_client, url, due_date="2013-04-17", due_date_precision="month")
    _messages(page, TO_THE_MONTH)
    page = _post(curator_client, url, due_date="", due_date_precision="day")
    _messages(page, TO_THE_DAY)
    # Both rules broken at once: each message once.
    page = _post(
        curator_client,
        url,
        due_date="2013-04-17",
        due_date_precision="month",
        status="kept",
        outcome_source_url="",
    )
    _messages(page, TO_THE_MONTH, NO_SOURCE, among=(NO_SOURCE, *DATE_MESSAGES))
    pledge.refresh_from_db()
    assert (pledge.due_date, pledge.status) == (dt.date(2013, 1, 1), PledgeStatus.PENDING)

    fields = form_values(curator_client.get(url).content.decode())
    fields.update(
        {
            "due_date": "2013-04-01",
            "due_date_precision": "month",
            "status": "kept",
            "outcome_source_url": "gov.uk/figures",
        }
    )
    assert curator_client.post(url, fields).status_code == 302
    pledge.refresh_from_db()
    assert (pledge.due_date, pledge.outcome_source_url) == (
        dt.date(2013, 4, 1),
        "https://gov.uk/figures",
    )


FUTURE = "This date is after today: a statement, or a report of one, is dated when it was made."


def test_a_statement_or_a_report_dated_after_today_is_refused(curator_client):
    speech = _year_speech()
    next_year = timezone.localdate().year + 1
    for record, name in ((speech, "speech"), (make_source(), "source")):
        url = reverse(f"admin:archive_{name}_change", args=[record.pk])
        for typed in (f"{next_year}-03-04", f"{next_year}-01-01"):
            precision = "day" if typed.endswith("03-04") else "year"
            page = _post(curator_client, url, date=typed, date_precision=precision)
            assert page.count(escape(FUTURE)) == 1, (name, typed)
        record.refresh_from_db()
        assert record.date is None or record.date.year < next_year
    # Today is not the future.
    fields = form_values(
        curator_client.get(
            reverse("admin:archive_speech_change", args=[speech.pk])
        ).content.decode()
    )
    fields.update(date=timezone.localdate().isoformat(), date_precision="day")
    url = reverse("admin:archive_speech_change", args=[speech.pk])
    assert curator_client.post(url, fields).status_code == 302


def test_an_outcome_dated_after_today_or_before_the_pledge_is_refused(curator_client):
    pledge = _pledge()  # its speech is dated 12 June 2012 by default
    said = pledge.quote.speech.date
    url = reverse("admin:archive_pledge_change", args=[pledge.pk])
    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    kept = {"status": "kept", "outcome_source_url": "https://example.org/done"}
    page = _post(curator_client, url, outcome_date=later, **kept)
    assert "This date is after today" in page
    earlier = (said - dt.timedelta(days=1)).isoformat()
    page = _post(curator_client, url, outcome_date=earlier, **kept)
    assert "This date is before the pledge was made" in page
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.PENDING
    # The day it was made, or later, is an outcome's date.
    response = post_form(curator_client, url, outcome_date=said.isoformat(), **kept)
    assert response.status_code == 302
    assert Pledge.objects.get(pk=pledge.pk).outcome_date == said


def test_a_pledge_on_a_quotation_not_saved_yet_is_checked_against_its_speech(db):
    # Added inline on a new quotation's page: the quotation has no id yet.
    import pytest
    from django.core.exceptions import ValidationError

    from archive.models import Quote

    speech = make_speech(date=dt.date(2012, 6, 1), date_precision=DatePrecision.MONTH)
    pledge = Pledge(
        quote=Quote(speech=speech, text="We will publish."),
        promise="Publish.",
        outcome_date=dt.date(2012, 5, 31),
    )
    with pytest.raises(ValidationError, match="before the pledge was made"):
        pledge.clean()
