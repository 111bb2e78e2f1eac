"""The timeline's marks and data table are built in Python: every value must be escaped."""

import datetime as dt

import pytest

from tests.factories import make_quote, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & "quoted" \'single\''


def test_hostile_quote_and_speaker_name_are_escaped_in_chart_and_table(client):
    theme = make_theme("Hostile theme")
    speaker = make_speaker('Eve <img src=x onerror="alert(1)">')
    speech = make_speech(speaker=speaker, date=dt.date(2011, 5, 4), text=f"She said “{HOSTILE}”")
    make_quote(HOSTILE, speech=speech, themes=[theme])

    for url in (theme.get_absolute_url(), speaker.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'class="timeline__mark"' in html  # the chart is drawn
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        # Escaped, the words are still there for the reader, in the title and the table.
        assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;") >= 2
