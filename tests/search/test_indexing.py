"""The index follows the records: every curator's write shows up in the next search."""

import pytest
from django.core.management import call_command
from django.db import transaction

from archive.models import Quote, Speech, Status
from archive.search import search
from archive.search.models import QuoteSearchEntry, SpeechSearchEntry
from tests.factories import make_quote, make_speech
from tests.search.hits import records


def found(query, show="all"):
    return set(records(search(query, show=show).hits))


def test_a_new_quote_is_found(corpus, committed):
    with committed():
        quote = make_quote("Integration will not wait for legislation", speech=corpus.letter)
    assert quote in found("integration")


def test_an_edited_quote_is_found_by_its_new_words_only(corpus, committed):
    with committed():
        corpus.closures.text = "Hospital mergers are never easy"
        corpus.closures.save()
    assert corpus.closures in found("mergers")
    assert corpus.closures not in found("closures", show="quotes")


def test_publishing_and_unpublishing_a_speech_shows_and_hides_it(corpus, committed):
    assert not found("secret")
    with committed():
        corpus.draft.status = Status.PUBLISHED
        corpus.draft.save()
    assert {corpus.draft, corpus.secret} <= found("secret")
    with committed():
        corpus.draft.status = Status.DRAFT
        corpus.draft.save()
    assert not found("secret")


def test_a_deleted_quote_leaves_the_index(corpus, committed):
    pk = corpus.closures.pk
    with committed():
        corpus.closures.delete()
    assert not found("closures", show="quotes")
    assert not QuoteSearchEntry.objects.filter(pk=pk).exists()


def test_a_deleted_speech_takes_its_quotes_out_of_the_index(corpus, committed):
    speech_pk = corpus.alliance.pk
    quote_pks = list(corpus.alliance.quotes.values_list("pk", flat=True))
    with committed():
        corpus.alliance.delete()
    assert not found("maternity")
    assert not SpeechSearchEntry.objects.filter(pk=speech_pk).exists()
    assert not QuoteSearchEntry.objects.filter(pk__in=quote_pks).exists()


def test_theme_changes_reach_the_quotes_that_carry_them(corpus, committed):
    assert corpus.maternity not in found("reconfiguration -maternity", show="quotes")
    with committed():
        corpus.maternity.themes.add(corpus.failure)
    assert corpus.maternity in found("failure", show="quotes")
    with committed():
        corpus.failure.name = "Failing providers"
        corpus.failure.save()
    assert corpus.maternity in found("failing", show="quotes")
    with committed():
        corpus.failure.quotes.clear()
    assert corpus.maternity not in found("failing", show="quotes")
    assert corpus.provider not in found("failing", show="quotes")


def test_a_renamed_speaker_is_found_by_the_new_name(corpus, committed):
    with committed():
        corpus.hewitt.name = "Patricia Hewitt-Jones"
        corpus.hewitt.save()
    assert corpus.closures in found("jones", show="quotes")


def test_a_rolled_back_write_is_never_indexed(corpus, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        make_speech("Unsaved thoughts", text="Ephemeral words")
        raise RuntimeError("curator cancelled")
    assert not found("ephemeral")
    assert not Speech.objects.filter(title="Unsaved thoughts").exists()


def test_rebuild_catches_up_with_writes_that_bypass_signals(corpus):
    # QuerySet.update() sends no signals, so the index still has the old words.
    Quote.objects.filter(pk=corpus.closures.pk).update(text="Hospital mergers are hard")
    assert corpus.closures not in found("mergers")
    call_command("rebuild_search_index", verbosity=0)
    assert corpus.closures in found("mergers")
    assert corpus.closures not in found("closures", show="quotes")
    assert QuoteSearchEntry.objects.count() == Quote.objects.count()
    assert SpeechSearchEntry.objects.count() == Speech.objects.count()


def test_the_loaded_seed_archive_is_searchable(seed):
    assert search("commissioning").total > 0


def test_updating_the_index_marks_stored_pages_out_of_date(db):
    # The index is updated after the records' commit: a search page stored in between,
    # from the index as it was, must not stay current.
    from archive.search import indexing
    from archive.views.summaries import data_version
    from tests.factories import make_quote

    quote = make_quote("Reconfiguration is coming.")
    before = data_version()
    indexing._queue("default")["quotes"].add(quote.pk)
    indexing.flush()
    assert data_version() != before


def test_rebuilding_the_index_marks_stored_pages_out_of_date(db):
    from archive.search import indexing
    from archive.views.summaries import data_version

    before = data_version()
    indexing.rebuild()
    assert data_version() != before
