"""What each holder of an office said on one theme while in post (the office page's ?theme=)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import F, Q

from archive.models import (
    DatedTag,
    DatePrecision,
    Office,
    Quote,
    Speech,
    Status,
    Theme,
    office_held,
    period_end,
    stated_office_of,
)

PER_PAGE_LIMIT = 200  # quotations read for the whole comparison, oldest first
ONE_DAY = dt.timedelta(days=1)


@dataclass
class HolderStatements:
    """One term of office and the quotations its holder gave on the theme during it."""

    office: Office
    quotes: list[Quote] = field(default_factory=list)


def held_throughout(office: Office, quote: Quote) -> bool:
    """Whether ``quote``'s speaker was in ``office`` when they said it: its speech's day, or
    all its month or year when only those are known, or the office its speech's source
    names (``said_in_post``, in Python)."""
    speech = quote.speech
    stated = stated_office_of(
        quote.speaker_id, speech.speaker_id, speech.stated_office_id, quote.stated_office_id
    )
    return office.speaker_id == quote.speaker_id and (
        office_held([office], speech.date, speech.date_precision, stated) is not None
    )


def said_by_holders(holders: list[Office], theme: Theme) -> list[HolderStatements]:
    """For each term in ``holders`` (in order), the published quotations on ``theme`` its
    holder gave while in post, oldest first (undated last), up to ``PER_PAGE_LIMIT`` in
    all: three queries (the dated tags in the terms, the quotations whose speech's source
    names one of the terms, then those quotations), plus the list's prefetches."""
    groups = [HolderStatements(office) for office in holders]
    if not holders:
        return groups
    terms_of: dict[int, list[HolderStatements]] = {}
    for group in groups:
        terms_of.setdefault(group.office.speaker_id, []).append(group)
    ids = _first_said_in_terms(holders, theme)
    by_id = Quote.objects.filter(pk__in=ids).for_list().in_bulk()
    for pk in ids:
        quote = by_id[pk]
        for group in terms_of.get(quote.speaker_id, ()):
            if held_throughout(group.office, quote):
                group.quotes.append(quote)
                break
    return groups


def _first_said_in_terms(terms: list[Office], theme: Theme) -> list[int]:
    """The ids of the first ``PER_PAGE_LIMIT`` published quotations on ``theme`` said in
    one of ``terms``, in date order, by the office filter's rule (``said_in_post``).

    Each term is one range of the dated tags' (theme, speaker, status, date) index, so only
    the holders' quotations on the theme within their terms are read: 15,000 of the
    largest theme's 330,000 for the post with 371 terms at a million quotations, where
    joining the theme's tags to the quotations read all of them (0.33 s on SQLite). The
    terms are a table of values joined to the tags: a condition per term took longer to
    build with the ORM, and to plan, than to run (and PostgreSQL compiled it, 23 s).
    """
    alias = DatedTag.objects.db
    adapt = connections[alias].ops.adapt_datefield_value
    values, params = [], []
    for term in terms:
        end = term.end_date or dt.date.max
        month, year = _last_whole_periods_end(end)
        values.append("(%s, %s, %s, %s, %s)")
        start = term.start_date or dt.date.min
        params += [term.speaker_id, adapt(start), adapt(end), adapt(month), adapt(year)]
    tags, speeches = DatedTag._meta.db_table, Speech._meta.db_table
    # A statement known only to its month or year counts if its whole period lies in the
    # term: its stored first day is then no later than the last day of the term's last
    # whole month or year. Its speech is looked up only when its date is past the latter.
    # Only our own table names and the number of terms are written into the SQL; every
    # value is a parameter. The LIMIT tells SQLite how few the terms are: without it, it
    # guessed a large table and first hashed every dated tag into a Bloom filter (0.1 s).
    sql = f"""
        SELECT DISTINCT tag.date, tag.speech_id, tag.position, tag.quote_id
        FROM (SELECT * FROM (VALUES {", ".join(values)}) AS listed LIMIT {len(values)}) AS term
        JOIN {tags} AS tag
          ON tag.theme_id = %s AND tag.status = %s AND tag.speaker_id = term.column1
         AND tag.date >= term.column2 AND tag.date <= term.column3
         AND (tag.date <= term.column5 OR tag.date <= CASE
               (SELECT date_precision FROM {speeches} WHERE {speeches}.id = tag.speech_id)
               WHEN %s THEN term.column4 WHEN %s THEN term.column5 ELSE term.column3 END)
        ORDER BY tag.date, tag.speech_id, tag.position, tag.quote_id
        LIMIT %s
    """  # noqa: S608
    params += [
        theme.pk,
        Status.PUBLISHED.value,
        DatePrecision.MONTH.value,
        DatePrecision.YEAR.value,
    ]
    params.append(PER_PAGE_LIMIT)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        ranged = cursor.fetchall()
    # Statements whose source names one of the terms count whatever their date says (an
    # undated one too): few, read by the quotations' own columns.
    named = [term.pk for term in terms]
    stated = (
        Quote.objects.published()
        .filter(
            Q(
                speech__stated_office__in=named,
                speaker_id=F("speech__speaker_id"),
                stated_office__isnull=True,  # a quotation's own named office comes first
            )
            | Q(stated_office__in=named),
            themes=theme,
        )
        .order_by()
        .values_list("speech__date", "speech_id", "position", "pk")[:PER_PAGE_LIMIT]
    )
    found = {row[3]: row for row in [*ranged, *stated]}
    oldest = sorted(found.values(), key=lambda row: (row[0] is None, str(row[0]), *row[1:]))
    return [row[3] for row in oldest[:PER_PAGE_LIMIT]]


def _last_whole_periods_end(end: dt.date) -> tuple[dt.date, dt.date]:
    """The last day of the last whole month, and of the last whole year, that end by
    ``end``: a statement known to a month or year counts in a term ending on ``end`` only
    if its period ends by then (``models.period_end``)."""
    month = end if end == period_end(end, DatePrecision.MONTH) else end.replace(day=1) - ONE_DAY
    year = end if (end.month, end.day) == (12, 31) else dt.date(end.year - 1, 12, 31)
    return month, year
