"""Build the seed archive: ``python manage.py build_fixtures [--check] [--output PATH]``.

Reads the five source documents and ``fixtures/curation.toml``, runs the ingest pipeline
on each document, checks every record against the models, and writes
``fixtures/archive.json`` (loaded by ``manage.py loaddata archive``). The output is
deterministic -- fixed primary keys, sorted keys, no clock readings -- and written
atomically, so a failed build leaves the previous fixture untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from archive.ingest.curation import CurationError, load_curation
from archive.ingest.fixture import Record, build_records
from archive.models import date_precision_problems

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Build fixtures/archive.json from the source documents and fixtures/curation.toml. "
        "With --check, build in memory and fail if the committed fixture is out of date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source-dir",
            type=Path,
            default=FIXTURES_DIR,
            help="Folder holding the documents the curation file names (default: fixtures/).",
        )
        parser.add_argument(
            "--curation",
            type=Path,
            help="The curation file (default: curation.toml in the source folder).",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=FIXTURES_DIR / "archive.json",
            help="Where to write the fixture (default: fixtures/archive.json).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero if OUTPUT differs from a fresh build.",
        )

    def handle(self, *args, source_dir: Path, curation: Path | None, output: Path, **options):
        curation_path = curation or source_dir / "curation.toml"
        try:
            records = build_records(load_curation(curation_path), source_dir)
        except CurationError as error:
            raise CommandError(str(error)) from None
        check_against_models(records, curation_path.name)
        content = render(records)

        if options["check"]:
            current = output.read_text(encoding="utf-8") if output.exists() else None
            if current != content:
                raise CommandError(
                    f"{output} is out of date with the documents and {curation_path.name}: "
                    "run `python manage.py build_fixtures` and commit the result."
                )
            self.stdout.write(self.style.SUCCESS(f"{output} is up to date."))
            return

        write_atomically(output, content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}: {summary(records)}."))
        speakers = {r.pk: r.fields["name"] for r in records if r.model == "archive.speaker"}
        per_speaker = Counter(r.fields["speaker"] for r in records if r.model == "archive.quote")
        for pk, count in sorted(per_speaker.items(), key=lambda item: (-item[1], item[0])):
            self.stdout.write(f"  {speakers[pk]}: {count} quote{'' if count == 1 else 's'}")


def render(records: list[Record]) -> str:
    """The fixture's text: Django's serialization layout, keys sorted, one trailing newline."""
    objects = [record.as_fixture() for record in records]
    return json.dumps(objects, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_atomically(path: Path, content: str) -> None:
    """Replace ``path`` with ``content`` in one step: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def check_against_models(records: list[Record], curation_name: str) -> None:
    """Run each record's field and model checks (lengths, slugs, choices, URLs, dates) --
    those that need no database -- and stop at the first record that fails."""
    for record in records:
        model = apps.get_model(record.model)
        plain = {
            f.attname: record.fields[f.name]
            for f in model._meta.concrete_fields
            if not f.is_relation and f.name in record.fields
        }
        instance = model(**plain)
        related = [f.name for f in model._meta.get_fields() if f.is_relation]
        try:
            instance.clean_fields(exclude=related)
            instance.clean()
        except ValidationError as error:
            raise CommandError(f"{curation_name}: {record.entry}: {_messages(error)}") from None
        if "date_precision" in plain:
            problems = date_precision_problems(instance.date, instance.date_precision)
            if problems:
                raise CommandError(f"{curation_name}: {record.entry}: {' '.join(problems)}")


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


def summary(records: list[Record]) -> str:
    counts = Counter(record.model for record in records)
    names = {m._meta.label_lower: m._meta.verbose_name_plural for m in apps.get_models()}
    return ", ".join(f"{count} {names.get(model, model)}" for model, count in counts.items())
