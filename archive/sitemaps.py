"""``/robots.txt`` and the sitemaps (``/sitemap.xml``): what search engines are asked to read.

Every public record's page is listed, so that a crawler need not follow the lists' filters
and pages, whose combinations are endless at a million quotations; robots.txt asks it not
to (``Disallow: /*?``), nor to read searches, downloads, the API or the admin.

A sitemap holds at most 50,000 addresses (the protocol's limit). Speeches and quotations
are listed in pages by record number, 50,000 numbers a page: a page is one read of an index
range, however deep (an OFFSET would read every row before it), and a record keeps its page.
Addresses are absolute, from ``SITE_URL`` when set (``request.build_absolute_uri``).
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from archive.links import page_url
from archive.models import Event, Office, Quote, Source, Speaker, Speech, Theme

PAGE_SIZE = 50_000  # record numbers per page of speeches or quotations


def _with_published(records: QuerySet, **links: str) -> QuerySet:
    """``records`` that a published speech or quotation links to (by the field ``links``
    names per model), as the public lists show them: a speaker, event or source known only
    from a draft is not announced."""
    found = Q()
    for model, field in ((Speech, links.get("speech")), (Quote, links.get("quote"))):
        if field:
            found |= Exists(model.objects.published().filter(**{field: OuterRef("pk")}))
    return records.filter(found)


# The record pages of each kind: (URL name of its page, its records). Offices share a page
# per post (their slug), so each slug is listed once.
_SMALL = {
    "speakers": (
        "archive:speaker-detail",
        lambda: _with_published(Speaker.objects.all(), speech="speaker", quote="speaker"),
    ),
    "themes": ("archive:theme-detail", lambda: Theme.objects.all()),
    "events": (
        "archive:event-detail",
        lambda: _with_published(Event.objects.all(), speech="event"),
    ),
    "offices": ("archive:office-detail", lambda: Office.objects.all()),
    "sources": (
        "archive:source-detail",
        lambda: _with_published(Source.objects.all(), speech="source"),
    ),
}
_PAGED = {
    "speeches": ("archive:speech-detail", lambda: Speech.objects.published()),
    "quotes": ("archive:quote-detail", lambda: Quote.objects.published()),
}
# The lists and pages without a record (their first page, unfiltered).
_PAGES = (
    "archive:home",
    "archive:speech-list",
    "archive:quote-list",
    "archive:speaker-list",
    "archive:office-list",
    "archive:event-list",
    "archive:theme-list",
    "archive:pledge-list",
)

ROBOTS = """User-agent: *
# Every record is in the sitemap: the lists' filters, pages and searches need not be read.
Disallow: /*?
Disallow: /search/
Disallow: /feeds/search/
Disallow: /compare/
Disallow: /*.csv
Disallow: /*/cite.
Disallow: /api/
Disallow: /admin/

Sitemap: {sitemap}
"""


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """What crawlers may read, and where the sitemap is."""
    sitemap = request.build_absolute_uri(reverse("archive:sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: one sitemap for the lists, one per kind of small record, and
    the pages of speeches and quotations their highest record numbers call for."""
    sections = [("pages", 1), *((name, 1) for name in _SMALL)]
    for name, (_, records) in _PAGED.items():
        sections += [(name, page) for page in range(1, _pages(records()) + 1)]
    entries = "".join(
        "<sitemap><loc>{}</loc></sitemap>\n".format(
            escape(request.build_absolute_uri(reverse("archive:sitemap-section", args=[n, p])))
        )
        for n, p in sections
    )
    return _xml(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n"
    )


@require_safe
def sitemap_section(request: HttpRequest, section: str, page: int) -> HttpResponse:
    """One sitemap: the addresses of one kind's records (one page of them for speeches and
    quotations), with when each last changed where that is kept. 404 for a section or page
    that is not in the index."""
    base = request.build_absolute_uri("/")[:-1]
    if section == "pages" and page == 1:
        urls = ((base + page_url(name), None) for name in _PAGES)
    elif section in _SMALL and page == 1:
        name, records = _SMALL[section]
        slugs = records().order_by("slug").values_list("slug", flat=True).distinct()
        prefix = base + _prefix(name)
        urls = ((f"{prefix}{slug}/", None) for slug in slugs)
    elif section in _PAGED and page >= 1:
        name, records = _PAGED[section]
        urls = _paged(base, name, records(), page)
        if urls is None:
            raise Http404("No such page of the sitemap.")
    else:
        raise Http404("No such sitemap.")
    return _xml(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(_url(loc, lastmod) for loc, lastmod in urls)
        + "</urlset>\n"
    )


def _paged(base: str, name: str, records: QuerySet, page: int) -> Iterable | None:
    """The addresses of the records numbered within ``page``'s range, or None past the
    highest record's page."""
    if page > _pages(records):
        return None
    first = (page - 1) * PAGE_SIZE
    rows = (
        records.filter(pk__gte=first, pk__lt=first + PAGE_SIZE)
        .order_by("pk")
        .values_list("slug", "updated_at")
    )
    prefix = base + _prefix(name)
    return ((f"{prefix}{slug}/", updated) for slug, updated in rows.iterator(chunk_size=5000))


def _pages(records: QuerySet) -> int:
    """How many pages the records' kind is listed in: up to the highest record number of
    the kind, published or not (the highest published one is a scan of the table; a page
    of drafts alone is an empty list)."""
    highest = records.model._default_manager.aggregate(highest=Max("pk"))["highest"] or 0
    return highest // PAGE_SIZE + 1


def _prefix(name: str) -> str:
    """The address of ``name``'s record pages up to the slug (each ends in ``slug/``).
    Not ``record_url`` per record: its memory is kept for the addresses readers open, and a
    sitemap page would push 50,000 others through it."""
    return reverse(name, kwargs={"slug": "slug"})[: -len("slug/")]


def _url(loc: str, lastmod) -> str:
    when = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(loc)}</loc>{when}</url>\n"


def _xml(body: str) -> HttpResponse:
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body,
        content_type="application/xml; charset=utf-8",
    )
