"""How the API chooses what to answer in, whatever the client says it accepts."""

from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class FirstRendererWhenNoneAccepted(DefaultContentNegotiation):
    """DRF's negotiation, except that a client accepting none of a view's formats (a browser
    asking for ``text/html``, a tool for ``application/xml``) gets the view's first one
    rather than a ``406``.

    The lists and records answer in JSON only, so what a client accepts never changes the
    answer and a cache may hand one copy to everyone (before, the first such request was a
    406 and, once the page cache held a copy, the same request got that copy). A format
    suffix (``/api/quotes.json``) still chooses among the view's formats; one that names
    none is still a 404.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            if format_suffix:  # as the parent's first step: a 404 if it names no format
                renderers = self.filter_renderers(renderers, format_suffix)
            renderer = renderers[0]
            return renderer, renderer.media_type
