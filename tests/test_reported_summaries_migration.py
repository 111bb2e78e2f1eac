"""Migration 0039 adds the five reported-speech summaries the seed now holds to an archive
loaded before: where the seed places them among their speeches' quotations, with a version
saying why, in the search index; and leaves an archive that has them, or has changed, alone."""

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from archive.ingest.normalise import fingerprint
from archive.models import Quote
from archive.search import capped_matches

migration = importlib.import_module("archive.migrations.0039_seed_reported_summaries")
SLUGS = [row[0] for row in migration.ADDED]

pytestmark = pytest.mark.django_db


def run(step) -> None:
    state = MigrationLoader(connection).project_state(("archive", "0039_seed_reported_summaries"))
    step(state.apps, SimpleNamespace(connection=connection))


def _as_loaded_before():
    """The seed as an archive loaded before 0039 holds it: without the five, each speech's
    quotations numbered 1, 2, 3 … in order, as the seed numbered them then."""
    Quote.objects.filter(slug__in=SLUGS).delete()
    for speech_id in set(Quote.objects.values_list("speech_id", flat=True)):
        for n, quote in enumerate(Quote.objects.filter(speech_id=speech_id).order_by("position")):
            Quote.objects.filter(pk=quote.pk).update(position=n + 1)


def _seed_places() -> dict[str, int]:
    seed = json.loads(
        (Path(__file__).resolve().parent.parent / "fixtures/archive.json").read_text()
    )
    return {
        r["fields"]["slug"]: r["fields"]["position"] for r in seed if r["model"] == "archive.quote"
    }


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` runs the block's on-commit work (index updates) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_five_are_added_where_the_seed_places_them_and_found(seed, committed):
    with committed():
        _as_loaded_before()
    assert capped_matches("productive discussions budgets", limit=5) == []
    with committed():
        run(migration.add_summaries)
    places = dict(Quote.objects.values_list("slug", "position"))
    assert places == _seed_places()  # the others moved down as in a new archive
    for slug in SLUGS:
        quote = Quote.objects.get(slug=slug)
        assert quote.kind == "reported" and quote.themes.exists()
        assert quote.history.first().history_change_reason == migration.REASON
        assert [t.theme_id for t in quote.history.first().themes.all()]
    alessi = Quote.objects.get(slug=SLUGS[2])
    assert alessi.speaker_office().slug == migration.ALESSI_POST[1]
    assert [pk for pk, _ in capped_matches("productive discussions budgets", limit=5)] == [
        alessi.pk
    ]
    # A quotation moved down one has a new version, so a page opened before cannot put
    # its old place back unnoticed.
    moved = Quote.objects.get(slug="charles-alessi-if-we-accept-that-we-live")
    assert moved.version == 3  # moved down one for each of Dr Alessi's two summaries
    assert moved.history.first().history_change_reason == migration.MOVED
    # Run again (an archive that has them): nothing added twice.
    run(migration.add_summaries)
    assert Quote.objects.filter(slug__in=SLUGS).count() == 5
    # And back: they go, the others move back up, and the index forgets them.
    with committed():
        run(migration.remove_summaries)
    assert not Quote.objects.filter(slug__in=SLUGS).exists()
    assert capped_matches("productive discussions budgets", limit=5) == []
    seeded = {slug: n for slug, n in _seed_places().items() if slug not in SLUGS}
    speeches = dict(Quote.objects.values_list("slug", "speech__slug"))
    for speech in set(speeches.values()):
        ours = sorted((n, slug) for slug, n in seeded.items() if speeches[slug] == speech)
        positions = dict(Quote.objects.values_list("slug", "position"))
        assert [positions[slug] for _, slug in ours] == list(range(1, len(ours) + 1)), speech
    # Forward once more: each in its place again, however often it is undone.
    run(migration.add_summaries)
    assert dict(Quote.objects.values_list("slug", "position")) == _seed_places()


def test_words_a_curator_has_taken_out_of_the_speech_are_not_added(seed):
    from archive.models import Speech

    _as_loaded_before()
    slug, speech_slug, *_, words = migration.ADDED[3]
    speech = Speech.objects.get(slug=speech_slug)
    Speech.objects.filter(pk=speech.pk).update(text=speech.text.replace("afoot", "under way"))
    if speech.source_id:
        type(speech.source).objects.filter(pk=speech.source_id).update(
            original_text=speech.source.original_text.replace("afoot", "under way")
        )
    run(migration.add_summaries)
    assert not Quote.objects.filter(slug=slug).exists()
    assert Quote.objects.filter(slug__in=SLUGS).count() == 4


def test_a_speech_that_has_the_same_words_already_is_left_alone(seed):
    _as_loaded_before()
    quote = Quote.objects.filter(speech__slug=migration.ADDED[3][1]).first()
    Quote.objects.create(
        speech=quote.speech,
        speaker=quote.speaker,
        slug="a-curators-own-copy",
        text=migration.ADDED[3][7],
        fingerprint=fingerprint(migration.ADDED[3][7]),
        position=99,
    )
    run(migration.add_summaries)
    assert not Quote.objects.filter(slug=SLUGS[3]).exists()
    assert Quote.objects.filter(slug__in=SLUGS).count() == 4
