"""schema.org JSON-LD and Open Graph tags for record pages, so links preview and index well.

A quotation is a schema.org ``Quotation`` whose author (and ``spokenByCharacter``) is the
speaker, dated as precisely as the sources state (reported speech, the reporter's words for
what was said, is a ``CreativeWork`` of the genre "Reported speech" instead); a speech is a
``CreativeWork`` recorded at its ``Event``; a speaker is a ``Person`` with their offices as
roles. Themes are ``about``. Everything is built from records the pages have already
loaded: no extra queries.
"""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from archive.api.fields import partial_date
from archive.links import web_url
from archive.models import Event, Quote, QuoteKind, Speaker, Speech, Theme, format_date
from archive.words import quoted

SITE_NAME = "Health Policy Archive"
DESCRIPTION_WORDS = 50
# As django.utils.html.json_script: these cannot close the <script> element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _absolute(request: HttpRequest, record) -> str:
    return request.build_absolute_uri(record.get_absolute_url())


def _person(request: HttpRequest, speaker: Speaker, office=None) -> dict:
    url = _absolute(request, speaker)
    person = {"@type": "Person", "@id": f"{url}#person", "name": speaker.name, "url": url}
    if speaker.honorific:
        person["honorificPrefix"] = speaker.honorific
    if office is not None:
        person["jobTitle"] = office.post
    return person


def _themes(request: HttpRequest, themes) -> list[dict]:
    return [
        {"@type": "DefinedTerm", "name": theme.name, "url": _absolute(request, theme)}
        for theme in themes
    ]


def _event(request: HttpRequest, event: Event) -> dict:
    data = {"@type": "Event", "name": event.name, "url": _absolute(request, event)}
    start = partial_date(event.date, event.date_precision)
    if start:
        data["startDate"] = start
    if event.place:
        data["location"] = {"@type": "Place", "name": event.place}
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser}
    if event.description:
        data["description"] = event.description
    return data


def _source(speech: Speech) -> dict | None:
    source = speech.source
    if source is None:
        return None
    data = {"@type": "CreativeWork", "name": source.title}
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if url := web_url(source.url):
        data["url"] = url
    return data


def _speech_work(request: HttpRequest, speech: Speech, *, themes=()) -> dict:
    url = _absolute(request, speech)
    data = {
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": speech.title,
        "genre": speech.get_kind_display(),
        "inLanguage": "en-GB",
        "author": _person(request, speech.speaker, speech.speaker_office()),
    }
    date = partial_date(speech.date, speech.date_precision)
    if date:
        data["dateCreated"] = date
    if speech.summary:
        data["abstract"] = speech.summary
    if themes:
        data["about"] = _themes(request, themes)
    if speech.event:
        data["recordedAt"] = _event(request, speech.event)
    source = _source(speech)
    if source:
        data["isBasedOn"] = source
    return data


def quote_data(request: HttpRequest, quote: Quote) -> dict:
    """A ``Quotation``: the words, who said them, when, on what themes, in which speech."""
    speech = quote.speech
    url = _absolute(request, quote)
    person = _person(request, quote.speaker, quote.speaker_office())
    data = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "@id": url,
        "url": url,
        "text": quote.text,
        "inLanguage": "en-GB",
        "author": person,
        "spokenByCharacter": {"@id": person["@id"]},
    }
    if quote.kind == QuoteKind.REPORTED:
        # Not verbatim: nothing may present the reporter's words as a quotation.
        del data["spokenByCharacter"]
        data.update({"@type": "CreativeWork", "genre": "Reported speech"})
    if quote.speaker_id == speech.speaker_id:
        data["isPartOf"] = _speech_work(request, speech)
    elif source := _source(speech):
        # Reported alongside another's speech (a reaction): not part of that work, whose
        # author is its speaker; what the words come from is the report of both.
        data["isBasedOn"] = source
    date = partial_date(speech.date, speech.date_precision)
    if date:
        data["dateCreated"] = date
    themes = list(quote.themes.all())
    if themes:
        data["about"] = _themes(request, themes)
    return data


def speech_data(request: HttpRequest, speech: Speech, themes=()) -> dict:
    """A ``CreativeWork`` for a speech, letter, interview or statement."""
    return {"@context": "https://schema.org", **_speech_work(request, speech, themes=themes)}


def speaker_data(request: HttpRequest, speaker: Speaker) -> dict:
    """A ``Person``, with each office held as a dated role."""
    data = {"@context": "https://schema.org", **_person(request, speaker)}
    if speaker.bio:
        data["description"] = speaker.bio
    if speaker.aliases:
        data["alternateName"] = [str(alias) for alias in speaker.aliases]
    roles = []
    for office in speaker.offices.all():
        role = {"@type": "Role", "roleName": office.post}
        if office.start_date:
            role["startDate"] = office.start_date.isoformat()
        if office.end_date:
            role["endDate"] = office.end_date.isoformat()
        if office.organisation:
            role["memberOf"] = {"@type": "Organization", "name": office.organisation}
        roles.append(role)
    if roles:
        data["memberOf"] = roles
    return data


def event_data(request: HttpRequest, event: Event) -> dict:
    """An ``Event``."""
    return {"@context": "https://schema.org", **_event(request, event)}


def structured_data(request: HttpRequest, record, themes=()) -> dict:
    """The JSON-LD object for a record page."""
    if isinstance(record, Quote):
        return quote_data(request, record)
    if isinstance(record, Speech):
        return speech_data(request, record, themes)
    if isinstance(record, Speaker):
        return speaker_data(request, record)
    if isinstance(record, Event):
        return event_data(request, record)
    raise TypeError(f"No structured data for {type(record).__name__}")


def as_script_content(data: dict) -> SafeString:
    """JSON safe to place inside ``<script type="application/ld+json">``."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


def open_graph(request: HttpRequest, record) -> dict[str, str]:
    """Open Graph properties (plain text; the template escapes them)."""
    url = _absolute(request, record)
    if isinstance(record, Quote):
        speech = record.speech
        title = f"{record.speaker.name}: {quoted(Truncator(record.text).words(12), record.kind)}"
        words = Truncator(record.text).words(DESCRIPTION_WORDS)
        description = f"{quoted(words, record.kind)} — "
        when = format_date(speech.date, speech.date_precision, within=True)
        alongside = "" if record.speaker_id == speech.speaker_id else "reported alongside "
        description += f"{record.speaker.name}, {alongside}{speech.title}, {when}"
        kind = "article"
    elif isinstance(record, Speech):
        title = record.title
        summary = Truncator(record.summary).words(DESCRIPTION_WORDS) if record.summary else ""
        description = f"{record.get_kind_display()} by {record.speaker.name}, "
        when = format_date(record.date, record.date_precision, within=True)
        description += f"{when}. {summary}".strip()
        kind = "article"
    elif isinstance(record, Speaker):
        title = record.name
        description = Truncator(record.bio).words(DESCRIPTION_WORDS) or (
            f"What {record.name} said in public."
        )
        kind = "profile"
    elif isinstance(record, Event | Theme):
        title = record.name
        description = Truncator(record.description).words(DESCRIPTION_WORDS) or record.name
        kind = "website"
    else:
        raise TypeError(f"No Open Graph tags for {type(record).__name__}")
    return {
        "og:type": kind,
        "og:title": title,
        "og:description": description,
        "og:url": url,
        "og:site_name": SITE_NAME,
        "og:locale": "en_GB",
    }
