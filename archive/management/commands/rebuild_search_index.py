"""Rewrite the full-text search index from the records.

Needed after writes that bypass Django's signals (``QuerySet.update()`` of indexed text,
``bulk_create``, raw SQL, a restored database dump); otherwise the index keeps itself current.
"""

from django.core.management import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from archive.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index (quotes and speeches) from the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to rebuild the index of (default: %(default)s).",
        )

    def handle(self, *args, database: str, verbosity: int, **options):
        progress = self.stdout.write if verbosity > 1 else None
        counts = rebuild_index(using=database, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {counts['quotes']} quotes, {counts['speeches']} speeches."
            )
        )
