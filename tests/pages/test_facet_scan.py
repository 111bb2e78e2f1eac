"""Facets counted in one pass over the filtered rows give exactly the per-facet GROUP BYs."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.filters import PledgeFilter, QuoteFilter, SpeechFilter, StatementFilterSet, _ColumnScan
from archive.models import Quote, Speech, Theme
from tests.factories import make_quote

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "theme={theme}",
    "speaker={speaker}",
    "theme={theme}&kind=speech",
    "minister=1&date_after=2005",
    "q=reconfiguration",
    "quote_kind=reported",
]
CASES = [
    (QuoteFilter, lambda: Quote.objects.published()),
    (SpeechFilter, lambda: Speech.objects.published()),
    (PledgeFilter, lambda: Quote.objects.published().filter(pledge__isnull=False)),
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(("filterset_class", "queryset"), CASES, ids=lambda c: str(c)[:20])
def test_one_pass_counts_equal_the_group_bys(seed, filterset_class, queryset, query):
    data = QueryDict(query.format(theme="service-reconfiguration", speaker="andrew-lansley"))
    filterset = filterset_class(data=data, queryset=queryset())
    active = filterset.active_values()
    names = [n for n in filterset._column_facets() if n in filterset.FACETS and n not in active]
    assert names
    scan = _ColumnScan(filterset, names, active)
    for name in names:
        by_group = list(getattr(filterset, f"_facet_{name}")(filterset._facet_base(name, active)))
        assert scan.facet(name) == by_group, name
    if not query:  # the whole archive: the counts compared are not all zero
        assert any(count for name in names for *_, count in scan.facet(name))


def test_a_list_reads_its_column_facets_in_one_query(seed):
    """Five column facets of the unfiltered quote list cost one read, not five GROUP BYs."""
    filterset = QuoteFilter(data=QueryDict(""), queryset=Quote.objects.published())
    names = ("speaker", "event", "event_kind", "kind", "quote_kind")
    with CaptureQueriesContext(connection) as queries:
        filterset.facets(names)
    grouped = [q for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert grouped == []


def test_facets_from_one_read_are_cached_together(client, seed, settings, monkeypatch):
    """A slow read serves several facets: all of them are kept, so the next request for the
    list reads nothing again (one facet alone is quick to derive, yet must not be recounted)."""
    import time

    from django.core.cache import cache

    settings.ARCHIVE_SUMMARY_CACHE_MIN_MS = 30
    cache.clear()
    reads = []
    original = _ColumnScan._count

    def slow_count(self):
        if self._counts is None:
            reads.append(1)
            time.sleep(0.05)
        return original(self)

    monkeypatch.setattr(_ColumnScan, "_count", slow_count)
    client.get("/quotes/")
    client.get("/quotes/")
    assert reads == [1]
    cache.clear()


@pytest.mark.parametrize("query", ["", "theme={theme}", "speaker={speaker}"])
def test_the_whole_archives_theme_counts_equal_the_group_by(archive, query):
    """Counted from the tags table less unpublished speeches' tags: the same as joining every
    quotation to its speech, so a draft's quotations are never counted."""
    data = QueryDict(query.format(theme=archive.reconfig.slug, speaker=archive.lansley.slug))
    filterset = QuoteFilter(data=data, queryset=Quote.objects.published())
    base = filterset._facet_base("theme", filterset.active_values())
    joined = StatementFilterSet._by_record(base, "themes", Theme)
    assert filterset._facet_theme(base) == joined
    counts = {slug: n for slug, _, n in joined}
    assert counts[archive.reconfig.slug] >= 1


def test_home_counts_leave_out_drafts(client, archive):
    from archive.views.home import archive_summary

    summary = archive_summary()
    assert summary["counts"]["quotes"] == Quote.objects.published().count()
    assert summary["counts"]["quotes"] < Quote.objects.count()  # the draft's quotation
    by_theme = {theme.slug: theme.quote_count for theme in summary["themes"]}
    assert by_theme[archive.reconfig.slug] == (
        Quote.objects.published().filter(themes=archive.reconfig).count()
    )


@pytest.mark.parametrize("query", ["theme={theme}", "theme={theme}&speaker={speaker}"])
def test_a_themes_speeches_are_the_same_gathered_or_checked(seed, monkeypatch, query):
    """Small themes' speeches are gathered from their quotes, large ones' checked one by one:
    the lists and counts are the same either way."""
    import archive.filters

    data = QueryDict(query.format(theme="service-reconfiguration", speaker="andrew-lansley"))

    def listing():
        filterset = SpeechFilter(data=data, queryset=Speech.objects.published())
        return list(filterset.qs.values_list("pk", flat=True)), filterset.facets()

    gathered = listing()
    monkeypatch.setattr(archive.filters, "FEW_TAGGED", 0)  # every theme counts as large
    checked = listing()
    assert gathered == checked
    assert gathered[0]


def test_whether_a_theme_is_large_is_counted_once_per_state_of_the_archive(seed, settings):
    """The count that chooses how a theme's speeches are found is kept until the next
    write, not made by every request for them (the API's included)."""
    settings.ARCHIVE_SMALL_COUNT_CACHE_MIN_MS = 0  # kept, however quick
    cache.clear()
    theme = Theme.objects.get(slug="service-reconfiguration")
    url = f"/api/speeches/?theme={theme.slug}"

    def tag_counts(client) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return sum(
            'FROM "archive_quote_themes" WHERE' in q["sql"] and q["sql"].startswith("SELECT COUNT")
            for q in queries.captured_queries
        )

    client = Client()
    assert tag_counts(client) == 1
    assert tag_counts(client) == 0
    make_quote("Reconfiguration, again.", themes=[theme])  # a write: counted afresh
    assert tag_counts(client) == 1
