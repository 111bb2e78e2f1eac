"""Load the seed archive (fixtures/archive.json) into an empty database; `make run` calls it."""

from django.core.management import BaseCommand, call_command
from django.test.utils import override_settings

from archive.models import Speech
from archive.services import record_missing_history


class Command(BaseCommand):
    help = "Load fixtures/archive.json if the database holds no speeches yet."

    def handle(self, *args, **options):
        if Speech.objects.exists():
            self.stdout.write("The archive already holds speeches; seed data not loaded.")
            return
        # loaddata saves rows raw, which simple-history leaves unrecorded, but sets a
        # quotation's themes as any edit does, which it records: a first version of every
        # quotation with no reason and no author, "changed" from nothing. Recorded here
        # instead: the seed as every record's first version, so a curator's first edit can
        # be reverted (as a backup's restore loads its own history, see archive.backups).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", "archive", verbosity=0)
        record_missing_history()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the seed archive: {Speech.objects.count()} speeches.")
        )
