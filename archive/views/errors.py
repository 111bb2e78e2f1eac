"""Error pages in the site's design. Django uses them when DEBUG is off."""

import re
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from archive.faults import is_api_request, is_database_outage, outage_response
from archive.importing import MAX_UPLOAD_BYTES


def not_found(request, exception=None):
    """404: the page or record does not exist (or is not published), with a search for the
    words of the address's last part when it reads as a record's slug (a link cut short,
    or mistyped, still names the record)."""
    context = {"slug_words": slug_words(request.path), "error_page": True}
    return render(request, "404.html", context, status=404)


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug_words(path: str) -> str:
    """ "andrew lansley i will" from ``/quotes/andrew-lansley-i-will/``; "" when the last
    part of the path is not a slug of words (or is too long to be one)."""
    parts = [part for part in path.split("/") if part]
    last = parts[-1] if parts else ""
    if len(last) > 120 or not _SLUG.fullmatch(last) or last.isdigit():
        return ""
    return " ".join(word for word in last.split("-") if not word.isdigit())


def bad_request(request, exception=None):
    """400 for a request Django refuses before any view sees it: above all one too large to
    read (``DATA_UPLOAD_MAX_MEMORY_SIZE``, a curator pasting a whole book into the import),
    which otherwise gets a bare "Bad Request"."""
    too_big = isinstance(exception, RequestDataTooBig)
    status = 413 if too_big else 400
    if is_api_request(request):  # an API client reads JSON, as from the API's own errors
        return JsonResponse({"detail": _REFUSED_API_REQUEST}, status=status)
    context = {
        "error_page": True,
        "too_big": too_big,
        "too_many": isinstance(exception, TooManyFieldsSent),
        "field_limit": f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}",
        "limit": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        "upload_limit": _megabytes(MAX_UPLOAD_BYTES),
    }
    return render(request, "400.html", context, status=status)


_REFUSED_API_REQUEST = (
    "The request could not be read: its address, its Host header or its size is not one "
    "the archive accepts. Nothing was changed."
)
_API_SERVER_ERROR = (
    "The archive could not answer this request. The problem has been logged; please try "
    "again in a moment."
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def csrf_failure(request, reason=""):
    """403 for a form sent without its security token (an old page, blocked cookies), in
    the site's design, saying what to do (``CSRF_FAILURE_VIEW``). ``reason`` is Django's
    own, for the logs, not for readers."""
    return render(request, "403_csrf.html", {"error_page": True}, status=403)


def server_error(request):
    """500: rendered without the request or the database, which may be what failed.

    A database outage outside a view (a middleware reading the session) is a 503 instead.
    """
    if is_database_outage(sys.exc_info()[1]):
        return outage_response(request)
    if is_api_request(request):
        return JsonResponse({"detail": _API_SERVER_ERROR}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
