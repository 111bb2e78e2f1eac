"""The full-text search index: FTS5 tables on SQLite, weighted tsvectors on PostgreSQL.

The same file serves both databases: the models are unmanaged (state only), and the tables
are created by SQL chosen by the connection's vendor. Records already in the database are
indexed by migration 0020, which makes the tables again with the filter tokens (the index is
written by today's code, which writes columns these tables do not have yet).
"""

import django.db.models.deletion
from django.db import migrations, models

# Porter stemming over Unicode words. Diacritics are kept, as PostgreSQL's "english"
# configuration keeps them, so both databases tokenise alike.
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 0"

TABLES = {
    "archive_quote_search": ["text", "context"],
    "archive_speech_search": ["title", "summary", "context", "body"],
}


def create_tables(apps, schema_editor):
    connection = schema_editor.connection
    statements = []
    for table, columns in TABLES.items():
        if connection.vendor == "sqlite":
            statements.append(
                f"CREATE VIRTUAL TABLE {table} USING fts5("
                f"{', '.join(columns)}, tokenize = '{FTS5_TOKENIZER}')"
            )
        elif connection.vendor == "postgresql":
            statements += [
                f"CREATE TABLE {table} (rowid bigint PRIMARY KEY, document tsvector NOT NULL)",
                f"CREATE INDEX {table}_document_gin ON {table} USING gin (document)",
            ]
    for statement in statements:
        schema_editor.execute(statement)


def drop_tables(apps, schema_editor):
    if schema_editor.connection.vendor in {"sqlite", "postgresql"}:
        for table in TABLES:
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0003_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuoteSearchEntry",
            fields=[
                (
                    "quote",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="archive.quote",
                    ),
                ),
            ],
            options={"db_table": "archive_quote_search", "managed": False},
        ),
        migrations.CreateModel(
            name="SpeechSearchEntry",
            fields=[
                (
                    "speech",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="archive.speech",
                    ),
                ),
            ],
            options={"db_table": "archive_speech_search", "managed": False},
        ),
        migrations.RunPython(create_tables, drop_tables),
    ]
