"""The API's filters: the reader pages' FilterSets, applied strictly.

The pages forgive bad input (they leave the filter out and say so); a program deserves to
know at once, so the API answers ``400`` with a JSON body naming every parameter it could
not use, including parameters it does not know (a misspelt ``speakr`` would otherwise
silently return everything)::

    {"detail": "Some query parameters could not be used.",
     "parameters": {"theme": ["There is no theme with that name in the archive; …"]}}
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import status
from rest_framework.exceptions import APIException

from archive.filters import (
    MINISTER_CHOICES,
    EventFilter,
    OptionFilter,
    QuoteFilter,
    SlugFilter,
    SpeechFilter,
)
from archive.models import Office, Speaker, Theme

# Parameters every list reads besides its filters (pagination).
PAGE_PARAMETERS = ("page", "page_size")


class InvalidParameters(APIException):
    """``400``: some query parameters were unknown or had values that could not be used."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameters"

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(
            {
                "detail": "Some query parameters could not be used.",
                "parameters": {name: [str(m) for m in msgs] for name, msgs in problems.items()},
            }
        )


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter for DRF, refusing unknown parameters and invalid values with a 400."""

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(PAGE_PARAMETERS)
        if filterset_class is not None:
            known.update(filterset_class.base_filters)
        problems: dict[str, list[str]] = {}
        for name, values in request.query_params.lists():
            if name not in known:
                problems[name] = ["Unknown parameter."]
            elif len(values) > 1:
                problems[name] = ["Give this parameter once."]
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            for name, messages in filterset.errors.items():
                # Said once: a repeated filter is refused by the filter's form too.
                said = problems.setdefault(name, [])
                if said == ["Give this parameter once."]:
                    messages = [m for m in messages if m != "Give this filter once."]
                said.extend(messages)
        if problems:
            raise InvalidParameters(problems)
        # Kept for the pagination, which may read a large set's page by walking its index.
        view.filterset = filterset
        return filterset.qs if filterset is not None else queryset


# --- FilterSets for the records the pages do not filter ------------------------------------


class QuoteApiFilter(QuoteFilter):
    """The quotes list's filters and search (``archive.filters.QuoteFilter``)."""

    @classmethod
    def counts_kind(cls) -> str:
        return QuoteFilter.counts_kind()  # the same set as the list's: the same total


class SpeechApiFilter(SpeechFilter):
    """The speeches list's filters and search (``archive.filters.SpeechFilter``)."""

    @classmethod
    def counts_kind(cls) -> str:
        return SpeechFilter.counts_kind()


class EventApiFilter(EventFilter):
    """The events list's filter (``archive.filters.EventFilter``): ``kind``."""


class SpeakerApiFilter(django_filters.FilterSet):
    """Speakers: ``minister=1`` for those who have held a ministerial post, ``0`` for others."""

    minister = OptionFilter(method="filter_minister", label="Ministers", choices=MINISTER_CHOICES)

    class Meta:
        model = Speaker
        fields: list[str] = []

    def filter_minister(self, queryset, name, value):
        ministers = Speaker.objects.ministers().values("pk")
        return (
            queryset.filter(pk__in=ministers)
            if value == "1"
            else queryset.exclude(pk__in=ministers)
        )


class OfficeApiFilter(django_filters.FilterSet):
    """Offices held: by ``speaker`` slug, by ``post`` (the office's slug), ``ministerial``."""

    speaker = SlugFilter(field_name="speaker", queryset=Speaker.objects.all(), noun="speaker")
    post = SlugFilter(
        method="filter_post", queryset=Office.objects.order_by("start_date"), noun="office"
    )
    ministerial = OptionFilter(
        method="filter_ministerial",
        label="Ministerial post",
        choices=[("1", "Ministerial posts only"), ("0", "Other posts")],
    )

    class Meta:
        model = Office
        fields: list[str] = []

    def filter_post(self, queryset, name, value: Office):
        return queryset.filter(slug=value.slug)

    def filter_ministerial(self, queryset, name, value):
        return queryset.filter(is_ministerial=value == "1")


class ThemeApiFilter(django_filters.FilterSet):
    """Themes: ``parent`` (a theme's slug) for its narrower themes."""

    parent = SlugFilter(field_name="parent", queryset=Theme.objects.all(), noun="theme")

    class Meta:
        model = Theme
        fields: list[str] = []
