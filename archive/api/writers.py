"""Quotations and speeches written out directly, for the API's two big lists.

``QuoteSerializer`` describes a quotation field by field, and DRF writes one by asking each
field (and each nested serializer's fields) for its value: some forty fields a record, eight
hundred a page, which was half the time of ``/api/quotes/`` at a million quotations. Here
the same record is written in one function, with addresses built from their prefixes
(``RecordLinks``). The serializers stay what the schema and anything unusual (a format
suffix, a request-less context) use; tests compare the two for every quotation and speech
of the seed archive and for the records the lists read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from archive.api.fields import RecordLinks, partial_date
from archive.links import web_url
from archive.models import Event, Office, Quote, Source, Speaker, Speech, Theme


def moment_writer() -> Callable[[dt.datetime | None], str | None]:
    """Writes a timestamp as DRF's ``DateTimeField`` does (in the current time zone, "Z" for
    UTC), with the zone looked up once: asked per value, DRF looked it up each time (40 a
    page, a tenth of the API list's time at a million quotations)."""
    field = serializers.DateTimeField(read_only=True)
    zone = field.default_timezone()
    if zone is None or (api_settings.DATETIME_FORMAT or "").lower() != ISO_8601:
        return field.to_representation

    def moment(value: dt.datetime | None) -> str | None:
        if not value or value.tzinfo is None:  # a naive time is made aware as DRF does
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return moment


class RecordWriter:
    """What a statement's record says about the records it points at, as the reference
    serializers write it, with one request's absolute addresses."""

    def __init__(self, request) -> None:
        def links(view_name: str, kwarg: str = "slug") -> RecordLinks:
            return RecordLinks(request, view_name, kwarg)

        self.quote_page, self.quote_api = links("archive:quote-detail"), links("api:quote-detail")
        self.person_page = links("archive:speaker-detail")
        self.person_api = links("api:speaker-detail")
        self.speech_page = links("archive:speech-detail")
        self.speech_api = links("api:speech-detail")
        self.event_page, self.event_api = links("archive:event-detail"), links("api:event-detail")
        self.theme_page, self.theme_api = links("archive:theme-detail"), links("api:theme-detail")
        self.source_page = links("archive:source-detail")
        self.post_page = links("archive:office-detail")
        self.office_api = links("api:office-detail", "pk")
        self.moment = moment_writer()

    def person(self, speaker: Speaker) -> dict:
        return {
            "id": speaker.slug,
            "name": speaker.name,
            "url": self.person_page(speaker.slug),
            "api_url": self.person_api(speaker.slug),
        }

    def office(self, office: Office) -> dict:
        return {
            "id": office.pk,
            "post": {"id": office.slug, "label": office.post, "url": self.post_page(office.slug)},
            "organization": {"name": office.organisation} if office.organisation else None,
            "start_date": office.start_date.isoformat() if office.start_date else None,
            "end_date": office.end_date.isoformat() if office.end_date else None,
            "ended": office.ended,
            "is_ministerial": office.is_ministerial,
            "api_url": self.office_api(office.pk),
        }

    def speech(self, speech: Speech) -> dict:
        return {
            "id": speech.slug,
            "title": speech.title,
            "kind": speech.kind,
            "url": self.speech_page(speech.slug),
            "api_url": self.speech_api(speech.slug),
        }

    def event(self, event: Event) -> dict:
        return {
            "id": event.slug,
            "name": event.name,
            "url": self.event_page(event.slug),
            "api_url": self.event_api(event.slug),
        }

    def theme(self, theme: Theme) -> dict:
        return {
            "id": theme.slug,
            "name": theme.name,
            "url": self.theme_page(theme.slug),
            "api_url": self.theme_api(theme.slug),
        }

    def source(self, source: Source) -> dict:
        return {
            "id": source.slug,
            "title": source.title,
            "publisher": source.publisher,
            "date": partial_date(source.date, source.date_precision),
            "original_url": web_url(source.url) or None,
            "is_original": source.is_original,
            "url": self.source_page(source.slug),
        }

    def statement(self, record: Quote | Speech, speech: Speech) -> dict:
        """The parts a quotation and a speech share: who, in what role, when, where."""
        speaker = record.speaker
        office = record.speaker_office()
        event = speech.event
        return {
            "id": record.slug,
            "creator": self.person(speaker),
            "creator_id": speaker.slug,
            "role": office.post if office else None,
            "office": self.office(office) if office else None,
            "date": partial_date(speech.date, speech.date_precision),
            "date_precision": speech.date_precision,
            "event": self.event(event) if event else None,
            "event_id": event.slug if event else None,
            "source": self.source(speech.source) if speech.source else None,
            "created_at": self.moment(record.created_at),
            "updated_at": self.moment(record.updated_at),
        }


class StatementWriter(RecordWriter):
    """A statement's record: its fields' values by name, in the order of ``fields`` (the
    serializer's ``Meta.fields``, so the two never list them apart)."""

    def __init__(self, request, fields: list[str]) -> None:
        super().__init__(request)
        self.fields = fields

    def ordered(self, values: dict) -> dict:
        return {name: values[name] for name in self.fields}


class QuoteWriter(StatementWriter):
    """Writes quotations as ``QuoteSerializer`` does."""

    def __call__(self, quote: Quote) -> dict:
        speech = quote.speech
        return self.ordered(
            {
                **self.statement(quote, speech),
                "text": quote.text,
                "editorial_note": speech.editorial_note,
                "attribution_text": quote.attribution,
                "kind": speech.kind,
                "quote_kind": quote.kind,
                "position": quote.position,
                "speech": self.speech(speech),
                "themes": [self.theme(theme) for theme in quote.themes.all()],
                "url": self.quote_page(quote.slug),
                "api_url": self.quote_api(quote.slug),
            }
        )


class SpeechWriter(StatementWriter):
    """Writes speeches as ``SpeechSerializer`` does; ``themes`` gives a speech's themes (its
    quotations', by name)."""

    def __init__(self, request, fields: list[str], themes: Callable[[Speech], list[Theme]]) -> None:
        super().__init__(request, fields)
        self.themes = themes

    def __call__(self, speech: Speech) -> dict:
        return self.ordered(
            {
                **self.statement(speech, speech),
                "title": speech.title,
                "kind": speech.kind,
                "summary": speech.summary,
                "text": speech.text,
                "editorial_note": speech.editorial_note,
                "themes": [self.theme(theme) for theme in self.themes(speech)],
                "url": self.speech_page(speech.slug),
                "api_url": self.speech_api(speech.slug),
            }
        )
