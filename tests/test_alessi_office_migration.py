"""Migration 0038 gives Dr Charles Alessi's two seed quotations, in an archive loaded
before quotations could carry an office, the post their source names him in, with a
version in each one's history (keeping its themes), and leaves a curator's choice."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from archive.models import Quote
from tests.factories import make_office, make_quote, make_speaker, make_speech, make_theme

migration = importlib.import_module("archive.migrations.0038_alessi_stated_office")

pytestmark = pytest.mark.django_db


def run(step) -> None:
    state = MigrationLoader(connection).project_state(("archive", "0038_alessi_stated_office"))
    step(state.apps, SimpleNamespace(connection=connection))


@pytest.fixture
def alessi():
    speaker = make_speaker("Charles Alessi", slug=migration.SPEAKER)
    post = make_office(speaker, post="Chairman elect", slug=migration.POST, start_date=None)
    speech = make_speech(text="‘So for integrated care.’ ‘If we accept that.’")
    theme = make_theme("Integrated care")
    words = ("So for integrated care.", "If we accept that.")
    quotes = [
        make_quote(text, speech=speech, speaker=speaker, slug=slug, themes=[theme])
        for text, slug in zip(words, migration.QUOTES, strict=True)
    ]
    return post, quotes, theme


def test_the_seed_quotations_are_given_the_post_with_a_version_saying_why_and_back(alessi):
    post, quotes, theme = alessi
    versions = {q.pk: (q.history.count(), q.version) for q in quotes}
    run(migration.name_office)
    for quote in quotes:
        quote.refresh_from_db()
        assert quote.stated_office == post
        assert quote.speaker_office() == post
        count, version = versions[quote.pk]
        assert quote.version == version + 1  # a form opened before cannot undo it unnoticed
        assert quote.history.count() == count + 1
        latest = quote.history.first()
        assert "Office named by the source" in latest.history_change_reason
        assert [t.theme_id for t in latest.themes.all()] == [theme.pk]  # kept in the version

    run(migration.forget_office)
    assert set(Quote.objects.values_list("stated_office", flat=True)) == {None}


def test_a_curators_choice_and_other_quotations_are_left_as_they_are(alessi):
    post, quotes, _ = alessi
    other_post = make_office(post.speaker, post="GP", slug="gp-surrey")
    Quote.objects.filter(pk=quotes[0].pk).update(stated_office=other_post)
    someone = make_quote("Other words.", speech=make_speech(text="‘Other words.’"))
    run(migration.name_office)
    assert Quote.objects.get(pk=quotes[0].pk).stated_office == other_post
    assert Quote.objects.get(pk=quotes[1].pk).stated_office == post
    assert Quote.objects.get(pk=someone.pk).stated_office is None


def test_the_seed_gives_his_quotations_the_post():
    import json
    from pathlib import Path

    seed = json.loads(
        (Path(__file__).resolve().parent.parent / "fixtures" / "archive.json").read_text()
    )
    offices = {r["pk"]: r["fields"]["slug"] for r in seed if r["model"] == "archive.office"}
    stated = {
        r["fields"]["slug"]: offices.get(r["fields"]["stated_office"])
        for r in seed
        if r["model"] == "archive.quote"
    }
    assert {slug: stated[slug] for slug in migration.QUOTES} == dict.fromkeys(
        migration.QUOTES, migration.POST
    )
    # His two reported summaries (migration 0039) name it too; nobody else's quotations do.
    assert {slug for slug, post in stated.items() if post} == {
        slug for slug in stated if slug.startswith("charles-alessi-")
    }
    assert len([slug for slug, post in stated.items() if post]) == 4


def test_his_post_shows_on_his_quotations_and_counts_them_in_the_seed(client, seed):
    from tests.pages.helpers import facts

    for slug in migration.QUOTES:
        capacity = facts(client.get(f"/quotes/{slug}/"))["In what capacity"]
        assert capacity.startswith("Chairman elect, National Association of Primary Care")
        assert capacity.endswith("(as the source names it)")
    listed = client.get("/quotes/", {"office": migration.POST}).context
    slugs = {card.url.rstrip("/").rsplit("/", 1)[1] for card in listed["page_obj"]}
    assert slugs >= set(migration.QUOTES)
    assert all(slug.startswith("charles-alessi-") for slug in slugs) and len(slugs) == 4
