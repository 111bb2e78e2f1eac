"""What the benchmark measures: one URL per page type, chosen from the archive's own rows.

The URLs are picked the way a heavy reader would hit them: the most quoted speaker and the
most used theme (the biggest result sets), a page deep into a long list, a phrase that
matches a handful of quotations, a phrase of common words and a word that matches most of
them.

Pages other parts of the project have not built yet are reported as "not yet available"
rather than measured: a path that does not resolve, or a door (the JSON API, the CSV export)
that nothing links to yet.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.db.models import Count, Max, Min
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

from archive.bench.measure import ServerClient
from archive.filters import QuoteFilter
from archive.models import Office, Quote, Speech, Status, Theme

BASELINE_URL = "/healthz"
# Quotations from the policy templates name a hospital: "services at Leeds Memorial
# Hospital". Every word of it is common, and at a million quotations the phrase is in over
# a thousand of them (the search reads the first thousand it finds).
_HOSPITAL = re.compile(r"\b[a-z]+ (?:at|in) [A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+ Hospital\b")
# A rare phrase is said in at most this many published quotations.
RARE_AT_MOST = 20
_WORD = re.compile(r"[^\W\d_]+")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\"“”…—–-]+")
_CSV_LINK = re.compile(r"""href=["']([^"']*csv[^"']*)["']""", re.IGNORECASE)


@dataclass
class Page:
    """A page type to measure: its JSON name, its URL, or why it cannot be measured yet."""

    name: str
    url: str | None
    missing: str = ""

    @property
    def available(self) -> bool:
        return self.url is not None and not self.missing


def route_exists(url: str) -> bool:
    """Whether the URL's path resolves to a view (query string ignored)."""
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return True


def named_routes(patterns=None, namespace: tuple[str, ...] = ()) -> list[str]:
    """Every qualified URL name ("api:quote-list") in the project."""
    names: list[str] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            names += named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(":".join(namespace + (entry.name,)))
    return names


def reverse_first(names: list[str]) -> str | None:
    """The path of the first name that reverses without arguments."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def api_quotes_url() -> str | None:
    """The JSON API's quote list: ``/api/quotes/`` or whatever the API names it."""
    if route_exists("/api/quotes/"):
        return "/api/quotes/"
    names = [
        n
        for n in named_routes()
        if "api" in n.lower() and "quote" in n.lower() and n.endswith("list")
    ]
    return reverse_first(names)


def csv_export_url(client: ServerClient, list_url: str) -> str | None:
    """The "Download CSV" link of a filtered quote list, or a CSV route found by name."""
    response = client.get(list_url)
    if response.status_code == 200:
        match = _CSV_LINK.search(response.content.decode(errors="replace"))
        if match:
            return html.unescape(match.group(1))
    names = [
        n
        for n in named_routes()
        if ("csv" in n.lower() or "export" in n.lower()) and "quote" in n.lower()
    ]
    path = reverse_first(names)
    if path:
        return f"{path}?{urlencode(_query(list_url))}"
    return None


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def _middle_texts(count: int) -> list[str]:
    """The texts of ``count`` published quotations from half-way through the archive."""
    middle = (Quote.objects.aggregate(m=Max("id"))["m"] or 0) // 2
    return list(
        Quote.objects.filter(id__gte=middle, speech__status=Status.PUBLISHED)
        .order_by("id")
        .values_list("text", flat=True)[:count]
    )


def hospital_phrase() -> str:
    """A phrase from one quotation's hospital sentence ("services at Leeds Memorial
    Hospital"): common words, which at a million quotations over a thousand say."""
    texts = _middle_texts(500)
    for text in texts:
        match = _HOSPITAL.search(text)
        if match:
            return match.group(0)
    fallback = next(iter(texts), "commissioning autonomy")
    return " ".join(fallback.split()[:4])


def rare_phrase() -> str:
    """Three words in a row from a quotation half-way through the archive that at most
    ``RARE_AT_MOST`` published quotations say (counted with the search's own capped read):
    a reader looking up a phrase they remember, within one clause. Each quotation's windows
    holding its longest words are tried first (long words tend to be rare ones)."""
    from archive.search import capped_matches

    texts = _middle_texts(50)
    for text in texts:
        windows = []
        for clause in _CLAUSE_BREAK.split(text):  # as a reader quotes: not across a full stop
            words = _WORD.findall(clause)
            windows += [words[i : i + 3] for i in range(len(words) - 2)]
        windows.sort(key=lambda window: -max(map(len, window)))
        for window in windows[:5]:
            phrase = " ".join(window)
            said = len(capped_matches(f'"{phrase}"', limit=RARE_AT_MOST + 1))
            if 1 <= said <= RARE_AT_MOST:
                return phrase
    return hospital_phrase()


def themes_by_quotations() -> list[tuple[int, int]]:
    """(theme id, quotations) for every theme that has any, the most quoted first."""
    rows = (
        Quote.themes.through.objects.values("theme_id")
        .annotate(n=Count("id"))
        .order_by("-n", "theme_id")
        .values_list("theme_id", "n")
    )
    return list(rows)


def popular_theme(ranked: list[tuple[int, int]]):
    """The theme with the most quotations (the largest filtered lists), and how many."""
    if not ranked:
        return None, 0
    theme_id, quotes = ranked[0]
    return Theme.objects.get(pk=theme_id), quotes


def middle_theme(ranked: list[tuple[int, int]]) -> Theme | None:
    """The theme half-way down the ranking: a list too long to sort, too sparse to find its
    page in the first rows of the archive's date order."""
    return Theme.objects.get(pk=ranked[len(ranked) // 2][0]) if ranked else None


def prolific_speaker():
    """The speaker with the most published speeches, and the span of their dates."""
    row = (
        Speech.objects.published()
        .values("speaker_id", "speaker__slug")
        .annotate(n=Count("id"), first=Min("date"), last=Max("date"))
        .order_by("-n", "speaker_id")
        .first()
    )
    return row


def most_quoted_speakers(count: int) -> list[str]:
    """The slugs of the ``count`` speakers with the most quotations, the most first."""
    rows = (
        Quote.objects.values("speaker_id", "speaker__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "speaker_id")
        .values_list("speaker__slug", flat=True)
    )
    return list(rows[:count])


def most_held_office() -> str | None:
    """The slug of the post the most speakers held (the Secretary of State's, over decades):
    its list is every quotation said in any of its holders' terms, so the filter reads the
    most terms of office."""
    row = (
        Office.objects.values("slug")
        .annotate(n=Count("speaker_id", distinct=True))
        .order_by("-n", "slug")
        .first()
    )
    return row["slug"] if row else None


def middle_slug(queryset) -> str | None:
    """The slug of a record half-way through the table (not the first, not the newest)."""
    middle = (queryset.aggregate(m=Max("id"))["m"] or 0) // 2
    return queryset.filter(id__gte=middle).order_by("id").values_list("slug", flat=True).first()


def deep_quotes_url(theme: Theme, theme_quotes: int) -> str:
    """The theme's quote list half-way down (at most 40,000 rows in), as a reader reaches it.

    Past the numbered pages a reader goes on with "Next" links, which name the last row
    seen (``?after=``); the row half-way down is found here once, untimed.
    """
    page_size = getattr(settings, "ARCHIVE_PAGE_SIZE", 20)
    depth = max(page_size, min(theme_quotes // 2, 2000 * page_size))
    ordered = (
        Quote.objects.published()
        .filter(themes=theme)
        .select_related("speech")
        .order_by(*QuoteFilter.newest_first)
    )
    row = ordered[depth - 1 : depth].first()
    if row is None:
        return f"/quotes/?{urlencode({'theme': theme.slug})}"
    cursor = QuoteFilter.keysets["newest"].cursor_of(row)
    return f"/quotes/?{urlencode({'theme': theme.slug, 'after': cursor})}"


def bench_pages(client: ServerClient) -> list[Page]:
    """Every page type the issue names (and a few more), with a URL drawn from the current
    database."""
    ranked = themes_by_quotations()  # one GROUP BY for both themes measured
    theme, theme_quotes = popular_theme(ranked)
    speaker = prolific_speaker()
    speech_slug = middle_slug(Speech.objects.published())
    quote_slug = middle_slug(Quote.objects.published())
    pages: list[Page] = [Page("home", "/")]

    if theme and speaker:
        first, last = speaker["first"], speaker["last"]
        middle_year = first.year + (last.year - first.year) // 2 if first and last else 2010
        speech_query = {
            "theme": theme.slug,
            "speaker": speaker["speaker__slug"],
            "date_after": f"{middle_year - 3}-01-01",
            "date_before": f"{middle_year + 2}-12-31",
        }
        pages.append(Page("speech_list_filtered", f"/speeches/?{urlencode(speech_query)}"))
        pages.append(Page("quote_list_deep_page", deep_quotes_url(theme, theme_quotes)))
        pages.append(Page("theme", f"/themes/{theme.slug}/"))
        pages.append(Page("theme_middle", f"/themes/{middle_theme(ranked).slug}/"))
        pages.append(Page("speaker", f"/speakers/{speaker['speaker__slug']}/"))
    else:
        names = ("speech_list_filtered", "quote_list_deep_page", "theme", "theme_middle")
        for name in (*names, "speaker"):
            pages.append(Page(name, None, "the archive is empty"))
    pages.append(Page("speech", f"/speeches/{speech_slug}/" if speech_slug else None))
    pages.append(Page("quote", f"/quotes/{quote_slug}/" if quote_slug else None))

    rare_query = urlencode({"q": '"' + rare_phrase() + '"'})
    pages.append(Page("search_rare_phrase", f"/search/?{rare_query}"))
    common_query = urlencode({"q": '"' + hospital_phrase() + '"'})
    pages.append(Page("search_common_phrase", f"/search/?{common_query}"))
    pages.append(Page("search_common_word", "/search/?q=NHS"))
    search_filtered = {"q": "services", "theme": theme.slug} if theme else {"q": "services"}
    pages.append(Page("search_filtered", f"/search/?{urlencode(search_filtered)}"))
    # The same word within the most quoted speaker's quotations (one in twelve) and within
    # the least quoted theme's: the words' matches are mostly someone else's, or another
    # theme's, so the index has to intersect them with the filter's records.
    rare_theme = Theme.objects.get(pk=ranked[-1][0]) if ranked else None
    by_speaker = {"q": "services", "speaker": speaker["speaker__slug"]} if speaker else None
    by_small_theme = {"q": "services", "theme": rare_theme.slug} if rare_theme else None
    for name, query in (("search_speaker", by_speaker), ("search_small_theme", by_small_theme)):
        url = f"/search/?{urlencode(query)}" if query else None
        pages.append(Page(name, url, "" if query else "the archive is empty"))

    # What readers and scripts also ask for, beyond the list: a list filtered by a
    # word most quotations hold, a theme's feed and the API filtered by a theme (each took
    # over a second to build at a million quotations before it read its page as the list
    # pages do).
    pages.append(Page("quote_list_words", "/quotes/?q=NHS"))
    pages.append(Page("feed_theme", f"/feeds/themes/{theme.slug}/" if theme else None))
    # Every quotation said while holding the most held post: the office filter reads each
    # holder's terms, and a statement known only to its month or year counts only when the
    # post was held throughout it.
    office = most_held_office()
    office_url = f"/quotes/?{urlencode({'office': office})}" if office else None
    pages.append(Page("quote_list_office", office_url, "" if office else "no offices"))
    # The most quoted speakers on the least quoted theme: a list and a comparison too small
    # to walk, which used to be read from everything the speakers said (55 ms).
    speakers = most_quoted_speakers(2)
    pair = None
    if rare_theme and len(speakers) == 2:
        pair = {"theme": rare_theme.slug, "speaker": speakers[0]}
        pages.append(Page("quote_list_speaker_theme", f"/quotes/?{urlencode(pair)}"))
        compared = urlencode({"theme": rare_theme.slug, "speaker": speakers}, doseq=True)
        pages.append(Page("compare", f"/compare/?{compared}"))
    else:
        for name in ("quote_list_speaker_theme", "compare"):
            pages.append(Page(name, None, "fewer than two speakers or no theme"))
    pages.append(Page("api_quotes", api_quotes_url(), "no JSON API route for quotes"))
    api = api_quotes_url()
    api_theme = f"{api}?{urlencode({'theme': theme.slug})}" if api and theme else None
    pages.append(Page("api_quotes_theme", api_theme, "" if api else "no JSON API route"))
    csv_base = {"speaker": speaker["speaker__slug"]} if speaker else {}
    if theme:
        csv_base["theme"] = theme.slug
    pages.append(
        Page(
            "csv_export",
            csv_export_url(client, f"/quotes/?{urlencode(csv_base)}"),
            "no CSV export link on the quote list",
        )
    )
    for page in pages:
        if page.url is None and not page.missing:
            page.missing = "no record to show"
        elif page.url is not None:
            path = urlsplit(page.url).path
            page.missing = "" if route_exists(page.url) else f"{path} has no route"
    return pages
