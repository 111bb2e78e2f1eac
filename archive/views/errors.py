"""Error pages in the site's design. Django uses them when DEBUG is off."""

import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from archive.faults import is_database_outage, outage_response


def not_found(request, exception=None):
    """404: the page or record does not exist (or is not published)."""
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """403 for a form sent without its security token (an old page, blocked cookies), in
    the site's design, saying what to do (``CSRF_FAILURE_VIEW``). ``reason`` is Django's
    own, for the logs, not for readers."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    """500: rendered without the request or the database, which may be what failed.

    A database outage outside a view (a middleware reading the session) is a 503 instead.
    """
    if is_database_outage(sys.exc_info()[1]):
        return outage_response(request)
    return HttpResponseServerError(loader.get_template("500.html").render())
