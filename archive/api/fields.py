"""Serializer fields the API shares: dates as precise as they are known, and permalinks."""

from __future__ import annotations

from django.db.models import Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from archive.models import DatePrecision

# Popolo's pattern for dates of reduced precision (ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD).
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}){0,2}$"
_FORMATS = {
    DatePrecision.DAY: "%Y-%m-%d",
    DatePrecision.MONTH: "%Y-%m",
    DatePrecision.YEAR: "%Y",
}


def partial_date(date, precision: str) -> str | None:
    """A date written only as precisely as it is known: "2012-06-01", "2012-06", "2012"."""
    fmt = _FORMATS.get(precision)
    if date is None or fmt is None:
        return None
    return f"{date.year:04d}{date.strftime(fmt)[4:]}"


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
    """The absolute address of the record's page on the site (its permalink)."""

    def __init__(self, **kw):
        kw.setdefault("source", "*")
        kw["read_only"] = True
        super().__init__(**kw)

    def to_representation(self, record: Model) -> str:
        request = self.context.get("request")
        path = record.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


def _follow(record, path: str):
    for part in path.split("."):
        if record is None:
            return None
        record = getattr(record, part)
    return record
