"""What each holder of an office said on one theme while in post (the office page's ?theme=)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import F, Q

from archive.models import Office, Quote, Theme

PER_PAGE_LIMIT = 200  # quotations read for the whole comparison, oldest first


@dataclass
class HolderStatements:
    """One term of office and the quotations its holder gave on the theme during it."""

    office: Office
    quotes: list[Quote] = field(default_factory=list)


def in_term(office: Office, path: str = "speech__date") -> Q:
    """Statements by the office's holder dated within the term (the rule the filters use)."""
    condition = Q(speaker_id=office.speaker_id, **{f"{path}__isnull": False})
    if office.start_date:
        condition &= Q(**{f"{path}__gte": office.start_date})
    if office.end_date:
        condition &= Q(**{f"{path}__lte": office.end_date})
    return condition


def said_by_holders(holders: list[Office], theme: Theme) -> list[HolderStatements]:
    """For each term in ``holders`` (in order), the published quotations on ``theme`` its
    holder gave while in post, oldest first: one query, plus the list's prefetches."""
    groups = [HolderStatements(office) for office in holders]
    if not holders:
        return groups
    quotes = (
        Quote.objects.published()
        .filter(reduce(or_, (in_term(office) for office in holders)), themes=theme)
        .for_list()
        .order_by(F("speech__date").asc(), "speech_id", "position", "pk")[:PER_PAGE_LIMIT]
    )
    for quote in quotes:
        for group in groups:
            if group.office.speaker_id == quote.speaker_id and group.office.covers(
                quote.speech.date
            ):
                group.quotes.append(quote)
                break
    return groups
