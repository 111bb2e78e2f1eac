"""Compare and the office page by theme: only the chosen speakers and theme, in time order."""

import datetime as dt
import re

import pytest

from archive.models import Speaker, Status, Theme
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
            assert quote.speaker.url == column.speaker.get_absolute_url()
            assert "/themes/service-reconfiguration/" in {t.url for t in quote.themes}
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
            "There is no speaker “nobody” in the archive",
        ),
        (
            "theme=service-reconfiguration&speaker=no-one&speaker=nobody",
            "There are no speakers “no-one”, “nobody” in the archive",
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


@pytest.fixture
def on_waiting(db):
    """A theme on which one speaker said little of much (read from the theme) and another
    said all they said (read from the speaker), with quotations on other themes and a
    draft between them."""
    theme, other = make_theme("Waiting times"), make_theme("Workforce")
    prolific, brief = make_speaker("Alan Milburn"), make_speaker("Frank Dobson")
    for year in (2004, 1999, 2001, 2003, 2002):
        speech = make_speech(speaker=prolific, date=dt.date(year, 3, 1))
        make_quote(f"Waits in {year}.", speech=speech, themes=[theme])
        make_quote(f"Staff in {year}.", speech=speech, themes=[other])
        make_quote(f"More staff in {year}.", speech=speech, themes=[other])
    # Undated last; in one speech, in the order said; speeches of one day, as added.
    undated = make_speech(speaker=brief, date=None)
    make_quote("Queues, some day.", speech=undated, themes=[theme])
    for year in (2000, 1998):
        speech = make_speech(speaker=brief, date=dt.date(year, 1, 1))
        make_quote(f"Queues in {year}.", speech=speech, themes=[theme])
        make_quote(f"Still queues in {year}.", speech=speech, themes=[theme])
    make_quote(
        "Queues again in 1998.",
        speech=make_speech(speaker=brief, date=dt.date(1998, 1, 1)),
        themes=[theme],
    )
    draft = make_speech(speaker=prolific, status=Status.DRAFT, date=dt.date(2000, 6, 1))
    make_quote("Not yet public.", speech=draft, themes=[theme])
    return f"/compare/?theme={theme.slug}&speaker={prolific.slug}&speaker={brief.slug}"


def column_texts(client, url) -> list[list[str]]:
    columns = client.get(url).context["comparison"].columns
    return [[quote.text for quote in column.quotes] for column in columns]


def test_columns_are_the_same_however_they_are_read(client, on_waiting, monkeypatch, settings):
    from archive.insight import compare

    expected = [
        ["Waits in 1999.", "Waits in 2001.", "Waits in 2002.", "Waits in 2003.", "Waits in 2004."],
        [
            "Queues in 1998.",
            "Still queues in 1998.",
            "Queues again in 1998.",
            "Queues in 2000.",
            "Still queues in 2000.",
            "Queues, some day.",
        ],
    ]
    # The first column walks the date index (its speaker said 15 things, the theme holds
    # 7), the second is read whole from the dated tags.
    assert column_texts(client, on_waiting) == expected
    monkeypatch.setattr(compare, "WALK_FROM", 1)  # both walk the date index
    assert column_texts(client, on_waiting) == expected
    settings.ARCHIVE_PAGE_SIZE = 5
    for walk_from in (1, 10**9):
        monkeypatch.setattr(compare, "WALK_FROM", walk_from)
        columns = client.get(on_waiting).context["comparison"].columns
        assert [[q.text for q in c.quotes] for c in columns] == [e[:5] for e in expected]
        assert [c.more for c in columns] == [False, True]


def test_a_long_column_shows_a_list_page_and_goes_on_where_it_stops(client, on_waiting, settings):
    """A column holds a list page's worth; its link opens the speaker's list on the theme,
    oldest first, at the page after it: nothing skipped, nothing repeated."""
    settings.ARCHIVE_PAGE_SIZE = 2
    response = client.get(on_waiting)
    columns = response.context["comparison"].columns
    assert [len(c.quotes) for c in columns] == [2, 2]
    assert [c.total for c in columns] == [5, 6]
    frank = response.text.split('data-speaker="frank-dobson"')[1]
    assert "The first 2 of 6." in frank
    link = re.search(r'href="([^"]*page=2)">Their next quotations on Waiting times<', frank)
    listed = client.get(link.group(1).replace("&amp;", "&")).context["page_obj"].object_list
    assert [q.text for q in listed] == ["Queues again in 1998.", "Queues in 2000."]


def test_compare_query_count_does_not_grow_with_the_quotations(
    client, on_waiting, django_assert_max_num_queries, monkeypatch
):
    from archive.insight import compare

    counts = []
    for walk_from in (10**9, 1):  # sorted reads, then walks
        monkeypatch.setattr(compare, "WALK_FROM", walk_from)
        for more in (0, 60):
            milburn = Speaker.objects.get(slug="alan-milburn")
            theme = Theme.objects.get(slug="waiting-times")
            for n in range(more):
                make_quote(f"Another wait {n}.", speaker=milburn, themes=[theme])
            with django_assert_max_num_queries(40) as captured:
                assert client.get(on_waiting).status_code == 200
            counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] and counts[2] == counts[3]


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


def one_on_the_theme_one_elsewhere():
    """A theme, a speaker quoted on it and a speaker quoted on something else."""
    theme = make_theme("Waiting times")
    on_theme = make_speaker("Alan Milburn")
    make_quote("Waits will fall.", speech=make_speech(speaker=on_theme), themes=[theme])
    elsewhere = make_speaker("Frank Dobson")
    make_quote("Other matters.", speech=make_speech(speaker=elsewhere))
    return theme, on_theme, elsewhere


def test_the_menus_offer_the_speakers_with_published_quotations_on_the_theme(client, db):
    theme, _, _ = one_on_the_theme_one_elsewhere()
    drafted = make_speaker("Draft Speaker")
    draft = make_speech(speaker=drafted, status=Status.DRAFT)
    make_quote("Not yet public.", speech=draft, themes=[theme])

    menu = speaker_menu(client.get("/compare/", {"theme": theme.slug}).text, 1)
    assert "Alan Milburn" in menu
    assert "Frank Dobson" not in menu
    assert "Draft Speaker" not in menu
    # With no theme chosen, everyone is offered.
    assert "Frank Dobson" in speaker_menu(client.get("/compare/").text, 1)


def test_a_chosen_speaker_with_nothing_on_the_theme_stays_chosen(client, db):
    # Sending the form again must not drop them: their column says they said nothing on it.
    theme, on_theme, elsewhere = one_on_the_theme_one_elsewhere()
    query = {"theme": theme.slug, "speaker": [on_theme.slug, elsewhere.slug]}
    html = client.get("/compare/", query).text
    assert f'<option value="{on_theme.slug}" selected>' in speaker_menu(html, 1)
    assert f'<option value="{elsewhere.slug}" selected>' in speaker_menu(html, 2)
    assert f'<option value="{elsewhere.slug}">' in speaker_menu(html, 3)


def test_each_menu_keeps_its_choice_and_names_are_escaped(client, seed):
    speaker = make_speaker('<script>alert("x")</script>')
    make_quote("Words of theirs.", speaker=speaker)  # listed: something of theirs is public
    html = client.get(COMPARE).text
    assert '<option value="andrew-lansley" selected>' in speaker_menu(html, 1)
    assert '<option value="patricia-hewitt" selected>' in speaker_menu(html, 2)
    assert " selected" not in speaker_menu(html, 3)
    everyone = client.get("/compare/").text
    assert f'<option value="{speaker.slug}">&lt;script&gt;' in speaker_menu(everyone, 1)
    assert "<script>alert" not in everyone


def test_the_theme_menu_keeps_its_choice_and_names_are_escaped(client, seed):
    make_theme('Waits & "queues" <b>')
    html = client.get(COMPARE).text
    start = html.index('id="compare-theme"')
    menu = html[start : html.index("</select>", start)]
    assert menu.count(" selected") == 1
    assert '<option value="service-reconfiguration" selected>Service reconfiguration' in menu
    assert "Waits &amp; &quot;queues&quot; &lt;b&gt;</option>" in menu
    values = re.findall(r'<option value="([^"]*)"', menu)[1:]  # after "Choose a theme"
    assert values == list(Theme.objects.order_by("name", "slug").values_list("slug", flat=True))
    empty = client.get("/compare/").text
    start = empty.index('id="compare-theme"')
    assert " selected" not in empty[start : empty.index("</select>", start)]


def test_a_theme_alone_is_the_first_step_not_a_mistake(client, seed):
    response = client.get("/compare/?theme=service-reconfiguration")
    assert response.status_code == 200
    assert "could not be made" not in response.text
    assert "list only the speakers with quotations on Service reconfiguration" in response.text


def test_choosing_three_speakers_brings_a_menu_for_a_fourth(client, seed):
    three = "theme=service-reconfiguration&speaker=andrew-lansley&speaker=patricia-hewitt"
    html = client.get(f"/compare/?{three}").text
    assert 'id="compare-speaker-3"' in html and 'id="compare-speaker-4"' not in html
    assert "a menu for a fourth appears" in html
    speakers = Speaker.objects.filter(quotes__themes__slug="service-reconfiguration")
    third = speakers.exclude(slug__in=["andrew-lansley", "patricia-hewitt"]).distinct().first()
    html = client.get(f"/compare/?{three}&speaker={third.slug}").text
    assert f'<option value="{third.slug}" selected>' in speaker_menu(html, 3)
    assert " selected" not in speaker_menu(html, 4)
    assert "a menu for a fourth appears" not in html


def test_a_speaker_chosen_twice_is_compared_once_and_told_so(client, seed):
    response = client.get(COMPARE + "&speaker=andrew-lansley")
    assert response.status_code == 200
    columns = response.context["comparison"].columns
    assert [c.speaker.slug for c in columns] == ["andrew-lansley", "patricia-hewitt"]
    assert "A speaker chosen more than once is compared once." in response.text
    assert "compared once" not in client.get(COMPARE).text
