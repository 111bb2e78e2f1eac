"""Search folds diacritics: "naive" finds "naïve", "cafe" finds "café", and the other way.

Quotations keep their letters as said; only the index compares them without accents, and
a matched word is highlighted as it is written. On SQLite the FTS5 tables are made again
with ``remove_diacritics 2`` (FTS5 cannot change a table's tokenizer); on PostgreSQL the
archive's text search configuration (``archive_english``, PostgreSQL's "english" until
now) passes words through ``unaccent`` before stemming. Either way the whole index is
written again from the records: a few minutes at a million quotations.

Going back writes the index again as it was, diacritics kept (on PostgreSQL the
configuration stays, mapped as "english" is, for the code before this migration to ignore).
"""

from django.db import migrations

# Porter stemming over Unicode words, with diacritics folded (2: also those of letters
# Unicode composes in more than one way) or kept (0, as migrations 0004 and 0020 made it).
TOKENIZERS = {
    True: "porter unicode61 remove_diacritics 2",
    False: "porter unicode61 remove_diacritics 0",
}


def _index_again(apps, schema_editor, *, fold: bool) -> None:
    connection = schema_editor.connection
    if connection.vendor not in {"sqlite", "postgresql"}:
        return
    from archive.search.documents import QUOTE_DOCUMENT, SPEECH_DOCUMENT
    from archive.search.engines.postgresql import ensure_configuration
    from archive.search.indexing import gin_indexes_set_aside, rebuild

    specs = (QUOTE_DOCUMENT, SPEECH_DOCUMENT)
    if connection.vendor == "sqlite":
        for spec in specs:
            columns = ", ".join(spec.column_names)
            schema_editor.execute(f"DROP TABLE IF EXISTS {spec.table}")
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {spec.table} USING fts5("
                f"{columns}, tokenize = '{TOKENIZERS[fold]}')"
            )
    else:
        with connection.cursor() as cursor:
            ensure_configuration(cursor, fold=fold)
        # Written into empty tables with their GIN indexes set aside, as migration 0020
        # does: rewriting every row in place doubles the tables and their indexes.
        for spec in specs:
            schema_editor.execute(f"TRUNCATE {spec.table}")
    with gin_indexes_set_aside(using=connection.alias):
        rebuild(
            using=connection.alias,
            quote_model=apps.get_model("archive", "Quote"),
            speech_model=apps.get_model("archive", "Speech"),
        )


def fold(apps, schema_editor):
    _index_again(apps, schema_editor, fold=True)


def keep(apps, schema_editor):
    _index_again(apps, schema_editor, fold=False)


class Migration(migrations.Migration):
    dependencies = [("archive", "0025_source_is_original")]

    operations = [migrations.RunPython(fold, keep)]
