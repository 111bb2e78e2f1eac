"""Writes that carry the archive's rules, as plain functions with keyword-only arguments.

The admin, the management commands and the tests all call these, so a rule (only an editor
publishes; a quote must be verbatim in its text; an import is all or nothing; a deleted speech
can be brought back) is enforced in one place whatever the entry point.

Every write records who made it and why in the history tables (django-simple-history reads
``_history_user`` and ``_change_reason`` off the instance being saved).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from archive.history_records import deletions_page
from archive.ingest.normalise import appears_in, fingerprint
from archive.models import (
    DatePrecision,
    Event,
    Office,
    Pledge,
    Quote,
    QuoteKind,
    Source,
    Speaker,
    Speech,
    SpeechKind,
    Status,
    Theme,
    quote_slug,
    statement_date_problems,
    unique_slug,
)
from archive.plain_text import control_character_message, line_break_message
from archive.quote_versions import complete_version, hold_version

PUBLISH_PERMISSION = "archive.publish_speech"
DELETE_PERMISSION = "archive.delete_speech"

# Change reasons shown in the admin's history pages; the restore code looks for the second.
REASON_IMPORTED = "Imported from an article"
REASON_DELETED = "Deleted"
REASON_DELETED_WITH_SPEECH = "Deleted with its speech"
REASON_RESTORED = "Restored after deletion"

NOT_IN_TEXT = (
    "These words do not appear in the speech's text or in its source's original text "
    "(quote marks and spacing are ignored). Copy them exactly as printed."
)
DUPLICATE_IN_SPEECH = "This quotation is already in this speech."


# --- validation helpers ---------------------------------------------------------------


def quote_text_problems(text: str, *, speech_text: str, source_text: str = "") -> list[str]:
    """Why ``text`` cannot be a quote of a speech with these texts (empty list: it can)."""
    if not text.strip():
        return ["A quotation needs its words."]
    if appears_in(text, speech_text) or appears_in(text, source_text):
        return []
    return [NOT_IN_TEXT]


def duplicate_positions(texts: Sequence[str]) -> list[int]:
    """Indexes of texts that repeat an earlier one (same words after normalising)."""
    seen: set[str] = set()
    repeats = []
    for index, text in enumerate(texts):
        digest = fingerprint(text)
        if digest in seen:
            repeats.append(index)
        seen.add(digest)
    return repeats


def speech_problems(speech: Speech) -> dict[str, list[str]]:
    """Every rule a saved speech and its quotes break, by field, all at once."""
    problems: dict[str, list[str]] = {}
    date_problems = statement_date_problems(speech.date, speech.date_precision)
    if date_problems:
        problems["date_precision"] = date_problems
    source_text = speech.source.original_text if speech.source_id else ""
    for quote in speech.quotes.all():
        for problem in quote_text_problems(
            quote.text, speech_text=speech.text, source_text=source_text
        ):
            problems.setdefault("quotes", []).append(f"Quote “{quote.slug}”: {problem}")
    return problems


def _record(instance: models.Model, *, by, reason: str) -> None:
    """Tell simple-history who is making the next save of ``instance`` and why."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by
    instance._change_reason = reason


# --- publishing -----------------------------------------------------------------------


def can_publish(user) -> bool:
    """Whether ``user`` may publish and unpublish speeches (Editors and superusers)."""
    return user is not None and user.has_perm(PUBLISH_PERMISSION)


def publish_speech(speech: Speech, *, by) -> Speech:
    """Make a draft public, after checking it breaks no rule.

    Raises ``PermissionDenied`` unless ``by`` may publish, and ``ValidationError`` (with every
    problem) if the speech's date or any quote is wrong.
    """
    if not can_publish(by):
        raise PermissionDenied("Only an editor can publish a speech.")
    problems = speech_problems(speech)
    if problems:
        raise ValidationError(problems)
    return _set_status(speech, Status.PUBLISHED, by=by, reason="Published")


def unpublish_speech(speech: Speech, *, by) -> Speech:
    """Take a speech off the public site (back to draft); only for editors."""
    if not can_publish(by):
        raise PermissionDenied("Only an editor can unpublish a speech.")
    return _set_status(speech, Status.DRAFT, by=by, reason="Unpublished")


def _set_status(speech: Speech, status: str, *, by, reason: str) -> Speech:
    if speech.status != status:
        speech.status = status
        _record(speech, by=by, reason=reason)
        speech.save()
    return speech


# --- deleting and restoring -----------------------------------------------------------


def delete_speech(speech: Speech, *, by) -> None:
    """Delete a speech and its quotes, keeping them in history so they can be restored."""
    if by is None or not by.has_perm(DELETE_PERMISSION):
        raise PermissionDenied("Only an editor can delete a speech.")
    with transaction.atomic():
        # Deleting the quotes one by one (rather than letting the database cascade) marks
        # each history row, so a restore brings back exactly the quotes that went with it.
        for quote in speech.quotes.all():
            # Its pledge, if it has one, goes with it (a cascade); marked the same way.
            for pledge in Pledge.objects.filter(quote=quote):
                _record(pledge, by=by, reason=REASON_DELETED_WITH_SPEECH)
                pledge.delete()
            _record(quote, by=by, reason=REASON_DELETED_WITH_SPEECH)
            quote.delete()
        _record(speech, by=by, reason=REASON_DELETED)
        speech.delete()


@dataclass(frozen=True)
class DeletedSpeech:
    """A speech that is gone from the archive but kept in its history."""

    id: int
    title: str
    speaker_name: str
    deleted_at: dt.datetime
    deleted_by: str
    quote_count: int


class DeletedSpeeches(NamedTuple):
    speeches: list[DeletedSpeech]
    older: int | None  # the ``before`` of the page of older deletions, if any


def deleted_speeches(limit: int = 200, before: int | None = None) -> DeletedSpeeches:
    """The ``limit`` speeches most recently deleted (before the deletion ``before``, a page's
    ``older``) and not restored since, most recently deleted first, in a number of queries
    that does not grow with them. Raises ``LookupError`` for a ``before`` that is not a
    speech's deletion."""
    latest, older = deletions_page(Speech, limit=limit, before=before)
    speakers = dict(
        Speaker.objects.filter(pk__in={r.speaker_id for r in latest.values()}).values_list(
            "pk", "name"
        )
    )
    quotes = _quotes_deleted_with_each(list(latest))
    found = [
        DeletedSpeech(
            id=record.id,
            title=record.title,
            speaker_name=speakers.get(record.speaker_id, "(speaker deleted)"),
            deleted_at=record.history_date,
            deleted_by=str(record.history_user or "unknown"),
            quote_count=len(quotes.get(record.id, ())),
        )
        for record in latest.values()
    ]
    return DeletedSpeeches(found, older)


def _quotes_deleted_with(speech_id: int) -> list:
    """The last history rows of the quotes that were deleted together with a speech."""
    return _quotes_deleted_with_each([speech_id]).get(speech_id, [])


def _quotes_deleted_with_each(speech_ids: Sequence[int]) -> dict[int, list]:
    """``_quotes_deleted_with`` for each of ``speech_ids``, in two queries."""
    latest: dict[tuple[int, int], object] = {}  # (speech, quote): the quote's last row there
    for record in Quote.history.filter(speech_id__in=speech_ids).order_by(
        "history_date", "history_id"
    ):
        latest[record.speech_id, record.id] = record
    gone = [
        record
        for record in latest.values()
        if record.history_type == "-" and record.history_change_reason == REASON_DELETED_WITH_SPEECH
    ]
    live = set(Quote.objects.filter(pk__in={r.id for r in gone}).values_list("pk", flat=True))
    found: dict[int, list] = {}
    for record in gone:
        if record.id not in live:
            found.setdefault(record.speech_id, []).append(record)
    return found


def restore_deleted_speech(speech_id: int, *, by, notes: list[str] | None = None) -> Speech:
    """Bring back a deleted speech and the quotes deleted with it, themes and pledges included.

    The speech and quotes come back as they were at deletion, with their old ids and slugs,
    so old links work again. A link the speech may go without (its event, source, or the
    office its source names) to a record deleted since comes back empty, as deleting that
    record would have left it, and ``notes`` (if given) is told so. Raises
    ``ValidationError`` if restoring is impossible (its speaker, or a quote's, is gone, or
    a slug has been reused); nothing is written in that case.
    """
    if by is None or not by.has_perm(DELETE_PERMISSION):
        raise PermissionDenied("Only an editor can restore a deleted speech.")
    if Speech.objects.filter(pk=speech_id).exists():
        raise ValidationError("This speech is not deleted.")
    record = Speech.history.filter(id=speech_id, history_type="-").order_by("-history_date")
    record = record.first()
    if record is None:
        raise ValidationError("No deleted speech has this number.")
    speech = record.instance
    problems = _missing_links(speech, ("speaker", Speaker))
    for name, model, label in (
        ("event", Event, "event"),
        ("source", Source, "source"),
        ("stated_office", Office, "office named by the source"),
    ):
        pk = getattr(speech, f"{name}_id")
        if pk is not None and not model.objects.filter(pk=pk).exists():
            setattr(speech, f"{name}_id", None)
            if notes is not None:
                notes.append(
                    f"Its {label}, {_last_known(model, pk)}, has been deleted since: "
                    "the speech has none now; choose one again if it should."
                )
    if Speech.objects.filter(slug=speech.slug).exists():
        problems.append(f"Another speech now uses the address “{speech.slug}”.")
    quote_records = _quotes_deleted_with(speech_id)
    gone_offices: set[int] = set()
    for quote_record in quote_records:
        quote = quote_record.instance
        problems += _missing_links(quote, ("speaker", Speaker))
        # The office its source names, deleted since (an office is not deleted while a
        # source names it, but a deleted quotation names none that is live): none now.
        if (
            quote.stated_office_id is not None
            and not Office.objects.filter(pk=quote.stated_office_id).exists()
        ):
            if notes is not None:
                notes.append(
                    f"The office named by the source for quotation “{quote.slug}”, "
                    f"{_last_known(Office, quote.stated_office_id)}, has been deleted since: "
                    "it has none now."
                )
            gone_offices.add(quote.stated_office_id)
        if Quote.objects.filter(slug=quote.slug).exists():
            problems.append(f"Another quote now uses the address “{quote.slug}”.")
    pledge_records = [p for r in quote_records for p in _pledges_deleted_with(r)]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _record(speech, by=by, reason=REASON_RESTORED)
        speech.save(force_insert=True)
        for quote_record in sorted(quote_records, key=lambda r: r.position):
            quote = quote_record.instance
            if quote.stated_office_id in gone_offices:
                quote.stated_office_id = None
            _record(quote, by=by, reason=REASON_RESTORED)
            quote.save(force_insert=True)
            hold_version(quote)
            quote.themes.set(themes_before_deletion(quote_record))
            complete_version(quote)
        for pledge_record in pledge_records:
            pledge = pledge_record.instance
            _record(pledge, by=by, reason=REASON_RESTORED)
            pledge.save(force_insert=True)
    return speech


# A pledge deleted by the cascade of a quote's deletion, before pledges were marked as
# deleted with their speech, has an unmarked deletion this close before its quote's.
_CASCADE_SECONDS = 5


def _pledges_deleted_with(quote_record) -> list:
    """The last history rows of the pledges deleted with a quote (``quote_record``, the
    quote's deletion row) and not made again since: marked as deleted with its speech, or,
    deleted before such marks, by the cascade of the quote's deletion. A pledge an editor
    deleted on its own earlier stays deleted."""
    latest: dict[int, object] = {}
    for record in Pledge.history.filter(quote_id=quote_record.id).order_by("history_date"):
        latest[record.id] = record
    cascade_from = quote_record.history_date - dt.timedelta(seconds=_CASCADE_SECONDS)
    return [
        record
        for record in latest.values()
        if record.history_type == "-"
        and not Pledge.objects.filter(pk=record.id).exists()
        and (
            record.history_change_reason == REASON_DELETED_WITH_SPEECH
            or (
                not record.history_change_reason
                and cascade_from <= record.history_date <= quote_record.history_date
            )
        )
    ]


def _missing_links(instance: models.Model, *links: tuple[str, type[models.Model]]) -> list[str]:
    problems = []
    for name, model in links:
        pk = getattr(instance, f"{name}_id")
        if pk is not None and not model.objects.filter(pk=pk).exists():
            problems.append(
                f"Its {name}, {_last_known(model, pk)}, has been deleted since, and a "
                f"statement cannot come back without its {name}."
            )
    return problems


def _last_known(model: type[models.Model], pk: int) -> str:
    """A deleted record as its history last knew it: “Name” (#12), or #12."""
    last = model.history.filter(id=pk).order_by("-history_date").first()
    return f"“{last.instance}” (#{pk})" if last is not None else f"#{pk}"


def themes_before_deletion(deletion_record) -> list[Theme]:
    """The themes a quote had just before it was deleted (the deletion row has none)."""
    before = (
        Quote.history.filter(id=deletion_record.id, history_date__lt=deletion_record.history_date)
        .exclude(history_type="-")
        .order_by("-history_date")
        .first()
    )
    if before is None:
        return []
    theme_ids = [row.theme_id for row in before.themes.all()]
    return list(Theme.objects.filter(pk__in=theme_ids))


# --- history for records that arrived without it -------------------------------------

REASON_SEEDED = "Loaded from the seed archive"
_HISTORY_BATCH = 1000


def record_missing_history(*, reason: str = REASON_SEEDED) -> int:
    """Give every record that has no history yet a first version; return how many.

    ``loaddata`` saves raw rows, which simple-history does not record, so without this the
    first edit of a seed record would leave its original words nowhere to revert to.
    Quotes' themes are recorded too (simple-history's bulk helper leaves them out).
    """
    created = 0
    with transaction.atomic():
        for model in (Theme, Speaker, Office, Event, Source, Speech, Quote, Pledge):
            missing = model.objects.exclude(pk__in=model.history.values("id")).order_by("pk")
            batch: list[models.Model] = []
            for obj in missing.iterator(chunk_size=_HISTORY_BATCH):
                batch.append(obj)
                if len(batch) == _HISTORY_BATCH:
                    created += _record_batch(model, batch, reason)
                    batch = []
            if batch:
                created += _record_batch(model, batch, reason)
    return created


def _record_batch(model, objs: list[models.Model], reason: str) -> int:
    model.history.bulk_history_create(objs, default_change_reason=reason)
    if model is Quote:
        records = dict(
            Quote.history.filter(id__in=[o.pk for o in objs], history_change_reason=reason)
            .order_by("history_date")
            .values_list("id", "history_id")
        )
        through = Quote.themes.through.objects.filter(quote_id__in=records)
        theme_history = apps.get_model("archive", "HistoricalQuote_themes")
        theme_history.objects.bulk_create(
            theme_history(
                id=row.pk,
                history_id=records[row.quote_id],
                quote_id=row.quote_id,
                theme_id=row.theme_id,
            )
            for row in through
        )
    return len(objs)


# --- importing an article -------------------------------------------------------------


@dataclass(frozen=True)
class SourceDetails:
    """Where the article was published."""

    title: str
    publisher: str = ""
    url: str = ""
    date: dt.date | None = None
    date_precision: str = DatePrecision.UNKNOWN


@dataclass(frozen=True)
class SpeechDetails:
    """The occasion the article reports."""

    title: str
    speaker: Speaker | None = None
    new_speaker_name: str = ""
    kind: str = SpeechKind.SPEECH
    event: Event | None = None
    date: dt.date | None = None
    date_precision: str = DatePrecision.UNKNOWN
    summary: str = ""
    # What readers must be told about the cleaned words (the cleaner's repairs).
    editorial_note: str = ""


@dataclass(frozen=True)
class QuotationChoice:
    """One quotation as the curator confirmed it: the words and who said them."""

    text: str
    attribution: str = ""
    speaker: Speaker | None = None
    new_speaker_name: str = ""
    kind: str = QuoteKind.DIRECT
    themes: Sequence[Theme] = field(default_factory=tuple)


def import_article(
    *,
    original_text: str,
    cleaned_text: str,
    source: SourceDetails,
    speech: SpeechDetails,
    quotations: Sequence[QuotationChoice],
    by=None,
) -> Speech:
    """Save an article as a draft Speech with its Source and Quotes, all or nothing.

    Checks everything first and raises one ``ValidationError`` listing every problem (keys:
    ``source_date_precision``, ``date_precision``, ``speaker``, ``quotations``). A speaker
    given only by name is created, once, unless a speaker of that name already exists.
    """
    _check_import(original_text, cleaned_text, source, speech, quotations)
    try:
        with transaction.atomic():
            return _write_import(original_text, cleaned_text, source, speech, quotations, by)
    except IntegrityError as error:
        # A concurrent import took a slug between our check and our insert; nothing is kept.
        raise ValidationError(f"The archive changed while saving; try again ({error}).") from None


def _check_import(original_text, cleaned_text, source, speech, quotations) -> None:
    problems: dict[str, list[str]] = {}
    if not cleaned_text.strip():
        problems["text"] = ["The article has no text."]
    if not source.title.strip():
        problems["source_title"] = ["Give the source a title."]
    if not speech.title.strip():
        problems["title"] = ["Give the speech a title."]
    for key, date, precision in (
        ("source_date_precision", source.date, source.date_precision),
        ("date_precision", speech.date, speech.date_precision),
    ):
        if date_problems := statement_date_problems(date, precision):
            problems[key] = date_problems
    if speech.speaker is None and not speech.new_speaker_name.strip():
        problems["speaker"] = ["Choose who gave the speech."]
    quote_problems = []
    for number, choice in enumerate(quotations, start=1):
        for problem in quote_text_problems(
            choice.text, speech_text=cleaned_text, source_text=original_text
        ):
            quote_problems.append(f"Quotation {number}: {problem}")
        if choice.speaker is None and not choice.new_speaker_name.strip():
            quote_problems.append(f"Quotation {number}: choose who said it.")
    for index in duplicate_positions([choice.text for choice in quotations]):
        quote_problems.append(f"Quotation {index + 1}: {DUPLICATE_IN_SPEECH}")
    for number, choice in enumerate(quotations, start=1):
        for words in (choice.text, choice.attribution, choice.new_speaker_name):
            if message := control_character_message(words):
                quote_problems.append(f"Quotation {number}: {message}")
    if quote_problems:
        problems["quotations"] = quote_problems
    # The records are written without full_clean(): the text fields' own check is here.
    for key, words in (
        ("text", cleaned_text),
        ("text", original_text),
        ("source_title", source.title),
        ("publisher", source.publisher),
        ("title", speech.title),
        ("summary", speech.summary),
        ("editorial_note", speech.editorial_note),
        ("speaker", speech.new_speaker_name),
    ):
        if key not in problems and (message := control_character_message(words)):
            problems[key] = [message]
    # Nor their lengths and single lines: a publisher of 300 characters was saved on
    # SQLite, after which every save of that source in the admin failed on it.
    one_line = [
        ("source_title", Source, "title", source.title),
        ("publisher", Source, "publisher", source.publisher),
        ("url", Source, "url", source.url),
        ("title", Speech, "title", speech.title),
        ("speaker", Speaker, "name", speech.new_speaker_name),
    ]
    for number, choice in enumerate(quotations, start=1):
        one_line += [
            (f"Quotation {number}", Quote, "attribution", choice.attribution),
            (f"Quotation {number}", Speaker, "name", choice.new_speaker_name),
        ]
    for key, model, name, words in one_line:
        message = _one_line_problem(model, name, words.strip())
        if message is None:
            continue
        if key.startswith("Quotation"):
            problems.setdefault("quotations", []).append(f"{key}: {message}")
        else:
            problems.setdefault(key, []).append(message)
    if problems:
        raise ValidationError(problems)


def _one_line_problem(model: type[models.Model], name: str, words: str) -> str | None:
    """Why ``words`` cannot be ``model``'s one-line field ``name``, or None."""
    field = model._meta.get_field(name)
    if field.max_length is not None and len(words) > field.max_length:
        return (
            f"The {field.verbose_name} is {len(words)} characters long; use at most "
            f"{field.max_length}."
        )
    return line_break_message(words)


def import_adds_speakers(speech: SpeechDetails, quotations: Sequence[QuotationChoice]) -> bool:
    """Whether saving this import would add a person to the archive (a name given that no
    speaker has)."""
    names = [speech.new_speaker_name] if speech.speaker is None else []
    names += [choice.new_speaker_name for choice in quotations if choice.speaker is None]
    return any(
        name.strip() and not Speaker.objects.filter(name__iexact=" ".join(name.split())).exists()
        for name in names
    )


def _write_import(original_text, cleaned_text, source, speech, quotations, by) -> Speech:
    new_speakers: dict[str, Speaker] = {}

    def speaker_for(existing: Speaker | None, name: str) -> Speaker:
        if existing is not None:
            return existing
        key = " ".join(name.split()).casefold()
        if key not in new_speakers:
            match = Speaker.objects.filter(name__iexact=" ".join(name.split())).first()
            if match is None:
                match = Speaker(name=" ".join(name.split()), slug=unique_slug(Speaker, name))
                _record(match, by=by, reason=REASON_IMPORTED)
                match.save()
            new_speakers[key] = match
        return new_speakers[key]

    source_row = Source(
        title=source.title.strip(),
        slug=unique_slug(Source, source.title),
        publisher=source.publisher.strip(),
        url=source.url.strip(),
        date=source.date,
        date_precision=source.date_precision,
        original_text=original_text,
    )
    _record(source_row, by=by, reason=REASON_IMPORTED)
    source_row.save()
    speech_row = Speech(
        title=speech.title.strip(),
        slug=unique_slug(Speech, speech.title),
        speaker=speaker_for(speech.speaker, speech.new_speaker_name),
        event=speech.event,
        source=source_row,
        kind=speech.kind,
        date=speech.date,
        date_precision=speech.date_precision,
        summary=speech.summary,
        text=cleaned_text,
        editorial_note=speech.editorial_note,
        status=Status.DRAFT,
    )
    _record(speech_row, by=by, reason=REASON_IMPORTED)
    speech_row.save()
    for position, choice in enumerate(quotations, start=1):
        speaker = speaker_for(choice.speaker, choice.new_speaker_name)
        quote = Quote(
            speech=speech_row,
            speaker=speaker,
            slug=quote_slug(speaker.slug, choice.text),
            text=choice.text.strip(),
            attribution=choice.attribution.strip()[:200],
            kind=choice.kind,
            position=position,
        )
        _record(quote, by=by, reason=REASON_IMPORTED)
        quote.save()
        if choice.themes:
            hold_version(quote)
            quote.themes.set(choice.themes)
            complete_version(quote)
    return speech_row
