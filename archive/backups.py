"""Backups: the whole archive in one file that any of its databases can load again.

A backup is two files side by side in ``var/backups/`` (or wherever ``--output`` says):

- ``archive-<UTC time>-<migration>.json.gz``: Django's JSON serialization (what ``dumpdata``
  writes, so ``loaddata`` reads it) of every record, every history row, the users and groups
  and the admin's action log. References to content types and permissions are written as
  natural keys (``["archive", "speech"]``), so the file does not depend on the numbering of
  those rows in the database it came from. Times keep their microseconds.
- ``archive-<UTC time>-<migration>.manifest.json``: the format version, the migrations the
  database had, the number of rows of each model, and the dump's size and SHA-256.

Left out on purpose: the search index (derived; rebuilt on restore), sessions (signing
everyone out is the safe outcome of a restore), django-axes' login attempts (short-lived
throttling state), content types and permissions (recreated by ``migrate``).

A restore checks the manifest (the file is whole, the schema is the same), then in one
transaction empties the database (``flush``), loads the dump, checks every count against the
manifest and rebuilds the search index: if anything fails, the database is left as it was.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

FORMAT = "health-policy-archive-backup"
FORMAT_VERSION = 1
DUMP_SUFFIX = ".json.gz"
MANIFEST_SUFFIX = ".manifest.json"

#: Apps whose models are backed up, and whose migrations must match for a restore.
APPS = ("auth", "archive", "admin")
SCHEMA_APPS = ("contenttypes", "auth", "archive", "admin")
#: Models of those apps that are not backed up (see the module docstring).
LEFT_OUT = frozenset(
    {
        "auth.permission",
        "archive.quotesearchentry",
        "archive.speechsearchentry",
        "archive.storedsummary",  # counts made from the records, made again after a restore
        "archive.datedtag",  # the tags in date order: the database's triggers refill it on load
    }
)


class BackupError(Exception):
    """A backup cannot be written, or a file cannot be restored; the message says why."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, without cutting times to milliseconds: nothing is lost."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


@dataclass(frozen=True)
class Backup:
    """A backup on disk: the dump and its manifest."""

    dump: Path
    manifest: Path

    @classmethod
    def at(cls, path: str | Path) -> Backup:
        """The backup whose dump (or manifest) is at ``path``."""
        path = Path(path)
        name = path.name
        for suffix in (DUMP_SUFFIX, MANIFEST_SUFFIX):
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                return cls(
                    path.with_name(stem + DUMP_SUFFIX), path.with_name(stem + MANIFEST_SUFFIX)
                )
        raise BackupError(f"{path} is not a backup: its name must end in {DUMP_SUFFIX}.")

    def read_manifest(self) -> dict:
        if not self.dump.is_file():
            raise BackupError(f"There is no backup file at {self.dump}.")
        try:
            manifest = json.loads(self.manifest.read_text("utf-8"))
        except FileNotFoundError:
            raise BackupError(
                f"The manifest {self.manifest.name} is missing: without it the backup "
                "cannot be checked, so it is not restored."
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise BackupError(f"The manifest {self.manifest.name} is damaged.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{self.manifest.name} is not a Health Policy Archive manifest.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"This backup has format version {manifest.get('format_version')}; this "
                f"version of the archive reads version {FORMAT_VERSION}."
            )
        return manifest


# --- what is in a backup ----------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """The models a backup holds, in an order ``loaddata`` can load them in."""
    app_list = []
    for label in APPS:
        app_config = apps.get_app_config(label)
        chosen = [
            model
            for model in app_config.get_models()
            if model._meta.label_lower not in LEFT_OUT
            and not model._meta.proxy
            and model._meta.managed
        ]
        app_list.append((app_config, chosen))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def applied_migrations(using: str) -> dict[str, list[str]]:
    """The migrations recorded as applied, per app of the schema a backup depends on."""
    applied: dict[str, list[str]] = {label: [] for label in SCHEMA_APPS}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        if app_label in applied:
            applied[app_label].append(name)
    return {label: sorted(names) for label, names in applied.items()}


def migration_head(migrations: dict[str, list[str]]) -> str:
    """The archive app's latest migration, e.g. ``0006_speech_quote_version``."""
    names = migrations.get("archive") or []
    if not names:
        raise BackupError("The archive's tables have not been created: run `manage.py migrate`.")
    return max(names)


def row_counts(using: str) -> dict[str, int]:
    """Rows of every backed-up model now in the database."""
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in backed_up_models()
    }


# --- writing a backup -----------------------------------------------------------------------


@contextmanager
def consistent_snapshot(using: str):
    """Read everything as of one moment, without stopping curators from saving.

    PostgreSQL: one REPEATABLE READ, READ ONLY transaction. SQLite: one deferred read
    transaction (in WAL mode a snapshot that does not block writers).
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield  # a caller's transaction already gives one view of the data
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic(using=using):
            yield


def write_backup(directory: Path, *, using: str = "default", now: dt.datetime | None = None):
    """Write a backup of database ``using`` into ``directory``; return it and its manifest.

    Both files are written under temporary names and renamed when complete, so a backup
    that fails halfway leaves no file that looks whole.
    """
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    with consistent_snapshot(using):
        migrations = applied_migrations(using)
        head = migration_head(migrations)
        backup = _new_backup_path(directory, now, head)
        partial = backup.dump.with_name("." + backup.dump.name + ".partial")
        try:
            # mtime=0: the same data gives the same bytes, whenever it is written.
            with (
                open(partial, "wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped,
                _text(zipped) as text,
            ):
                serializers.serialize(
                    "json",
                    _objects(using, counts),
                    stream=text,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=False,
                    cls=ExactJSONEncoder,
                    indent=None,
                    ensure_ascii=False,
                )
                text.flush()
                raw.flush()
                os.fsync(raw.fileno())
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "dump": backup.dump.name,
        "bytes": partial.stat().st_size,
        "sha256": _sha256(partial),
        "database": connections[using].vendor,
        "django": django.get_version(),
        "migration_head": head,
        "migrations": migrations,
        "counts": {
            model._meta.label_lower: counts[model._meta.label_lower] for model in backed_up_models()
        },
    }
    _write_atomically(backup.manifest, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.replace(partial, backup.dump)
    return backup, manifest


def _new_backup_path(directory: Path, now: dt.datetime, head: str) -> Backup:
    """``archive-20250101T120000Z-0006_name``; a second backup in the same second gets -2."""
    timestamp = f"{now:%Y%m%dT%H%M%SZ}"
    for n in range(1, 1000):
        stem = f"archive-{timestamp}{'' if n == 1 else f'-{n}'}-{head}"
        backup = Backup(directory / (stem + DUMP_SUFFIX), directory / (stem + MANIFEST_SUFFIX))
        if not backup.dump.exists() and not backup.manifest.exists():
            return backup
    raise BackupError(f"Too many backups in {directory} named for {timestamp}.")


@contextmanager
def _text(binary):
    import io

    wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
    try:
        yield wrapper
    finally:
        wrapper.flush()
        wrapper.detach()


def _objects(using: str, counts: Counter) -> Iterator[models.Model]:
    for model in backed_up_models():
        label = model._meta.label_lower
        rows = model._base_manager.using(using).order_by(model._meta.pk.name)
        for obj in rows.iterator(chunk_size=2000):
            counts[label] += 1
            yield obj


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomically(path: Path, content: str) -> None:
    partial = path.with_name("." + path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


# --- restoring a backup ---------------------------------------------------------------------


def check_backup(backup: Backup, *, using: str = "default") -> dict:
    """Everything that can be checked before touching the database; returns the manifest.

    Raises ``BackupError`` for a missing, damaged or truncated file, or a backup made with
    a different database schema than this database has.
    """
    manifest = backup.read_manifest()
    size = backup.dump.stat().st_size
    if size != manifest.get("bytes") or _sha256(backup.dump) != manifest.get("sha256"):
        raise BackupError(
            f"{backup.dump.name} is damaged or incomplete: it does not match the size and "
            "checksum its manifest recorded. Nothing was restored."
        )
    here = applied_migrations(using)
    release = release_migrations(using)
    # The records are loaded through this release's models, so the database must have this
    # release's tables: one migrated back to an older backup's point lacks their new
    # columns, and the load failed half-way with a database error.
    if here != release:
        at = migration_head(here) if here.get("archive") else "none"
        raise BackupError(
            f"This database is at migration {at}, "
            f"not at this release's {migration_head(release)}: run `manage.py migrate` "
            "first (`make restore` does), then restore."
        )
    there = manifest.get("migrations", {})
    if any(release.get(label, []) != there.get(label, []) for label in SCHEMA_APPS):
        made_at = manifest.get("migration_head")
        older = all(set(there.get(label, [])) <= set(release[label]) for label in SCHEMA_APPS)
        raise BackupError(
            f"This backup was made at migration {made_at}, by "
            f"{'an earlier' if older else 'another'} release; this one is at "
            f"{migration_head(release)}. Restore it with the release that made it (its "
            f"migrations end at {made_at}), then "
            + (
                "upgrade that database with this release's `manage.py migrate`."
                if older
                else "make a backup with this release from that database once it is upgraded."
            )
        )
    return manifest


def release_migrations(using: str) -> dict[str, list[str]]:
    """The migrations this release's code holds, per app of the schema a backup depends on:
    what ``applied_migrations`` gives once ``migrate`` has run."""
    graph = MigrationLoader(connections[using], ignore_no_migrations=True).graph
    names: dict[str, list[str]] = {label: [] for label in SCHEMA_APPS}
    for app_label, name in graph.nodes:
        if app_label in names:
            names[app_label].append(name)
    return {label: sorted(found) for label, found in names.items()}


def restore_backup(backup: Backup, *, using: str = "default") -> dict[str, int]:
    """Replace everything in database ``using`` with the backup; return the rows restored.

    One transaction: the flush, the load, the count check and the search index rebuild all
    happen, or none does.
    """
    from archive.search import rebuild_index

    manifest = check_backup(backup, using=using)
    expected = {label: int(n) for label, n in manifest["counts"].items()}
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            # TRUNCATE refuses to run while deferred checks of earlier writes in the same
            # transaction are pending; settle them first, then defer again for the load.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", database=using, interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # flush re-created the content types under new ids; forget the old ones.
        ContentType.objects.clear_cache()
        # The history comes from the backup: loading must not add rows of its own (setting
        # a quote's themes would otherwise record a "changed" version of every quote).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(backup.dump), database=using, verbosity=0)
        found = row_counts(using)
        wrong = {
            label: (expected.get(label, 0), found.get(label, 0))
            for label in set(expected) | set(found)
            if expected.get(label, 0) != found.get(label, 0)
        }
        if wrong:
            details = ", ".join(
                f"{label}: {n} expected, {m} loaded" for label, (n, m) in sorted(wrong.items())
            )
            raise BackupError(
                f"The restore did not load what the manifest lists ({details}); "
                "nothing was changed."
            )
        rebuild_index(using=using)
    return found
