"""``manage.py generate_archive --quotes N [--seed S]``: a synthetic archive for speed tests.

Realistic in shape (see ``archive.bench.synthetic``), deterministic from the seed, and fast:
rows go in by COPY on PostgreSQL and batched inserts elsewhere. Refuses to write into an
archive that already holds speeches unless ``--clear`` is given, so a curated archive is never
mixed with invented records by accident.
"""

import time

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command, get_commands
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F

from archive.bench.bulkload import BulkWriter
from archive.bench.synthetic import generate
from archive.models import Event, Office, Quote, Source, Speaker, Speech, Status, Theme
from archive.search.indexing import gin_indexes_set_aside


class Command(BaseCommand):
    help = "Generate a synthetic archive of N quotes (deterministic from --seed) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--quotes", type=int, default=10_000, help="How many quotes.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same archive.")
        parser.add_argument(
            "--batch-size", type=int, default=20_000, help="Rows buffered per write."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Delete every archive record first."
        )
        parser.add_argument(
            "--no-search-index",
            action="store_true",
            help="Skip rebuilding the search index afterwards.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, quotes, seed, batch_size, clear, no_search_index, database, **kw):
        if quotes < 1:
            raise CommandError("--quotes must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        connection = connections[database]
        started = time.monotonic()
        with transaction.atomic(using=database):
            has_records = Speech.objects.using(database).exists()
            if has_records and not clear:
                raise CommandError(
                    "The archive already holds speeches; use --clear to replace them "
                    "with a synthetic archive."
                )
            if clear:
                clear_archive(database)
            writer = BulkWriter(connection, batch_size=batch_size)
            plan = generate(
                writer, quotes=quotes, seed=seed, fixtures_dir=settings.BASE_DIR / "fixtures"
            )
            # Bulk inserts skip Speech.save(), which stamps the time of publication: without
            # the stamp no generated statement would reach the "newly published" feed.
            Speech.objects.using(database).filter(
                status=Status.PUBLISHED, published_at__isnull=True
            ).update(published_at=F("created_at"))
        written = time.monotonic() - started
        self.stdout.write(
            f"Wrote {plan.quotes} quotes, {plan.speeches} speeches, {plan.speakers} speakers, "
            f"{plan.events} events in {written:.1f}s ({connection.vendor})."
        )
        if not no_search_index and "rebuild_search_index" in get_commands():
            # A new archive nobody searches yet: its indexes are made once, at the end.
            with gin_indexes_set_aside(database):
                call_command(
                    "rebuild_search_index",
                    database=database,
                    stdout=self.stdout,
                    stderr=self.stderr,
                )
            self.stdout.write(
                f"Search index rebuilt in {time.monotonic() - started - written:.1f}s."
            )


def clear_archive(database: str) -> None:
    """Delete every record the generator writes, children first."""
    for model in (Quote, Speech, Source, Event, Office, Speaker, Theme):
        model._default_manager.using(database).all().delete()
