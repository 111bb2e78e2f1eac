"""Compare: what two or more speakers said on one theme, side by side in time order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F
from django.http import QueryDict

from archive.cards import QuoteCard, quote_cards
from archive.filters import QuoteFilter
from archive.models import DatedTag, Quote, Speaker, Status, Theme

MIN_SPEAKERS = 2
MAX_SPEAKERS = 4
# From this many quotations of a speaker on the theme, a column walks the date index: a
# column then costs about its length × (published quotations / WALK_FROM) index steps at most.
WALK_FROM = 2_000
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


def per_column() -> int:
    """Quotations shown per column, oldest first: a list page's worth
    (``ARCHIVE_PAGE_SIZE``), so that the speaker's list, oldest first, goes on from its
    second page. A phone stacks the columns, and fifty cards before the second speaker's
    lost the comparison."""
    return settings.ARCHIVE_PAGE_SIZE


@dataclass
class Column:
    speaker: Speaker
    quotes: list[QuoteCard] = field(default_factory=list)
    more: bool = False
    total: int = 0  # their published quotations on the theme, as last counted


@dataclass
class Comparison:
    """A reader's request, checked: the theme, the speakers, and what was wrong with it."""

    theme: Theme | None = None
    speakers: list[Speaker] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what was done with the request

    @property
    def is_ready(self) -> bool:
        return bool(self.theme and len(self.speakers) >= MIN_SPEAKERS and not self.errors)


def read_request(params: QueryDict) -> Comparison:
    """Check ``?theme=…&speaker=…&speaker=…``; problems are explained, never raised.

    Messages never repeat what was typed. Unknown or malformed slugs are reported; a speaker
    named twice counts once.
    """
    result = Comparison()
    theme_values = params.getlist("theme")
    raw_theme = theme_values[0].strip() if theme_values else ""
    if len(theme_values) > 1:
        result.errors["theme"] = "Choose one theme."
    elif raw_theme:
        theme = Theme.objects.filter(slug=raw_theme).first() if _SLUG.fullmatch(raw_theme) else None
        if theme is None:
            result.errors["theme"] = (
                "There is no such theme in the archive; choose one from the list."
            )
        result.theme = theme

    given = [v.strip() for v in params.getlist("speaker") if v.strip()]
    slugs = list(dict.fromkeys(given))
    if len(slugs) < len(given):
        result.notices.append("A speaker chosen more than once is compared once.")
    if len(slugs) > MAX_SPEAKERS:
        result.errors["speaker"] = f"Compare at most {MAX_SPEAKERS} speakers at a time."
        slugs = slugs[:MAX_SPEAKERS]
    if any(not _SLUG.fullmatch(s) for s in slugs):
        result.errors["speaker"] = "Choose the speakers from the lists."
        slugs = [s for s in slugs if _SLUG.fullmatch(s)]
    found = {s.slug: s for s in Speaker.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        # Named (the template escapes it), so a reader knows which link or entry is wrong.
        names = ", ".join(f"“{s}”" for s in unknown)
        result.errors["speaker"] = (
            f"There is no speaker {names} in the archive; choose from the lists."
            if len(unknown) == 1
            else f"There are no speakers {names} in the archive; choose from the lists."
        )
    result.speakers = [found[s] for s in slugs if s in found]
    # A theme alone is the first step, not a mistake: its speakers then fill the menus.
    if slugs and len(slugs) < MIN_SPEAKERS and "speaker" not in result.errors:
        result.errors["speaker"] = f"Choose at least {MIN_SPEAKERS} different speakers."
    if slugs and not raw_theme and "theme" not in result.errors:
        result.errors["theme"] = "Choose a theme."
    return result


def quotations_per_speaker(theme: Theme) -> dict[int, int]:
    """``{speaker id: published quotations on theme}`` for each speaker who has any (one
    GROUP BY over the theme's quotations)."""
    rows = (
        Quote.objects.published()
        .filter(themes=theme)
        .order_by()
        .values("speaker_id")
        .annotate(n=Count("pk"))
    )
    return {row["speaker_id"]: row["n"] for row in rows}


def fill_columns(comparison: Comparison, per_speaker: dict[int, int] | None = None) -> Comparison:
    """One column per speaker of their published quotations on the theme, oldest first.

    One short query of ids per speaker (at most ``MAX_SPEAKERS``), then the cards of all
    the rows as the lists read them (``quote_cards``, three queries): the cost does not
    grow with the archive. ``per_speaker`` is ``quotations_per_speaker(theme)``, kept by
    the caller; it decides how each column is read (see ``_column_ids``).
    """
    if not comparison.is_ready:
        return comparison
    if per_speaker is None:
        per_speaker = quotations_per_speaker(comparison.theme)
    shown = per_column()
    ids = _column_ids(comparison.theme, comparison.speakers, per_speaker, shown)
    wanted = [pk for column in ids.values() for pk in column[:shown]]
    cards = {card.pk: card for card in quote_cards(wanted)}
    comparison.columns = [
        Column(
            speaker,
            [cards[pk] for pk in ids[speaker.pk][:shown] if pk in cards],
            more=len(ids[speaker.pk]) > shown,
            # A count kept from before a write may lag behind the rows just read.
            total=max(per_speaker.get(speaker.pk, 0), len(ids[speaker.pk])),
        )
        for speaker in comparison.speakers
    ]
    return comparison


def _column_ids(
    theme: Theme, speakers: list[Speaker], per_speaker: dict[int, int], shown: int
) -> dict[int, list[int]]:
    """Each speaker's first ``shown + 1`` quotation ids, each column read the cheapest
    way.

    ``per_speaker`` (each speaker's quotations on the theme, as last counted) only chooses
    the plan; the columns are always read afresh. At a million quotations the plan matters:
    a prolific speaker has 84,000 quotations and a big theme 342,000.
    A column of many walks the date index until it has a page, as the lists do (asked for
    the first 51 in date order, both databases walked it for a small theme too: 340 ms on
    PostgreSQL). Columns of few are read whole, in one read, from the dated tags' index by
    theme and speaker (``DatedTag``), which holds each row's speech, date and position: the
    database sorts them with no quotation or speech looked up (3 ms for two columns of 445
    and 289 at a million quotations, when the tags by speaker were joined to the quotations
    and their speeches and sorted here).
    """
    ids: dict[int, list[int]] = {}
    few = []
    for speaker in speakers:
        if per_speaker.get(speaker.pk, 0) >= WALK_FROM:
            data = {"theme": theme.slug, "speaker": speaker.slug, "sort": "oldest"}
            ordered = Quote.objects.published().order_by(*QuoteFilter.oldest_first)
            walked = QuoteFilter(data=data, queryset=ordered).walking()
            ids[speaker.pk] = list(walked.values_list("pk", flat=True)[: shown + 1])
        else:
            few.append(speaker.pk)
    if few:
        for speaker_id in few:
            ids[speaker_id] = []
        # The lists' oldest-first order (dated statements first), sorted by the database:
        # the dates need not be read, only compared.
        found = (
            DatedTag.objects.filter(theme_id=theme.pk, speaker_id__in=few, status=Status.PUBLISHED)
            .order_by(F("date").asc(nulls_last=True), "speech_id", "position", "quote_id")
            .values_list("speaker_id", "quote_id")
        )
        for speaker_id, quote_id in found:
            column = ids[speaker_id]
            if len(column) <= shown:
                column.append(quote_id)
    return ids
