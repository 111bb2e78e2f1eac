"""Backups: complete, checked before use, restored all or nothing, portable between databases.

The round trip runs the real commands in subprocesses, each with its own ``DATABASE_URL``:
SQLite → PostgreSQL → SQLite, and nothing may be lost on the way (records, history, users,
groups, permissions, the admin log, exact times). It needs a PostgreSQL server and is skipped
without one; ``make test`` runs the suite under ``scripts/pg-throwaway``, which provides it.
The other tests run in-process on whichever database the suite uses.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder

from archive.backups import Backup, row_counts, write_backup
from archive.models import DatedTag, Quote, Speech
from tests.factories import make_speech

ROOT = Path(settings.BASE_DIR)

# Fills a fresh database with everything a backup must carry: the seed archive and its
# history, users in both roles and a superuser, a direct permission, an edit with its
# author, themes changed (many-to-many history), a deleted speech, an admin log entry, and
# words with emoji, right-to-left marks and combining accents.
POPULATE = r"""
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from archive.models import Quote, Speech, Theme
from archive.services import delete_speech, record_missing_history

call_command("loaddata", "archive", verbosity=0)
record_missing_history()
carol = User.objects.create_user("carol", "carol@example.org", "pw-carol-12345678", is_staff=True)
carol.groups.add(Group.objects.get(name="Curators"))
eddie = User.objects.create_user("eddie", "", "pw-eddie-12345678", is_staff=True)
eddie.groups.add(Group.objects.get(name="Editors"))
eddie.user_permissions.add(Permission.objects.get(codename="view_logentry"))
User.objects.create_superuser("root", "root@example.org", "pw-root-12345678")
quote = Quote.objects.order_by("pk").first()
quote._history_user = carol
quote.attribution = "the health secretary \U0001fa7a \u202eRTL\u202c e\u0301"
quote.save()
quote.themes.set(Theme.objects.order_by("pk")[:2])
delete_speech(Speech.objects.order_by("-pk").first(), by=eddie)
LogEntry.objects.create(
    user=eddie,
    content_type=ContentType.objects.get_for_model(Quote),
    object_id=str(quote.pk),
    object_repr=str(quote)[:200],
    action_flag=CHANGE,
    change_message="[]",
)
"""

# What a person would check after a restore, printed as JSON to compare between databases.
FACTS = r"""
import json
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from archive import search
from archive.models import Quote, Speech
from archive.services import deleted_speeches

quote = Quote.objects.order_by("pk").first()
print(json.dumps({
    "passwords": {
        name: User.objects.get(username=name).check_password(f"pw-{name}-12345678")
        for name in ("carol", "eddie", "root")
    },
    "groups": {
        u.username: sorted(u.groups.values_list("name", flat=True)) for u in User.objects.all()
    },
    "eddie_publishes": User.objects.get(username="eddie").has_perm("archive.publish_speech"),
    "eddie_reads_log": User.objects.get(username="eddie").has_perm("admin.view_logentry"),
    "carol_publishes": User.objects.get(username="carol").has_perm("archive.publish_speech"),
    "root_is_superuser": User.objects.get(username="root").is_superuser,
    "group_permissions": {
        g.name: sorted(g.permissions.values_list("codename", flat=True))
        for g in Group.objects.all()
    },
    "attribution": quote.attribution,
    "themes": sorted(quote.themes.values_list("slug", flat=True)),
    "quote_history": [
        [
            r.history_date.isoformat(),
            r.history_type,
            r.history_user.username if r.history_user else None,
            sorted(t.theme_id for t in r.themes.all()),
        ]
        for r in quote.history.order_by("history_date", "history_id")
    ],
    "deleted": [(d.title, d.deleted_by, d.quote_count) for d in deleted_speeches().speeches],
    "log": [(e.user.username, e.content_type.model, e.object_id) for e in LogEntry.objects.all()],
    "search": list(
        search.filter_queryset(Quote.objects.all(), "commissioning").values_list("pk", flat=True)
    ),
    "speeches": list(Speech.objects.order_by("pk").values_list("slug", "version")),
}, sort_keys=True))
"""


def _manage(database_url: str, var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PRODUCTION", "SECRET_KEY"}}
    env.update(DATABASE_URL=database_url, VAR_DIR=str(var_dir))
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
    return result


def _facts(database_url: str, var_dir: Path) -> str:
    """The FACTS script's JSON line (the shell may print a line of its own first)."""
    return _manage(database_url, var_dir, "shell", "-c", FACTS).stdout.strip().splitlines()[-1]


def _backup(database_url: str, var_dir: Path, output: Path) -> Path:
    _manage(database_url, var_dir, "backup_archive", "--output", str(output))
    (dump,) = output.glob("*.json.gz")
    return dump


def _objects(dump: Path) -> list[dict]:
    with gzip.open(dump, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _manifest(dump: Path) -> dict:
    return json.loads(Backup.at(dump).manifest.read_text("utf-8"))


@pytest.fixture
def postgres_database():
    """A fresh, empty database on the PostgreSQL server of the test run; dropped after."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip(
            "the SQLite → PostgreSQL → SQLite round trip needs a PostgreSQL server: run under "
            "scripts/pg-throwaway (make test does), which sets DATABASE_URL"
        )
    import psycopg
    from psycopg import sql

    name = f"roundtrip_{uuid.uuid4().hex[:12]}"
    base, _, _ = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.mark.postgresql
def test_a_round_trip_sqlite_postgresql_sqlite_loses_nothing(tmp_path, postgres_database):
    first, last = (
        f"sqlite:///{tmp_path / 'first.sqlite3'}",
        f"sqlite:///{tmp_path / 'last.sqlite3'}",
    )
    for url in (first, postgres_database, last):
        _manage(url, tmp_path, "migrate", "--noinput", "-v0")
    _manage(first, tmp_path, "shell", "-c", POPULATE)
    facts = _facts(first, tmp_path)

    from_sqlite = _backup(first, tmp_path, tmp_path / "1")
    _manage(postgres_database, tmp_path, "restore_archive", "--noinput", str(from_sqlite))
    assert _facts(postgres_database, tmp_path) == facts
    from_postgresql = _backup(postgres_database, tmp_path, tmp_path / "2")
    _manage(last, tmp_path, "restore_archive", "--noinput", str(from_postgresql))
    assert _facts(last, tmp_path) == facts
    back_on_sqlite = _backup(last, tmp_path, tmp_path / "3")

    # Every row, field for field, the same after two restores on two kinds of database.
    objects = _objects(from_sqlite)
    assert _objects(from_postgresql) == objects
    assert _objects(back_on_sqlite) == objects
    counts = _manifest(from_sqlite)["counts"]
    assert _manifest(back_on_sqlite)["counts"] == counts
    assert _manifest(from_postgresql)["database"] == "postgresql"
    # …and what was carried is what matters.
    assert counts["auth.user"] == 3
    assert counts["auth.group"] == 2
    assert counts["archive.quote"] > 0 and counts["archive.speech"] > 0
    assert counts["archive.historicalquote"] > counts["archive.quote"]  # edits and deletions
    assert counts["archive.historicalquote_themes"] > 0
    assert counts["admin.logentry"] == 1
    facts = json.loads(facts)
    assert all(facts["passwords"].values())
    assert facts["groups"]["carol"] == ["Curators"]
    assert facts["eddie_publishes"] and facts["eddie_reads_log"] and not facts["carol_publishes"]
    assert facts["deleted"] and facts["search"]
    # Times keep their microseconds (Django's own JSON encoder would cut them to milliseconds).
    assert any(re.search(r"\.\d{6}\+00:00$", row[0]) for row in facts["quote_history"])


# --- in-process: what a backup holds, and how a restore refuses or succeeds ---------------


@pytest.fixture
def archive_with_users(seed, roles):
    from tests.security.conftest import make_user

    make_user("carol", "Curators")
    make_user("eddie", "Editors")


def test_a_backup_lists_every_row_in_its_manifest(archive_with_users, tmp_path):
    backup, manifest = write_backup(tmp_path)
    assert backup.dump.name.startswith("archive-")
    assert backup.dump.name.endswith(f"-{manifest['migration_head']}.json.gz")
    assert manifest["counts"] == row_counts("default")
    objects = _objects(backup.dump)
    assert len(objects) == sum(manifest["counts"].values())
    groups = {o["fields"]["name"]: o["fields"] for o in objects if o["model"] == "auth.group"}
    # Permissions by natural key: independent of the numbering in this database.
    assert ["publish_speech", "archive", "speech"] in groups["Editors"]["permissions"]
    assert not any(o["model"] in ("contenttypes.contenttype", "sessions.session") for o in objects)


def test_restore_puts_the_archive_back_exactly_as_it_was(archive_with_users, tmp_path, client):
    backup, manifest = write_backup(tmp_path)
    before = _objects(backup.dump)
    # Life goes on after the backup: a speech added, a quote deleted, a user removed.
    make_speech(title="Written after the backup")
    Quote.objects.order_by("pk").first().delete()
    User.objects.get(username="carol").delete()
    client.force_login(User.objects.get(username="eddie"))
    assert Session.objects.exists()

    call_command("restore_archive", str(backup.dump), "--noinput", verbosity=0)

    assert row_counts("default") == manifest["counts"]
    again, _ = write_backup(tmp_path / "again")
    assert _objects(again.dump) == before
    assert not Speech.objects.filter(title="Written after the backup").exists()
    assert User.objects.get(username="carol").groups.get().name == "Curators"
    assert not Session.objects.exists()  # everyone signs in again
    # Not in the backup: the tags in date order are made again by the database as it loads.
    dated = Quote.themes.through.objects.values_list(
        "id", "theme_id", "quote__speaker_id", "quote__speech__date"
    )
    assert set(DatedTag.objects.values_list("id", "theme_id", "speaker_id", "date")) == set(dated)
    assert dated.exists()


def _speech_count_unchanged_after(restore) -> str:
    """Run a restore that must be refused; check the database is as it was; the message."""
    make_speech(title="Written after the backup")
    before = row_counts("default")
    with pytest.raises(CommandError) as refused:
        restore()
    assert row_counts("default") == before
    return str(refused.value)


def test_a_truncated_or_corrupted_backup_is_refused_and_nothing_changes(
    archive_with_users, tmp_path
):
    backup, _ = write_backup(tmp_path)
    data = backup.dump.read_bytes()

    backup.dump.write_bytes(data[: len(data) // 2])
    message = _speech_count_unchanged_after(
        lambda: call_command("restore_archive", str(backup.dump), "--noinput")
    )
    assert "damaged or incomplete" in message

    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0xFF
    backup.dump.write_bytes(bytes(flipped))
    message = _speech_count_unchanged_after(
        lambda: call_command("restore_archive", str(backup.dump), "--noinput")
    )
    assert "damaged or incomplete" in message


def test_a_backup_without_its_manifest_is_refused(archive_with_users, tmp_path):
    backup, _ = write_backup(tmp_path)
    backup.manifest.unlink()
    message = _speech_count_unchanged_after(
        lambda: call_command("restore_archive", str(backup.dump), "--noinput")
    )
    assert "manifest" in message and "missing" in message


def test_a_backup_from_another_migration_is_refused_with_what_to_do(archive_with_users, tmp_path):
    backup, manifest = write_backup(tmp_path)
    manifest["migrations"]["archive"] = manifest["migrations"]["archive"][:-1]
    manifest["migration_head"] = manifest["migrations"]["archive"][-1]
    backup.manifest.write_text(json.dumps(manifest))
    message = _speech_count_unchanged_after(
        lambda: call_command("restore_archive", str(backup.dump), "--noinput")
    )
    assert f"made at migration {manifest['migration_head']}, by an earlier release" in message
    assert "Restore it with the release that made it" in message
    assert "upgrade that database with this release's `manage.py migrate`" in message


def test_a_database_migrated_back_is_refused_before_anything_is_loaded(
    archive_with_users, tmp_path
):
    # Following the old advice (migrate back to the backup's point, then restore) failed
    # half-way: the records load through this release's models, whose columns it lacks.
    backup, _ = write_backup(tmp_path)
    latest = MigrationRecorder.Migration.objects.filter(app="archive").order_by("-name")[0]
    latest.delete()  # as the database says after `migrate archive <the one before>`
    message = _speech_count_unchanged_after(
        lambda: call_command("restore_archive", str(backup.dump), "--noinput")
    )
    assert "not at this release's" in message
    assert "run `manage.py migrate` first" in message


def test_a_restore_that_fails_after_emptying_the_database_changes_nothing(
    archive_with_users, tmp_path
):
    # The file is whole but does not hold what its manifest promises: the load has already
    # emptied the tables when the count check fails, so only the transaction saves the day.
    backup, manifest = write_backup(tmp_path)
    manifest["counts"]["archive.quote"] += 1
    backup.manifest.write_text(json.dumps(manifest))
    message = _speech_count_unchanged_after(
        lambda: call_command("restore_archive", str(backup.dump), "--noinput")
    )
    assert "archive.quote" in message and "nothing was changed" in message
    assert Speech.objects.filter(title="Written after the backup").exists()
    assert Group.objects.count() == 2


def test_restore_asks_before_replacing_everything(archive_with_users, tmp_path, monkeypatch):
    backup, _ = write_backup(tmp_path)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    message = _speech_count_unchanged_after(
        lambda: call_command("restore_archive", str(backup.dump))
    )
    assert "cancelled" in message
