"""A search reads its quotations and its speeches at once, on two connections, where it can
(``archive.search.side_reads``); the results are those of one read after the other."""

import threading

import pytest
from django.db import transaction

from archive.routers import _pinned, primary_only
from archive.search import search, side_reads
from tests.factories import make_quote, make_speech, make_theme


def where() -> tuple[int, bool]:
    """The thread this runs in, and whether it reads from the primary only."""
    return threading.get_ident(), _pinned.get()


def test_the_second_read_runs_in_another_thread_outside_a_transaction(transactional_db):
    here, beside = side_reads.both(where, where)
    assert here[0] == threading.get_ident()
    assert beside[0] != threading.get_ident()


def test_inside_a_transaction_both_reads_run_here(transactional_db):
    """Another connection could not see the transaction's uncommitted rows."""
    with transaction.atomic():
        here, beside = side_reads.both(where, where)
    assert here[0] == beside[0] == threading.get_ident()


def test_with_no_reading_threads_both_reads_run_here(transactional_db, settings):
    settings.SEARCH_SIDE_READS = 0
    here, beside = side_reads.both(where, where)
    assert here[0] == beside[0] == threading.get_ident()


def test_when_every_reading_thread_is_busy_the_read_runs_here(transactional_db, settings):
    settings.SEARCH_SIDE_READS = 1
    side_reads.stop()  # a pool of the new size
    release = threading.Event()
    started = threading.Event()

    def busy():
        started.set()
        release.wait(10)
        return where()

    try:
        outer = threading.Thread(target=lambda: side_reads.both(lambda: None, busy))
        outer.start()
        assert started.wait(10)
        here, beside = side_reads.both(where, where)  # the one thread is taken
        assert here[0] == beside[0] == threading.get_ident()
    finally:
        release.set()
        outer.join(10)
        side_reads.stop()


def test_the_reading_thread_reads_from_the_database_this_request_reads_from(transactional_db):
    with primary_only():
        here, beside = side_reads.both(where, where)
    assert here[1] is True and beside[1] is True
    assert side_reads.both(where, where)[1][1] is False


def test_an_error_in_either_read_is_raised_after_both_have_finished(transactional_db):
    finished = threading.Event()

    def slow_then_fine():
        finished.wait(0.2)
        finished.set()
        return "fine"

    def fails():
        raise ValueError("no")

    with pytest.raises(ValueError):
        side_reads.both(fails, slow_then_fine)
    assert finished.is_set()
    with pytest.raises(ValueError):
        side_reads.both(lambda: "fine", fails)


@pytest.mark.parametrize("query", ["nurses", '"more nurses"', "nurses -midwives", "Lansley"])
def test_a_search_finds_the_same_with_its_reads_side_by_side_or_one_after_the_other(
    transactional_db, settings, monkeypatch, query
):
    speech = make_speech("On nurses", text="We need more nurses, and more midwives.")
    workforce = make_theme("Workforce")
    for text in ("We need more nurses.", "Nurses and midwives.", "More nurses, said Lansley."):
        make_quote(text, speech=speech, themes=[workforce])
    make_speech("Nurses again", text="More nurses.")
    from archive.search.indexing import rebuild

    rebuild()

    def found():
        results = search(query)
        themes = [(f.value, f.count) for f in results.facets.get("theme", [])]
        return results.counts, [(hit.kind, hit.record.pk) for hit in results.hits], themes

    from archive.search import service

    threads = []

    def watched(here, beside):
        def beside_watched():
            threads.append(threading.get_ident())
            return beside()

        return side_reads.both(here, beside_watched)

    monkeypatch.setattr(service, "both", watched)
    settings.SEARCH_SIDE_READS = 0
    one_after_the_other = found()
    settings.SEARCH_SIDE_READS = 2
    assert found() == one_after_the_other
    # Each search reads its candidates, then its page's hits beside its themes' counts:
    # all here, then all beside.
    here = threading.get_ident()
    assert len(threads) == 4
    assert threads[:2] == [here, here]
    assert here not in threads[2:]
    if query == "nurses":
        assert one_after_the_other[0] == {"quotes": 3, "speeches": 2}
        assert one_after_the_other[2] == [("workforce", 3)]
