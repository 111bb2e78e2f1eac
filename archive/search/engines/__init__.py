"""One full-text engine per database; the connection's vendor picks it."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from archive.search.engines.base import MARK_END, MARK_START, Engine
from archive.search.engines.postgresql import PostgreSQLEngine
from archive.search.engines.sqlite import SQLiteEngine

ENGINES: dict[str, Engine] = {e.vendor: e for e in (SQLiteEngine(), PostgreSQLEngine())}

__all__ = ["ENGINES", "MARK_END", "MARK_START", "Engine", "engine_for"]


def engine_for(using: str = "default") -> Engine:
    """The engine for the database ``using`` (a connection alias)."""
    vendor = connections[using].vendor
    try:
        return ENGINES[vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Full-text search supports SQLite and PostgreSQL, not {vendor!r}."
        ) from None
