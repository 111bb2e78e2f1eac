"""The admin's search box asks the archive's search engine, not a substring scan."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import make_quote, make_speaker, make_speech


def _records(django_capture_on_commit_callbacks):
    # The search index is updated after commit; run those callbacks inside the test.
    with django_capture_on_commit_callbacks(execute=True):
        speaker = make_speaker("Patricia Hewitt")
        speech = make_speech(
            "Speech to the NHS Alliance",
            speaker=speaker,
            text="She said: ‘I will back the closure of a hospital.’ And: ‘Doctors agree.’",
        )
        closure = make_quote("I will back the closure of a hospital.", speech=speech)
        doctors = make_quote("Doctors agree.", speech=speech)
    return speech, closure, doctors


def test_quote_search_finds_other_forms_of_a_word_and_honours_exclusion(
    curator_client, django_capture_on_commit_callbacks
):
    _, closure, doctors = _records(django_capture_on_commit_callbacks)
    url = reverse("admin:archive_quote_changelist")
    # "hospitals" is not a substring of "hospital": only a stemming search finds it.
    page = curator_client.get(url, {"q": "hospitals"}).content.decode()
    assert closure.text in page
    assert doctors.text not in page
    page = curator_client.get(url, {"q": "hewitt -hospital"}).content.decode()
    assert doctors.text in page
    assert closure.text not in page


def test_speech_search_goes_through_the_interface_and_drafts_are_found(
    curator_client, django_capture_on_commit_callbacks
):
    speech, _, _ = _records(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        speech.status = "draft"
        speech.save()
        make_speech("Speech to the King's Fund", text="Nothing about buildings.")
    page = curator_client.get(
        reverse("admin:archive_speech_changelist"), {"q": "closures"}
    ).content.decode()
    assert "Speech to the NHS Alliance" in page
    assert "King&#x27;s Fund" not in page


def _changelist(client, model: str, q: str) -> str:
    return client.get(reverse(f"admin:archive_{model}_changelist"), {"q": q}).content.decode()


def test_speaker_search_ignores_accents_and_case_both_ways(curator_client):
    make_speaker("Anne Brontë", aliases=["Acton Bell"])
    make_speaker("Seán Ó Fearghaíl", aliases=["Ceann Comhairle Ó Fearghaíl"])
    make_speaker("Charlotte Bronson")
    for typed in ("bronte", "BRONTË", "Brontë", "brontë"):
        page = _changelist(curator_client, "speaker", typed)
        assert "Anne Brontë" in page, typed
        assert "Charlotte Bronson" not in page, typed
    # Aliases too, with their accents (SQLite stores them escaped in JSON).
    page = _changelist(curator_client, "speaker", "comhairle o fearghail")
    assert "Seán Ó Fearghaíl" in page
    assert "Anne Brontë" not in page
    assert "Anne Brontë" in _changelist(curator_client, "speaker", "acton")


def test_folded_search_keeps_like_wildcards_literal(curator_client):
    make_speaker("Fifty% Smith")
    make_speaker("Fiftyfive Jones")
    page = _changelist(curator_client, "speaker", "fifty%")
    assert "Fifty% Smith" in page
    assert "Fiftyfive Jones" not in page
    page = _changelist(curator_client, "speaker", "fifty_")
    assert "Fiftyfive Jones" not in page


def test_event_theme_source_and_office_searches_ignore_accents(curator_client):
    from tests.factories import make_event, make_office, make_source, make_theme

    make_event("WHO assembly", place="Zürich")
    make_event("Summit", place="Geneva")
    make_theme("Santé publique")
    make_source("Le Monde interview", publisher="Éditions du Monde")
    make_office(make_speaker("Zoë Ærø"), post="Ministre de la Santé")
    page = _changelist(curator_client, "event", "zurich")
    assert "WHO assembly" in page and "Summit" not in page
    assert "Santé publique" in _changelist(curator_client, "theme", "SANTE")
    assert "Le Monde interview" in _changelist(curator_client, "source", "editions")
    # A letter without a decomposition is spelled out as PostgreSQL's unaccent spells it.
    assert "Ministre de la Santé" in _changelist(curator_client, "office", "zoe aero")


def test_typographic_and_typed_apostrophes_and_dashes_find_each_other(curator_client):
    from tests.factories import make_source

    make_source("Lansley: I'll back managers who close hospitals")
    make_source("O’Brien on the King’s Fund – and waiting lists")
    assert "I&#x27;ll back managers" in _changelist(curator_client, "source", "I’ll")
    page = _changelist(curator_client, "source", "O'Brien")
    assert "O’Brien on the King’s Fund" in page
    assert "O’Brien" in _changelist(curator_client, "source", "fund - and")


def test_speaker_autocomplete_ignores_accents(curator_client):
    speaker = make_speaker("Anne Brontë")
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {"term": "bronte", "app_label": "archive", "model_name": "quote", "field_name": "speaker"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(speaker.pk)]


def _office_menu(client, **extra) -> list[str]:
    asked = {"term": "", "app_label": "archive", "model_name": "quote"}
    response = client.get(reverse("admin:autocomplete"), {**asked, **extra})
    assert response.status_code == 200
    return sorted(r["text"] for r in response.json()["results"])


def test_the_stated_office_menu_offers_the_chosen_speakers_offices_alone(curator_client):
    from tests.factories import make_office

    lansley, hewitt = make_speaker("Andrew Lansley"), make_speaker("Patricia Hewitt")
    make_office(lansley, post="Secretary of State for Health")
    make_office(hewitt, post="Secretary of State for Health")
    make_office(hewitt, post="Chair of the Healthcare Commission")
    menu = _office_menu(curator_client, field_name="stated_office", speaker=str(hewitt.pk))
    assert len(menu) == 2 and all("Patricia Hewitt" in text for text in menu)
    # The speech's menu too; without a speaker (none chosen yet), every office.
    speech_menu = {"model_name": "speech", "field_name": "stated_office"}
    assert len(_office_menu(curator_client, **speech_menu, speaker=str(lansley.pk))) == 1
    assert len(_office_menu(curator_client, field_name="stated_office")) == 3
    # A speaker that is not a record number narrows nothing, and is no error.
    for odd in ("abc", "-1", "1" * 40, "١٢", " 3"):
        assert len(_office_menu(curator_client, field_name="stated_office", speaker=odd)) == 3
