"""A small archive built with factories: two health secretaries six years apart, a
respondent, themes, events and sources, plus a draft that must never be public."""

import datetime as dt
from types import SimpleNamespace

import pytest

from archive.models import DatePrecision, EventKind, QuoteKind, SpeechKind, Status
from tests.factories import (
    make_event,
    make_office,
    make_quote,
    make_source,
    make_speaker,
    make_speech,
    make_theme,
)

SOS = "Secretary of State for Health"


@pytest.fixture
def archive(db):
    """Records shaped like the seed documents, small enough to reason about in a test."""
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
        hewitt, post=SOS, start_date=dt.date(2005, 5, 5), end_date=dt.date(2007, 6, 27)
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
