"""Reads from a read replica when one is configured; every write to the primary.

``DATABASE_REPLICA_URL`` adds a ``replica`` database (see settings). The replica is a
streaming copy of the primary, so both hold the same rows and relations between objects
loaded from either are fine. Replication lags a little, so a request that writes, or a
curator who must see their own edits, is pinned to the primary with :func:`primary_only`
(``archive.middleware.PinToPrimaryMiddleware`` does this per request).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
# Logins, sessions and lockouts are read straight after they are written: keep them on the
# primary so a lagging replica never signs a curator out.
PRIMARY_APPS = frozenset({"sessions", "auth", "axes", "admin", "contenttypes"})

_pinned: ContextVar[bool] = ContextVar("archive_primary_only", default=False)


@contextmanager
def primary_only() -> Iterator[None]:
    """Send every read in this block to the primary (read-your-own-writes)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class ReplicaRouter:
    """Reads go to ``replica`` when it is configured and the caller is not pinned."""

    def db_for_read(self, model, **hints) -> str:
        if (
            _pinned.get()
            or REPLICA not in settings.DATABASES
            or model._meta.app_label in PRIMARY_APPS
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica mirrors the primary: an object read from one may point at the other's.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # Migrations run on the primary and reach the replica by replication.
        return db == DEFAULT_DB_ALIAS
