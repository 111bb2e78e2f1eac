"""One benchmark run against the database Django is configured for."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from django.db import connection

from archive.bench.measure import bench_client, measure
from archive.bench.pages import BASELINE_URL, bench_pages
from archive.models import Event, Quote, Speaker, Speech, Theme
from archive.startup import settle_heap


def database_version() -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150004
        return f"{version // 10000}.{version % 100}"
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return ""


def archive_size() -> dict:
    """How big the archive being measured is (one count per table, once per run)."""
    return {
        "quotes": Quote.objects.count(),
        "speeches": Speech.objects.count(),
        "speakers": Speaker.objects.count(),
        "themes": Theme.objects.count(),
        "events": Event.objects.count(),
    }


def run_benchmark(
    *,
    repetitions: int,
    budget_seconds: float | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> tuple[dict, dict[str, str]]:
    """Measure the baseline and every page type; returns (figures, skipped pages and why).

    A page is skipped as "not yet available" when its route or its link does not exist yet,
    and as "FAILED" when it answers anything but 200.
    """
    client = bench_client()
    settle_heap()  # as archive/wsgi.py does in every serving process
    baseline = measure(client, BASELINE_URL, repetitions=repetitions)
    if baseline.status != 200:
        raise RuntimeError(f"The trivial view {BASELINE_URL} answered {baseline.status}.")
    result: dict = {"baseline_ms": round(baseline.median_ms, 3), "pages": {}}
    skipped: dict[str, str] = {}
    for page in bench_pages(client):
        if not page.available:
            skipped[page.name] = f"not yet available ({page.missing})"
            continue
        say(f"  {page.name}: {page.url}")
        try:
            figures = measure(
                client, page.url, repetitions=repetitions, budget_seconds=budget_seconds
            )
        except Exception as error:  # noqa: BLE001 -- one broken page must not stop the run
            skipped[page.name] = f"FAILED: {page.url} raised {type(error).__name__}: {error}"
            continue
        if figures.status != 200:
            skipped[page.name] = f"FAILED: {page.url} answered {figures.status}"
            continue
        result["pages"][page.name] = figures.as_json(baseline.median_ms)
        if figures.slowest_ms > 10 * baseline.median_ms:
            say(f"    slowest query {figures.slowest_ms:.0f} ms: {figures.slowest_sql[:400]}")
        if figures.samples < repetitions:
            say(f"    (time budget reached: {figures.samples} timed requests)")
    return result, skipped
