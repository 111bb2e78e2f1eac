"""Timing pages in-process, through the full middleware stack, with their query counts.

Each page is requested through ``django.test.Client`` (every middleware, URL resolution,
the view, the template, and the whole body of a streamed response):

* once cold, timed separately (``first_ms``: what the first reader pays, before slow
  summaries and the page itself are cached; counts over the request's budget are left to
  the counting thread, which is waited for), then a few times untimed to warm caches;
* with the page cache off (``rendered_*``): once with the SQL captured to count queries,
  then ``repetitions`` times timed. This is the cost of building the page: queries,
  cached summaries, template;
* as served (``median_ms``, ``p95_ms``): ``repetitions`` times timed with the page cache
  as production runs it, so a repeat visit gets the stored copy (archive/page_cache.py).
  A page that is never stored (a streamed CSV) is served as rendered, and not timed twice.

Timings are wall-clock milliseconds; the query count is what tests may assert.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from archive import background

WARMUP = 2
MIN_SAMPLES = 3


@dataclass
class Measurement:
    """One page's figures."""

    median_ms: float
    p95_ms: float
    queries: int
    status: int
    samples: int
    first_ms: float = 0.0
    # Built afresh with the page cache off (median_ms and p95_ms are as served).
    rendered_median_ms: float = 0.0
    rendered_p95_ms: float = 0.0
    # The most expensive statement of the counted request: where to look when a page is slow.
    slowest_sql: str = ""
    slowest_ms: float = 0.0

    def as_json(self, baseline_ms: float) -> dict:
        ratio = self.p95_ms / baseline_ms if baseline_ms else None
        return {
            "median_ms": round(self.median_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "queries": self.queries,
            "ratio_p95": round(ratio, 1) if ratio is not None else None,
            "first_ms": round(self.first_ms, 2),
            "rendered_median_ms": round(self.rendered_median_ms, 2),
            "rendered_p95_ms": round(self.rendered_p95_ms, 2),
            "rendered_ratio_p95": (
                round(self.rendered_p95_ms / baseline_ms, 1) if baseline_ms else None
            ),
        }


def fetch(client: Client, url: str) -> int:
    """One full request, reading a streamed body to the end; returns the status.

    The test client closes the response itself (at the end of a streamed body), without
    closing the database connection as a real server's request_finished would.
    """
    response = client.get(url)
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
    else:
        response.content  # noqa: B018 -- the body is part of the cost
    return response.status_code


def percentile(samples: list[float], fraction: float) -> float:
    """The ``fraction`` quantile by linear interpolation (p95: ``fraction=0.95``)."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _timed(client: Client, url: str, repetitions: int, deadline: float | None) -> list[float]:
    """Up to ``repetitions`` request times; at least ``MIN_SAMPLES`` past the deadline."""
    timings: list[float] = []
    for _ in range(repetitions):
        started = time.perf_counter()
        fetch(client, url)
        timings.append((time.perf_counter() - started) * 1000)
        if deadline is not None and time.perf_counter() > deadline and len(timings) >= MIN_SAMPLES:
            break
    return timings


def _counted(client: Client, url: str) -> tuple[int, list[dict]]:
    """One request's status and the statements it ran."""
    with CaptureQueriesContext(connection) as captured:
        status = fetch(client, url)
    # Copied now: the captured list is a view of the connection's log, which the next
    # request clears.
    return status, list(captured.captured_queries)


def measure(
    client: Client, url: str, *, repetitions: int, budget_seconds: float | None = None
) -> Measurement:
    """Median and p95 of ``repetitions`` timed requests, and the queries one request runs.

    A page far slower than its target would hold the run up for hours at a million quotes:
    each timed pass stops after ``budget_seconds`` (at least ``MIN_SAMPLES`` samples).
    """
    started_page = time.perf_counter()
    # Not kept if it is shown before its counts: the timed passes are of the whole page.
    with override_settings(ARCHIVE_PENDING_PAGE_SECONDS=0):
        fetch(client, url)
    first_ms = (time.perf_counter() - started_page) * 1000
    background.drain()  # the counts the first request left to the counting thread
    for _ in range(WARMUP):
        fetch(client, url)
        if time.perf_counter() - started_page > 1:
            break  # a page this slow is not waiting for a warm cache

    def deadline() -> float | None:
        return None if budget_seconds is None else time.perf_counter() + budget_seconds

    with override_settings(ARCHIVE_PAGE_CACHE_SECONDS=0):
        status, statements = _counted(client, url)
        rendered = _timed(client, url, repetitions, deadline())
    fetch(client, url)  # stores the page, if it is ever stored
    _, served_statements = _counted(client, url)
    served = _timed(client, url, repetitions, deadline()) if not served_statements else rendered
    slowest = max(statements, key=lambda q: float(q["time"]), default=None)
    return Measurement(
        median_ms=statistics.median(served),
        p95_ms=percentile(served, 0.95),
        queries=len(statements),
        status=status,
        samples=min(len(rendered), len(served)),
        first_ms=first_ms,
        rendered_median_ms=statistics.median(rendered),
        rendered_p95_ms=percentile(rendered, 0.95),
        slowest_sql=slowest["sql"] if slowest else "",
        slowest_ms=float(slowest["time"]) * 1000 if slowest else 0.0,
    )


def bench_client() -> Client:
    """A client whose view errors come back as 500 responses instead of exceptions."""
    return Client(raise_request_exception=False)
