"""Hostile query strings on every public page and API endpoint: never a 500, never an echo.

Hypothesis writes the query strings: known filter names and made-up ones, repeated keys,
wrong types, huge numbers and very long values, NUL, right-to-left marks, combining accents,
emoji, markup and attribute breakers, SQL and full-text search syntax. Every public URL of
``archive.urls`` is a target, filled in with real slugs from the seed archive (and one that
does not exist). A response may be a 200, a 400 that names the problem or a 404, but never a
5xx, and markup from the query never comes back unescaped in a page, feed or file.

Derandomized, so every run tries the same 1,600 cases and a failure is reproducible.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode
from xml.etree import ElementTree

import django_filters
import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archive.api.filters
import archive.filters

MISSING_SLUG = "no-such-record"
MISSING_PK = "999999999"
MARKER = "hpa_xss"

# Markup that would run if echoed raw, in element, attribute and URL positions.
MARKUP = [
    f"<script>{MARKER}()</script>",
    f'"><script>{MARKER}()</script>',
    f"'><img src=x onerror={MARKER}()>",
    f'" onmouseover="{MARKER}()',
    f"<svg/onload={MARKER}()>",
    f"javascript:{MARKER}()",
    f"</textarea><script>{MARKER}()</script>",
    f"]]><script>{MARKER}()</script>",
]
SQL = [
    "' OR '1'='1",
    "1; DROP TABLE archive_quote; --",
    "1' UNION SELECT username, password FROM auth_user --",
    "%' AND 1=1 --",
    "\\",
    "%",
    "_",
    "'",
    '"',
]
SEARCH_SYNTAX = [
    '"unclosed phrase',
    "NEAR(a b",
    "a OR",
    "-",
    "*",
    "^",
    "col:umn",
    "(((",
    "a AND NOT b",
    "!",
    "&|!",
    ":*",
]
# Around the limits of 32- and 64-bit integers (SQLite refuses an OFFSET past 2**63 - 1).
LIMITS = [str(n) for n in (2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**20)]
NUMBERS = [
    "0", "-1", "1e999", "NaN", "inf", "9" * 400, "-" + "9" * 40, "0x1F", "1.5", "１２", *LIMITS,
]  # fmt: skip
DATES = ["2012-13-45", "0000-00-00", "9999-12-31", "2012-02-30", "1-1-1", "2012", "12/07/2012"]
UNICODE = [
    "\x00",
    "a\x00b",
    "\u202eRTL override\u202c",
    "\u200f\u200e",
    "e\u0301\u0302\u0303",
    "\U0001f3e5\u200d\U0001f469",
    "\ufeff",
    "\uffff",
    "\u2028\u2029",
    "ＮＨＳ",
]
HUGE = ["a" * 10_000, "<" * 3000, "%00" * 500]
SPECIAL_VALUES = MARKUP + SQL + SEARCH_SYNTAX + NUMBERS + DATES + UNICODE + HUGE

# Everything but surrogates (impossible in a URL): NUL, controls, marks, emoji…
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
# …and a dense mix of the characters that matter to HTML, SQL and search syntax.
SHARP = st.sampled_from(list("<>\"'&;%_\\*-()[]{}:^|!/=#?+ \t\n\x00\u202e\u0301") + ["a", "1"])

values = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    st.text(ANY_CHARACTER, max_size=40),
    st.text(SHARP, max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.tuples(st.sampled_from(MARKUP), st.sampled_from(SQL + UNICODE)).map("".join),
)


def _known_keys() -> list[str]:
    """Every filter name any list or API endpoint takes, and the paging/format names."""
    keys = {"q", "page", "page_size", "sort", "ordering", "format", "cursor", "limit", "offset"}
    for module in (archive.filters, archive.api.filters):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, django_filters.FilterSet):
                keys.update(value.base_filters)
    return sorted(keys)


def _plausible_values() -> list[str]:
    """Values a filter accepts: real slugs of each kind of record, every choice of every
    kind and status, dates at every precision, yes/no. Mixed with extreme numbers below,
    they get a request past validation and into the code that pages and counts."""
    found = {"true", "false", "1", "2", "2012", "2012-07", "2012-07-04", "1900-01-01"}
    for model in apps.get_app_config("archive").get_models():
        field_names = {field.name for field in model._meta.get_fields()}
        if "slug" in field_names:
            found.update(model._default_manager.order_by("pk").values_list("slug", flat=True)[:3])
        for field in model._meta.get_fields():
            found.update(str(value) for value, _ in getattr(field, "choices", None) or ())
    return sorted(found)


def _query_pairs(plausible: list[str]):
    """Half the time anything at all; half the time known filter names, each once, with
    plausible or extreme values (strict endpoints refuse unknown names before doing work)."""
    keys = st.one_of(st.sampled_from(_known_keys()), st.text(ANY_CHARACTER, max_size=20))
    anything = st.lists(st.tuples(keys, values), min_size=1, max_size=6)
    number = st.one_of(
        st.sampled_from(LIMITS),
        st.integers(min_value=0, max_value=10**30).map(str),
        st.integers(min_value=0, max_value=5).map(str),
        st.sampled_from(NUMBERS),
    )
    paging = st.fixed_dictionaries({}, optional={"page": number, "page_size": number})
    filters = st.dictionaries(
        st.sampled_from(_known_keys()),
        st.one_of(st.sampled_from(plausible), number, st.sampled_from(DATES), values),
        max_size=3,
    )
    believable = (
        st.tuples(filters, paging)
        .map(lambda chosen: list({**chosen[0], **chosen[1]}.items()))
        .filter(bool)
    )
    return st.one_of(anything, believable)


# --- the targets --------------------------------------------------------------------------


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, pattern


def _record_for(name: str):
    """A real, public record of the kind a URL name is about ("quote-cite-bib" → a quote)."""
    for word in name.split("-"):
        try:
            model = apps.get_model("archive", word)
        except LookupError:
            continue
        rows = model._default_manager.all()
        if hasattr(rows, "published"):
            rows = rows.published()
        return rows.order_by("pk").first()
    return None


def public_urls() -> dict[str, list[str]]:
    """Every public URL, by kind ("pages", "open data", "api"), with real and missing slugs;
    "lists" holds those that are not about one record."""
    urls: dict[str, set[str]] = {"pages": set(), "open data": set(), "api": set(), "lists": set()}
    for namespace, pattern in _walk(get_resolver().url_patterns):
        params = list(
            getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex
        )
        if "format" in params:
            continue  # suffix variants (.json) of the same endpoints
        full_name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        kind = (
            "api"
            if namespace == "api"
            else "open data"
            if re.search(r"export|cite|feed", pattern.name)
            else "pages"
        )
        if not params:
            urls[kind].add(reverse(full_name))
            urls["lists"].add(reverse(full_name))
            continue
        record = _record_for(pattern.name)
        for found in (record, None):
            if found is None and record is None:
                continue
            kwargs = {
                param: (
                    (str(found.pk) if found else MISSING_PK)
                    if param == "pk"
                    else (found.slug if found else MISSING_SLUG)
                )
                for param in params
            }
            urls[kind].add(reverse(full_name, kwargs=kwargs))
    return {kind: sorted(found) for kind, found in urls.items()}


# Addresses that answer 400 ("say what to search for") without a query string.
NEEDS_PARAMETERS = {"/feeds/search/": 400}


@pytest.fixture
def targets(seed):
    return public_urls() | {"plausible": _plausible_values()}


def test_every_public_url_is_a_target_and_answers(client, targets):
    every = [url for kind in ("pages", "open data", "api") for url in targets[kind]]
    for expected in ("/search/", "/quotes/export.csv", "/feeds/search/", "/api/quotes/"):
        assert expected in every
    assert any(url.endswith("/cite.ris") for url in every)
    for url in every:
        status = client.get(url).status_code
        expected = (
            404 if MISSING_SLUG in url or MISSING_PK in url else NEEDS_PARAMETERS.get(url, 200)
        )
        assert status == expected, url


# --- the checks ---------------------------------------------------------------------------


class _RunnableMarker(HTMLParser):
    """Finds the marker where a browser would run it: inside a script element, in an event
    handler attribute, or in a javascript: link. Escaped text (&lt;script&gt;, &quot;) and
    attribute values that stayed inside their quotes are only text, and are not flagged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if MARKER not in value:
                continue
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and MARKER in data:
            self.found.append("<script>…</script>")


def _runnable_markup(html: str) -> list[str]:
    finder = _RunnableMarker()
    finder.feed(html)
    finder.close()
    return finder.found


def _check(client: Client, url: str, pairs: list[tuple[str, str]]) -> None:
    query = urlencode(pairs)
    response = client.get(f"{url}?{query}")
    assert response.status_code < 500, (url, pairs)
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/json"):
        json.loads(text)  # an API error is JSON too, never an HTML error page
        return
    if content_type.startswith("text/html"):
        assert _runnable_markup(text) == [], (url, pairs)
    elif "xml" in content_type:
        # Still well-formed (nothing broke out); our own output, not untrusted XML.
        feed = ElementTree.fromstring(body)  # noqa: S314
        assert not [e for e in feed.iter() if e.tag.rsplit("}", 1)[-1] == "script"], url
    for _, value in pairs:
        if "<script" in value.lower():
            assert value not in text, (url, value)


HYPOTHESIS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _url(targets, kind: str):
    """A target of ``kind``; lists (which filter, count and page) twice as often as details."""
    lists = [url for url in targets[kind] if url in targets["lists"]]
    return st.one_of(st.sampled_from(lists), st.sampled_from(lists), st.sampled_from(targets[kind]))


@settings(max_examples=600, **HYPOTHESIS)
@given(data=st.data())
def test_pages_survive_hostile_query_strings(client, targets, data):
    url = data.draw(_url(targets, "pages"), label="url")
    _check(client, url, data.draw(_query_pairs(targets["plausible"]), label="query"))


@settings(max_examples=450, **HYPOTHESIS)
@given(data=st.data())
def test_csv_feeds_and_citations_survive_hostile_query_strings(client, targets, data):
    url = data.draw(_url(targets, "open data"), label="url")
    _check(client, url, data.draw(_query_pairs(targets["plausible"]), label="query"))


@settings(max_examples=550, **HYPOTHESIS)
@given(data=st.data())
def test_the_api_survives_hostile_query_strings(client, targets, data):
    url = data.draw(_url(targets, "api"), label="url")
    _check(client, url, data.draw(_query_pairs(targets["plausible"]), label="query"))


def test_an_address_that_is_not_a_web_address_goes_out_nowhere(client, db):
    """Forms refuse it, but a fixture or a script skips them: a ``javascript:`` address
    reached JSON-LD, citations, CSV and the API as it was."""
    from tests.factories import make_office, make_quote, make_source, make_speech

    hostile = "javascript:alert(4)"
    source = make_source(url=hostile)
    speech = make_speech(text="Beds must be kept open.", source=source)
    quote = make_quote("Beds must be kept open.", speech=speech)
    make_office(quote.speaker, source_url=hostile)
    urls = [
        quote.get_absolute_url(),
        speech.get_absolute_url(),
        source.get_absolute_url(),
        quote.speaker.get_absolute_url(),
        f"/quotes/{quote.slug}/cite.bib",
        f"/quotes/{quote.slug}/cite.ris",
        f"/speeches/{speech.slug}/cite.bib",
        "/quotes/export.csv",
        "/speeches/export.csv",
        f"/api/quotes/{quote.slug}/",
        f"/api/speakers/{quote.speaker.slug}/",
        "/api/speeches/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert b"javascript:" not in body, url
