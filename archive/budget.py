"""A time limit on a piece of database work, kept by the database itself.

A count that turns out to be cheap is best made at once, in the request that wants it; one
that turns out to take seconds is best left to the counting thread (``archive.background``).
Which it is cannot be told before counting, so the request tries, within what is left of
its budget, and gives up at the limit: SQLite stops the statement through its progress
handler, PostgreSQL through ``statement_timeout``. Work done in Python between statements
(reading a long result in chunks) calls ``check`` to stop at the same limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connections, router, transaction

from archive.models import Quote

_local = threading.local()
# SQLite virtual-machine steps between two looks at the clock: a few microseconds' work.
_SQLITE_STEPS = 10_000


class OverBudget(Exception):
    """The work in a ``time_limit`` block went past its limit and was stopped."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block's database reads with at most ``seconds`` of work; else ``OverBudget``.

    The block runs in a transaction of its own (a savepoint inside one), so a statement
    stopped part way leaves the connection as it was.
    """
    using = router.db_for_read(Quote)
    connection = connections[using]
    deadline = time.monotonic() + seconds
    outer = getattr(_local, "deadline", None)
    _local.deadline = deadline
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "sqlite":
                connection.ensure_connection()
                raw = connection.connection
                raw.set_progress_handler(lambda: time.monotonic() > deadline, _SQLITE_STEPS)
                try:
                    yield
                finally:
                    raw.set_progress_handler(None, 0)
            else:
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        # Local to this transaction: it ends with the block.
                        cursor.execute(
                            "SELECT set_config('statement_timeout', %s, true)",
                            [str(max(1, round(seconds * 1000)))],
                        )
                yield
    except OperationalError as error:
        if time.monotonic() >= deadline:
            raise OverBudget from error
        raise
    finally:
        _local.deadline = outer


def check() -> None:
    """Raise ``OverBudget`` if the enclosing ``time_limit`` has run out (else nothing)."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise OverBudget
