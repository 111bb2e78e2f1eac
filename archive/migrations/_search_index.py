"""Writing the whole search index again from the records, as migrations 0020 (filter tokens)
and 0026 (diacritics folded) do, and 0026 undone. The module starts with "_", so Django
does not take it for a migration.

On SQLite the FTS5 tables are made again (FTS5 can neither add a column nor change a
table's tokenizer); on PostgreSQL the text search configuration is set and the tables
emptied. The records are then indexed by today's code, into tables whose GIN indexes are
set aside and made again afterwards, as a restore does: rewriting every row in place left
the tables and their indexes twice their size, and phrase searches a third slower (at a
million quotations; VACUUM does not shrink them). The tables are locked until the
migration commits.
"""

# Porter stemming over Unicode words, with diacritics folded (2: also those of letters
# Unicode composes in more than one way) or kept (0, as migration 0004 made the tables).
FTS5_TOKENIZERS = {
    True: "porter unicode61 remove_diacritics 2",
    False: "porter unicode61 remove_diacritics 0",
}


def index_again(apps, schema_editor, *, fold: bool) -> None:
    """Write the index again, comparing letters without their diacritics (``fold``) or
    with them."""
    connection = schema_editor.connection
    if connection.vendor not in {"sqlite", "postgresql"}:
        return
    from archive.search.documents import QUOTE_DOCUMENT, SPEECH_DOCUMENT
    from archive.search.engines.postgresql import ensure_configuration
    from archive.search.indexing import gin_indexes_set_aside, rebuild

    specs = (QUOTE_DOCUMENT, SPEECH_DOCUMENT)
    for spec in specs:
        if connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS {spec.table}")
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {spec.table} USING fts5("
                f"{', '.join(spec.column_names)}, tokenize = '{FTS5_TOKENIZERS[fold]}')"
            )
        else:
            schema_editor.execute(f"TRUNCATE {spec.table}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            ensure_configuration(cursor, fold=fold)
    with gin_indexes_set_aside(using=connection.alias):
        rebuild(
            using=connection.alias,
            quote_model=apps.get_model("archive", "Quote"),
            speech_model=apps.get_model("archive", "Speech"),
        )
