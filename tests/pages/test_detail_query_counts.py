"""Speech and quotation pages: a fixed, small number of queries, and no long text unread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_quote, make_source, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db


def speech_with(n: int):
    """A speech quoting ``n`` respondents, each quotation with two themes."""
    source = make_source("A report", original_text="The whole document. " * 500)
    speech = make_speech("Big speech", source=source, text="Intro.")
    themes = [make_theme(), make_theme()]
    for i in range(n):
        make_quote(f"Reply {i}.", speech=speech, speaker=make_speaker(f"R {i}"), themes=themes)
    return speech


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("n", [5, 50])
def test_speech_page_costs_four_queries_however_many_quotations(client, n):
    speech = speech_with(n)
    sql = queries(client, speech.get_absolute_url())
    # The speech with speaker, event and source; the speaker's offices; the quotations with
    # their speakers; their themes.
    assert len(sql) == 4
    assert not any("original_text" in s for s in sql)


def test_quote_page_query_count_does_not_grow_with_its_speech_or_similar_quotations(client):
    few = queries(client, speech_with(5).quotes.first().get_absolute_url())
    many = queries(client, speech_with(50).quotes.first().get_absolute_url())
    assert len(many) == len(few)
    assert not any("original_text" in s for s in many)
