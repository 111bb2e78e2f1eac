"""Work a request starts but need not wait for: one counting thread per server process.

After a write, every stored count is out of date. The first reader to meet one gets the
previous figures at once and hands the recount to this thread, which stores the new figures
for the next reader (``archive.views.summaries``); with a budget set, so do pages whose
first counts go over it. So a write never has readers waiting for recounts, and the counts
a busy server makes at once are bounded by its processes, not by its readers.

One thread, because counting is CPU and database work: more threads per process would
only make each count slower. A bounded queue, because many counts can fall due at once;
beyond ``ARCHIVE_BACKGROUND_QUEUE`` waiting jobs, new ones are refused (``submit`` gives
False) and asked for again by a later request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_executor: ThreadPoolExecutor | None = None
_guard = threading.Lock()
_waiting = 0  # jobs submitted and not yet finished


def enabled() -> bool:
    """Whether slow summaries are counted in the background (``ARCHIVE_BACKGROUND_COUNTS``).

    Off in the test suite, whose database changes are uncommitted and so invisible to another
    thread's connection; tests/pages/test_background_counts.py turns it on over committed
    data.
    """
    return bool(getattr(settings, "ARCHIVE_BACKGROUND_COUNTS", True))


def _limit() -> int:
    return int(getattr(settings, "ARCHIVE_BACKGROUND_QUEUE", 32))


def submit(job: Callable[[], object]) -> bool:
    """Run ``job`` in this process's counting thread; False if too many are waiting.

    The job runs with database connections of its own, closed when it ends. Nobody waits
    for it, so its exception, if any, is logged.
    """
    global _executor, _waiting
    with _guard:
        if _waiting >= _limit():
            return False
        if _executor is None:
            # Made on first use, so a server that forks its workers starts one in each.
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-counts")
        _waiting += 1
    _executor.submit(_run, job)
    return True


def _run(job: Callable[[], object]) -> None:
    global _waiting
    try:
        job()
    except Exception:
        logger.exception("A background count failed")
    finally:
        connections.close_all()  # this thread's own connections
        with _guard:
            _waiting -= 1


def drain(timeout: float = 600) -> bool:
    """Wait until this process's counting thread has nothing left to do (at most
    ``timeout`` seconds); whether it has finished."""
    deadline = time.monotonic() + timeout
    while _waiting and time.monotonic() < deadline:
        time.sleep(0.01)
    return not _waiting
