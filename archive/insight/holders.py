"""What each holder of an office said on one theme while in post (the office page's ?theme=)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual

from archive.filters import PeriodEnd
from archive.models import Office, Quote, Theme, office_held

PER_PAGE_LIMIT = 200  # quotations read for the whole comparison, oldest first


@dataclass
class HolderStatements:
    """One term of office and the quotations its holder gave on the theme during it."""

    office: Office
    quotes: list[Quote] = field(default_factory=list)


def in_term(office: Office, path: str = "speech__date") -> Q:
    """Statements by the office's holder made within the term, by the rule the ``office``
    filter uses (``QuoteFilter.offices_held_at``): dated, on or after the term's start, and
    a statement known only to the month or year only if the term lasted to that period's
    last day (``PeriodEnd``); ``office_held`` is the same rule in Python."""
    condition = Q(speaker_id=office.speaker_id, **{f"{path}__isnull": False})
    if office.start_date:
        condition &= Q(**{f"{path}__gte": office.start_date})
    if office.end_date:
        last = PeriodEnd(F(path), F(f"{path}_precision"))
        condition &= Q(LessThanOrEqual(last, office.end_date))
    return condition


def held_throughout(office: Office, quote: Quote) -> bool:
    """Whether ``quote``'s speaker was in ``office`` when they said it: its speech's day, or
    all its month or year when only those are known (``in_term`` in Python)."""
    speech = quote.speech
    return office.speaker_id == quote.speaker_id and (
        office_held([office], speech.date, speech.date_precision) is not None
    )


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
            if held_throughout(group.office, quote):
                group.quotes.append(quote)
                break
    return groups
