"""Import articles from text files: ``manage.py import_article PATH... [--dry-run]``.

The same pipeline and the same service as the admin's "Import an article" page, for bulk work:
each file becomes a draft Speech with its Source and Quotes, every suggestion taken as it is
(speakers matched by name and alias, unknown names created as new speakers, suggested themes).
With ``--dry-run`` nothing is written; ``--format json`` prints what was found per file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from archive.importing import ArticlePreview, UnreadableArticle, preview_article, read_article_bytes
from archive.ingest.pipeline import TooManyQuotations, check_quotation_count
from archive.models import DatePrecision, SpeechKind, statement_date_problems
from archive.services import SourceDetails, SpeechDetails, import_article


class Command(BaseCommand):
    help = "Import articles (UTF-8 .txt files) as draft speeches with their quotations."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; write nothing."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--kind", choices=SpeechKind.values, default=SpeechKind.SPEECH)
        parser.add_argument("--publisher", default="", help="Publisher of every article.")
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="Date of the speech(es), YYYY-MM-DD (default: unknown).",
        )
        parser.add_argument(
            "--date-precision",
            choices=DatePrecision.values,
            help="How much of --date is known (default: day when --date is given).",
        )

    def handle(self, *args, paths, dry_run, format, **options):
        date = options["date"]
        precision = options["date_precision"] or (
            DatePrecision.DAY if date else DatePrecision.UNKNOWN
        )
        if problems := statement_date_problems(date, precision):
            raise CommandError(" ".join(problems))
        # Every file is read and checked before anything is written.
        texts = [(path, self._read(path)) for path in paths]
        report = []
        for path, text in texts:
            # Previewed one by one, so a speaker created for one file is matched in the next.
            preview = preview_article(text)
            entry = describe(path, preview)
            if preview.quotations and all(q.duplicates for q in preview.quotations):
                # Most likely this very article was imported before: do not make a twin.
                entry["skipped"] = "every quotation is already in the archive"
            elif not dry_run:
                speech = self._save(path, preview, date, precision, options)
                entry["speech"] = {"id": speech.pk, "slug": speech.slug, "status": speech.status}
            report.append(entry)
        if format == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            for entry in report:
                self._print_text(entry, dry_run)

    def _read(self, path: Path) -> str:
        try:
            text = read_article_bytes(path.read_bytes())
            check_quotation_count(text)
        except OSError as error:
            raise CommandError(f"{path}: cannot read it ({error.strerror}).") from None
        except (UnreadableArticle, TooManyQuotations) as error:
            raise CommandError(f"{path}: {error}") from None
        return text

    def _save(self, path: Path, preview: ArticlePreview, date, precision, options):
        title = preview.suggested_title or path.stem
        speaker = preview.main_speaker
        try:
            return import_article(
                original_text=preview.original_text,
                cleaned_text=preview.cleaned_text,
                source=SourceDetails(title=title, publisher=options["publisher"]),
                speech=SpeechDetails(
                    title=title,
                    speaker=speaker,
                    new_speaker_name="" if speaker else preview.main_speaker_guess,
                    kind=options["kind"],
                    date=date,
                    date_precision=precision,
                    editorial_note=preview.editorial_note,
                ),
                quotations=[
                    q.as_choice()
                    for q in preview.quotations
                    if (q.speaker or q.speaker_name_guess) and not q.duplicates
                ],
            )
        except ValidationError as error:
            raise CommandError(f"{path}: {' '.join(error.messages)}") from None

    def _print_text(self, entry: dict, dry_run: bool) -> None:
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{entry['path']}: {verb} {len(entry['quotations'])} quotation(s)")
        for q in entry["quotations"]:
            who = (q["speaker"] or "no speaker found") + (" (new)" if q["new_speaker"] else "")
            flag = ""
            if q["duplicate_of"] or not q["speaker"]:
                flag = " [skipped: already archived]" if q["duplicate_of"] else " [skipped]"
            self.stdout.write(f"  {q['position']}. {who} ({q['attribution']}): {q['text']}{flag}")
        if "skipped" in entry:
            self.stdout.write(f"  skipped: {entry['skipped']}")
        if "speech" in entry:
            self.stdout.write(f"  draft speech #{entry['speech']['id']} {entry['speech']['slug']}")


def describe(path: Path, preview: ArticlePreview) -> dict:
    """What the command found in one file, as plain data (the JSON output)."""
    return {
        "path": str(path),
        "title": preview.suggested_title,
        # What the speech's page will tell readers about the words (a repaired dash).
        "editorial_note": preview.editorial_note,
        "quotations": [
            {
                "position": q.position,
                "text": q.text,
                "attribution": q.attribution,
                # The resolved speaker: an archive speaker, else the name a new one would get.
                "speaker": q.speaker.name if q.speaker else (q.speaker_name_guess or None),
                "speaker_slug": q.speaker.slug if q.speaker else None,
                "new_speaker": q.speaker is None and bool(q.speaker_name_guess),
                "kind": q.kind,
                "themes": [theme.name for theme in q.themes],
                "duplicate_of": [quote.slug for quote in q.duplicates],
            }
            for q in preview.quotations
        ],
    }
