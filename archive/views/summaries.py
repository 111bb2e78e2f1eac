"""Caching of expensive page summaries: facet counts, totals, home page figures.

Counting a large archive (a million quotations) by speaker, theme, office … takes seconds,
and the unfiltered or lightly filtered lists that need it are the most visited pages. Their
summaries are kept in Django's cache for ``ARCHIVE_SUMMARY_CACHE_SECONDS``. Only summaries
that took at least ``ARCHIVE_SUMMARY_CACHE_MIN_MS`` milliseconds to compute are stored:
cheap ones are counted afresh, which also keeps pages over small archives (and the tests)
free of caching.

Every write to an archive record changes the data version (shared by every process with a
shared cache backend, ``CACHE_DIR`` or Redis), and each stored summary remembers the
version it was counted at. A summary counted before the latest write is stale: the first
request to meet it counts it again, so a curator sees their own change at once, while
requests arriving during that recount get the previous figures rather than waiting or
counting too. A write therefore never leaves the whole archive's summaries to be counted
by waiting readers at once, however many there are.

With ``ARCHIVE_BACKGROUND_COUNTS`` (on in production), those recounts are made by the
process's counting thread (``archive.background``): no reader waits for them at all.

With ``ARCHIVE_STORED_SUMMARIES`` (on by default), slow summaries are kept in the database
too (``StoredSummary``), with the version they were counted at, and so is the data version.
A server whose cache is empty copies them into it on its first request
(``restore_summaries``), so a restart, a new machine or a flushed Redis does not make its
first readers count a million rows again; ``manage.py count_archive`` makes the big lists'
summaries ahead of any reader. Summaries of which there can be any number (a search's, a
list's under several filters) are kept in the cache only (``keep=False``).

First counts are made by the request that needs them, and shared. With
``ARCHIVE_SUMMARY_BUDGET_MS`` set, a page that can be shown without its counts (the facet
menus and totals of lists, timelines) tries them only until the request is that old: the
database stops a count there (``archive.budget``) and the counting thread makes it instead,
so no reader waits seconds for a big count. It is off by default because, measured at a
million quotations on two cores (``make loadtest``), a cold server then completes its counts
far later: with 300 ms, 28 requests/s in the first minute and 82 in the next, against 56 and
910 with the requests counting (which, though, let 3 of the first minute's requests time
out).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection, connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from archive import background
from archive.budget import OverBudget, time_limit
from archive.models import StoredSummary
from archive.pending import PENDING

T = TypeVar("T")

logger = logging.getLogger(__name__)

VERSION_KEY = "archive:data-version"
RESTORING_KEY = "archive:restoring-summaries"
# Part of every summary's key: raise it when a release changes what a stored summary holds
# or how it is counted, so that summaries stored by the previous release are not read.
SUMMARY_FORMAT = 3  # 2: timelines stored written out (DrawnTimeline); 3: with the axis
# The same for one kind of summary, so a release that changes only it keeps every other
# count (a million quotations' counts take minutes to make again). The timelines: 2, their
# section written out whole (migration 0015 drops those of format 1); 3, described by the
# years of their quotations, not of their axis (0021 drops those of format 2); 4, in a region
# that scrolls on a phone, one speaker's bands named by post (0023 drops those of format 3);
# 5, marks that would cover each other in lanes of their own (0029 drops those of format 4);
# 6, the data table's dates as precise as known, "2012-06" (0032 drops those of format 5);
# 7, reported speech as "Reported: …", not in quotation marks (0036 drops those of format 6).
FORMATS = {"theme-timeline": 7, "speaker-timeline": 7}
# How much of the stored summaries a server with an empty cache copies in at once (a million
# quotations' big lists, themes, offices and most quoted speakers come to about 70 MB).
RESTORE_MAX_BYTES = 128 * 1024 * 1024


def _ttl() -> int:
    default = getattr(settings, "PUBLIC_CACHE_MAX_AGE", 300)
    return int(getattr(settings, "ARCHIVE_SUMMARY_CACHE_SECONDS", default))


def _min_seconds() -> float:
    return float(getattr(settings, "ARCHIVE_SUMMARY_CACHE_MIN_MS", 250)) / 1000


def small_count_min_ms() -> float:
    """``cached_summary``'s ``min_ms`` for a count a page makes on every build (a list's
    total and facets, a speaker's totals, a page of speakers' counts, whether a theme is
    large): kept once it takes
    ``ARCHIVE_SMALL_COUNT_CACHE_MIN_MS`` (2), sooner than the counts that hold a server up
    (``ARCHIVE_SUMMARY_CACHE_MIN_MS``). A few milliseconds saved on every view of a page is
    worth a cache entry: a list of letters counted its 17 ms afresh for every reader."""
    return float(getattr(settings, "ARCHIVE_SMALL_COUNT_CACHE_MIN_MS", 2))


def _stored() -> bool:
    """Whether slow summaries are also kept in the database (``ARCHIVE_STORED_SUMMARIES``)."""
    return bool(getattr(settings, "ARCHIVE_STORED_SUMMARIES", False))


def data_version() -> str:
    """A token that changes whenever an archive record is written.

    A new random token rather than a counter: if the cache ever drops it (a file cache culls
    entries at random), the next one is new too, so no page or summary stored under an
    earlier token can come back as current. With ``ARCHIVE_STORED_SUMMARIES`` the token is
    kept in the database too, and a cache without it (a server's first request) takes it
    from there, with the summaries stored beside it (``restore_summaries``).
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        version = restore_summaries() if _stored() else _new_version()
    return version


def _new_version() -> str:
    cache.add(VERSION_KEY, uuid.uuid4().hex, None)
    return cache.get(VERSION_KEY, "")


def archive_changed() -> None:
    """Mark every stored page and summary out of date: for writes that send no signals
    (bulk loads, a restored backup); ordinary saves and deletes call it by themselves.

    Inside a transaction the version changes again once it commits: a reader who came
    between the write and the commit read the rows as they were, and stored the page or
    count under the new version, where it would have been served as current for the page
    cache's five minutes (or, for a count, until the next write).
    """
    using = router.db_for_write(StoredSummary)
    conn = connections[using]
    if not conn.in_atomic_block:
        _new_version_kept()
        return
    # Every write, not once per transaction: the transaction's own connection (a test, a
    # shell) reads what it wrote, and must not be given a page stored before it.
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    if getattr(conn, "_archive_version_hooks", None) is conn.run_on_commit:
        return  # already queued in this transaction
    conn._archive_version_hooks = conn.run_on_commit

    def committed() -> None:
        conn._archive_version_hooks = None
        _new_version_kept()

    # A transaction deleting a million records calls this a million times, but queues this
    # once. (Django replaces ``run_on_commit`` with a new list whenever it runs or drops the
    # hooks, so a hook queued in a transaction that was rolled back is never taken for a
    # pending one.)
    transaction.on_commit(committed, using=using, robust=True)


def _new_version_kept() -> None:
    """A new data version in the cache, and in the database when summaries are kept there."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    if _stored():
        _write(VERSION_KEY, "", version, b"")


def bump_version(sender, **kwargs) -> None:
    """Signal receiver: an archive record changed, so cached summaries are out of date."""
    meta = getattr(sender, "_meta", None)
    if meta and meta.app_label == "archive" and sender is not StoredSummary:
        archive_changed()


def restore_summaries() -> str:
    """Copy the summaries kept in the database into the cache; the data version kept there.

    What a server's first request does when its cache is empty: the counts of a million
    quotations then come from a few thousand stored rows instead of minutes of counting.
    Summaries stored before the latest write come back stale: shown, and recounted. While
    one request copies them, others wait for it (a few seconds at most) rather than count.
    """
    if not cache.add(RESTORING_KEY, 1, 60):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.05)
            version = cache.get(VERSION_KEY)
            if version is not None:
                return version
        # Still copying (a busy machine): go on with the stored version alone; counts not
        # yet in the cache are made as if nothing were stored.
        return _stored_version()
    try:
        stored_version = _read_stored_version()
        found, size = {}, 0
        # The newest first, up to RESTORE_MAX_BYTES: a table grown large (a timeline for
        # every speaker ever visited) must not make a server's first request take minutes.
        rows = StoredSummary.objects.exclude(key=VERSION_KEY).order_by("-counted_at")
        for key, version, value in rows.values_list("key", "version", "value").iterator(
            chunk_size=200
        ):
            size += len(value)
            if size > RESTORE_MAX_BYTES:
                break
            try:
                found[_cache_key(key)] = (version, pickle.loads(value))  # noqa: S301 -- by _store
            except Exception:  # noqa: BLE001 -- a row this code cannot read is counted again
                logger.warning("Stored summary %s could not be read; it will be counted again", key)
        if stored_version is None:
            stored_version = uuid.uuid4().hex
            _write(VERSION_KEY, "", stored_version, b"")
        cache.set_many(found, _ttl())
    except DatabaseError:
        # No table yet (before migrate) or no database: the cache alone keeps summaries.
        logger.exception("Stored summaries could not be read")
        return _new_version()
    finally:
        cache.delete(RESTORING_KEY)
    cache.add(VERSION_KEY, stored_version, None)
    return cache.get(VERSION_KEY, stored_version)


def _read_stored_version() -> str | None:
    """The data version kept in the database; None if none is."""
    return StoredSummary.objects.filter(key=VERSION_KEY).values_list("version", flat=True).first()


def _stored_version() -> str:
    """The data version kept in the database, or a new one if it cannot be read."""
    try:
        return _read_stored_version() or _new_version()
    except DatabaseError:
        return _new_version()


def _write(key: str, name: str, version: str, value: bytes) -> None:
    """Keep one summary (or the data version) in the database; a failure costs only a
    recount later, so it is logged, not raised, and leaves the caller's transaction whole."""
    row = StoredSummary(
        key=key, name=name[:50], version=version, value=value, counted_at=timezone.now()
    )
    using = router.db_for_write(StoredSummary)
    try:
        with transaction.atomic(using=using):
            StoredSummary.objects.using(using).bulk_create(
                [row],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["name", "version", "value", "counted_at"],
            )
    except DatabaseError:
        logger.exception("Summary %s could not be stored", name or key)


def connect() -> None:
    """Watch every write to an archive record, and time each request's budget
    (idempotent)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump_version, dispatch_uid=f"archive-summaries-{id(signal)}")
    request_started.connect(_start_request, dispatch_uid="archive-summaries-budget-start")
    request_finished.connect(_end_budget, dispatch_uid="archive-summaries-budget-end")


def stored_key(name: str, parts: object) -> str:
    """The key a summary is kept under in the database: its name and parts.

    Not the database's name, which the cache key adds: the rows live in the database they
    count, and must stay readable when it is renamed (a SQLite file moved, a backup
    restored into a database of another name).
    """
    versioned = (SUMMARY_FORMAT, name, parts)
    if name in FORMATS:
        versioned = (SUMMARY_FORMAT, name, FORMATS[name], parts)
    digest = hashlib.sha256(repr(versioned).encode()).hexdigest()[:40]
    return f"archive:summary:{digest}"


def _cache_key(stored: str) -> str:
    """Where a stored summary is kept in the cache, which several databases may share."""
    where = (connection.alias, str(connection.settings_dict["NAME"]))
    return f"{stored}:{hashlib.sha256(repr(where).encode()).hexdigest()[:12]}"


def summary_key(name: str, parts: object) -> str:
    """The cache key of a summary: its name and parts, and the database."""
    return _cache_key(stored_key(name, parts))


@dataclass(frozen=True)
class _Summary:
    """One summary being looked up: its name, its key, whether to keep it in the database
    as well as the cache, and how long computing it must take for it to be kept at all."""

    name: str
    stored_key: str  # in the database
    key: str  # in the cache
    keep: bool
    min_seconds: float
    # Whether the cache holds figures from before the last write, which this count replaces.
    stale: bool = False

    @property
    def lock(self) -> str:
        """The cache key a request adds while it counts this summary."""
        return f"{self.key}:computing"


def known_summary(name: str, parts: object):
    """The summary kept for ``name`` and ``parts`` if it is current, else None; never counts.

    For a reader that can do without it (the API counts a capped number of rows instead).
    """
    if _ttl() <= 0:
        return None
    version = data_version()  # first: on a server's first request it restores the stored ones
    found = cache.get(summary_key(name, parts))
    if found is None:
        return None
    counted_at, result = found
    return result if counted_at == version else None


def count_later(name: str, parts: object, compute: Callable[[], object], *, keep: bool = True):
    """Have the counting thread make the summary for ``name`` and ``parts``, unless it is
    current or already being made; never counts in this thread.

    For a reader that goes on without it (the API counts a capped number of rows instead):
    its next request, or the list page's, then finds it (``known_summary``). Kept whatever
    the count took, as a summary asked for is. ``compute`` runs in another thread: it must
    not share mutable state with the request.
    """
    ttl = _ttl()
    if ttl <= 0 or not background.enabled():
        return
    stored = stored_key(name, parts)
    summary = _Summary(name, stored, _cache_key(stored), keep, 0.0)
    version = data_version()
    found = cache.get(summary.key)
    if found is not None and found[0] == version:
        return
    if cache.add(summary.lock, 1, _lock_seconds()):
        _count_later(summary, version, compute, ttl)


def cached_summary(
    name: str,
    parts: object,
    compute: Callable[[], T],
    *,
    wait: bool = True,
    keep: bool = True,
    min_ms: float | None = None,
    current: bool = False,
):
    """``compute()``, or its cached result for the same ``name``, ``parts`` and data.

    The result is stored only if computing it was slow (see the module's docstring); with
    ``keep`` (and ``ARCHIVE_STORED_SUMMARIES``), in the database as well, for servers that
    start later. Pass ``keep=False`` for summaries of which there can be very many (one per
    search), which would fill the table. While one request computes a summary that nobody
    has yet, others asking for it wait for it
    (up to ``ARCHIVE_SUMMARY_WAIT_SECONDS``) instead of all counting the same rows at once,
    which is what overloads a server when a popular page's summary expires under traffic;
    with ``wait=False`` they get ``PENDING`` at once instead, for a page that can do without
    the summary for now (and with a budget set, so does the request that counts it, once it
    has gone over). While one request recounts a stale summary, the others get the stale one
    at once. ``min_ms`` lowers ``ARCHIVE_SUMMARY_CACHE_MIN_MS`` for a summary worth keeping
    sooner: one that is large to build as well as to count (a timeline). With ``current``,
    a summary from before the last write is never given: it is counted again first (the
    others asking wait for it), for a count shown beside the rows it counts, which must
    not say 2 above an empty list; for cheap counts only.
    """
    ttl = _ttl()
    if ttl <= 0:
        return compute()
    stored = stored_key(name, parts)
    min_seconds = _min_seconds() if min_ms is None else min(_min_seconds(), min_ms / 1000)
    summary = _Summary(name, stored, _cache_key(stored), keep, min_seconds)
    version = data_version()
    # Stored as (data version, result), so a summary that is None is still a hit.
    found = cache.get(summary.key)
    if found is not None and current and found[0] != version:
        found = None  # counted again below, as if never counted
    if found is not None:
        counted_at, result = found
        if counted_at == version:
            return result
        summary = replace(summary, stale=True)
        if not cache.add(summary.lock, 1, _lock_seconds()):
            _request.gave_stale = True
            return result  # stale while another request recounts it
        if background.enabled():
            # Recounted by the counting thread; this reader has the previous figures now.
            _count_later(summary, version, compute, ttl)
            _request.gave_stale = True
            return result
        return _compute_and_store(summary, version, compute, ttl)
    if not cache.add(summary.lock, 1, _lock_seconds()):
        if not wait:
            return PENDING
        found = _wait_for(summary, version if current else None)
        if found is not None:
            return found[1]
    if not wait and background.enabled() and _budget_seconds() > 0:
        return _count_within_budget(summary, version, compute, ttl)
    return _compute_and_store(summary, version, compute, ttl)


def _count_within_budget(summary: _Summary, version: str, compute: Callable[[], T], ttl: int):
    """The summary, counted here if that takes no more than what is left of the request's
    ``ARCHIVE_SUMMARY_BUDGET_MS``; else ``PENDING``, and the counting thread counts it (and
    stores it for the next reader).

    ``compute`` may run in another thread: it must not share mutable state with the request.
    """
    remaining = _remaining_budget()
    if remaining > 0:
        try:
            started = time.perf_counter()
            with time_limit(remaining):
                result = compute()
        except OverBudget:
            pass  # a big count: the counting thread makes it, holding the lock meanwhile
        except BaseException:
            cache.delete(summary.lock)
            raise
        else:
            _store(summary, version, result, started, ttl)
            return result
    _count_later(summary, version, compute, ttl)
    return PENDING


def _count_later(summary: _Summary, version: str, compute: Callable[[], T], ttl: int):
    """Hand a count, with its lock, to the counting thread; if too many are queued, let
    the lock go, so that a later request asks again."""
    if not background.submit(lambda: _compute_and_store(summary, version, compute, ttl)):
        cache.delete(summary.lock)


def _compute_and_store(summary: _Summary, version: str, compute: Callable[[], T], ttl: int):
    """Compute a summary holding its lock; store it under ``version`` if it was slow."""
    started = time.perf_counter()
    try:
        result = compute()
    except BaseException:
        cache.delete(summary.lock)
        raise
    _store(summary, version, result, started, ttl)
    return result


def _store(summary: _Summary, version: str, result, started: float, ttl: int) -> None:
    """Keep ``result``, counted since ``started``, if counting it was slow; let go of its lock.

    Counted from data at least as new as ``version``: a write during the count leaves it
    marked stale, to be counted again by the next request.
    """
    try:
        if time.perf_counter() - started >= summary.min_seconds:
            cache.set(summary.key, (version, result), ttl)
            if summary.keep and _stored():
                value = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
                _write(summary.stored_key, summary.name, version, value)
        elif summary.stale:
            # Cheap now (a recount after a write on a small archive): not worth keeping,
            # but the figures kept before are stale, and readers would be given them
            # until they expired. Without them, the next reader counts afresh.
            cache.delete(summary.key)
    finally:
        cache.delete(summary.lock)


def _wait_seconds() -> float:
    return float(getattr(settings, "ARCHIVE_SUMMARY_WAIT_SECONDS", 30))


def _budget_seconds() -> float:
    """The request's budget for first counts; 0 (the default) sets none."""
    return float(getattr(settings, "ARCHIVE_SUMMARY_BUDGET_MS", 0)) / 1000


# The budget is the request's, not each count's: a list with four facets and a total waits
# for them all together at most that long.
_request = threading.local()


def _start_request(**kwargs) -> None:
    """A request begins: its budget starts, and it has been given no stale summary yet."""
    _request.deadline = time.monotonic() + _budget_seconds()
    _request.gave_stale = False


def gave_stale() -> bool:
    """Whether this request was given a summary counted before the last write, while it is
    recounted: its page shows figures that are about to change, so the page cache keeps it
    only as long as a page shown while its counts are made (``archive.page_cache``)."""
    return getattr(_request, "gave_stale", False)


def _end_budget(**kwargs) -> None:
    _request.deadline = None


def _remaining_budget() -> float:
    """Seconds left of this request's budget (a whole budget outside a request)."""
    deadline = getattr(_request, "deadline", None)
    if deadline is None:
        return _budget_seconds()
    return max(0.0, deadline - time.monotonic())


def _lock_seconds() -> float:
    """How long a claim to count a summary holds if its holder never lets go (a process
    killed mid-count): long enough for a count queued behind others in the counting
    thread."""
    return max(_wait_seconds() + 5, 120.0)


def _wait_for(summary: _Summary, version: str | None = None) -> tuple | None:
    """The summary another request is computing, once it is stored (made at ``version``,
    if given: not the one from before the last write); None if it never is (it was quick
    and not stored, that request failed, or the wait ran out)."""

    def stored() -> tuple | None:
        found = cache.get(summary.key)
        return found if found is not None and version in (None, found[0]) else None

    deadline = time.monotonic() + _wait_seconds()
    pause = 0.02
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 1.5, 0.25)
        found = stored()
        if found is not None:
            return found
        if cache.get(summary.lock) is None:
            return stored()
    return None
