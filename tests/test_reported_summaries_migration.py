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
    # Run again (an archive that has them): nothing added twice.
    run(migration.add_summaries)
    assert Quote.objects.filter(slug__in=SLUGS).count() == 5
    # And back: they go, and the index forgets them.
    with committed():
        run(migration.remove_summaries)
    assert not Quote.objects.filter(slug__in=SLUGS).exists()
    assert capped_matches("productive discussions budgets", limit=5) == []


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
