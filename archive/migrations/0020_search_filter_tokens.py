"""Search documents carry filter tokens: each record's speaker and themes as words of class D.

A search filtered by a speaker or a theme then matches the token with the words, so the
index intersects the two (see ``archive.search.documents``). On SQLite the FTS5 tables are
made again with a ``tags`` column (FTS5 cannot add one); on PostgreSQL the documents gain the
tokens. Either way the whole index is written again from the records: a few minutes at a
million quotations.

Going back leaves the index as it is: the code before this migration writes and reads the
columns it names, and class D, which it neither ranks by nor matches, does it no harm.
"""

from django.db import migrations

# As migration 0004 declared them: Porter stemming over Unicode words, diacritics kept.
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 0"


def add_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in {"sqlite", "postgresql"}:
        return
    from archive.search.documents import QUOTE_DOCUMENT, SPEECH_DOCUMENT
    from archive.search.indexing import rebuild

    specs = (QUOTE_DOCUMENT, SPEECH_DOCUMENT)
    if connection.vendor == "sqlite":
        for spec in specs:
            columns = ", ".join(spec.column_names)
            schema_editor.execute(f"DROP TABLE IF EXISTS {spec.table}")
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {spec.table} USING fts5("
                f"{columns}, tokenize = '{FTS5_TOKENIZER}')"
            )
    else:
        from archive.search.engines.postgresql import ensure_configuration

        # Today's code writes the documents, with its own text search configuration.
        with connection.cursor() as cursor:
            ensure_configuration(cursor)
        # Written into empty tables and indexed afterwards, as a restore does: rewriting
        # every row in place left the tables and their GIN indexes twice their size, and
        # phrase searches a third slower (at a million quotations; VACUUM does not shrink
        # them). The tables are locked until the migration commits.
        for spec in specs:
            schema_editor.execute(f"TRUNCATE {spec.table}")
            schema_editor.execute(f"DROP INDEX IF EXISTS {spec.table}_document_gin")
    rebuild(
        using=connection.alias,
        quote_model=apps.get_model("archive", "Quote"),
        speech_model=apps.get_model("archive", "Speech"),
    )
    if connection.vendor == "postgresql":
        for spec in specs:
            schema_editor.execute(
                f"CREATE INDEX {spec.table}_document_gin ON {spec.table} USING gin (document)"
            )


class Migration(migrations.Migration):
    dependencies = [("archive", "0019_search_documents_inline")]

    operations = [migrations.RunPython(add_tokens, migrations.RunPython.noop)]
