"""Addresses without the empty fields a filter form sends when JavaScript is off.

A GET form sends every field, so without JavaScript (which leaves empty fields out, see
``static/js/archive.js``) a reader choosing one theme lands on
``/quotes/?q=&speaker=&…&theme=provider-failure``: an address too long to share or cite, and
a page the page cache keeps apart from ``/quotes/?theme=provider-failure``, the same page.
An empty field means what its absence means on every page a filter form sends to, so such
a request is sent on to the address without them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def without_empty_fields(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view``, with a GET whose query string has empty fields redirected (302) to the same
    address without them, the others kept in their order."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.GET:
            fields = [(name, value) for name, values in request.GET.lists() for value in values]
            kept = [(name, value) for name, value in fields if value != ""]
            if len(kept) < len(fields):
                query = urlencode(kept)
                # Not permanent: a browser would keep a 301 even if an empty field came to
                # mean something one day.
                return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return view(request, *args, **kwargs)

    return wrapped
