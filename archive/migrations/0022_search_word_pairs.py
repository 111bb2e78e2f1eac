"""On PostgreSQL, index each search document's word pairs, so that a phrase is checked only
on the records holding its words at the phrase's distances (see
``archive.search.reading.pairs_condition``).

``archive_word_pairs(document)`` lists, as lexemes of their own, each word with each word
one, two or three places after it ("unusu 2 manag" for "unusual for managers": the stop
word is not indexed, its place is). The pairs live in a GIN index on the document with its
pairs, not in the table: the rows stay the size they were, and what a search reads from
them does not change. Building the index reads every document: a few minutes at a million
quotations. SQLite is left as it is: FTS5 finds a phrase by its words' positions in its
own index.
"""

from django.db import migrations

TABLES = ("archive_quote_search", "archive_speech_search")

# A pair holds spaces, which no lexeme does, so no word of a search ever meets one. Places
# are matched exactly (a join on position + n), so two words at one place (a position
# PostgreSQL caps at 16,383) make no pair, as they make no phrase.
PAIRS_FUNCTION = """
CREATE FUNCTION archive_word_pairs(doc tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH placed AS (
        SELECT l.lexeme, p.pos FROM unnest(doc) AS l, unnest(l.positions) AS p(pos)
    )
    SELECT coalesce(
        array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || d.n || ' ' || b.lexeme)),
        ''::tsvector
    )
    FROM placed AS a
    CROSS JOIN generate_series(1, 3) AS d(n)
    JOIN placed AS b ON b.pos = a.pos + d.n
$$
"""


def index_pairs(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PAIRS_FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX {table}_pairs_gin ON {table} "
            "USING gin ((document || archive_word_pairs(document)))"
        )
        schema_editor.execute(f"ANALYZE {table}")  # the planner's view of the new index


def drop_pairs(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_pairs_gin")
    schema_editor.execute("DROP FUNCTION IF EXISTS archive_word_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("archive", "0021_forget_timelines_described_by_axis")]

    operations = [migrations.RunPython(index_pairs, drop_pairs)]
