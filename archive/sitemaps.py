"""``/robots.txt`` and the sitemaps (``/sitemap.xml``): what search engines are asked to read.

Every public record's page is listed, so that a crawler need not follow the lists' filters
and pages, whose combinations are endless at a million quotations; robots.txt asks it not
to (``Disallow: /*?``), nor to read searches, downloads, the API or the admin. A speaker,
event, source or post known only from drafts is not announced, as the public lists do not
name them.

A sitemap holds at most 50,000 addresses (the protocol's limit), and lists only addresses
under its own folder: the sitemaps are at the site's root (``/sitemap-quotes-3.xml``).
Each kind of record is listed in pages by record number, 50,000 numbers a page: a page is
one read of an index range, however deep (an OFFSET would read every row before it), and
a record keeps its page. A page with nothing public in it is left out of the index (the
protocol asks at least one address of a sitemap) and is a 404. Addresses are absolute,
from ``SITE_URL`` when set (``request.build_absolute_uri``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from archive.links import page_url
from archive.models import Event, Office, Quote, Source, Speaker, Speech, Theme

PAGE_SIZE = 50_000  # record numbers per page of a kind


def _posts() -> QuerySet:
    """One office per post (its slug, shared by the post's holders, is its page's): the
    first, by record number, of those held by someone with a published statement."""
    held = Office.objects.filter(speaker__in=Speaker.objects.with_statements().values("pk"))
    return held.exclude(Exists(held.filter(slug=OuterRef("slug"), pk__lt=OuterRef("pk"))))


@dataclass(frozen=True)
class Kind:
    """One kind of record's sitemaps: the URL name of its pages and its public records."""

    page: str
    records: Callable[[], QuerySet]
    lastmod: bool = False  # whether its records keep when they last changed


KINDS = {
    "speakers": Kind(
        "archive:speaker-detail",
        lambda: Speaker.objects.with_statements(),
    ),
    "themes": Kind("archive:theme-detail", lambda: Theme.objects.all()),
    "offices": Kind("archive:office-detail", _posts),
    "events": Kind("archive:event-detail", lambda: Event.objects.with_statements()),
    "sources": Kind(
        "archive:source-detail",
        lambda: Source.objects.filter(
            Exists(Speech.objects.published().filter(source=OuterRef("pk")))
        ),
    ),
    "speeches": Kind("archive:speech-detail", lambda: Speech.objects.published(), lastmod=True),
    "quotes": Kind("archive:quote-detail", lambda: Quote.objects.published(), lastmod=True),
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
    """The sitemap index: the lists' sitemap, then each kind's pages that hold a public
    record (one query per page: an index probe of its number range)."""
    sections = [("pages", 1)]
    for name, kind in KINDS.items():
        records = kind.records()
        sections += [(name, page) for page in _pages(records) if _in_page(records, page).exists()]
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
    """One sitemap: the lists, or the addresses of one page of a kind's records, with when
    each last changed where that is kept. 404 for a section or page not in the index."""
    base = request.build_absolute_uri("/")[:-1]
    if section == "pages" and page == 1:
        urls = [(base + page_url(name), None) for name in _PAGES]
    elif section in KINDS and page in _pages(KINDS[section].records()):
        kind = KINDS[section]
        prefix = base + _prefix(kind.page)
        rows = _in_page(kind.records(), page).order_by("pk")
        rows = rows.values_list("slug", "updated_at") if kind.lastmod else rows.values_list("slug")
        urls = [(f"{prefix}{row[0]}/", row[1] if kind.lastmod else None) for row in rows]
    else:
        urls = []
    if not urls:
        raise Http404("No such sitemap.")
    return _xml(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(_url(loc, lastmod) for loc, lastmod in urls)
        + "</urlset>\n"
    )


def _pages(records: QuerySet) -> range:
    """The pages a kind may be listed in: up to its highest record number, public or not
    (the highest public one is a scan of the table)."""
    highest = records.model._default_manager.aggregate(highest=Max("pk"))["highest"] or 0
    return range(1, highest // PAGE_SIZE + 2)


def _in_page(records: QuerySet, page: int) -> QuerySet:
    first = (page - 1) * PAGE_SIZE
    return records.filter(pk__gte=first, pk__lt=first + PAGE_SIZE)


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
