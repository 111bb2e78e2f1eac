"""``manage.py restore_archive PATH``: replace the database's contents with a backup.

``make restore BACKUP=path``. The backup is checked first (complete, uncorrupted, made at
the same migration); then, in one transaction, the database is emptied, the backup loaded,
every count checked against the manifest and the search index rebuilt. If any step fails,
nothing changes. See ``archive.backups``.
"""

from django.core.management import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from archive.backups import Backup, BackupError, check_backup, restore_backup
from archive.views.summaries import archive_changed


class Command(BaseCommand):
    help = "Replace everything in the database with a backup written by backup_archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup's .json.gz file (its manifest beside it).")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Database to restore into (default: %(default)s).",
        )

    def handle(self, *args, path, interactive, database, **options):
        try:
            backup = Backup.at(path)
            manifest = check_backup(backup, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        name = connections[database].settings_dict["NAME"]
        if interactive:
            try:
                answer = input(
                    f"This replaces everything in the database {name!s} with the backup of "
                    f"{manifest['created_at']}. Type 'yes' to continue: "
                )
            except EOFError:
                answer = ""
                self.stdout.write("")
            if answer.strip().lower() != "yes":
                raise CommandError(
                    "Restore cancelled; nothing was changed (--noinput skips this question)."
                )
        try:
            counts = restore_backup(backup, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        archive_changed()  # stored pages and summaries describe the replaced archive
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {counts.get('archive.speech', 0)} speeches, "
                f"{counts.get('archive.quote', 0)} quotes and {counts.get('auth.user', 0)} "
                f"users from {backup.dump.name}. Everyone has been signed out."
            )
        )
