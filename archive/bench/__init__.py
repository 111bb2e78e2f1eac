"""Speed at scale: a synthetic archive generator, bulk loading, and the page benchmark.

``text`` writes plausible health-policy English, ``synthetic`` decides the archive's shape,
``bulkload`` writes rows fast on SQLite and PostgreSQL, ``pages`` names what is measured,
``measure`` times it through the full middleware stack, ``cache`` keeps generated databases
under ``var/bench/`` and ``report`` prints the table and writes ``var/bench.json``.
Run it with ``python -m archive.bench`` (``make bench``) and ``make loadtest``.
"""
