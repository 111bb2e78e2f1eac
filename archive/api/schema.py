"""What the OpenAPI schema says about the query parameters and the error answers.

The filters' parameters are described from the FilterSets themselves, so the schema cannot
drift from what the lists accept.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from archive.filters import MAX_QUERY_LENGTH

# An empty value means "any", as when the pages' forms send an unchosen <select>.
SLUG_PATTERN = r"^([-a-zA-Z0-9_]{1,200})?$"
PARTIAL_DATE_INPUT = r"^([0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?)?$"

HELP = {
    "q": "Words to search for (phrases in double quotes, OR, -word to exclude).",
    "speaker": "A speaker's id (slug), e.g. andrew-lansley.",
    "minister": "1: only people who have held a ministerial post; 0: only others.",
    "office": "A post's id (the slug in an office's post.id, not the office's own number), "
    "e.g. secretary-of-state-for-health: statements made while the speaker held that post.",
    "event": "An event's id (slug).",
    "event_kind": "The kind of event.",
    "theme": "A theme's id (slug).",
    "kind": "The kind of statement (on events: the kind of event).",
    "quote_kind": "Direct quotation or reported speech (on speeches: those with such a quote).",
    "date_after": "On or after this date: YYYY-MM-DD, YYYY-MM or YYYY. A statement known "
    "only to the month or year matches if any day it could have been made is in range.",
    "date_before": "On or before this date: YYYY-MM-DD, YYYY-MM or YYYY.",
    "sort": (
        "newest (default), oldest, or relevance (best match first; needs q). With q the "
        "default is relevance when the words match at most 1,000 records, else newest."
    ),
    "post": "A post's id (an office's post.id, a slug): every holder of that post.",
    "ministerial": "1: ministerial posts only; 0: other posts.",
    "parent": "A theme's id (slug): its narrower themes.",
}

ERROR_RESPONSE = inline_serializer(
    "ParameterError",
    fields={
        "detail": serializers.CharField(),
        "parameters": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Each parameter that could not be used, with the reasons.",
        ),
    },
)
NOT_FOUND_RESPONSE = inline_serializer("NotFound", fields={"detail": serializers.CharField()})


def filter_parameters(filterset_class) -> list[dict]:
    """One documented query parameter per filter of ``filterset_class`` (OpenAPI objects)."""
    parameters = []
    for name, filt in filterset_class.base_filters.items():
        choices = filt.extra.get("choices")
        schema: dict = {"type": "string"}
        if choices:
            schema["enum"] = ["", *(value for value, _ in choices)]
        elif name == "q":
            schema["maxLength"] = MAX_QUERY_LENGTH
        elif name.startswith("date_"):
            schema["pattern"] = PARTIAL_DATE_INPUT
        else:
            schema["pattern"] = SLUG_PATTERN
        parameters.append(
            {
                "in": "query",
                "name": name,
                "required": False,
                "description": HELP.get(name, str(filt.label or name)),
                "schema": schema,
            }
        )
    return parameters


class StrictFilterExtension(OpenApiFilterExtension):
    """Documents ``StrictFilterBackend``'s parameters from the view's FilterSet.

    Written out here rather than guessed by drf-spectacular, which cannot see what a
    ``method=`` filter accepts.
    """

    target_class = "archive.api.filters.StrictFilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs) -> list[dict]:
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        if filterset_class is None or not auto_schema._is_list_view():
            return []
        return filter_parameters(filterset_class)


LIST_RESPONSES = {400: OpenApiResponse(ERROR_RESPONSE, description="A parameter was not usable.")}
NOT_FOUND = {404: OpenApiResponse(NOT_FOUND_RESPONSE, description="No such record or page.")}
