"""Generated archives kept under ``var/bench/`` so a second ``make bench`` starts at once.

A million quotes take minutes to generate and index. The result is kept, keyed by the number
of quotes, the seed, and a digest of what shapes the data: the generator, the search index
code and the installed packages. Change any of them and the next run builds afresh.

Migrations are not part of the key: a cached archive is brought up to date with ``migrate``
before it is measured, as a production database is when a release adds an index or a column.

SQLite archives are kept as the database file itself. PostgreSQL archives are kept as a
``pg_dump`` archive and restored into the (empty, throwaway) database the benchmark is given.
Every step runs in a subprocess so the benchmark's own process configures Django only once,
for the database it measures.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SHAPING_SOURCES = (
    "archive/bench/synthetic.py",
    "archive/bench/text.py",
    "archive/bench/bulkload.py",
    "archive/management/commands/generate_archive.py",
    "archive/management/commands/rebuild_search_index.py",
    # What writes the search index (not what queries it: tuning a query must not cost a
    # rebuild of a million-quote archive).
    "archive/search/documents.py",
    "archive/search/indexing.py",
    "archive/search/models.py",
    "archive/search/stopwords.py",
    "archive/search/engines/*.py",
)


class CacheError(RuntimeError):
    """A database could not be built or restored."""


def cache_key(quotes: int, seed: int) -> str:
    """A name for this archive: its size, seed, and a digest of what shapes the database."""
    digest = hashlib.sha256()
    for pattern in SHAPING_SOURCES:
        for path in sorted(BASE_DIR.glob(pattern)):
            digest.update(str(path.relative_to(BASE_DIR)).encode())
            digest.update(path.read_bytes())
    # A set: the project's own metadata is found once or twice depending on how Python was
    # started (``-m`` puts the checkout on the path beside its installed copy).
    packages = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()})
    digest.update("\n".join(packages).encode())
    return f"q{quotes}-s{seed}-{digest.hexdigest()[:12]}"


def forget_older(cache_dir: Path, prefix: str, keep: Path) -> None:
    """Delete archives of the same size and seed built by older code: they only take space."""
    for path in cache_dir.glob(f"{prefix}*"):
        if not path.name.startswith(keep.name):
            path.unlink(missing_ok=True)


def manage(*args: str, database_url: str) -> None:
    """Run a management command against ``database_url``; raise with its output on failure."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    completed = subprocess.run(command, env=env, cwd=BASE_DIR, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise CacheError(f"{' '.join(args)} failed (exit {completed.returncode}).")


def sqlite_archive(*, quotes: int, seed: int, cache_dir: Path, say=print) -> Path:
    """The path of a generated SQLite archive, building it if it is not cached yet."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"sqlite-{cache_key(quotes, seed)}.sqlite3"
    if path.exists():
        say(f"Using the cached SQLite archive {path}")
        manage("migrate", "--noinput", "-v0", database_url=f"sqlite:///{path}")
        return path
    forget_older(cache_dir, f"sqlite-q{quotes}-s{seed}-", keep=path)
    building = path.with_suffix(".building")
    url = f"sqlite:///{building}"
    say(f"Building a SQLite archive of {quotes} quotes (seed {seed}) in {building}")
    manage("migrate", "--noinput", "-v0", database_url=url)
    manage("generate_archive", "--quotes", str(quotes), "--seed", str(seed), database_url=url)
    building.replace(path)
    return path


def _pg_tool(name: str) -> str:
    """A PostgreSQL client program matching the server scripts/pg-throwaway starts."""
    pgbin = os.environ.get("PGBIN")
    if not pgbin:
        candidates = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
        )
        pgbin = str(candidates[-1]) if candidates else ""
    tool = Path(pgbin) / name
    return str(tool) if tool.exists() else name


def _psql(url: str, sql: str) -> str:
    completed = subprocess.run(  # noqa: S603
        [_pg_tool("psql"), url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise CacheError(f"psql failed: {completed.stderr.strip()}")
    return completed.stdout.strip()


def postgresql_archive(
    *, quotes: int, seed: int, cache_dir: Path, database_url: str, say=print
) -> None:
    """Fill the empty PostgreSQL database at ``database_url`` from the cache or afresh."""
    if _psql(database_url, "SELECT to_regclass('django_migrations') IS NOT NULL") == "t":
        raise CacheError(
            "The PostgreSQL database is not empty. The benchmark needs an empty database: "
            "run it under scripts/pg-throwaway."
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    dump = cache_dir / f"postgresql-{cache_key(quotes, seed)}.dump"
    if dump.exists():
        say(f"Restoring the cached PostgreSQL archive {dump}")
        completed = subprocess.run(  # noqa: S603
            [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--jobs=2"]
            + ["--dbname", database_url, str(dump)],
            check=False,
        )
        if completed.returncode != 0:
            raise CacheError(f"pg_restore of {dump} failed.")
        manage("migrate", "--noinput", "-v0", database_url=database_url)
    else:
        forget_older(cache_dir, f"postgresql-q{quotes}-s{seed}-", keep=dump)
        say(f"Building a PostgreSQL archive of {quotes} quotes (seed {seed})")
        manage("migrate", "--noinput", "-v0", database_url=database_url)
        manage(
            "generate_archive",
            "--quotes",
            str(quotes),
            "--seed",
            str(seed),
            database_url=database_url,
        )
        building = dump.with_suffix(".building")
        completed = subprocess.run(  # noqa: S603
            [_pg_tool("pg_dump"), "--format=custom", "--compress=1", "--file", str(building)]
            + [database_url],
            check=False,
        )
        if completed.returncode != 0:
            raise CacheError("pg_dump failed.")
        building.replace(dump)
    # Fresh statistics and a visibility map: what a database that has been running a while
    # has, and what the planner needs to choose index scans on a million rows.
    _psql(database_url, "VACUUM ANALYZE")


def point_at_archive(database: str, *, quotes: int, seed: int, cache_dir: Path) -> None:
    """Point ``DATABASE_URL`` at a generated archive of the requested size on ``database``
    ("sqlite": a cached file; "postgresql": restored into the empty database DATABASE_URL
    names, as under ``scripts/pg-throwaway``)."""
    if database == "sqlite":
        path = sqlite_archive(quotes=quotes, seed=seed, cache_dir=cache_dir)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise CacheError(
            "--database postgresql needs DATABASE_URL to name an empty PostgreSQL database; "
            "run it under scripts/pg-throwaway."
        )
    postgresql_archive(quotes=quotes, seed=seed, cache_dir=cache_dir, database_url=url)
