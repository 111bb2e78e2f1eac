"""``folded``: a text lookup that ignores case and accents, for the admin's search boxes.

Curators type names as a keyboard lets them: "bronte" for "Brontë", "Zurich" for "Zürich",
"SEAN" for "Seán". Django's ``icontains`` folds ASCII case only (on SQLite not even the
case of "Ë"). The public search folds accents in its index (migration 0026); the admin's
screens for records without an index (speakers, themes, events, sources, offices, pledges)
search with this lookup instead: ``search_fields = ("name__folded",)``.

Both sides are folded by the database with the same function, so what is typed and what is
stored cannot be folded differently: PostgreSQL's ``unaccent`` (the extension migration 0026
creates) then ``lower``; on SQLite ``archive_fold``, a Python function registered on each
connection (``register_sqlite_function``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Lookup

from archive.words import fold

SQLITE_FUNCTION = "archive_fold"


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: gives a new SQLite connection ``archive_fold``.

    Such a connection must never be used by two threads at once (Django's connections are
    per thread; its live server shares an in-memory test database's, which is why the
    tests use a file): one thread inside SQLite, holding the connection, would wait for
    Python's lock to run the function, held by another waiting for the connection.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)


class Folded(Lookup):
    """``field__folded=term``: the field's text contains ``term``, ignoring case and accents."""

    lookup_name = "folded"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        # The term's LIKE wildcards are escaped; the database folds it (see as_sql).
        return "%s", [connection.ops.prep_for_like_query(str(value))]

    def text_sql(self, lhs_sql: str, connection) -> str:
        """SQL for the field's value as text (a hook for fields that are not text)."""
        return lhs_sql

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        text = self.text_sql(lhs_sql, connection)
        if connection.vendor == "postgresql":
            folded, term = f"lower(unaccent({text}))", f"lower(unaccent({rhs_sql}))"
            sql = f"{folded} LIKE '%%' || {term} || '%%'"
        else:
            folded, term = f"{SQLITE_FUNCTION}({text})", f"{SQLITE_FUNCTION}({rhs_sql})"
            sql = f"{folded} LIKE '%%' || {term} || '%%' ESCAPE '\\'"
        return sql, [*lhs_params, *rhs_params]


class FoldedJSON(Folded):
    """``folded`` on a JSON list of names (a speaker's ``aliases``): its strings, decoded.

    SQLite stores JSON with non-ASCII letters escaped (``"Bront\\u00eb"``); ``json_each``
    gives them back as written. PostgreSQL's ``jsonb`` prints them as they are.
    """

    def text_sql(self, lhs_sql, connection):
        if connection.vendor == "postgresql":
            return f"({lhs_sql})::text"
        # The column's SQL, compiled by the ORM; no value is put in the SQL.
        return f"(SELECT group_concat(value, ' ') FROM json_each({lhs_sql}))"  # noqa: S608


def register() -> None:
    """Make ``folded`` available on text and JSON fields (called from the app's ``ready``)."""
    models.CharField.register_lookup(Folded)
    models.TextField.register_lookup(Folded)
    models.JSONField.register_lookup(FoldedJSON)
