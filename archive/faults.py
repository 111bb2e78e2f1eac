"""When the database cannot be reached: "temporarily unavailable" (503), never a 500.

A database restart, a failover, a dropped connection or a full connection pool raises
``OperationalError`` or ``InterfaceError`` wherever the next query happens. Readers then get
a page in the site's design that says the archive will be back (HTML), API clients a JSON
body, and both a ``Retry-After`` header; nothing is cached, so a CDN does not keep serving
the outage. Django closes a connection that failed at the end of the request, and the next
request opens a fresh one (``CONN_HEALTH_CHECKS``), so the site recovers by itself as soon
as the database answers again.

Two doors lead here: ``DatabaseOutageMiddleware`` for failures in a view or its template,
and ``archive.views.errors.server_error`` (Django's 500 handler) for failures elsewhere, for
instance in a middleware reading the session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
UNAVAILABLE = "The archive is temporarily unavailable; please try again in a minute or two."


def is_database_outage(error: BaseException | None) -> bool:
    """Whether ``error`` means the database could not be reached or did not answer."""
    return isinstance(error, OperationalError | InterfaceError)


def is_api_request(request: HttpRequest) -> bool:
    """Whether ``request`` is for the JSON API, whose errors are JSON (``path`` only: a
    request refused early may lack anything else)."""
    return getattr(request, "path", "").startswith(API_PREFIX)


def outage_response(request: HttpRequest | None = None) -> HttpResponse:
    """The 503 response: JSON under ``/api/``, otherwise the ``503.html`` page.

    Rendered without the request's context processors: they may query the database.
    """
    if request is not None and is_api_request(request):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """Turn a database outage in a view (or its template) into the 503 response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_database_outage(exception):
            return None
        logger.error(
            "Database unavailable while serving %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        return outage_response(request)
