"""Load the seed archive (fixtures/archive.json) into an empty database; `make run` calls it."""

from django.core.management import BaseCommand, call_command

from archive.models import Speech
from archive.services import record_missing_history


class Command(BaseCommand):
    help = "Load fixtures/archive.json if the database holds no speeches yet."

    def handle(self, *args, **options):
        if Speech.objects.exists():
            self.stdout.write("The archive already holds speeches; seed data not loaded.")
            return
        call_command("loaddata", "archive", verbosity=0)
        # loaddata's raw saves leave no history: record the seed as every record's first
        # version, so a curator's first edit can be reverted.
        record_missing_history()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the seed archive: {Speech.objects.count()} speeches.")
        )
