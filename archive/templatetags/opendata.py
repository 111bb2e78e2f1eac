"""Template tags for the open-data doors: feed and CSV links, citations, structured data.

The links keep the page's filters: a list page's "Download CSV" and its Atom feed carry the
filters that the page could use (an unusable one is reported on the page and left out, as the
page leaves it out), so each door gives the records the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.http import QueryDict

from archive import citations, structured_data
from archive.links import page_url, record_url

register = template.Library()

# Where each list's feed and CSV live.
FEEDS = {
    "quotes": "archive:feed-quotes",
    "speeches": "archive:feed-speeches",
    "new": "archive:feed-new",  # the speeches list's statements, by when they were published
}
EXPORTS = {"quotes": "archive:quote-export", "speeches": "archive:speech-export"}


def _valid_filters(context, *, leave_out: tuple[str, ...] = ()) -> QueryDict:
    """The page's filters that validated (fixed ones included), as a query string."""
    filterset = context.get("filterset")
    query = QueryDict(mutable=True)
    if filterset is None:
        return query
    for name in filterset.active_values():
        if name in leave_out:
            continue
        value = filterset.data.get(name, "")
        if value:
            query[name] = value
    return query


def _with_query(url: str, query: QueryDict) -> str:
    return f"{url}?{query.urlencode()}" if query else url


@register.simple_tag(takes_context=True)
def list_feed_url(context, kind: str) -> str:
    """The Atom feed of this list page: ``/feeds/quotes/?theme=…``."""
    return _with_query(page_url(FEEDS[kind]), _valid_filters(context))


@register.simple_tag(takes_context=True)
def list_csv_url(context, kind: str) -> str:
    """The CSV of this list page, every page of it: ``/quotes/export.csv?theme=…``."""
    return _with_query(page_url(EXPORTS[kind]), _valid_filters(context))


@register.simple_tag(takes_context=True)
def theme_feed_url(context, theme) -> str:
    """A theme's feed, with the theme page's other filters."""
    url = record_url("archive:feed-theme", theme.slug)
    return _with_query(url, _valid_filters(context, leave_out=("theme",)))


@register.simple_tag(takes_context=True)
def search_feed_url(context) -> str:
    """The feed of the current search (its words and the filters that validated; newest
    first): a filter the page reports as unusable would make the feed a 400."""
    query = context["request"].GET.copy()
    errors = getattr(context.get("results"), "filter_errors", {})
    for name in ("page", "sort", *errors):
        query.pop(name, None)
    return _with_query(page_url("archive:feed-search"), query)


@dataclass(frozen=True)
class Citation:
    """What the citation block shows for one quote or speech."""

    noun: str
    harvard: str
    permalink: str
    bib_url: str
    ris_url: str
    # A quotation's whole words with who said them, where and when ("" for a speech).
    attributed: str = ""


@register.simple_tag(takes_context=True)
def citation_for(context, record) -> Citation:
    """The Harvard reference, permalink and download links for a quote or speech."""
    request = context["request"]
    name = "quote" if isinstance(record, citations.Quote) else "speech"
    reference = citations.reference_for(request, record)
    return Citation(
        noun="quotation" if name == "quote" else record.get_kind_display().lower(),
        harvard=citations.harvard(reference),
        permalink=reference.permalink,
        bib_url=record_url(f"archive:{name}-cite-bib", record.slug),
        ris_url=record_url(f"archive:{name}-cite-ris", record.slug),
        attributed=citations.attributed(record, reference) if name == "quote" else "",
    )


@register.simple_tag(takes_context=True)
def jsonld_for(context, record, themes=()):
    """The record's schema.org JSON-LD, ready to go inside a ``<script>`` element."""
    data = structured_data.structured_data(context["request"], record, themes)
    return structured_data.as_script_content(data)


@register.simple_tag(takes_context=True)
def opengraph_for(context, record) -> list[tuple[str, str]]:
    """Open Graph (property, content) pairs for the record."""
    return list(structured_data.open_graph(context["request"], record).items())
