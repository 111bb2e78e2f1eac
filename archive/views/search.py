"""The search page: ``/search/?q=…``, combined with the lists' filters.

Everything lives in the URL (query, filters, order, page), so a search can be bookmarked and
works without JavaScript. Bad input never fails the page: the search explains what it left
out (``archive.search.query``) and which filters it could not use (``archive.filters``).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, QueryDict
from django.shortcuts import render

from archive import search
from archive.filters import QuoteFilter
from archive.search.results import SearchResults
from archive.search.service import repeated_parameters
from archive.views.listing import Chip, FormField, chip_value

# Filters the search form offers as controls; any other valid filter in the URL (office,
# event …) still applies, is carried along in hidden fields and shown as a removable chip.
FORM_FILTERS = ("speaker", "theme", "kind", "date_after", "date_before")
SORT_LABELS = {"relevance": "Best match", "newest": "Newest first", "oldest": "Oldest first"}
SHOW_LABELS = {"all": "Everything", "quotes": "Quotations", "speeches": "Speeches"}
FILTER_PARAMETERS = tuple(QuoteFilter.base_filters)


def search_page(request: HttpRequest):
    """Quotes and speeches matching the query, best first, with facets and highlights."""
    results = search.search(
        request.GET.get("q", ""),
        filters=request.GET,
        sort=request.GET.get("sort", "relevance"),
        show=request.GET.get("show", "all"),
        page=request.GET.get("page", "1") or "1",
    )
    chosen = [n for n in FILTER_PARAMETERS if n not in ("q", "sort") and request.GET.get(n)]
    if results.query.is_blank and chosen:
        # A link or bookmark with a filter and no words: the filter waits for words.
        results.notices.append(
            "Filters narrow a search: give words to search for, or see every statement "
            "by a speaker, on a theme or in a period on the Quotes and Speeches lists."
        )
    for name in repeated_parameters(request.GET):
        # As the lists explain a filter given twice: the page uses the last value.
        results.notices.append(
            f"“{name}” was given more than once; this page uses the last one given."
        )
    paginator = Paginator(range(results.total), results.per_page)
    page_obj = paginator.page(results.page)
    page_obj.elided_range = list(
        paginator.get_elided_page_range(results.page, on_each_side=2, on_ends=1)
    )
    context = {
        "has_errors": bool(results.filter_errors),  # the title starts "Error:"
        "results": results,
        "q": results.query.text,
        "page_obj": page_obj,
        "chips": _chips(request.GET, results),
        # "Clear all filters" keeps the search itself: its words, order and choice of records.
        "chips_clear_query": _without_filters(request.GET),
        "kept": _kept(request.GET, results),
        "carried": [(n, v) for n, v in _active(request.GET, results) if n not in FORM_FILTERS],
        "sort_options": _options(request.GET, "sort", SORT_LABELS, results.sort),
        "show_options": _show_options(request.GET, results),
        "form_errors": [
            (name, QuoteFilter.base_filters[name].label, message)
            for name, messages in results.filter_errors.items()
            if name in QuoteFilter.base_filters
            for message in messages
        ],
        "year_links": _year_links(request.GET, results),
        # The menus' <option>s, written as the lists' are (a template loop per option was
        # most of the filter form's 4 ms).
        "facet_options": {
            name: FormField(name, name, "select", options=results.facets.get(name, [])).options_html
            for name in ("speaker", "theme", "kind")
        },
        "date_after": request.GET.get("date_after", "")[:10],
        "date_before": request.GET.get("date_before", "")[:10],
    }
    return render(request, "archive/search.html", context)


def _without_filters(params: QueryDict) -> str:
    """The query string of this search with no filter: ``?q=…`` and its order and view."""
    kept = {name: params[name] for name in ("q", "sort", "show") if params.get(name)}
    return f"?{urlencode(kept)}" if kept else ""


def _chips(params: QueryDict, results: SearchResults) -> list[Chip]:
    """A removable chip for each filter in use (invalid ones are reported, not shown)."""
    chips = []
    for name in FILTER_PARAMETERS:
        value = params.get(name, "")
        if name in ("q", "sort") or not value or name in results.filter_errors:
            continue
        remaining = params.copy()
        for key in (name, "page"):
            remaining.pop(key, None)
        label = str(QuoteFilter.base_filters[name].label)
        cleaned = results.filters.get(name)
        shown = value if cleaned is None else chip_value(QuoteFilter.base_filters, name, cleaned)
        chips.append(Chip(name, label, shown, remaining))
    return chips


def _active(params: QueryDict, results: SearchResults) -> list[tuple[str, str]]:
    """The valid filters in the URL, as (parameter, value)."""
    return [
        (name, params.get(name))
        for name in FILTER_PARAMETERS
        if name not in ("q", "sort") and params.get(name) and name not in results.filter_errors
    ]


def _kept(params: QueryDict, results: SearchResults) -> list[tuple[str, str]]:
    """What a new query from the search box keeps: filters, the view and the order."""
    kept = _active(params, results)
    if results.show != "all":
        kept.append(("show", results.show))
    if results.sort != "relevance":
        kept.append(("sort", results.sort))
    return kept


def _options(params: QueryDict, name: str, labels: dict[str, str], chosen: str) -> list[dict]:
    options = []
    for value, label in labels.items():
        query = params.copy()
        query[name] = value
        query.pop("page", None)
        options.append({"value": value, "label": label, "query": query, "current": value == chosen})
    return options


def _year_links(params: QueryDict, results: SearchResults) -> list[tuple]:
    """(option, "?…") for each year facet: the search narrowed to that year, from its first
    page. Made here rather than with ``{% querystring %}`` per year (thirty years' links
    cost 4 ms in the template, mostly copying the query string thirty times)."""
    replaced = ("date_after", "date_before", "page")
    kept = [
        (key, value) for key, values in params.lists() if key not in replaced for value in values
    ]
    after, before = results.filters.get("date_after"), results.filters.get("date_before")
    links = []
    for option in results.facets.get("year", []):
        year = int(option.value)
        # Within the reader's own range: "2012" under "from June 2012" is June to December,
        # whose count the year showed (a link to the whole year counted more).
        start = after.text if after and after.start > dt.date(year, 1, 1) else option.value
        end = before.text if before and before.end < dt.date(year, 12, 31) else option.value
        links.append(
            (option, "?" + urlencode([*kept, ("date_after", start), ("date_before", end)]))
        )
    return links


def _show_options(params: QueryDict, results: SearchResults) -> list[dict]:
    options = _options(params, "show", SHOW_LABELS, results.show)
    counts = {
        "all": sum(results.counts.values()),
        "quotes": results.counts.get("quotes", 0),
        "speeches": results.counts.get("speeches", 0),
    }
    for option in options:
        option["count"] = counts[option["value"]]
        option["more"] = option["value"] in results.capped or (
            option["value"] == "all" and bool(results.capped)
        )
    # Speeches are not offered when a quotation-only filter (theme) is in force.
    return [o for o in options if o["value"] in results.counts or o["value"] == "all"]
