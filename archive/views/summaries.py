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


def cached_summary(name: str, parts: object, compute: Callable[[], T]) -> T:
    """``compute()``, or its cached result for the same ``name``, ``parts`` and data.

    The result is stored only if computing it was slow (see the module's docstring).
    """
    ttl = _ttl()
    if ttl <= 0:
        return compute()
    where = (connection.alias, str(connection.settings_dict["NAME"]))
    digest = hashlib.sha256(repr((name, where, parts)).encode()).hexdigest()[:40]
    key = f"archive:summary:{data_version()}:{digest}"
    result = cache.get(key)
    if result is None:
        started = time.perf_counter()
        result = compute()
        if time.perf_counter() - started >= _min_seconds():
            cache.set(key, result, ttl)
    return result


connect()
