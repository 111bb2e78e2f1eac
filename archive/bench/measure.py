"""Timing pages in-process, through the full middleware stack, with their query counts.

Each page is requested through Django's own WSGI handler, as a WSGI server calls it
(``ServerClient``: every middleware, URL resolution, the view, the template, the whole
body of a streamed response, and the request signals' receivers):

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

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
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


@dataclass
class Fetched:
    """A response as a WSGI server saw it: its status and its whole body."""

    status_code: int
    chunks: list[bytes]

    @property
    def content(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def text(self) -> str:
        return self.content.decode()


class ServerClient:
    """GET requests made in-process as a WSGI server makes them.

    Django's ``WSGIHandler`` (what gunicorn calls) with the request signals' receivers that
    production has: each request's connections are checked (``conn_health_checks``, a
    ``SELECT 1`` on PostgreSQL) and renewed once older than ``CONN_MAX_AGE``. Django's test
    client instead disconnects ``close_old_connections`` around each request and connects
    it again, and every connect registers a new ``weakref.finalize`` on that function,
    which never dies: about two objects a request that live for the rest of the run, which
    each full pass of the garbage collector then walked (10-21 ms pauses by the last pages
    of a run, in their figures). A server keeps none of that.

    Not for use inside a test's transaction: a request's start closes a connection found
    in one, as in production.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.environs = RequestFactory()

    def get(self, url: str) -> Fetched:
        environ = self.environs.get(url).environ
        statuses: list[str] = []

        def start_response(status: str, headers: list, exc_info=None) -> None:
            statuses.append(status)

        body = self.handler(environ, start_response)
        try:
            chunks = list(body)
        finally:
            body.close()  # fires request_finished, as a server does
        return Fetched(int(statuses[-1].split(" ", 1)[0]), chunks)


def fetch(client: ServerClient, url: str) -> int:
    """One full request, its whole body read (it is part of the cost); returns the status."""
    return client.get(url).status_code


def percentile(samples: list[float], fraction: float) -> float:
    """The ``fraction`` quantile by linear interpolation (p95: ``fraction=0.95``)."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _timed(client: ServerClient, url: str, repetitions: int, deadline: float | None) -> list[float]:
    """Up to ``repetitions`` request times; at least ``MIN_SAMPLES`` past the deadline."""
    timings: list[float] = []
    for _ in range(repetitions):
        started = time.perf_counter()
        fetch(client, url)
        timings.append((time.perf_counter() - started) * 1000)
        if deadline is not None and time.perf_counter() > deadline and len(timings) >= MIN_SAMPLES:
            break
    return timings


def _counted(client: ServerClient, url: str) -> tuple[int, list[dict]]:
    """One request's status and the statements it ran."""
    with CaptureQueriesContext(connection) as captured:
        status = fetch(client, url)
    # Copied now: the captured list is a view of the connection's log, which the next
    # request clears.
    return status, list(captured.captured_queries)


def measure(
    client: ServerClient, url: str, *, repetitions: int, budget_seconds: float | None = None
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


def bench_client() -> ServerClient:
    """The client the benchmark measures with (view errors come back as 500 responses)."""
    return ServerClient()
