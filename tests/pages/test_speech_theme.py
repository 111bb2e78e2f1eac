"""A theme's speeches are the published speeches with a quotation on it, each listed once,
whether they are gathered from the theme's tags or each speech is checked for one."""

import datetime as dt

import pytest

from archive import filters
from archive.models import SpeechKind, Status
from tests.factories import make_quote, make_speaker, make_speech, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def speeches(settings):
    settings.ARCHIVE_SUMMARY_CACHE_SECONDS = 0
    alcohol, funding = make_theme("Alcohol", slug="alcohol"), make_theme("Funding")
    pat = make_speaker("Pat Hewitt")
    made = {}
    for slug, date, kind, themes in [
        ("twice-on-it", dt.date(2004, 1, 1), SpeechKind.SPEECH, [[alcohol], [alcohol, funding]]),
        ("once-on-it", dt.date(2001, 1, 1), SpeechKind.LETTER, [[funding], [alcohol]]),
        ("undated", None, SpeechKind.SPEECH, [[alcohol]]),
        ("off-theme", dt.date(2002, 1, 1), SpeechKind.SPEECH, [[funding]]),
    ]:
        speech = make_speech(slug, slug=slug, speaker=pat, date=date, kind=kind)
        for n, tags in enumerate(themes):
            make_quote(f"{slug} {n}.", speech=speech, themes=tags)
        made[slug] = speech
    draft = make_speech("draft", slug="draft", speaker=pat, status=Status.DRAFT)
    make_quote("Draft.", speech=draft, themes=[alcohol])
    return made


def listed(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [
        speech.url.rstrip("/").rsplit("/", 1)[1]
        for speech in response.context["page_obj"].object_list
    ]


@pytest.mark.parametrize("few_tagged", [100_000, 0], ids=["gathered", "checked"])
def test_a_themes_speeches_each_once_in_order(client, speeches, monkeypatch, few_tagged):
    monkeypatch.setattr(filters, "FEW_TAGGED", few_tagged)
    assert listed(client, "/speeches/?theme=alcohol&sort=oldest") == [
        "once-on-it",
        "twice-on-it",
        "undated",
    ]
    assert listed(client, "/speeches/?theme=alcohol&kind=letter") == ["once-on-it"]
    assert listed(client, "/speeches/?theme=alcohol&kind=speech&sort=oldest") == [
        "twice-on-it",
        "undated",
    ]
