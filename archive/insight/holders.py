"""What each holder of an office said on one theme while in post (the office page's ?theme=)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import F

from archive.filters import said_in_post
from archive.models import Office, Quote, Theme, office_held

PER_PAGE_LIMIT = 200  # quotations read for the whole comparison, oldest first


@dataclass
class HolderStatements:
    """One term of office and the quotations its holder gave on the theme during it."""

    office: Office
    quotes: list[Quote] = field(default_factory=list)


def held_throughout(office: Office, quote: Quote) -> bool:
    """Whether ``quote``'s speaker was in ``office`` when they said it: its speech's day, or
    all its month or year when only those are known (``said_in_post``, in Python)."""
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
    # Every holder's terms of the post at once, by the office filter's own rule: a
    # condition per term, ORed, read each speaker's quotations once per term (371 terms of
    # one post at a million quotations: 0.9 s).
    posts = {office.slug for office in holders}
    speakers = {office.speaker_id for office in holders}
    quotes = (
        Quote.objects.published()
        .filter(
            reduce(or_, (said_in_post(slug) for slug in posts)),
            speaker_id__in=speakers,
            themes=theme,
        )
        .for_list()
        .order_by(F("speech__date").asc(), "speech_id", "position", "pk")[:PER_PAGE_LIMIT]
    )
    for quote in quotes:
        for group in groups:
            if held_throughout(group.office, quote):
                group.quotes.append(quote)
                break
    return groups
