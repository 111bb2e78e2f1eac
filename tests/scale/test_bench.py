"""The benchmark harness end to end at tiny scale: the right pages, the right JSON.

Only query counts are asserted here, never timings.
"""

import argparse
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import time
import weakref
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from archive.bench import report
from archive.bench.load import DETAIL_KINDS, run_wrk, url_mix, weighted
from archive.bench.measure import bench_client, measure
from archive.bench.pages import bench_pages
from archive.bench.runner import run_benchmark
from archive.models import Office

BASE_DIR = Path(__file__).resolve().parents[2]
PAGE_KEYS = {
    "median_ms",
    "p95_ms",
    "queries",
    "ratio_p95",
    "first_ms",
    "rendered_median_ms",
    "rendered_p95_ms",
    "rendered_ratio_p95",
}
PAGE_NAMES = {
    "home",
    "speech_list_filtered",
    "quote_list_deep_page",
    "theme",
    "theme_middle",
    "speaker",
    "speech",
    "quote",
    "search_rare_phrase",
    "search_common_phrase",
    "search_common_word",
    "search_filtered",
    "search_speaker",
    "search_small_theme",
    "quote_list_words",
    "feed_theme",
    "quote_list_office",
    "quote_list_speaker_theme",
    "compare",
    "api_quotes",
    "api_quotes_theme",
    "csv_export",
}


def test_the_baseline_is_one_query(transactional_db):
    assert measure(bench_client(), "/healthz", repetitions=1).queries == 1


def test_a_stored_page_still_reports_the_queries_that_build_it(served_archive, settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 300
    client = bench_client()
    url = next(page.url for page in bench_pages(client) if page.name == "speech")
    figures = measure(client, url, repetitions=2)
    assert figures.queries > 1
    assert figures.rendered_p95_ms > 0


def test_every_page_type_is_named_with_a_url_or_a_reason(served_archive):
    pages = bench_pages(bench_client())
    assert {page.name for page in pages} == PAGE_NAMES
    for page in pages:
        assert page.available or page.missing, page.name
    by_name = {page.name: page for page in pages}
    assert "theme=" in by_name["speech_list_filtered"].url
    assert "speaker=" in by_name["speech_list_filtered"].url
    assert "date_after=" in by_name["speech_list_filtered"].url
    # Deep in the list the way a reader gets there past the numbered pages: by cursor.
    deep = by_name["quote_list_deep_page"].url
    assert "after=" in deep
    assert bench_client().get(deep).status_code == 200


def test_a_prolific_speaker_on_the_least_quoted_theme_is_listed_and_compared(served_archive):
    by_name = {page.name: page for page in bench_pages(bench_client())}
    listed, compared = by_name["quote_list_speaker_theme"].url, by_name["compare"].url
    assert "speaker=" in listed and "theme=" in listed
    assert compared.count("speaker=") == 2
    for url in (listed, compared):
        response = bench_client().get(url)
        assert response.status_code == 200
        assert "compare__column" in response.text if url == compared else "results" in response.text


def test_the_most_held_post_is_listed(served_archive):
    by_name = {page.name: page for page in bench_pages(bench_client())}
    office = parse_qs(urlsplit(by_name["quote_list_office"].url).query)["office"][0]
    holders = Office.objects.filter(slug=office).values("speaker").distinct().count()
    assert holders == max(
        Office.objects.filter(slug=slug).values("speaker").distinct().count()
        for slug in Office.objects.values_list("slug", flat=True)
    )
    response = bench_client().get(by_name["quote_list_office"].url)
    assert response.status_code == 200
    heading = re.search(r'id="results-heading"[^>]*>([^<]*)<', response.text).group(1)
    assert "match your filters" in heading and not heading.startswith("0 ")


def test_searches_within_a_speaker_and_a_small_theme_are_measured(served_archive):
    by_name = {page.name: page for page in bench_pages(bench_client())}
    listed = by_name["quote_list_speaker_theme"].url  # the speaker and the least quoted theme
    speaker = parse_qs(urlsplit(by_name["search_speaker"].url).query)
    theme = parse_qs(urlsplit(by_name["search_small_theme"].url).query)
    assert speaker["q"] == theme["q"] == ["services"]
    assert f"theme={theme['theme'][0]}" in listed
    for page in (by_name["search_speaker"], by_name["search_small_theme"]):
        response = bench_client().get(page.url)
        assert response.status_code == 200
        assert 'id="results-heading"' in response.text  # searched (a small theme may hold none)


def test_a_run_measures_pages_and_reports_the_rest(served_archive):
    result, skipped = run_benchmark(repetitions=3)
    assert result["baseline_ms"] > 0
    assert set(result["pages"]) | set(skipped) == PAGE_NAMES
    assert not set(result["pages"]) & set(skipped)
    for name, figures in result["pages"].items():
        assert set(figures) == PAGE_KEYS, name
        assert isinstance(figures["queries"], int)
    # The detail pages exist from the start; they must be measured, not skipped.
    assert {"home", "quote", "speech"} <= set(result["pages"])


def test_results_file_has_the_issues_shape_and_keeps_the_load_figures(tmp_path):
    path = tmp_path / "bench.json"
    path.write_text(json.dumps({"load": {"sqlite": {"mix": {"requests_per_second": 1.0}}}}))
    scale = {"quotes": 200, "seed": 1, "database_versions": {"sqlite": "3"}}
    figures = {"median_ms": 1.0, "p95_ms": 2.0, "queries": 3, "ratio_p95": 2.0, "first_ms": 9.0}
    sqlite = {"baseline_ms": 1.0, "pages": {"home": figures}}
    report.merge_database(path, scale=scale, vendor="sqlite", result=sqlite)
    pg_scale = {**scale, "database_versions": {"postgresql": "15.4"}}
    report.merge_database(path, scale=pg_scale, vendor="postgresql", result=sqlite)
    data = json.loads(path.read_text())
    assert set(data) == {"scale", "databases", "load"}
    assert set(data["databases"]) == {"sqlite", "postgresql"}
    assert set(data["databases"]["sqlite"]) == {"baseline_ms", "pages"}
    assert data["scale"]["database_versions"] == {"sqlite": "3", "postgresql": "15.4"}
    assert data["load"] == {"sqlite": {"mix": {"requests_per_second": 1.0}}}
    table = report.markdown(data)
    assert "| home | sqlite | 1.0 | 2.0 | 3 | 2.0 |" in table
    assert "| home | postgresql |" in table
    # A run at another scale replaces figures that can no longer be compared.
    report.merge_database(path, scale={**scale, "quotes": 400}, vendor="sqlite", result=sqlite)
    assert set(json.loads(path.read_text())["databases"]) == {"sqlite"}


def test_load_figures_are_kept_per_database(tmp_path):
    path = tmp_path / "bench.json"
    run = {"requests_per_second": 10.0, "p95_ms": 5.0, "errors": 0}
    report.merge_load(path, "sqlite", {"baseline": {**run, "requests_per_second": 40.0}})
    report.merge_load(path, "postgresql", {"baseline": run, "details": run})
    report.merge_load(
        path, "sqlite", {"baseline": {**run, "requests_per_second": 20.0}, "mix": run}
    )
    load = json.loads(path.read_text())["load"]
    assert set(load) == {"sqlite", "postgresql"}
    assert load["sqlite"]["baseline"]["requests_per_second"] == 20.0  # replaced, not merged
    assert "details" in load["postgresql"]
    table = report.markdown(json.loads(path.read_text()))
    assert "Load on sqlite" in table
    assert "Load on postgresql" in table
    assert "| mix | 10.0 | 0.5 | 5.0 | 0 |" in table


def test_the_command_line_builds_caches_and_writes_the_json(tmp_path):
    output, cache = tmp_path / "bench.json", tmp_path / "cache"
    command = [sys.executable, "-m", "archive.bench", "--database", "sqlite"]
    command += ["--quotes", "200", "--repetitions", "3"]
    command += ["--output", str(output), "--cache-dir", str(cache)]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    first = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-3000:]
    data = json.loads(output.read_text())
    assert data["scale"]["quotes"] == 200
    pages = data["databases"]["sqlite"]["pages"]
    assert pages and all(set(figures) == PAGE_KEYS for figures in pages.values())
    for name in PAGE_NAMES - set(pages):
        assert name in first.stdout  # with the reason it was not measured
    assert len(list(cache.glob("sqlite-q200-s1-*.sqlite3"))) == 1
    second = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "Using the cached SQLite archive" in second.stdout


def test_the_load_mix_favours_detail_pages(served_archive):
    mix = url_mix(200, seed=1)
    assert {"quote", "speech", "speaker", "theme", "home", "search"} <= set(mix)
    details = weighted(mix, DETAIL_KINDS, 100, seed=1)
    assert all(
        path.startswith(("/quotes/", "/speeches/", "/speakers/", "/themes/")) for path in details
    )


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_drives_a_server_and_its_figures_are_read(live_server, tmp_path):
    paths = tmp_path / "paths.txt"
    paths.write_text("/healthz\n")
    args = argparse.Namespace(threads=1, connections=2, seconds=1)
    figures = run_wrk(live_server.url, paths, args)
    assert figures["requests"] > 0
    assert figures["errors"] == 0
    assert {"requests_per_second", "p95_ms"} <= set(figures)


def test_cache_key_does_not_depend_on_how_python_was_started(monkeypatch):
    """``python -m`` puts the checkout on sys.path: its metadata must not change the key."""
    from archive.bench.cache import cache_key

    key = cache_key(1000, 1)
    monkeypatch.syspath_prepend(str(BASE_DIR))
    monkeypatch.syspath_prepend(".")
    assert cache_key(1000, 1) == key


def test_the_rare_phrase_is_said_in_few_quotations_and_the_common_one_in_many(served_archive):
    from archive.bench.pages import RARE_AT_MOST, hospital_phrase, rare_phrase
    from archive.search import capped_matches, rebuild_index

    rebuild_index()
    phrase = rare_phrase()
    assert 1 <= len(capped_matches(f'"{phrase}"', limit=100)) <= RARE_AT_MOST
    assert len(phrase.split()) == 3
    common = hospital_phrase()
    assert common.endswith(" Hospital")
    assert len(capped_matches(f'"{common}"', limit=100)) >= 1


def _finalizers() -> int:
    gc.collect()
    return sum(isinstance(o, weakref.finalize) for o in gc.get_objects())


def test_requests_through_the_bench_client_leave_nothing_behind(transactional_db):
    # Django's test client connects a signal receiver again on every request, and each
    # connect registers a finalizer that never runs: objects that outlive the run.
    client = bench_client()
    client.get("/healthz")
    before = _finalizers()
    for _ in range(20):
        assert client.get("/healthz").status_code == 200
    assert _finalizers() == before


@pytest.mark.skipif(connection.vendor == "sqlite", reason="an in-memory database is never closed")
def test_the_bench_client_renews_an_old_connection_as_a_server_does(transactional_db):
    client = bench_client()
    client.get("/healthz")
    old = connection.connection
    connection.close_at = time.monotonic() - 1  # older than CONN_MAX_AGE
    assert client.get("/healthz").status_code == 200
    assert connection.connection is not None and connection.connection is not old
