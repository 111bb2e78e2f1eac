"""Short-lived caching of expensive page summaries: facet counts, totals, home page figures.

Counting a large archive (a million quotations) by speaker, theme, office … takes seconds,
and the unfiltered or lightly filtered lists that need it are the most visited pages. Their
summaries are kept in Django's cache for ``ARCHIVE_SUMMARY_CACHE_SECONDS`` (default: as long
as a CDN may keep the page, ``PUBLIC_CACHE_MAX_AGE``), so counts are never staler than the
pages themselves. Only summaries that took at least ``ARCHIVE_SUMMARY_CACHE_MIN_MS``
milliseconds to compute are stored: cheap ones are counted afresh, which also keeps pages
over small archives (and the tests) free of caching.

Every write to an archive record in this process changes the data version that is part of
each key, so a curator sees their change at once; other processes catch up within the
cache lifetime (or at once, with a shared cache backend such as Redis).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

VERSION_KEY = "archive:data-version"


def _ttl() -> int:
    default = getattr(settings, "PUBLIC_CACHE_MAX_AGE", 300)
    return int(getattr(settings, "ARCHIVE_SUMMARY_CACHE_SECONDS", default))


def _min_seconds() -> float:
    return float(getattr(settings, "ARCHIVE_SUMMARY_CACHE_MIN_MS", 250)) / 1000


def data_version() -> int:
    """A number that changes whenever an archive record is written in this process."""
    return cache.get(VERSION_KEY, 0)


def bump_version(sender, **kwargs) -> None:
    """Signal receiver: an archive record changed, so cached summaries are out of date."""
    if getattr(sender, "_meta", None) and sender._meta.app_label == "archive":
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet
            cache.set(VERSION_KEY, 1, None)


def connect() -> None:
    """Watch every write to an archive record (idempotent)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump_version, dispatch_uid=f"archive-summaries-{id(signal)}")


def summary_key(name: str, parts: object) -> str:
    """The cache key of a summary: its name and parts, the database, and the data version."""
    where = (connection.alias, str(connection.settings_dict["NAME"]))
    digest = hashlib.sha256(repr((name, where, parts)).encode()).hexdigest()[:40]
    return f"archive:summary:{data_version()}:{digest}"


def cached_summary(name: str, parts: object, compute: Callable[[], T]) -> T:
    """``compute()``, or its cached result for the same ``name``, ``parts`` and data.

    The result is stored only if computing it was slow (see the module's docstring). While
    one request computes a summary, others asking for the same one wait for it (up to
    ``ARCHIVE_SUMMARY_WAIT_SECONDS``) instead of all counting the same rows at once, which
    is what overloads a server when a popular page's summary expires under traffic.
    """
    ttl = _ttl()
    if ttl <= 0:
        return compute()
    key = summary_key(name, parts)
    # Stored in a one-item tuple, so a summary that is None is still a hit.
    found = cache.get(key)
    if found is not None:
        return found[0]
    lock = f"{key}:computing"
    if not cache.add(lock, 1, _wait_seconds() + 5):
        found = _wait_for(key, lock)
        if found is not None:
            return found[0]
    try:
        started = time.perf_counter()
        result = compute()
        if time.perf_counter() - started >= _min_seconds():
            cache.set(key, (result,), ttl)
    finally:
        cache.delete(lock)
    return result


def _wait_seconds() -> float:
    return float(getattr(settings, "ARCHIVE_SUMMARY_WAIT_SECONDS", 30))


def _wait_for(key: str, lock: str) -> tuple | None:
    """The summary another request is computing, once it is stored; None if it never is
    (it was quick and not stored, that request failed, or the wait ran out)."""
    deadline = time.monotonic() + _wait_seconds()
    pause = 0.02
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 1.5, 0.25)
        found = cache.get(key)
        if found is not None:
            return found
        if cache.get(lock) is None:
            return cache.get(key)
    return None


connect()
