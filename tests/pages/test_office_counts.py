"""Each holder's count on an office page ("N quotations in post") is a count, never the
facet's -1 for a chosen speaker it found nothing for, and no number at all where the
speaker facet did not count the holder (a post with more holders than it lists)."""

import datetime as dt

import pytest

from archive import filters
from archive.views import people
from tests.factories import make_office, make_quote, make_speaker, make_speech

pytestmark = pytest.mark.django_db


def holders_text(response) -> str:
    html = response.content.decode()
    return html[html.index('class="terms') : html.index('id="results-heading"')]


def test_a_chosen_holder_with_nothing_in_post_under_the_filters_has_0_not_minus_1(client, seed):
    for query in (
        {"speaker": "andrew-lansley", "date_after": "2030"},
        {"speaker": "patricia-hewitt", "date_after": "2012"},
    ):
        response = client.get("/offices/secretary-of-state-for-health/", query)
        assert response.status_code == 200
        text = holders_text(response)
        assert ">-1 quotation" not in text, query
        assert "0 quotations in post" in text, query


@pytest.fixture
def post_of_three():
    """A post held in turn by three speakers, who said 3, 2 and 1 things in it."""
    holders = []
    for n, said in enumerate((3, 2, 1)):
        speaker = make_speaker(f"Holder {'ABC'[n]}")
        start = dt.date(2000 + 2 * n, 1, 1)
        make_office(
            speaker, slug="minister", start_date=start, end_date=start.replace(2001 + 2 * n)
        )
        for i in range(said):
            speech = make_speech(speaker=speaker, date=start.replace(month=3 + i))
            make_quote(f"{speaker.name} said thing {i}.", speech=speech)
        holders.append(speaker)
    return holders


def test_every_holder_has_their_count_when_the_facet_lists_them_all(client, post_of_three):
    text = holders_text(client.get("/offices/minister/"))
    for count in ("3 quotations in post", "2 quotations in post", "1 quotation in post"):
        assert count in text


def test_a_holder_the_facet_did_not_count_gets_no_number(client, post_of_three, monkeypatch):
    # The facet lists the two most frequent speakers of a post with three holders.
    monkeypatch.setattr(filters, "FACET_LIMIT", 2)
    monkeypatch.setattr(people, "FACET_LIMIT", 2)
    text = holders_text(client.get("/offices/minister/"))
    assert "3 quotations in post" in text
    assert "2 quotations in post" in text
    assert "0 quotations in post" not in text  # Holder C said one thing: not "0"
    assert ">Quotations in post</a>" in text
