"""How each record reads in the API, with Popolo's names where Popolo has one.

Every record has a stable ``id`` (its slug, the same as in its page's address; offices,
which have no slug of their own, use their number), ``url`` (the page on the site) and
``api_url`` (this record in the API). Nested references carry the same three fields, so a
client can follow them without guessing.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from archive.api.fields import (
    ApiLinkField,
    PartialDateField,
    PermalinkField,
    plain_links_request,
)
from archive.api.writers import QuoteWriter, SpeechWriter
from archive.links import web_url
from archive.models import (
    DatePrecision,
    Event,
    EventKind,
    Office,
    Quote,
    QuoteKind,
    Source,
    Speaker,
    Speech,
    SpeechKind,
    Theme,
)

_CHOICES = {
    "date_precision": DatePrecision.choices,
    "kind": SpeechKind.choices,
    "quote_kind": QuoteKind.choices,
    "classification": EventKind.choices,
}


def _api_url(view_name: str, lookup: str = "slug") -> ApiLinkField:
    return ApiLinkField(
        view_name=f"api:{view_name}-detail", lookup_field=lookup, lookup_url_kwarg=lookup
    )


def _page_url(name: str) -> PermalinkField:
    """The record's page on the site: the view its model's ``get_absolute_url()`` names."""
    return PermalinkField(f"archive:{name}-detail")


def _choice(name: str, **kw) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=_CHOICES[name], read_only=True, **kw)


# --- references (what a record says about the records it points at) ------------------------


# Fields built once per serializer class, copied for each serializer (``WrittenOut``).
_PROTOTYPES: dict[type, dict[str, serializers.Field]] = {}


def _fresh(field: serializers.Field) -> serializers.Field:
    """A copy of a field not yet bound to a serializer, to bind to another.

    A field holding another (a list's child) is copied deeply, as DRF copies every field:
    the child is bound to its parent. Any other field keeps nothing of the serializer it is
    bound to but attributes that binding sets afresh, so a shallow copy serves.
    """
    if hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    return copy.copy(field)


class WrittenOut:
    """A record written out field by field as DRF writes it (``Serializer.to_representation``),
    with each field's way to its value worked out once per serializer, and fields copied from
    ones built once per class.

    DRF builds a serializer's fields for every request (a model serializer inspects its
    model again, and every declared field is deep-copied: a fifth of the quotation list's
    time), then asks each field for its value through ``get_attribute`` (a few microseconds
    a field; a page of quotations holds a thousand). Here a field whose value is an
    attribute path is read with ``operator.attrgetter``, anything unusual (a callable, a
    missing attribute, a field with its own ``get_attribute``) is handed to DRF as before,
    and ``plain`` fields (strings, never None) are copied as they are. The output is the
    same: tests compare it with DRF's own for every serializer.
    """

    # field name -> attribute copied as it is (strings, never None)
    plain: dict[str, str] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        prototypes = _PROTOTYPES.get(type(self))
        if prototypes is None:
            prototypes = _PROTOTYPES[type(self)] = super().get_fields()
        return {name: _fresh(field) for name, field in prototypes.items()}

    def to_representation(self, record) -> dict:
        written = {}
        for name, attribute, get, field in self._written_out:
            if attribute is not None:
                written[name] = getattr(record, attribute)
                continue
            if get is None:
                value = record  # source="*"
            else:
                try:
                    value = get(record)
                    if callable(value) and get is not field.get_attribute:
                        value = field.get_attribute(record)  # DRF calls methods, not managers
                except SkipField:
                    continue
                except (AttributeError, KeyError, ObjectDoesNotExist):
                    try:
                        value = field.get_attribute(record)  # None, a default, or skipped
                    except SkipField:
                        continue
            if isinstance(value, PKOnlyObject):
                written[name] = None if value.pk is None else field.to_representation(value)
            else:
                written[name] = None if value is None else field.to_representation(value)
        return written

    @cached_property
    def _written_out(self) -> list[tuple[str, str | None, Callable | None, serializers.Field]]:
        steps = []
        for field in self._readable_fields:
            attribute = self.plain.get(field.field_name)
            if attribute is not None or field.source == "*":
                get = None
            elif type(field).get_attribute is serializers.Field.get_attribute:
                get = operator.attrgetter(".".join(field.source_attrs))
            else:
                get = field.get_attribute
            steps.append((field.field_name, attribute, get, field))
        return steps


class ReferenceSerializer(WrittenOut, serializers.ModelSerializer):
    """A short record: another record's reference to it."""


class PersonRefSerializer(ReferenceSerializer):
    """A person, briefly."""

    plain = {"id": "slug", "name": "name"}

    id = serializers.SlugField(source="slug", read_only=True)
    url = _page_url("speaker")
    api_url = _api_url("speaker")

    class Meta:
        model = Speaker
        fields = ["id", "name", "url", "api_url"]


class EventRefSerializer(ReferenceSerializer):
    """An event, briefly."""

    plain = {"id": "slug", "name": "name"}

    id = serializers.SlugField(source="slug", read_only=True)
    url = _page_url("event")
    api_url = _api_url("event")

    class Meta:
        model = Event
        fields = ["id", "name", "url", "api_url"]


class ThemeRefSerializer(ReferenceSerializer):
    """A theme, briefly."""

    plain = {"id": "slug", "name": "name"}

    id = serializers.SlugField(source="slug", read_only=True)
    url = _page_url("theme")
    api_url = _api_url("theme")

    class Meta:
        model = Theme
        fields = ["id", "name", "url", "api_url"]


class SpeechRefSerializer(ReferenceSerializer):
    """A speech, briefly."""

    plain = {"id": "slug", "title": "title", "kind": "kind"}

    id = serializers.SlugField(source="slug", read_only=True)
    kind = _choice("kind")
    url = _page_url("speech")
    api_url = _api_url("speech")

    class Meta:
        model = Speech
        fields = ["id", "title", "kind", "url", "api_url"]


class PostSerializer(WrittenOut, serializers.Serializer):
    """A post (Popolo): every holder of "Secretary of State for Health" shares it."""

    id = serializers.SlugField(source="slug", read_only=True)
    label = serializers.CharField(source="post", read_only=True)
    url = _page_url("office")


class OrganizationSerializer(WrittenOut, serializers.Serializer):
    """An organisation (Popolo ``organization``), known here by name only."""

    name = serializers.CharField(read_only=True)


class SourceSerializer(ReferenceSerializer):
    """Where a statement is known from: a report of it, or itself as published
    (``is_original``)."""

    plain = {"id": "slug", "title": "title", "publisher": "publisher"}

    id = serializers.SlugField(source="slug", read_only=True)
    date = PartialDateField()
    original_url = serializers.SerializerMethodField()
    is_original = serializers.BooleanField(read_only=True)
    url = _page_url("source")

    class Meta:
        model = Source
        fields = ["id", "title", "publisher", "date", "original_url", "is_original", "url"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_original_url(self, source: Source) -> str | None:
        return web_url(source.url) or None


class MembershipRefSerializer(WrittenOut, serializers.ModelSerializer):
    """The office a person held when they spoke (a Popolo membership, without the person)."""

    post = PostSerializer(source="*", read_only=True)
    organization = serializers.SerializerMethodField()
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    api_url = _api_url("office", lookup="pk")

    class Meta:
        model = Office
        fields = [
            "id",
            "post",
            "organization",
            "start_date",
            "end_date",
            "ended",
            "is_ministerial",
            "api_url",
        ]

    @extend_schema_field(OrganizationSerializer(allow_null=True))
    def get_organization(self, office: Office) -> dict | None:
        return {"name": office.organisation} if office.organisation else None


# --- full records -------------------------------------------------------------------------


class PersonSerializer(WrittenOut, serializers.ModelSerializer):
    """A speaker as a Popolo person, with their offices as memberships."""

    id = serializers.SlugField(source="slug", read_only=True)
    honorific_prefix = serializers.CharField(source="honorific", read_only=True)
    biography = serializers.CharField(source="bio", read_only=True)
    other_names = serializers.SerializerMethodField()
    memberships = MembershipRefSerializer(source="offices", many=True, read_only=True)
    speech_count = serializers.IntegerField(read_only=True)
    quote_count = serializers.IntegerField(read_only=True)
    url = _page_url("speaker")
    api_url = _api_url("speaker")

    class Meta:
        model = Speaker
        fields = [
            "id",
            "name",
            "honorific_prefix",
            "other_names",
            "biography",
            "memberships",
            "speech_count",
            "quote_count",
            "url",
            "api_url",
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "required": ["name"],
            },
        }
    )
    def get_other_names(self, speaker: Speaker) -> list[dict]:
        return [{"name": str(alias)} for alias in speaker.aliases or []]


class MembershipSerializer(MembershipRefSerializer):
    """An office held (a Popolo membership): who, which post, from when to when."""

    person = PersonRefSerializer(source="speaker", read_only=True)
    role = serializers.CharField(source="post", read_only=True)
    sources = serializers.SerializerMethodField()

    class Meta(MembershipRefSerializer.Meta):
        fields = [
            "id",
            "person",
            "post",
            "organization",
            "role",
            "start_date",
            "end_date",
            "ended",
            "is_ministerial",
            "sources",
            "api_url",
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"url": {"type": "string", "format": "uri"}},
                "required": ["url"],
            },
        }
    )
    def get_sources(self, office: Office) -> list[dict]:
        url = web_url(office.source_url)
        return [{"url": url}] if url else []


class EventSerializer(WrittenOut, serializers.ModelSerializer):
    """An event (Popolo): a conference, meeting or debate where something was said."""

    id = serializers.SlugField(source="slug", read_only=True)
    classification = serializers.ChoiceField(
        source="kind", choices=EventKind.choices, read_only=True
    )
    start_date = PartialDateField()
    date_precision = _choice("date_precision")
    location = serializers.CharField(source="place", read_only=True)
    organization = serializers.SerializerMethodField()
    speech_count = serializers.IntegerField(read_only=True)
    url = _page_url("event")
    api_url = _api_url("event")

    class Meta:
        model = Event
        fields = [
            "id",
            "name",
            "classification",
            "start_date",
            "date_precision",
            "location",
            "organization",
            "description",
            "speech_count",
            "url",
            "api_url",
        ]

    @extend_schema_field(OrganizationSerializer(allow_null=True))
    def get_organization(self, event: Event) -> dict | None:
        return {"name": event.organiser} if event.organiser else None


class ThemeSerializer(WrittenOut, serializers.ModelSerializer):
    """A policy theme."""

    id = serializers.SlugField(source="slug", read_only=True)
    parent = ThemeRefSerializer(read_only=True, allow_null=True)
    quote_count = serializers.IntegerField(read_only=True)
    url = _page_url("theme")
    api_url = _api_url("theme")

    class Meta:
        model = Theme
        fields = ["id", "name", "description", "parent", "quote_count", "url", "api_url"]


class StatementFields(WrittenOut, serializers.ModelSerializer):
    """What speeches and quotes share: who (Popolo ``creator``), in what role, when, where.

    Records are written by the class's quick writer (``writer``, ``archive.api.writers``)
    when the request's addresses are the plain ones, and field by field otherwise (a format
    suffix, a versioned API, no request).
    """

    def writer(self, request) -> Callable[[Model], dict]:
        raise NotImplementedError

    def to_representation(self, record) -> dict:
        quick = self._quick
        return quick(record) if quick is not None else super().to_representation(record)

    @cached_property
    def _quick(self) -> Callable[[Model], dict] | None:
        request = plain_links_request(self.context)
        return self.writer(request) if request is not None else None

    id = serializers.SlugField(source="slug", read_only=True)
    creator = PersonRefSerializer(source="speaker", read_only=True)
    creator_id = serializers.SlugField(source="speaker.slug", read_only=True)
    role = serializers.SerializerMethodField()
    office = serializers.SerializerMethodField()
    url = PermalinkField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_role(self, statement) -> str | None:
        """The post the speaker held on the statement's date (Popolo: role while speaking)."""
        office = statement.speaker_office()
        return office.post if office else None

    @extend_schema_field(MembershipRefSerializer(allow_null=True))
    def get_office(self, statement) -> dict | None:
        office = statement.speaker_office()
        return self._office_serializer.to_representation(office) if office else None

    @cached_property
    def _office_serializer(self) -> MembershipRefSerializer:
        # One serializer for every row: building one per row (its fields, deep-copied) cost
        # more than writing the row.
        return MembershipRefSerializer(context=self.context)


def speech_themes(speech: Speech) -> list[Theme]:
    """The themes of the speech's quotations, by name: as read with the speech's record
    (``archive.views.reads.speech_records``), or from its prefetched quotations."""
    read = getattr(speech, "quote_themes", None)
    if read is not None:
        return read
    themes = {t.pk: t for quote in speech.quotes.all() for t in quote.themes.all()}
    return sorted(themes.values(), key=lambda t: t.name)


class SpeechSerializer(StatementFields):
    """A speech, letter, interview or statement (Popolo speech)."""

    kind = _choice("kind")
    date = PartialDateField()
    date_precision = _choice("date_precision")
    event = EventRefSerializer(read_only=True, allow_null=True)
    event_id = serializers.SlugField(source="event.slug", read_only=True, allow_null=True)
    source = SourceSerializer(read_only=True, allow_null=True)
    themes = serializers.SerializerMethodField()
    url = _page_url("speech")
    api_url = _api_url("speech")

    class Meta:
        model = Speech
        fields = [
            "id",
            "title",
            "kind",
            "creator",
            "creator_id",
            "role",
            "office",
            "date",
            "date_precision",
            "event",
            "event_id",
            "summary",
            "text",
            "editorial_note",
            "themes",
            "source",
            "created_at",
            "updated_at",
            "url",
            "api_url",
        ]

    def writer(self, request) -> SpeechWriter:
        return SpeechWriter(request, self.Meta.fields, themes=speech_themes)

    @extend_schema_field(ThemeRefSerializer(many=True))
    def get_themes(self, speech: Speech) -> list[dict]:
        """The themes of the speech's quotations, by name."""
        return [self._theme_serializer.to_representation(t) for t in speech_themes(speech)]

    @cached_property
    def _theme_serializer(self) -> ThemeRefSerializer:
        return ThemeRefSerializer(context=self.context)


class QuoteSerializer(StatementFields):
    """A quotation: the words, who said them (``creator``), and in which speech."""

    attribution_text = serializers.CharField(source="attribution", read_only=True)
    # The speech's note: it tells how the words, these among them, are shown.
    editorial_note = serializers.CharField(source="speech.editorial_note", read_only=True)
    kind = _choice("kind", source="speech.kind")
    quote_kind = _choice("quote_kind", source="kind")
    date = PartialDateField(date_attr="speech.date", precision_attr="speech.date_precision")
    date_precision = _choice("date_precision", source="speech.date_precision")
    speech = SpeechRefSerializer(read_only=True)
    event = EventRefSerializer(source="speech.event", read_only=True, allow_null=True)
    event_id = serializers.SlugField(source="speech.event.slug", read_only=True, allow_null=True)
    themes = ThemeRefSerializer(many=True, read_only=True)
    source = SourceSerializer(source="speech.source", read_only=True, allow_null=True)
    url = _page_url("quote")
    api_url = _api_url("quote")

    class Meta:
        model = Quote
        fields = [
            "id",
            "text",
            "editorial_note",
            "creator",
            "creator_id",
            "attribution_text",
            "role",
            "office",
            "date",
            "date_precision",
            "kind",
            "quote_kind",
            "position",
            "speech",
            "event",
            "event_id",
            "themes",
            "source",
            "created_at",
            "updated_at",
            "url",
            "api_url",
        ]

    def writer(self, request) -> QuoteWriter:
        return QuoteWriter(request, self.Meta.fields)
