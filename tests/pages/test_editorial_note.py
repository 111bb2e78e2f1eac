"""A speech's editorial note: what the archive changed in the words as printed, told to
readers beside the speech, each of its quotations, the API and the CSV downloads."""

import pytest

from tests.factories import make_quote, make_speech
from tests.pages.helpers import XHTML, parse

pytestmark = pytest.mark.django_db

NOTE = "The source prints a dash as “?” (“unit?it”); the archive shows it as a dash."


def facts(response) -> dict[str, str]:
    """The page's facts list: each term with its description's text."""
    found = {}
    for pair in parse(response).iter(f"{{{XHTML}}}div"):
        term, description = pair.find(f"{{{XHTML}}}dt"), pair.find(f"{{{XHTML}}}dd")
        if term is not None and description is not None:
            found[term.text] = "".join(description.itertext())
    return found


@pytest.fixture
def noted():
    speech = make_speech(
        "Speech to the NHS Alliance", text="Lose the unit—it was noisy.", editorial_note=NOTE
    )
    return make_quote("Lose the unit—it was noisy.", speech=speech)


def test_the_speech_and_its_quotations_pages_say_the_note(client, noted):
    assert facts(client.get(noted.speech.get_absolute_url()))["Editorial note"] == NOTE
    # On a quotation's page it is said to be the speech's: the words it names may be in
    # another of the speech's quotations.
    assert facts(client.get(noted.get_absolute_url()))["Note on the speech's text"] == NOTE


def test_a_speech_without_a_note_says_nothing_of_one(client, noted):
    plain = make_quote("As printed.", speech=make_speech("A letter", text="As printed."))
    for url in (plain.speech.get_absolute_url(), plain.get_absolute_url()):
        response = client.get(url)
        assert not {"Editorial note", "Note on the letter's text"} & set(facts(response))
        assert "unit?it" not in response.content.decode()


def test_the_api_gives_the_note_with_the_speech_and_its_quotations(client, noted):
    assert client.get(f"/api/speeches/{noted.speech.slug}/").json()["editorial_note"] == NOTE
    assert client.get(f"/api/quotes/{noted.slug}/").json()["editorial_note"] == NOTE
    [listed] = client.get("/api/quotes/").json()["results"]
    assert listed["editorial_note"] == NOTE


def test_a_hostile_note_is_shown_as_text(client):
    speech = make_speech("A letter", editorial_note="<script>alert(1)</script> & more")
    html = client.get(speech.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
