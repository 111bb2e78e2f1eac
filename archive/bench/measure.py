"""Timing pages in-process, through the full middleware stack, with their query counts.

Each page is requested through ``django.test.Client`` (every middleware, URL resolution,
the view, the template, and the whole body of a streamed response): once cold, timed
separately (``first_ms``: what the first reader pays before slow summaries are cached), a
few times untimed to warm caches, once with the SQL captured to count queries, then
``repetitions`` times timed.
Timings are wall-clock milliseconds; the query count is what tests may assert.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

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


def measure(
    client: Client, url: str, *, repetitions: int, budget_seconds: float | None = None
) -> Measurement:
    """Median and p95 of ``repetitions`` timed requests, and the queries one request runs.

    A page far slower than its target would hold the run up for hours at a million quotes:
    after ``budget_seconds`` the timing stops early, with at least ``MIN_SAMPLES`` samples.
    """
    started_page = time.perf_counter()
    fetch(client, url)
    first_ms = (time.perf_counter() - started_page) * 1000
    for _ in range(WARMUP):
        fetch(client, url)
        if time.perf_counter() - started_page > 1:
            break  # a page this slow is not waiting for a warm cache
    with CaptureQueriesContext(connection) as captured:
        status = fetch(client, url)
    # Counted now: the captured list is a view of the connection's log, which the next
    # request clears.
    queries = len(captured)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    timings: list[float] = []
    for _ in range(repetitions):
        started = time.perf_counter()
        fetch(client, url)
        timings.append((time.perf_counter() - started) * 1000)
        spent = time.perf_counter() - started_page
        if budget_seconds is not None and spent > budget_seconds and len(timings) >= MIN_SAMPLES:
            break
    return Measurement(
        median_ms=statistics.median(timings),
        p95_ms=percentile(timings, 0.95),
        queries=queries,
        status=status,
        samples=len(timings),
        first_ms=first_ms,
        slowest_sql=slowest["sql"] if slowest else "",
        slowest_ms=float(slowest["time"]) * 1000 if slowest else 0.0,
    )


def bench_client() -> Client:
    """A client whose view errors come back as 500 responses instead of exceptions."""
    return Client(raise_request_exception=False)
