"""How to cite a quotation or a speech: Harvard-style text, BibTeX and RIS.

``/quotes/<slug>/cite.bib`` and ``cite.ris`` (and the same under ``/speeches/``) download a
reference for reference managers; quote and speech pages show the Harvard reference ready
to copy. A quotation is cited as the speech it comes from, pointing at the quotation's own
page. Dates are given only as precisely as the sources state them ("(no date)" when they
do not), and the access date is today's, as Harvard style asks for online sources. A
statement known through a report (its speech's source) is cited with that report: its
publisher, title, publication date and address, since that is what a reader must look up.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from archive.api.fields import partial_date
from archive.links import web_url
from archive.models import DatePrecision, Quote, QuoteKind, Source, Speech, SpeechKind, format_date
from archive.words import first_spoken_words

SITE_NAME = "Health Policy Archive"
QUOTE_WORDS = 25
# Where a citation cuts a long quotation short: the bracketed ellipsis of an omission by
# the one quoting, which no reader takes for the speaker's own "…" (several quotations have
# one), as a bare ellipsis inside the quotation marks would be.
OMITTED = " […]"
# RIS reference types: a letter is a personal communication; other statements are generic.
RIS_TYPES = {SpeechKind.LETTER: "PCOMM"}
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Braces are escaped in _bibtex_text: how depends on whether they pair up.
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def _one_line(value: str) -> str:
    """Curator text on one line: a line break in a title is only spacing in a reference."""
    return " ".join(value.split())


@dataclass(frozen=True)
class Report:
    """The article or document a statement is known through (its speech's source)."""

    publisher: str
    title: str
    date: dt.date | None
    precision: str
    url: str
    original: bool = False  # the statement itself as published, not a report of it

    @classmethod
    def of(cls, source: Source) -> Report:
        return cls(
            publisher=_one_line(source.publisher),
            title=_one_line(source.title),
            date=source.date,
            precision=source.date_precision,
            url=_one_line(web_url(source.url)),
            original=source.is_original,
        )

    @property
    def label(self) -> str:
        """How a citation introduces it: the statement as published, or a report of it."""
        return "Published as" if self.original else "Reported in"

    @property
    def date_text(self) -> str:
        """Its publication date as precisely as it is known ("17 May 2011", "May 2011",
        "2011"), written as the statement's own date is; empty when not known."""
        if self.date is None or self.precision == DatePrecision.UNKNOWN:
            return ""
        return format_date(self.date, self.precision)

    @property
    def text(self) -> str:
        """``GP, ‘Title’, 17 May 2011. Available at: https://…``, without the parts not
        known."""
        text = f"{self.publisher}, ‘{self.title}’" if self.publisher else self.title
        if self.date_text:
            text += f", {self.date_text}"
        if self.url:
            text += f". Available at: {self.url}"
        return text


@dataclass(frozen=True)
class Reference:
    """What every citation format needs to know about one record."""

    family_name: str
    given_names: str
    title: str
    kind: str  # "Speech", "Letter" …
    date: dt.date | None
    precision: str
    event: str
    place: str
    source: Report | None
    permalink: str
    accessed: dt.date
    key_base: str
    quotation: str = ""
    themes: list[str] = field(default_factory=list)
    # The speech's speaker, for a quotation by someone else reported beside the speech: the
    # quotation's speaker is its author, not the speech's.
    alongside: str = ""
    # The speech's editorial note: where the archive shows the words otherwise than the
    # source prints them, a reader of the reference must be told too.
    editorial_note: str = ""
    # Reported speech (``QuoteKind.REPORTED``): the reporter's words for what was said,
    # which no format may put in quotation marks.
    reported: bool = False

    @property
    def editorial_note_text(self) -> str:
        """The editorial note as a reference's note gives it: for a quotation, said to be
        about its speech's text (as its page says), since it may concern another passage."""
        if not self.editorial_note:
            return ""
        if self.quotation:
            return f"Note on the {self.kind.lower()}'s text: {self.editorial_note}"
        return f"Editorial note: {self.editorial_note}"

    @property
    def cited_title(self) -> str:
        """The title a reference manager shows beside the author: the speech's, or, for a
        quotation reported beside another's speech, what it was reported alongside (the
        speech's title alone read as a work of the quotation's speaker)."""
        if not self.alongside:
            return self.title
        return f"Reported alongside {self.title} [{self.kind} by {self.alongside}]"

    @property
    def quotation_note(self) -> str:
        """The quotation as a note gives it: "Quotation: ‘…’", or, for reported speech,
        "Reported speech (not verbatim): …"."""
        if self.reported:
            return f"Reported speech (not verbatim): {self.quotation}"
        return f"Quotation: ‘{self.quotation}’"

    @property
    def alongside_text(self) -> str:
        """The note for a quotation reported beside another's speech ("Reported alongside
        a speech by Andrew Lansley"); empty for a quotation from the speaker's own."""
        if not self.alongside:
            return ""
        article = "an" if self.kind[:1].lower() in "aeiou" else "a"
        return f"Reported alongside {article} {self.kind.lower()} by {self.alongside}"

    @property
    def year(self) -> str | None:
        return (
            str(self.date.year) if self.date and self.precision != DatePrecision.UNKNOWN else None
        )

    @property
    def initials(self) -> str:
        return " ".join(f"{part[0]}." for part in self.given_names.split() if part)

    @property
    def date_text(self) -> str:
        """The statement's date in words when it says more than the year."""
        if self.date is None or self.precision in (DatePrecision.YEAR, DatePrecision.UNKNOWN):
            return ""
        if self.precision == DatePrecision.MONTH:
            return self.date.strftime("%B %Y")
        return f"{self.date.day} {self.date.strftime('%B %Y')}"

    @property
    def key(self) -> str:
        """A BibTeX key: family name, year, and the record's whole slug, which is unique
        (cut short, two quotations' keys could be one, and reference managers would merge
        them)."""
        family = slugify(self.family_name).replace("-", "") or "anon"
        return f"{family}{self.year or 'nd'}:{self.key_base}"


# Words that belong to the family name after them: "Seán Ó Dálaigh" is cited "Ó Dálaigh,
# S.", "Ursula von der Leyen" "von der Leyen, U.". Compared without case.
FAMILY_PARTICLES = frozenset(
    {
        *("ó", "ní", "nic", "mac", "mc", "ua", "uí"),
        *("van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "das"),
        *("le", "la", "ter", "ten", "bin", "ibn", "al", "el", "st."),
    }
)


def split_name(name: str) -> tuple[str, str]:
    """("Lansley", "Andrew") from "Andrew Lansley": the last word is the family name, with
    the particles before it ("Ó Dálaigh", "von der Leyen") and a hyphenated word ending in
    one ("Brontë-Ó Dálaigh")."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    start = len(words) - 1
    while start > 1 and _is_particle(words[start - 1]):
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def _is_particle(word: str) -> bool:
    return word.casefold() in FAMILY_PARTICLES or (
        "-" in word and word.rsplit("-", 1)[1].casefold() in FAMILY_PARTICLES
    )


def reference_for(request: HttpRequest, record: Quote | Speech) -> Reference:
    """The reference for a quote (cited as its speech, at the quote's page) or a speech."""
    speech = record.speech if isinstance(record, Quote) else record
    speaker = record.speaker
    family, given = split_name(speaker.name)
    quotation = alongside = ""
    themes: list[str] = []
    if isinstance(record, Quote):
        quotation = first_spoken_words(record.text, QUOTE_WORDS, OMITTED)
        themes = [theme.name for theme in record.themes.all()]
        if record.speaker_id != speech.speaker_id:
            alongside = speech.speaker.name
    return Reference(
        family_name=family,
        given_names=given,
        title=speech.title,
        kind=speech.get_kind_display(),
        date=speech.date,
        precision=speech.date_precision,
        event=speech.event.name if speech.event else "",
        place=speech.event.place if speech.event else "",
        source=Report.of(speech.source) if speech.source else None,
        permalink=request.build_absolute_uri(record.get_absolute_url()),
        accessed=timezone.localdate(),
        key_base=record.slug,
        quotation=quotation,
        themes=themes,
        alongside=alongside,
        editorial_note=speech.editorial_note,
        reported=isinstance(record, Quote) and record.kind == QuoteKind.REPORTED,
    )


def _day(date: dt.date) -> str:
    return f"{date.day} {date.strftime('%B %Y')}"


def harvard(ref: Reference) -> str:
    """A Harvard-style reference as plain text, ready to paste."""
    author = f"{ref.family_name}, {ref.initials}" if ref.initials else ref.family_name
    parts = [f"{author} ({ref.year or 'no date'})"]
    # Reported speech is introduced as such, never put in quotation marks.
    if ref.reported:
        words = f"reported speech, not verbatim: {ref.quotation}"
    else:
        words = f"‘{ref.quotation}’"
    if ref.quotation and ref.alongside:
        parts[0] += f" {words}, reported alongside {ref.title} [{ref.kind} by {ref.alongside}]."
    elif ref.quotation:
        parts[0] += f" {words}, in {ref.title} [{ref.kind}]."
    else:
        parts[0] += f" {ref.title} [{ref.kind}]."
    where = ", ".join(p for p in (ref.event, ref.place, ref.date_text) if p)
    if where:
        parts.append(f"{where}.")
    if ref.source:
        parts.append(f"{ref.source.label}: {ref.source.text}.")
    parts.append(f"{SITE_NAME}. Available at: {ref.permalink} (Accessed: {_day(ref.accessed)}).")
    return " ".join(parts)


def attributed(quote: Quote, ref: Reference) -> str:
    """A quotation's whole words with who said them, where and when, and its permalink, as
    a journalist pastes them (the reference cuts the words at 25): “…,” in quotation marks
    only when they are the speaker's own."""
    words = " ".join(quote.text.split())
    speaker = quote.speaker.name
    if ref.reported:  # the report's words: no quotation marks, and its own full stop goes
        said = f"{speaker} (reported speech, not verbatim): {words.rstrip('.')}"
    else:
        said = f"“{words}” — {speaker}"
    where = ref.title
    if ref.alongside:  # another's speech: its title is not the quoted person's words
        where = f"reported alongside {ref.title} ({ref.kind.lower()} by {ref.alongside})"
    # A statement known to its year is of that year, not of an unknown date.
    when = ref.date_text or (str(ref.year) if ref.year else "date unknown")
    return f"{said}, {where}, {when}. {ref.permalink}"


def sentences(parts: list[str]) -> str:
    """``parts`` as sentences, the last left as it is: each other ends with a full stop
    unless it ends with its own (a quotation's last words, "argument.’", take no second)."""
    ended = [part if _ENDED.search(part) else f"{part}." for part in parts[:-1]]
    return " ".join([*ended, *parts[-1:]])


# A bracket does not end a sentence: a quotation cut short ends "[…]’", an omission.
_ENDED = re.compile(r"[.!?…][’”'\"]?$")


def _paired_braces(value: str) -> set[int]:
    """The positions of the braces in ``value`` that open and close a pair."""
    opened: list[int] = []
    paired: set[int] = set()
    for index, char in enumerate(value):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            paired.update((opened.pop(), index))
    return paired


def _bibtex_text(value: str) -> str:
    """Curator text as a BibTeX field's words, on one line.

    BibTeX ends a braced value at its matching brace and counts ``\\{`` and ``\\}`` like any
    brace, so a stray one ("x} , note = {y") would close the field and start another.
    Braces that pair up are written ``\\{ \\}``; a stray one as ``\\textbraceleft{}`` or
    ``\\textbraceright{}``, which print the same and leave the value's braces balanced.
    """
    paired = _paired_braces(value)
    escaped = []
    for index, char in enumerate(value):
        if char in "{}":
            if index in paired:
                escaped.append("\\" + char)
            else:
                escaped.append(r"\textbraceleft{}" if char == "{" else r"\textbraceright{}")
        else:
            escaped.append(_BIBTEX_SPECIALS.get(char, char))
    return " ".join("".join(escaped).split())


def bibtex(ref: Reference) -> str:
    """A BibTeX ``@misc`` entry (with biblatex's ``date`` and ``urldate`` as well)."""
    fields: list[tuple[str, str]] = []
    author = f"{ref.family_name}, {ref.given_names}" if ref.given_names else ref.family_name
    fields.append(("author", f"{{{_bibtex_text(author)}}}"))
    # Double braces keep the title's capitals as written.
    fields.append(("title", f"{{{{{_bibtex_text(ref.cited_title)}}}}}"))
    if ref.year:
        fields.append(("year", f"{{{ref.year}}}"))
        if ref.precision in (DatePrecision.MONTH, DatePrecision.DAY):
            fields.append(("month", BIBTEX_MONTHS[ref.date.month - 1]))
        fields.append(("date", f"{{{partial_date(ref.date, ref.precision)}}}"))
    # A quotation reported beside another's speech was not published as a speech of its own.
    what = ref.alongside_text or ref.kind
    published = ", ".join(p for p in (what, ref.event, ref.place) if p)
    fields.append(("howpublished", f"{{{_bibtex_text(published)}}}"))
    notes = []
    if ref.quotation:
        notes.append(ref.quotation_note)
    if ref.alongside:
        notes.append(ref.alongside_text)
    if ref.source:
        notes.append(f"{ref.source.label}: {ref.source.text}")
    if ref.editorial_note:
        notes.append(ref.editorial_note_text)
    # A quotation is quoted in the archive; a speech, letter or interview is kept whole.
    notes.append(f"{'Quoted' if ref.quotation else 'Archived'} in the {SITE_NAME}")
    fields.append(("note", f"{{{_bibtex_text(sentences(notes))}}}"))
    if ref.themes:
        fields.append(("keywords", f"{{{_bibtex_text(', '.join(ref.themes))}}}"))
    fields.append(("url", f"{{{ref.permalink}}}"))
    fields.append(("urldate", f"{{{ref.accessed.isoformat()}}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{ref.key},\n{body}\n}}\n"


def _ris_value(value: str) -> str:
    # One line per tag: a line break inside a value would start a malformed tag.
    return " ".join(str(value).split())


def ris(ref: Reference) -> str:
    """An RIS record (CRLF line endings, as the format asks)."""
    # A quotation reported beside another's speech is not that speech: a generic record.
    kind = "" if ref.alongside else ref.kind.lower()
    lines = [("TY", RIS_TYPES.get(kind, "GEN"))]
    author = f"{ref.family_name}, {ref.given_names}" if ref.given_names else ref.family_name
    lines.append(("AU", author))
    lines.append(("TI", ref.cited_title))
    lines.append(("M3", ref.alongside_text or ref.kind))
    if ref.year:
        lines.append(("PY", ref.year))
        month = f"{ref.date.month:02d}" if ref.precision != DatePrecision.YEAR else ""
        day = f"{ref.date.day:02d}" if ref.precision == DatePrecision.DAY else ""
        lines.append(("DA", f"{ref.year}/{month}/{day}/"))
    if ref.event:
        lines.append(("T2", ref.event))
    if ref.place:
        lines.append(("CY", ref.place))
    if ref.quotation:
        lines.append(("N1", ref.quotation_note))
    if ref.alongside:
        lines.append(("N1", ref.alongside_text))
    if ref.source:
        lines.append(("N1", f"{ref.source.label}: {ref.source.text}"))
    if ref.editorial_note:
        lines.append(("N1", ref.editorial_note_text))
    lines.extend(("KW", theme) for theme in ref.themes)
    lines.append(("UR", ref.permalink))
    lines.append(("Y2", ref.accessed.strftime("%Y/%m/%d")))
    lines.append(("DB", SITE_NAME))
    text = "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines)
    return text + "ER  - \r\n"


FORMATS = {
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
}


def _download(request: HttpRequest, record: Quote | Speech, fmt: str) -> HttpResponse:
    render, content_type = FORMATS[fmt]
    response = HttpResponse(render(reference_for(request, record)), content_type=content_type)
    filename = re.sub(r"[^-a-zA-Z0-9_]", "", record.slug)[:80] or "citation"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def quote_citation(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """``/quotes/<slug>/cite.bib`` and ``cite.ris``: a published quotation's reference."""
    quote = get_object_or_404(
        Quote.objects.published()
        .select_related("speaker", "speech__event", "speech__source")
        .prefetch_related("themes"),
        slug=slug,
    )
    return _download(request, quote, fmt)


def speech_citation(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """``/speeches/<slug>/cite.bib`` and ``cite.ris``: a published speech's reference."""
    speech = get_object_or_404(
        Speech.objects.published().select_related("speaker", "event", "source"), slug=slug
    )
    return _download(request, speech, fmt)
