"""A search's two index reads at once: quotations in the request's thread, speeches beside it.

Each read of the index (``archive.search.service._candidates``) is database work the other
does not depend on: a speaker's search on PostgreSQL at a million quotations spent 11 ms
reading quotations and 10 ms reading speeches, one after the other. Run side by side, on
two connections, the search waits for the longer of the two. Both databases run a query
without holding Python's lock (psycopg waits on its socket; ``sqlite3`` releases the lock
while SQLite steps), so the two reads use two cores.

The reads beside the request run in a small pool of threads per server process, each with
its own connections, kept open across requests as the request threads' are (checked and
replaced when unusable or past ``CONN_MAX_AGE``). When every such thread is busy, or the
request is inside a transaction (whose uncommitted rows another connection cannot see, as
in the test suite), both reads run in the request's thread, one after the other: the same
results either way. ``SEARCH_SIDE_READS`` (default 2, one per request thread of a
``make serve`` worker) is how many threads; 0 turns this off.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

from django.conf import settings
from django.db import connections

A = TypeVar("A")
B = TypeVar("B")

_executor: ThreadPoolExecutor | None = None
_idle: threading.Semaphore | None = None
_workers = 0  # how many threads _executor may start
_guard = threading.Lock()


def threads() -> int:
    """How many threads per process read beside requests (``SEARCH_SIDE_READS``)."""
    return max(0, int(getattr(settings, "SEARCH_SIDE_READS", 2)))


def _pool() -> tuple[ThreadPoolExecutor, threading.Semaphore] | None:
    global _executor, _idle, _workers
    size = threads()
    if not size:
        return None
    with _guard:
        if _executor is None:
            _workers = size
            # Made on first use, so a server that forks its workers makes one in each.
            _executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="search-side")
            _idle = threading.Semaphore(size)
        return _executor, _idle


def _in_transaction() -> bool:
    return any(c.in_atomic_block for c in connections.all(initialized_only=True))


def both(here: Callable[[], A], beside: Callable[[], B]) -> tuple[A, B]:
    """``(here(), beside())``, with ``beside`` run at once in another thread where it can
    be (see the module docstring), else after ``here``. ``beside`` runs in a copy of this
    thread's context, so it reads from the database this request reads from (a curator
    pinned to the primary stays there). An exception from either is raised here, and only
    once both have finished."""
    pool = None if _in_transaction() else _pool()
    if pool is None or not pool[1].acquire(blocking=False):
        return here(), beside()
    executor, idle = pool
    try:
        future = executor.submit(contextvars.copy_context().run, _read, beside)
    except RuntimeError:  # the pool is shutting down with the interpreter
        idle.release()
        return here(), beside()
    future.add_done_callback(lambda _: idle.release())
    try:
        first = here()
    except BaseException:
        # Waited for all the same: its connection must not be left in the middle of a read.
        wait([future])
        raise
    return first, future.result()


def _read(job: Callable[[], B]) -> B:
    # As Django does around each request: a connection that broke or outlived
    # CONN_MAX_AGE since this thread's last read is closed, and opened again on use.
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    return job()


def stop() -> None:
    """Close the reading threads' connections and end the threads (the next search that
    reads beside its request starts them again): for a test suite that drops its database,
    which PostgreSQL refuses while a connection to it is open."""
    global _executor, _idle
    with _guard:
        executor, workers = _executor, _workers
        _executor = _idle = None
    if executor is None:
        return
    # One job per thread: each closes its own connections (a connection belongs to the
    # thread that opened it), then waits at the barrier, so no thread takes two.
    barrier = threading.Barrier(workers)
    for _ in range(workers):
        executor.submit(_close_own, barrier)
    executor.shutdown(wait=True)


def _close_own(barrier: threading.Barrier) -> None:
    connections.close_all()
    barrier.wait(timeout=30)
