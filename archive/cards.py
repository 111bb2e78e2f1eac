"""What a list shows of each statement (a quotation's card, a speech's item), as plain values.

A list page shows twenty statements, each with its speaker, the office they held then, its
speech or event, and a quotation's themes. Read as models, with the lists' joins and
prefetches, twenty quotations cost 8–11 ms at a million: about 120 model instances, and a
queryset per row for each prefetch; the SQL is 0.4 ms of it. Read as values, in the same
number of queries, they cost about 2 ms. ``quote_cards`` and ``speech_items`` read them so;
``QuoteCard.of`` and ``SpeechItem.of`` make the same cards from models already loaded
(the home, speaker, event and compare pages). The template tags ``quote_card`` and
``speech_item`` draw either.

Every attribute a list's keyset reads (``speech__date``, ``speech_id``, ``position``,
``date``, ``pk``) has the model's name, so cursors are made from cards as from models.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import router

from archive.links import record_urls
from archive.models import Office, Quote, Speech, format_date, office_held, stated_office_of
from archive.prepared import PreparedRead


@dataclass(slots=True, frozen=True)
class Link:
    """A record a card links to: its name and its address."""

    name: str
    url: str


class Dated:
    """``date_display`` for a value with a ``date`` and its ``date_precision``."""

    __slots__ = ()

    @property
    def date_display(self) -> str:
        return format_date(self.date, self.date_precision)


@dataclass(slots=True, frozen=True)
class DatedLink(Dated):
    """A speech as a quotation's card names it: a link with a date as precise as known."""

    name: str
    url: str
    date: dt.date | None
    date_precision: str


@dataclass(slots=True, frozen=True)
class QuoteCard:
    """A quotation as a list shows it."""

    pk: int
    url: str
    text: str
    kind: str
    speaker: Link
    office: str  # the post the speaker held that day, or ""
    speech: DatedLink
    speech_id: int
    position: int
    themes: tuple[Link, ...]
    # False for a quotation by someone other than its speech's speaker (a reaction reported
    # beside the speech): it was said alongside the speech, not in it.
    own_speech: bool = True

    @classmethod
    def of(cls, quote: Quote) -> QuoteCard:
        """The card of a quotation loaded with its speech, speaker, themes and offices."""
        speech = quote.speech
        return cls(
            pk=quote.pk,
            url=quote.get_absolute_url(),
            text=quote.text,
            kind=quote.kind,
            speaker=Link(quote.speaker.name, quote.speaker.get_absolute_url()),
            office=_post(quote.speaker_office()),
            speech=DatedLink(
                speech.title, speech.get_absolute_url(), speech.date, speech.date_precision
            ),
            speech_id=quote.speech_id,
            position=quote.position,
            themes=tuple(Link(t.name, t.get_absolute_url()) for t in quote.themes.all()),
            own_speech=quote.speaker_id == speech.speaker_id,
        )


@dataclass(slots=True, frozen=True)
class SpeechItem(Dated):
    """A speech, letter, interview or statement as a list shows it."""

    pk: int
    url: str
    title: str
    kind_label: str
    speaker: Link
    office: str  # the post the speaker held that day, or ""
    date: dt.date | None
    date_precision: str
    event: Link | None
    summary: str

    @classmethod
    def of(cls, speech: Speech) -> SpeechItem:
        """The item of a speech loaded with its speaker, offices and event."""
        event = speech.event
        return cls(
            pk=speech.pk,
            url=speech.get_absolute_url(),
            title=speech.title,
            kind_label=str(speech.get_kind_display()),
            speaker=Link(speech.speaker.name, speech.speaker.get_absolute_url()),
            office=_post(speech.speaker_office()),
            date=speech.date,
            date_precision=speech.date_precision,
            event=Link(event.name, event.get_absolute_url()) if event else None,
            summary=speech.summary,
        )


# The cards' reads, written by the ORM once per database (``archive.prepared``): for twenty
# rows, writing the SQL cost several times what running it did.
_QUOTE_ROWS = PreparedRead(
    Quote,
    "pk",
    lambda among: (
        Quote.objects.filter(among)
        .order_by()
        .values_list(
            "pk",
            "slug",
            "text",
            "kind",
            "speaker_id",
            "speaker__name",
            "speaker__slug",
            "speech_id",
            "speech__title",
            "speech__slug",
            "speech__date",
            "speech__date_precision",
            "position",
            "speech__speaker_id",
            "speech__stated_office_id",
            "stated_office_id",
        )
    ),
)
# The themes' own order (by name), as a quotation's ``themes.all()`` gives them.
_THEME_ROWS = PreparedRead(
    Quote.themes.through,
    "quote_id",
    lambda among: (
        Quote.themes.through.objects.filter(among)
        .order_by("theme__name", "theme_id")
        .values_list("quote_id", "theme__name", "theme__slug")
    ),
)
_SPEECH_ROWS = PreparedRead(
    Speech,
    "pk",
    lambda among: (
        Speech.objects.filter(among)
        .order_by()
        .values_list(
            "pk",
            "slug",
            "title",
            "kind",
            "speaker_id",
            "speaker__name",
            "speaker__slug",
            "date",
            "date_precision",
            "event__name",
            "event__slug",
            "summary",
            "stated_office_id",
        )
    ),
)
_OFFICE_FIELDS = [field.attname for field in Office._meta.concrete_fields]
# In the offices' own order, as ``speaker.offices.all()`` gives them.
_OFFICE_ROWS = PreparedRead(
    Office,
    "speaker_id",
    lambda among: Office.objects.filter(among).values_list(*_OFFICE_FIELDS),
)


def quote_cards(ids: list[int]) -> list[QuoteCard]:
    """The cards of the quotations with these ids, in this order (missing ids skipped).

    Three queries whatever the number: the quotations with their speeches and speakers,
    their themes, and their speakers' offices.
    """
    if not ids:
        return []
    rows = _in_order(ids, _QUOTE_ROWS.rows(ids))
    record_url = record_urls()
    themes: dict[int, list[Link]] = defaultdict(list)
    for quote_id, name, slug in _THEME_ROWS.rows(row[0] for row in rows):
        themes[quote_id].append(Link(name, record_url("archive:theme-detail", slug)))
    offices = offices_of({row[4] for row in rows})
    cards = []
    for row in rows:
        (pk, slug, text, kind, speaker_id, speaker_name, speaker_slug, speech_id) = row[:8]
        speech_title, speech_slug, date, precision, position, speech_speaker, stated, own = row[8:]
        stated = stated_office_of(speaker_id, speech_speaker, stated, own)
        cards.append(
            QuoteCard(
                pk=pk,
                url=record_url("archive:quote-detail", slug),
                text=text,
                kind=kind,
                speaker=Link(speaker_name, record_url("archive:speaker-detail", speaker_slug)),
                office=_post(office_held(offices.get(speaker_id, ()), date, precision, stated)),
                speech=DatedLink(
                    speech_title, record_url("archive:speech-detail", speech_slug), date, precision
                ),
                speech_id=speech_id,
                position=position,
                themes=tuple(themes.get(pk, ())),
                own_speech=speaker_id == speech_speaker,
            )
        )
    return cards


def speech_items(ids: list[int]) -> list[SpeechItem]:
    """The items of the speeches with these ids, in this order (missing ids skipped).

    Two queries whatever the number: the speeches with their speakers and events, and the
    speakers' offices.
    """
    if not ids:
        return []
    rows = _in_order(ids, _SPEECH_ROWS.rows(ids))
    record_url = record_urls()
    offices = offices_of({row[4] for row in rows})
    kinds = dict(Speech._meta.get_field("kind").flatchoices)
    items = []
    for row in rows:
        (pk, slug, title, kind, speaker_id, speaker_name, speaker_slug, date, precision) = row[:9]
        event_name, event_slug, summary, stated = row[9:]
        items.append(
            SpeechItem(
                pk=pk,
                url=record_url("archive:speech-detail", slug),
                title=title,
                kind_label=str(kinds.get(kind, kind)),
                speaker=Link(speaker_name, record_url("archive:speaker-detail", speaker_slug)),
                office=_post(office_held(offices.get(speaker_id, ()), date, precision, stated)),
                date=date,
                date_precision=precision,
                event=(
                    Link(event_name, record_url("archive:event-detail", event_slug))
                    if event_slug is not None
                    else None
                ),
                summary=summary,
            )
        )
    return items


def theme_names(quote_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of each of these quotations' themes, in the themes' own order (by name),
    as ``quote.themes.all()`` gives them (one query; no model instances)."""
    names: dict[int, list[str]] = defaultdict(list)
    for quote_id, name, _ in _THEME_ROWS.rows(quote_ids):
        names[quote_id].append(name)
    return names


def _in_order(ids: list[int], rows: Iterable[tuple]) -> list[tuple]:
    """``rows`` (each led by its id) in the order of ``ids``; ids with no row skipped."""
    by_id = {row[0]: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def _post(office: Office | None) -> str:
    return office.post if office else ""


def offices_of(speaker_ids: Iterable[int]) -> dict[int, list[Office]]:
    """Each of these speakers' offices, in the offices' own order (one query)."""
    held: dict[int, list[Office]] = defaultdict(list)
    alias = router.db_for_read(Office)
    for row in _OFFICE_ROWS.rows(speaker_ids):
        office = Office.from_db(alias, _OFFICE_FIELDS, row)
        held[office.speaker_id].append(office)
    return held
