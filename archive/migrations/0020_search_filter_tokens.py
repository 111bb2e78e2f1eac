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

from archive.migrations._search_index import index_again


def add_tokens(apps, schema_editor):
    # Diacritics kept, as migration 0004 declared the tables (0026 folds them).
    index_again(apps, schema_editor, fold=False)


class Migration(migrations.Migration):
    dependencies = [("archive", "0019_search_documents_inline")]

    operations = [migrations.RunPython(add_tokens, migrations.RunPython.noop)]
