"""Words too common to search for.

This is PostgreSQL's ``english`` stop list (the Snowball list it ships in
``tsearch_data/english.stop``). PostgreSQL drops these words from documents and queries;
SQLite's FTS5 keeps them. The query parser drops them from plain words on both databases so a
search like ``the`` behaves the same everywhere. Inside a quoted phrase they stay: FTS5 then
matches them exactly and PostgreSQL treats each as "any one word".
"""

_LIST = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
"""

ENGLISH_STOPWORDS = frozenset(_LIST.split())
