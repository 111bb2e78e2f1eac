"""HTTP caching for a CDN, keeping curators' reads on the primary database, and absolute
addresses that name the archive's public address (``SITE_URL``).

Public pages are the same for every anonymous reader, so a CDN (and the browser) may keep
them for a short while and revalidate with the ``ETag`` that ``ConditionalGetMiddleware``
(Django's, with a faster hash) computes: an unchanged page then costs a ``304`` and no body.
Anything personal (the admin, any signed-in user, a response that sets a cookie) is marked
``private, no-store`` so no shared cache ever holds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe, quote_etag

from archive.routers import primary_only

SAFE_METHODS = ("GET", "HEAD")


def is_private_path(path: str) -> bool:
    """Paths whose responses are never stored by a shared cache (the admin, by default)."""
    return any(path.startswith(prefix) for prefix in settings.CACHE_PRIVATE_PATH_PREFIXES)


def mark_incomplete(request: HttpRequest) -> None:
    """This response lacks something that is still being computed: no cache may keep it."""
    request.archive_incomplete = True


def is_incomplete(request: HttpRequest) -> bool:
    return getattr(request, "archive_incomplete", False)


def signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def set_etag(response: HttpResponse) -> HttpResponse:
    """Give ``response`` a strong ``ETag`` from its body, as Django's ``set_response_etag``
    does, but hashed with SHA-256 rather than MD5.

    The hash is only a validator, so any good digest serves; SHA-256 runs on the CPU's
    SHA instructions, where MD5 has none: a theme page's 300 KB body took 0.4 ms to hash
    with MD5 and 0.15 ms with SHA-256, on every view built afresh.
    """
    if not response.streaming and response.content:
        digest = hashlib.sha256(response.content).hexdigest()[:32]
        response.headers["ETag"] = quote_etag(digest)
    return response


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's conditional GET (``304`` for a matching ``If-None-Match`` or
    ``If-Modified-Since``), with the ``ETag`` from ``set_etag``, for ``HEAD`` as for
    ``GET`` (Django's answers ``GET`` only, so a client checking with ``HEAD`` whether its
    copy is current got the whole answer's headers and a 200); a ``HEAD`` request gets the
    ``ETag`` and ``Content-Length`` its ``GET`` would, and no body (gunicorn, unlike
    Django's development server, sends what it is given and logs a warning)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return response
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_etag(response)
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified") or "")
        if etag or last_modified:
            response = get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        # A 304 has no body, and a Content-Length on it must be the 200's, not 0 (RFC 9110).
        if request.method == "HEAD" and response.status_code != 304:
            _drop_body(response)
        return response


def _drop_body(response: HttpResponse) -> None:
    """Empty a response to ``HEAD``, keeping the length its body had (a stream's is not
    known, and it is closed unread)."""
    if response.streaming:
        close = getattr(response.streaming_content, "close", None)
        response.streaming_content = []
        if close is not None:
            close()
        return
    if not response.has_header("Content-Length"):
        response.headers["Content-Length"] = str(len(response.content))
    response.content = b""


class CacheHeadersMiddleware:
    """``Cache-Control`` suited to a CDN for anonymous reads; ``private`` for everything else.

    Sits below ``ConditionalGetMiddleware`` in ``MIDDLEWARE`` so the ``ETag`` and the ``304``
    are decided after these headers are set: ``no-store`` responses get no ``ETag``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private_path(request.path) or signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        elif is_incomplete(request):
            # Shown while its counts are made: the next visit should get the whole page.
            patch_cache_control(response, no_store=True)
        elif response.has_header("Cache-Control"):
            pass  # the view decided (e.g. /healthz is never cached)
        elif response.cookies:
            # A shared cache must never hand one reader's Set-Cookie to another.
            patch_cache_control(response, private=True, no_cache=True)
        elif request.method in SAFE_METHODS and response.status_code == 200:
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PUBLIC_CACHE_MAX_AGE,
                stale_while_revalidate=settings.PUBLIC_CACHE_STALE_WHILE_REVALIDATE,
            )
        # The same URL is public for a reader and private for a curator: caches must key on
        # the cookie.
        patch_vary_headers(response, ["Cookie"])
        return response


class ReadOnlyPublicMiddleware:
    """A write (POST, PUT, PATCH, DELETE) to a reader's page is a ``405`` naming the methods
    it takes, before the CSRF check would refuse a token no reader's page asks for: only the
    admin takes forms. The API and ``/healthz`` are read-only too."""

    ALLOWED = ["GET", "HEAD"]
    SAYS = "This address can only be read (GET or HEAD): nothing was changed."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._admin: str | None = None
        self._api: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return self.get_response(request)
        if self._admin is None:
            self._admin, self._api = reverse("admin:index"), reverse("api:api-root")
        if request.path.startswith(self._admin):
            return self.get_response(request)
        if request.method != "OPTIONS":
            return self.not_allowed(request)
        if request.path.startswith(self._api):
            return self.get_response(request)  # the API describes itself (DRF's metadata)
        # What a page takes, and nothing more: the view would build the whole page (or
        # stream a whole CSV) for a client that asked only this.
        response = HttpResponse(status=200)
        response["Allow"] = ", ".join([*self.ALLOWED, "OPTIONS"])
        return response

    def not_allowed(self, request: HttpRequest) -> HttpResponse:
        """A 405 that says why, as the API's errors do (JSON, a ``detail``) or in plain
        text; an empty body left a reader's tool guessing."""
        # OPTIONS is answered too (``__call__``), so ``Allow`` names it.
        allowed = [*self.ALLOWED, "OPTIONS"]
        if request.path.startswith(self._api):
            response = JsonResponse({"detail": self.SAYS}, status=405)
            response["Allow"] = ", ".join(allowed)
            return response
        return HttpResponseNotAllowed(allowed, self.SAYS, content_type="text/plain; charset=utf-8")


class PinToPrimaryMiddleware:
    """Reads during writes, and all of a signed-in curator's reads, go to the primary.

    Only installed when a read replica is configured: replication lag must not make a
    curator's just-saved change look lost.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in SAFE_METHODS
            or is_private_path(request.path)
            or signed_in(request)
        ):
            with primary_only():
                return self.get_response(request)
        return self.get_response(request)


class SiteAddressMiddleware:
    """Absolute addresses (``request.build_absolute_uri``) start with ``SITE_URL`` when it
    is set, whatever scheme and Host the request came with.

    Behind a load balancer the Host may be the app server's own name; and Django checks a
    Host's name against ``ALLOWED_HOSTS`` but not its port, so a reader could otherwise have
    a CDN keep a page whose canonical, feed and API links carry a port of their choosing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SITE_URL:
            # The Host is still checked: one outside ALLOWED_HOSTS gets its 400 as before.
            request.get_host()
            # build_absolute_uri() reads the scheme and host from this cached property; set
            # first, it is never worked out from the request.
            request.__dict__["_current_scheme_host"] = settings.SITE_URL
        return self.get_response(request)
