"""Serializer fields the API shares: dates as precise as they are known, and permalinks.

Addresses are built from a prefix and the record's key (``RecordLinks``), not with a
``reverse()`` per field: a page of twenty quotations holds some two hundred addresses, and
resolving each through the URLconf cost more than the page's SQL.
"""

from __future__ import annotations

import re

from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from archive.models import DatePrecision

# Popolo's pattern for dates of reduced precision (ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD).
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}){0,2}$"
# A key made only of these characters reads the same in a path and in a URI, so it can be
# put between a link's prefix and suffix as it is; any other key takes the reverse() path,
# which quotes it.
_PLAIN_KEY = re.compile(r"[-a-zA-Z0-9_]+")
# Stands for the key while the prefix is resolved: digits, so it fits a slug and a number.
_KEY_MARK = "918273645546372819"


def partial_date(date, precision: str) -> str | None:
    """A date written only as precisely as it is known: "2012-06-01", "2012-06", "2012"."""
    if date is None:
        return None
    # Formatted by hand rather than with strftime: CSV exports call this for every row.
    if precision == DatePrecision.DAY:
        return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    return None


class RecordLinks:
    """The addresses of one kind of record: ``links(slug)`` → ``http://host/quotes/<slug>/``.

    The same string ``request.build_absolute_uri(reverse(view_name, kwargs={kwarg: key}))``
    gives, resolved once (on first use) rather than once per record. Without a request the
    addresses are paths, as ``get_absolute_url()`` gives.
    """

    def __init__(self, request: HttpRequest | None, view_name: str, kwarg: str = "slug"):
        self.request = request
        self.view_name = view_name
        self.kwarg = kwarg
        self._around: tuple[str, str] | None = None

    def __call__(self, key) -> str:
        text = str(key)
        if not _PLAIN_KEY.fullmatch(text):
            return self._absolute(reverse(self.view_name, kwargs={self.kwarg: key}))
        if self._around is None:
            address = self._absolute(reverse(self.view_name, kwargs={self.kwarg: _KEY_MARK}))
            head, _, tail = address.rpartition(_KEY_MARK)
            self._around = (head, tail)
        head, tail = self._around
        return f"{head}{text}{tail}"

    def _absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path) if self.request is not None else path


def plain_links_request(context: dict) -> HttpRequest | None:
    """The request whose addresses can be built from a prefix (``RecordLinks``); None when
    DRF's own ``reverse()`` must build them: no request, a format suffix, or an API version
    that would change the address."""
    request = context.get("request")
    if (
        request is None
        or context.get("format")
        or getattr(request, "versioning_scheme", None) is not None
    ):
        return None
    return request


def _record_links_for(field: serializers.Field, view_name: str, kwarg: str) -> RecordLinks:
    """The field's ``RecordLinks`` for the current request, made once per request."""
    request = field.context.get("request")
    links = getattr(field, "_links", None)
    if links is None or links.request is not request:
        links = field._links = RecordLinks(request, view_name, kwarg)
    return links


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": PARTIAL_DATE_PATTERN,
        "example": "2012-06",
        "description": "ISO 8601 date as precise as the sources state it (see date_precision); "
        "null when the date is unknown.",
    }
)
class PartialDateField(serializers.Field):
    """A record's date and precision, written as a partial ISO 8601 date."""

    def __init__(self, *, date_attr: str = "date", precision_attr: str = "date_precision", **kw):
        self.date_attr = date_attr
        self.precision_attr = precision_attr
        kw.setdefault("source", "*")
        kw["read_only"] = True
        super().__init__(**kw)

    def to_representation(self, record):
        return partial_date(
            _follow(record, self.date_attr), _follow(record, self.precision_attr) or ""
        )


@extend_schema_field({"type": "string", "format": "uri"})
class PermalinkField(serializers.Field):
    """The absolute address of the record's page on the site (its permalink).

    ``view_name`` (with the record's ``slug``) builds the address without a ``reverse()`` per
    record; it must name the view the model's ``get_absolute_url()`` reverses. Without it,
    ``get_absolute_url()`` is called.
    """

    def __init__(self, view_name: str | None = None, **kw):
        self.view_name = view_name
        kw.setdefault("source", "*")
        kw["read_only"] = True
        super().__init__(**kw)

    def to_representation(self, record: Model) -> str:
        if self.view_name is not None:
            return _record_links_for(self, self.view_name, "slug")(record.slug)
        request = self.context.get("request")
        path = record.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class ApiLinkField(serializers.HyperlinkedIdentityField):
    """``HyperlinkedIdentityField`` (same output, same schema), built from a prefix.

    Falls back to DRF's own ``reverse()`` when a format suffix or an API version would
    change the address.
    """

    def to_representation(self, value):
        if plain_links_request(self.context) is None:
            return super().to_representation(value)
        if value.pk in (None, ""):
            return None
        links = _record_links_for(self, self.view_name, self.lookup_url_kwarg)
        return links(getattr(value, self.lookup_field))


def _follow(record, path: str):
    for part in path.split("."):
        if record is None:
            return None
        record = getattr(record, part)
    return record
