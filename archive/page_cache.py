"""Whole rendered public pages, kept in Django's cache for anonymous readers.

Most of an archive's traffic is anonymous reads of the same pages, and a page rendered for
one anonymous reader is byte for byte the page every other anonymous reader gets. So the
server keeps each rendered page for ``ARCHIVE_PAGE_CACHE_SECONDS`` and hands the copy out
instead of querying and rendering again, as a CDN would, but on every app server and
without waiting for the CDN to revalidate.

A stored page is never staler than the archive: its key holds the data version of
``archive.views.summaries``, which every write to an archive record changes (in every
process, with a shared cache backend such as ``CACHE_DIR`` or Redis). A curator's correction
is therefore on the public page at the next request.

What is never stored or served from here: anything for a request that carries a session
(a signed-in curator, or a reader with a flash message), the admin and other private paths,
responses that set a cookie, embed a CSRF token, or whose view marked them private or
uncacheable (``/healthz``), and anything but a 200. A page marked incomplete (a list shown
while its counts are being made, or built on counts from before the last write while they
are made again) is sent no-store and kept only
``ARCHIVE_PENDING_PAGE_SECONDS``, so a crowd of readers does not have it rebuilt for each.

A streamed response (a CSV export) still streams to its first reader; a copy is stored as
the stream ends, if it ended (the reader did not go away) and came to at most
``ARCHIVE_PAGE_CACHE_MAX_BYTES``. Larger exports are streamed afresh every time, so the
cache never holds a download the size of the archive.

A download (an export) of more than ``LARGE_COPY_BYTES`` is also kept in the process's memory
(``_large_copies``, at most ``LARGE_COPIES_BYTES`` in all, the least recently served
dropped first): taking 20 MB out of a shared cache means unpickling it, which cost more
than 20 times the trivial view per download, where handing out bytes already in memory
costs nothing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import (
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
)

from archive.middleware import (
    SAFE_METHODS,
    is_incomplete,
    is_private_path,
    mark_incomplete,
    set_etag,
    signed_in,
)
from archive.views.summaries import data_version, gave_stale

UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
LARGE_COPY_BYTES = 1_000_000
LARGE_COPIES_BYTES = 64_000_000


def page_cache_max_bytes() -> int:
    """The largest streamed response (an export) whose copy is stored."""
    return int(getattr(settings, "ARCHIVE_PAGE_CACHE_MAX_BYTES", 32_000_000))


def page_cache_seconds() -> int:
    """How long a rendered page is kept; 0 turns the page cache off."""
    return int(getattr(settings, "ARCHIVE_PAGE_CACHE_SECONDS", 0))


def _applies(request: HttpRequest) -> bool:
    return (
        page_cache_seconds() > 0
        and request.method in SAFE_METHODS
        and not is_private_path(request.path)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def pending_page_seconds() -> int:
    """How long a page still waiting for its counts is kept (0: never)."""
    return int(getattr(settings, "ARCHIVE_PENDING_PAGE_SECONDS", 0))


def _seconds_to_keep(request: HttpRequest, response: HttpResponse) -> int:
    """For how many seconds this response may be stored (0: not at all)."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.cookies
        or request.META.get("CSRF_COOKIE_USED")
        or signed_in(request)
    ):
        return 0
    if is_incomplete(request):
        # Sent no-store, so no browser or CDN keeps it; here it is kept a few seconds, so a
        # cold server rendering the same list again for every reader can get on with the
        # counts instead. Readers see the complete page once those seconds are up.
        return min(pending_page_seconds(), page_cache_seconds())
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
        return 0
    return page_cache_seconds()


class PageCacheMiddleware:
    """Serve a stored copy of a public page to anonymous readers; store new ones.

    Sits below ``CacheHeadersMiddleware`` and ``ConditionalGetMiddleware``, so a stored page
    still gets its ``Cache-Control``, ``ETag`` and ``304`` like a freshly rendered one, and
    above the session and authentication middleware, whose work a stored page skips.
    Pages are keyed with Django's own ``learn_cache_key``, so a response's ``Vary`` headers
    (``Accept`` for the API's formats) keep different variants apart.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _applies(request):
            return self.get_response(request)
        # The version is read before rendering: a write during the render then leaves this
        # page under the old version, where no later request looks.
        prefix = f"archive.page.{data_version()}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        if key is not None:
            stored = _large_copies.get(key) or cache.get(key)
            if stored is not None:
                _large_copies.offer(key, stored)
                return stored
        response = self.get_response(request)
        if gave_stale():
            # Counts from before the last write, being made again: kept as briefly as a page
            # whose counts are not made yet, so the next readers get the new figures.
            mark_incomplete(request)
        seconds = _seconds_to_keep(request, response)
        if seconds > 0:
            if is_incomplete(request):
                # Set here, not only on the way out: the copy served later must say it too.
                patch_cache_control(response, no_store=True)
            key = learn_cache_key(request, response, seconds, prefix, cache=cache)
            if response.streaming:
                stream = response.streaming_content  # taken before it is replaced
                response.streaming_content = _stored_when_done(stream, response, key, seconds)
            elif hasattr(response, "render") and callable(response.render):
                # A plain copy: a rendered template or API response still holds what it was
                # made from (an API list's serializer and its queryset, which cannot be
                # pickled: every ".json" list was a 500 with the cache on).
                response.add_post_render_callback(
                    lambda r: cache.set(key, _plain_copy(r, r.content), seconds)
                )
            else:
                cache.set(key, response, seconds)
        return response


def _stored_when_done(
    stream: Iterable[bytes], response: StreamingHttpResponse, key: str, seconds: int
) -> Iterator[bytes]:
    """``stream``, the response's body, passed on as it is read; once it has been read to
    the end, a plain copy (with its ``ETag``, so a hit is not hashed again) is stored under
    ``key``."""
    chunks: list[bytes] | None = []
    size, limit = 0, page_cache_max_bytes()
    for chunk in stream:
        if chunks is not None:
            size += len(chunk)
            if size > limit:
                chunks = None  # too big to keep: stream on without collecting
            else:
                chunks.append(chunk)
        yield chunk
    if chunks is not None:
        copy = _plain_copy(response, b"".join(chunks))
        set_etag(copy)
        cache.set(key, copy, seconds)
        _large_copies.offer(key, copy, seconds)


def _plain_copy(response: HttpResponse | StreamingHttpResponse, body: bytes) -> HttpResponse:
    """An ``HttpResponse`` with ``response``'s status and headers and ``body``:
    nothing else of the response it was made from, so it can always be stored."""
    copy = HttpResponse(body, status=response.status_code)
    for header, value in response.items():
        copy[header] = value
    return copy


class _LargeCopies:
    """Stored pages of more than ``LARGE_COPY_BYTES``, kept in this process's memory as
    their body and headers, for at most ``LARGE_COPIES_BYTES`` in all.

    Each request gets a response of its own built around the same body (the middleware
    above adds headers to it), so no response object is shared between requests. Keys hold
    the data version, so a write leaves the old copies unread until they are dropped.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # key -> (expires at, status, headers, body)
        self._copies: OrderedDict[str, tuple[float, int, list, bytes]] = OrderedDict()
        self._bytes = 0

    def offer(self, key: str, response: HttpResponse, seconds: int | None = None) -> None:
        """Keep ``response`` if it is large and not kept yet (for ``seconds``, or for as
        long as the page cache keeps pages)."""
        # Only downloads are ever this large; asking a page for its length would copy it.
        if response.streaming or not response.has_header("Content-Disposition"):
            return
        if len(response.content) <= LARGE_COPY_BYTES:
            return
        body = response.content
        expires = time.monotonic() + (seconds or page_cache_seconds())
        with self._lock:
            if key in self._copies:
                return
            self._copies[key] = (expires, response.status_code, list(response.items()), body)
            self._bytes += len(body)
            while self._bytes > LARGE_COPIES_BYTES and self._copies:
                _, (_, _, _, dropped) = self._copies.popitem(last=False)
                self._bytes -= len(dropped)

    def get(self, key: str) -> HttpResponse | None:
        """A response of its own with the kept copy's body and headers, or None."""
        with self._lock:
            found = self._copies.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._copies[key]
                self._bytes -= len(found[3])
                return None
            self._copies.move_to_end(key)
        _, status, headers, body = found
        response = HttpResponse(body, status=status)
        for header, value in headers:
            response[header] = value
        return response

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._bytes = 0


_large_copies = _LargeCopies()
