"""The page links and the filter form, written in Python, say what their templates said."""

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory

from archive.filter_form import filter_form_html
from archive.page_links import QueryLinks, pagination_html
from archive.views.listing import CursorPage, FormField

PAYLOAD = '<script>alert("x")</script>&'

QUERIES = [
    "",
    "theme=regulation",
    "theme=regulation&page=3&speaker=a-b",
    "after=2012-01-01_4_2_9",
    "page=2",
    "q=" + "caf%C3%A9+%26+%22quoted%22",
    "kind=a&kind=b&page=1",
    "x=%3Cscript%3E&page=%3Cb%3E",
]
CHANGES = [
    {"page": None, "after": None, "before": None},
    {"page": 4, "after": None, "before": None},
    {"page": None, "before": None, "after": "2001-02-03_5_1_7"},
    {"q": PAYLOAD, "page": None},
    {"new": "value"},
]


def django_querystring(query: str, changes: dict) -> str:
    """What ``{% querystring %}`` writes (escaped, as in an attribute) for these changes."""
    names = " ".join(f"{key}=v{i}" for i, key in enumerate(changes))
    template = Template("{% querystring " + names + " %}")
    request = RequestFactory().get("/quotes/?" + query)
    values = {f"v{i}": value for i, value in enumerate(changes.values())}
    return template.render(RequestContext(request, values))


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("changes", CHANGES)
def test_links_are_written_as_django_querystring_writes_them(query, changes):
    assert QueryLinks(QueryDict(query)).href(**changes) == django_querystring(query, changes)


def test_a_hostile_parameter_is_escaped_in_the_links():
    page = Paginator(range(100), 10).page(2)
    page.elided_range = [1, 2, 3]
    html = pagination_html(QueryDict("q=%3Cscript%3E%22"), page)
    assert "<script>" not in html and '"' not in html.split("href=")[1][1:20]
    assert 'href="?q=%3Cscript%3E%22&amp;page=1"' in html


def test_a_numbered_page_links_its_neighbours_and_marks_itself():
    page = Paginator(range(100), 10).page(5)
    page.elided_range = list(page.paginator.get_elided_page_range(5, on_each_side=2, on_ends=1))
    html = pagination_html(QueryDict("theme=t"), page)
    assert "Page 5 of 10</p>" in html
    assert '<a rel="prev" href="?theme=t&amp;page=4">' in html
    assert '<a rel="next" href="?theme=t&amp;page=6">' in html
    assert '<a href="?theme=t&amp;page=5" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1
    assert '<li class="pagination__gap" aria-hidden="true">…</li>' in html  # 1 … 3 4 5


def test_the_last_numbered_page_goes_on_by_cursor():
    page = Paginator(range(30), 10).page(3)
    page.elided_range, page.next_cursor = [1, 2, 3], "2001-02-03_5_1_7"
    html = pagination_html(QueryDict("page=3&theme=t"), page)
    assert "Page 3 of 3 numbered; more follow" in html
    assert '<a rel="next" href="?theme=t&amp;after=2001-02-03_5_1_7">' in html


def test_a_page_reached_by_cursor_links_first_previous_and_next():
    page = CursorPage([1], next_cursor="2001-01-01_1_1_1", previous_cursor="2002-01-01_2_1_2")
    html = pagination_html(QueryDict("after=x&theme=t"), page)
    assert "Further along the list" in html
    assert '<a href="?theme=t">First page</a>' in html
    assert '<a rel="prev" href="?theme=t&amp;before=2002-01-01_2_1_2">' in html
    # The cursor replaces the one given, where it stood.
    assert '<a rel="next" href="?after=2001-01-01_1_1_1&amp;theme=t">' in html
    only = pagination_html(QueryDict("after=x"), CursorPage([1]))
    assert '<a href="?">First page</a>' in only  # as {% querystring %}: the list's first page
    assert 'rel="next"' not in only and 'rel="prev"' not in only


def test_a_single_page_has_no_links():
    page = Paginator(range(5), 10).page(1)
    assert pagination_html(QueryDict("theme=t"), page) == ""
    assert pagination_html(QueryDict(""), None) == ""


def test_the_filter_form_escapes_what_readers_typed_and_reports_errors():
    words = FormField("q", "Words", "text", value=PAYLOAD, hint="Any of these <words>")
    date = FormField("date_after", "From", "date", value="notadate", errors=["Enter a date."])
    html = filter_form_html('/quotes/"x', [words, date], is_filtered=False)
    assert "<script>" not in html and "<words>" not in html
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"' in html
    assert 'action="/quotes/&quot;x"' in html
    # The error is summarised, linked to its field, and the field points at its message.
    assert '<a href="#filter-date_after">From: Enter a date.</a>' in html
    assert 'id="filter-date_after-error-1"' in html
    assert 'aria-invalid="true" aria-describedby="filter-date_after-error-1"' in html
    assert 'aria-describedby="filter-q-hint"' in html
    assert 'type="search"' in html and 'size="10" autocomplete="off"' in html
    assert "Clear all" in html  # an error is something to clear


def test_the_filter_form_offers_to_clear_only_what_is_set():
    theme = FormField("theme", "Theme", "select", any_label="Any theme")
    assert "Clear all" not in filter_form_html("/quotes/", [theme])
    html = filter_form_html("/quotes/", [theme], is_filtered=True, counts_pending=True)
    assert '<a href="/quotes/">Clear all</a>' in html
    assert '<option value="">Any theme</option>' in html
    assert "still being counted" in html
