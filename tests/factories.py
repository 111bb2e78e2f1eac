"""Small functions that build archive records for tests.

Every argument has a sensible default, so a test names only what it is about:
``make_quote(text="I will back you", themes=[reconfiguration])``. Slugs are made unique
automatically; defaults give a published speech by a fresh speaker, dated to the day.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from types import SimpleNamespace

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
    Status,
    Theme,
    unique_slug,
)

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_theme(
    name: str | None = None,
    *,
    slug: str | None = None,
    description: str = "",
    parent: Theme | None = None,
) -> Theme:
    """A theme; the name defaults to "Theme N"."""
    name = name or f"Theme {_next()}"
    return Theme.objects.create(
        name=name,
        slug=slug or unique_slug(Theme, name),
        description=description,
        parent=parent,
    )


def make_speaker(
    name: str | None = None,
    *,
    slug: str | None = None,
    honorific: str = "",
    bio: str = "",
    aliases: Iterable[str] = (),
) -> Speaker:
    """A speaker with no offices (add them with ``make_office``)."""
    name = name or f"Speaker {_next()}"
    return Speaker.objects.create(
        name=name,
        slug=slug or unique_slug(Speaker, name),
        honorific=honorific,
        bio=bio,
        aliases=list(aliases),
    )


def make_office(
    speaker: Speaker | None = None,
    *,
    post: str = "Secretary of State for Health",
    slug: str = "",
    organisation: str = "Department of Health",
    start_date: dt.date | None = dt.date(2010, 5, 12),
    end_date: dt.date | None = None,
    is_ministerial: bool = True,
    source_url: str = "",
    ended: bool = False,
) -> Office:
    """A term of office; by default a ministerial post held from May 2010, still held."""
    return Office.objects.create(
        speaker=speaker or make_speaker(),
        post=post,
        slug=slug,  # Office.save() derives it from the post when empty.
        organisation=organisation,
        start_date=start_date,
        end_date=end_date,
        ended=ended,
        is_ministerial=is_ministerial,
        source_url=source_url,
    )


def make_post_changer() -> Speaker:
    """A speaker who left one post on 4 September 2012 and took another the next day."""
    speaker = make_speaker("Post Changer")
    make_office(speaker, start_date=dt.date(2010, 5, 12), end_date=dt.date(2012, 9, 4))
    make_office(
        speaker,
        post="Leader of the House of Commons",
        slug="leader-of-the-house",
        organisation="",
        start_date=dt.date(2012, 9, 5),
    )
    return speaker


def make_event(
    name: str | None = None,
    *,
    slug: str | None = None,
    kind: str = EventKind.CONFERENCE,
    date: dt.date | None = None,
    date_precision: str | None = None,
    place: str = "",
    organiser: str = "",
    description: str = "",
) -> Event:
    """An event; undated unless ``date`` is given (then dated to the day by default)."""
    name = name or f"Event {_next()}"
    if date_precision is None:
        date_precision = DatePrecision.DAY if date else DatePrecision.UNKNOWN
    return Event.objects.create(
        name=name,
        slug=slug or unique_slug(Event, name),
        kind=kind,
        date=date,
        date_precision=date_precision,
        place=place,
        organiser=organiser,
        description=description,
    )


def make_source(
    title: str | None = None,
    *,
    slug: str | None = None,
    publisher: str = "Health Service Journal",
    date: dt.date | None = None,
    date_precision: str | None = None,
    url: str = "",
    original_text: str = "",
) -> Source:
    """A source document; undated unless ``date`` is given."""
    title = title or f"Source {_next()}"
    if date_precision is None:
        date_precision = DatePrecision.DAY if date else DatePrecision.UNKNOWN
    return Source.objects.create(
        title=title,
        slug=slug or unique_slug(Source, title),
        publisher=publisher,
        date=date,
        date_precision=date_precision,
        url=url,
        original_text=original_text,
    )


def make_speech(
    title: str | None = None,
    *,
    speaker: Speaker | None = None,
    slug: str | None = None,
    event: Event | None = None,
    source: Source | None = None,
    kind: str = SpeechKind.SPEECH,
    date: dt.date | None = dt.date(2012, 7, 4),
    date_precision: str | None = None,
    summary: str = "",
    text: str = "",
    status: str = Status.PUBLISHED,
    editorial_note: str = "",
) -> Speech:
    """A published speech by a fresh speaker on 4 July 2012 unless told otherwise."""
    title = title or f"Speech {_next()}"
    if date_precision is None:
        date_precision = DatePrecision.DAY if date else DatePrecision.UNKNOWN
    return Speech.objects.create(
        title=title,
        slug=slug or unique_slug(Speech, title),
        speaker=speaker or make_speaker(),
        event=event,
        source=source,
        kind=kind,
        date=date,
        date_precision=date_precision,
        summary=summary,
        text=text,
        status=status,
        editorial_note=editorial_note,
    )


def make_quote(
    text: str | None = None,
    *,
    speech: Speech | None = None,
    speaker: Speaker | None = None,
    slug: str | None = None,
    attribution: str = "",
    kind: str = QuoteKind.DIRECT,
    position: int | None = None,
    themes: Iterable[Theme] = (),
) -> Quote:
    """A quote; by default said by its speech's speaker in a fresh published speech.

    When ``speech`` is not given, a speech is made whose text contains the quote, so the
    quotation is verbatim in its speech as the archive requires.
    """
    n = _next()
    text = text or f"Quotation number {n} about the health service."
    if speech is None:
        speech = make_speech(speaker=speaker, text=f"He said: “{text}”")
    quote = Quote.objects.create(
        speech=speech,
        speaker=speaker or speech.speaker,
        slug=slug or unique_slug(Quote, f"{speech.slug} {text[:40]}"),
        text=text,
        attribution=attribution,
        kind=kind,
        position=n if position is None else position,
    )
    if themes:
        quote.themes.set(themes)
    return quote


SOS = "Secretary of State for Health"


def make_sample_archive() -> SimpleNamespace:
    """A small archive shaped like the seed documents, small enough to reason about.

    Two Secretaries of State for Health six years apart (Patricia Hewitt in 2006, Andrew
    Lansley in 2012, plus Lansley in opposition in 2009), a respondent (Charles Alessi), three
    themes, two events, a source, a letter, a reported quotation, and a draft speech with a
    quote that must never be public. Every record is an attribute of the result.
    """
    reconfig = make_theme("Service reconfiguration", description="Changing where care is given.")
    failure = make_theme("Provider failure", description="What happens when a trust fails.")
    autonomy = make_theme("Commissioning autonomy", parent=reconfig)

    lansley = make_speaker("Andrew Lansley", honorific="Rt Hon", aliases=["Mr Lansley"])
    hewitt = make_speaker("Patricia Hewitt", aliases=["Ms Hewitt"])
    alessi = make_speaker("Charles Alessi", honorific="Dr")
    make_office(
        lansley,
        post="Shadow Secretary of State for Health",
        is_ministerial=False,
        start_date=dt.date(2004, 5, 1),
        end_date=dt.date(2010, 5, 11),
    )
    lansley_sos = make_office(
        lansley,
        post=SOS,
        start_date=dt.date(2010, 5, 12),
        end_date=dt.date(2012, 9, 4),
        source_url="https://www.gov.uk/x",
    )
    hewitt_sos = make_office(
        hewitt, post=SOS, start_date=dt.date(2005, 5, 6), end_date=dt.date(2007, 6, 28)
    )
    make_office(
        alessi,
        post="Chairman elect, National Association of Primary Care",
        is_ministerial=False,
        start_date=None,
    )

    show = make_event(
        "The Commissioning Show",
        kind=EventKind.CONFERENCE,
        date=dt.date(2012, 7, 1),
        date_precision=DatePrecision.MONTH,
        place="London",
    )
    alliance = make_event("NHS Alliance conference", kind=EventKind.CONFERENCE)
    source = make_source(
        "Lansley backs reconfiguration",
        url="https://example.org/article",
        original_text="Original article text.",
    )

    text_2012 = (
        "Health secretary Andrew Lansley has said care settings will only rarely close.\n\n"
        "He told delegates: “We can’t just keep kicking the can down the road, diverting "
        "hundreds of millions of pounds away from patient care.”\n\n"
        "He added: “I will back you.”\n\n"
        "Dr Alessi said: “Bullets will have to be bitten.”"
    )
    speech_2012 = make_speech(
        "Lansley at the Commissioning Show",
        speaker=lansley,
        event=show,
        source=source,
        date=dt.date(2012, 7, 1),
        date_precision=DatePrecision.MONTH,
        text=text_2012,
        summary="The health secretary on reconfiguration.",
    )
    can = make_quote(
        "We can't just keep kicking the can down the road, diverting hundreds of millions "
        "of pounds away from patient care.",
        speech=speech_2012,
        themes=[reconfig, failure],
        position=1,
        attribution="He",
    )
    back = make_quote("I will back you.", speech=speech_2012, themes=[reconfig], position=2)
    bullets = make_quote(
        "Bullets will have to be bitten.",
        speech=speech_2012,
        speaker=alessi,
        themes=[failure],
        position=3,
    )

    speech_2006 = make_speech(
        "Hewitt to the NHS Alliance",
        speaker=hewitt,
        event=alliance,
        date=dt.date(2006, 1, 1),
        date_precision=DatePrecision.YEAR,
        text="Ms Hewitt said: “I will absolutely back you.”",
    )
    hewitt_back = make_quote(
        "I will absolutely back you.", speech=speech_2006, themes=[reconfig], position=1
    )

    # Lansley before he held the post: his words must not count as the Secretary of State's.
    speech_2009 = make_speech(
        "Lansley in opposition",
        speaker=lansley,
        kind=SpeechKind.INTERVIEW,
        date=dt.date(2009, 3, 2),
        text="He said the NHS needs “less top-down reorganisation”.",
    )
    opposition = make_quote(
        "less top-down reorganisation",
        speech=speech_2009,
        kind=QuoteKind.REPORTED,
        themes=[autonomy],
    )

    letter = make_speech(
        "Letter to CCG leaders",
        speaker=lansley,
        kind=SpeechKind.LETTER,
        date=dt.date(2012, 2, 16),
        text="Dear colleague,\n\nYou will have the freedom to lead.",
    )
    freedom = make_quote("You will have the freedom to lead.", speech=letter, themes=[autonomy])

    draft = make_speech(
        "A draft speech",
        speaker=hewitt,
        status=Status.DRAFT,
        date=dt.date(2006, 5, 1),
        text="“Secret words.”",
    )
    secret = make_quote("Secret words.", speech=draft, themes=[reconfig])

    return SimpleNamespace(**locals())
