"""Search folds diacritics: "naive" finds "naïve", "cafe" finds "café", and the other way.

Quotations keep their letters as said; only the index compares them without accents, and
a matched word is highlighted as it is written. On SQLite the FTS5 tables are made again
with ``remove_diacritics 2``; on PostgreSQL the archive's text search configuration
(``archive_english``, PostgreSQL's "english" until now) passes words through ``unaccent``
before stemming. Either way the whole index is written again from the records
(``_search_index``): 4.6 minutes on PostgreSQL at a million quotations, with the word
pairs' index, under one on SQLite.

Going back writes the index again as it was, diacritics kept (on PostgreSQL the
configuration stays, mapped as "english" is, for the code before this migration to ignore).
"""

from django.db import migrations

from archive.migrations._search_index import index_again


def fold(apps, schema_editor):
    index_again(apps, schema_editor, fold=True)


def keep(apps, schema_editor):
    index_again(apps, schema_editor, fold=False)


class Migration(migrations.Migration):
    dependencies = [("archive", "0025_source_is_original")]

    operations = [migrations.RunPython(fold, keep)]
