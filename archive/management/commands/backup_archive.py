"""``manage.py backup_archive``: write a complete, versioned backup (``make backup``).

See ``archive.backups`` for what a backup holds and how it is checked.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from archive.backups import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Back up every record, its history, the users and groups and the admin log into "
        "var/backups/archive-<UTC time>-<migration>.json.gz, with a manifest beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help="Directory to write the backup into (default: VAR_DIR/backups).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Database to back up (default: %(default)s).",
        )

    def handle(self, *args, output, database, **options):
        directory = Path(output) if output else Path(settings.VAR_DIR) / "backups"
        try:
            backup, manifest = write_backup(directory, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts = manifest["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {counts.get('archive.speech', 0)} speeches, "
                f"{counts.get('archive.quote', 0)} quotes, {counts.get('auth.user', 0)} users "
                f"and {sum(n for label, n in counts.items() if '.historical' in label)} "
                f"history rows to {backup.dump}"
            )
        )
        self.stdout.write(f"Manifest: {backup.manifest}")
