"""Keeping the index in step with the records.

``sync_quotes`` / ``sync_speeches`` make the index rows for some ids match the database as it
is now: rows are rewritten for records that exist and removed for records that do not. That
makes them idempotent, so callers never need to say *what* changed, only *which* records.

``schedule_*`` queue ids and sync them once the current transaction commits
(``transaction.on_commit``): a fixture load or an article import is indexed in one batch, and
nothing is indexed for a transaction that rolls back. ``rebuild`` rewrites everything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connections, transaction

from archive.search.documents import (
    QUOTE_DOCUMENT,
    SPEECH_DOCUMENT,
    quote_sources,
    speech_sources,
)
from archive.search.engines import engine_for

logger = logging.getLogger(__name__)

# Ids per statement: well under SQLite's 999 bound parameters.
CHUNK = 500
REBUILD_STEP = 20_000

_pending = threading.local()


def _chunks(ids: Iterable[int], size: int = CHUNK):
    ids = sorted(set(ids))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def sync_quotes(ids: Iterable[int], *, using: str = "default", quote_model=None) -> None:
    """Make the index rows of these quotes match the database now."""
    if quote_model is None:
        from archive.models import Quote as quote_model
    _sync(ids, using, QUOTE_DOCUMENT, lambda chunk: quote_sources(quote_model, chunk))


def sync_speeches(ids: Iterable[int], *, using: str = "default", speech_model=None) -> None:
    """Make the index rows of these speeches match the database now."""
    if speech_model is None:
        from archive.models import Speech as speech_model
    _sync(ids, using, SPEECH_DOCUMENT, lambda chunk: speech_sources(speech_model, chunk))


def _sync(ids, using, spec, sources: Callable) -> None:
    engine = engine_for(using)
    connection = connections[using]
    with transaction.atomic(using=using):
        for chunk in _chunks(ids):
            engine.delete(connection, spec, chunk)
            engine.write(connection, spec, sources(chunk).using(using))


@contextmanager
def gin_indexes_set_aside(using: str = "default") -> Iterator[None]:
    """On PostgreSQL, the index tables' GIN indexes dropped for the block and made again
    after it, from their own definitions, in one transaction (a failure leaves them as
    they were); elsewhere, nothing.

    For a bulk load nobody searches meanwhile (the tables are locked until it commits):
    writing each row into the word pairs' index made a rebuild four times as long (100,000
    quotations: 9.8 s without it, 41.9 s with it), where making it afterwards took 18.7 s.
    ``rebuild`` itself keeps them, so that searches read the old index while it runs.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    tables = [QUOTE_DOCUMENT.table, SPEECH_DOCUMENT.table]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = ANY(%s) AND indexdef LIKE %s ORDER BY indexname",
            [tables, "% USING gin %"],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        yield
        for _, definition in indexes:
            cursor.execute(definition)  # PostgreSQL's own text of the index


def rebuild(
    *,
    using: str = "default",
    quote_model=None,
    speech_model=None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Rewrite the whole index from the records; returns how many rows each table got.

    Runs in one transaction, so searches see the old index until the new one is complete.
    """
    current = quote_model is None and speech_model is None  # not a migration's models
    if quote_model is None or speech_model is None:
        from archive.models import Quote, Speech

        quote_model, speech_model = quote_model or Quote, speech_model or Speech
    engine = engine_for(using)
    connection = connections[using]
    counts = {}
    with transaction.atomic(using=using):
        for label, model, spec, sources in (
            ("quotes", quote_model, QUOTE_DOCUMENT, quote_sources),
            ("speeches", speech_model, SPEECH_DOCUMENT, speech_sources),
        ):
            engine.clear(connection, spec)
            rows = model._base_manager.using(using)
            top = rows.order_by("-pk").values_list("pk", flat=True).first() or 0
            # Id ranges rather than one statement: bounded memory, and progress to report.
            for low in range(0, top + 1, REBUILD_STEP):
                batch = sources(model).using(using).filter(pk__gte=low, pk__lt=low + REBUILD_STEP)
                engine.write(connection, spec, batch)
                if progress:
                    progress(f"{label}: indexed ids below {min(low + REBUILD_STEP, top + 1)}")
            engine.optimize(connection, spec)
            counts[label] = rows.count()
        if current:
            # Search pages and counts stored from the index as it was are out of date (a
            # migration's rebuild leaves this to the data it migrates: its tables may not
            # be the current models' yet).
            from archive.views.summaries import archive_changed

            archive_changed()
    return counts


# --- deferred syncing ---------------------------------------------------------------


def _queue(using: str) -> dict[str, set[int]]:
    queues = getattr(_pending, "queues", None)
    if queues is None:
        queues = _pending.queues = {}
    return queues.setdefault(using, {"quotes": set(), "speeches": set()})


def schedule_quotes(ids: Iterable[int], *, using: str = "default") -> None:
    """Sync these quotes when the current transaction commits (now, outside one)."""
    _schedule("quotes", ids, using)


def schedule_speeches(ids: Iterable[int], *, using: str = "default") -> None:
    """Sync these speeches when the current transaction commits (now, outside one)."""
    _schedule("speeches", ids, using)


def _schedule(kind: str, ids: Iterable[int], using: str) -> None:
    ids = {i for i in ids if i is not None}
    if not ids:
        return
    _queue(using)[kind].update(ids)
    # Each call registers a callback, so one survives whichever savepoints roll back; the
    # first to run syncs the whole queue and the rest find it empty. Ids queued by a
    # rolled-back savepoint are synced too, which is harmless: syncing reads what is there.
    transaction.on_commit(lambda: flush(using), using=using, robust=True)


def flush(using: str = "default") -> None:
    """Sync every queued id now."""
    queue = _queue(using)
    quotes, speeches = queue["quotes"], queue["speeches"]
    if not quotes and not speeches:
        return
    queue["quotes"], queue["speeches"] = set(), set()
    try:
        sync_quotes(quotes, using=using)
        sync_speeches(speeches, using=using)
    except Exception:
        # The records are saved; only the index lags. Say how to repair it, then re-raise
        # for on_commit(robust=True) to log rather than fail the curator's request.
        logger.exception("Search index update failed; run `manage.py rebuild_search_index`.")
        raise
    # The index changed after the records' own commit (and its new data version): a search
    # page stored in between, from the index as it was, is out of date too.
    from archive.views.summaries import archive_changed

    archive_changed()
