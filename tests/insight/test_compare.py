"""Compare and the office page by theme: only the chosen speakers and theme, in time order."""

import pytest

from archive.models import Status
from tests.factories import make_quote, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db

COMPARE = "/compare/?theme=service-reconfiguration&speaker=andrew-lansley&speaker=patricia-hewitt"


def test_compare_shows_only_the_chosen_speakers_and_theme(client, seed):
    response = client.get(COMPARE)
    assert response.status_code == 200
    columns = response.context["comparison"].columns
    assert [c.speaker.slug for c in columns] == ["andrew-lansley", "patricia-hewitt"]
    for column in columns:
        assert column.quotes
        for quote in column.quotes:
            assert quote.speaker_id == column.speaker.pk
            assert "service-reconfiguration" in {t.slug for t in quote.themes.all()}
    assert "I will back you" in response.text
    assert "I will absolutely back you" in response.text
    assert "Duncan Selbie" not in response.text.split('class="compare__columns"')[1]
    # Not on the theme: the letter's passage on competition.
    assert "Monitor, would not have the power" not in response.text


def test_columns_are_in_time_order(client, seed):
    columns = client.get(COMPARE).context["comparison"].columns
    for column in columns:
        dates = [q.speech.date for q in column.quotes if q.speech.date]
        assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("theme=no-such-theme&speaker=andrew-lansley&speaker=patricia-hewitt", "no such theme"),
        (
            "theme=service-reconfiguration&speaker=andrew-lansley&speaker=nobody",
            "not in the archive",
        ),
        ("theme=service-reconfiguration&speaker=andrew-lansley", "at least 2"),
        ("theme=service-reconfiguration&speaker=%3Cscript%3E&speaker=x", "from the lists"),
        ("theme=a&theme=b&speaker=andrew-lansley&speaker=patricia-hewitt", "one theme"),
        ("speaker=andrew-lansley&speaker=patricia-hewitt", "Choose a theme"),
        ("theme=%00&speaker=%00&speaker=" + "x" * 5000, "such theme"),
    ],
)
def test_bad_parameters_are_explained_with_a_400(client, seed, query, message):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert "<script>" not in response.text


def test_empty_compare_page_offers_the_form(client, seed):
    response = client.get("/compare/")
    assert response.status_code == 200
    assert 'name="theme"' in response.text and 'name="speaker"' in response.text


def test_compare_query_count_is_constant(client, seed, django_assert_max_num_queries):
    counts = []
    for theme in ("service-reconfiguration", "nhs-values"):
        with django_assert_max_num_queries(40) as captured:
            client.get(f"/compare/?theme={theme}&speaker=andrew-lansley&speaker=patricia-hewitt")
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_office_page_with_a_theme_shows_what_each_holder_said(client, seed):
    url = "/offices/secretary-of-state-for-health/?theme=service-reconfiguration"
    response = client.get(url)
    assert response.status_code == 200
    groups = response.context["by_holder"]
    assert [g.office.speaker.slug for g in groups] == ["patricia-hewitt", "andrew-lansley"]
    hewitt, lansley = groups
    assert any("absolutely back you" in q.text for q in hewitt.quotes)
    assert any(q.text.startswith("I will back you") for q in lansley.quotes)
    for group in groups:
        for quote in group.quotes:
            assert quote.speaker_id == group.office.speaker_id
            assert group.office.covers(quote.speech.date)
    assert "What each holder said on Service reconfiguration" in response.text
    assert "Compare them side by side" in response.text


@pytest.mark.parametrize("theme", ["nope", "%3Cb%3E", "%00"])
def test_office_page_with_a_bad_theme_never_fails(client, seed, theme):
    response = client.get(f"/offices/secretary-of-state-for-health/?theme={theme}")
    assert response.status_code == 200
    assert "What each holder said" not in response.text


def speaker_menu(html: str, n: int) -> str:
    start = html.index(f'id="compare-speaker-{n}"')
    return html[start : html.index("</select>", start)]


def test_the_menus_offer_the_speakers_with_published_quotations_on_the_theme(client, db):
    theme = make_theme("Waiting times")
    on_theme = make_speaker("Alan Milburn")
    make_quote("Waits will fall.", speech=make_speech(speaker=on_theme), themes=[theme])
    elsewhere = make_speaker("Frank Dobson")
    make_quote("Other matters.", speech=make_speech(speaker=elsewhere))
    drafted = make_speaker("Draft Speaker")
    draft = make_speech(speaker=drafted, status=Status.DRAFT)
    make_quote("Not yet public.", speech=draft, themes=[theme])

    menu = speaker_menu(client.get("/compare/", {"theme": theme.slug}).text, 1)
    assert "Alan Milburn" in menu
    assert "Frank Dobson" not in menu
    assert "Draft Speaker" not in menu
    # With no theme chosen, everyone is offered.
    assert "Frank Dobson" in speaker_menu(client.get("/compare/").text, 1)


def test_each_menu_keeps_its_choice_and_names_are_escaped(client, seed):
    speaker = make_speaker('<script>alert("x")</script>')
    html = client.get(COMPARE).text
    assert '<option value="andrew-lansley" selected>' in speaker_menu(html, 1)
    assert '<option value="patricia-hewitt" selected>' in speaker_menu(html, 2)
    assert " selected" not in speaker_menu(html, 3)
    everyone = client.get("/compare/").text
    assert f'<option value="{speaker.slug}">&lt;script&gt;' in speaker_menu(everyone, 1)
    assert "<script>alert" not in everyone
