"""The curation file: what a machine cannot know about the source documents.

``fixtures/curation.toml`` gives, per document, its source and speech (title, speaker,
kind, event, date and how precisely the date is known), the themes of each quotation,
corrections to what the extractor finds, and passages it cannot find (a letter's key
passages, reported speech). It also lists the speakers with the offices they held, the
events and the themes. This module reads it into plain values and reports any entry that
cannot be used, naming the file and the entry.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PRECISIONS = ("day", "month", "year", "unknown")
QUOTE_KINDS = ("direct", "reported")
PLEDGE_STATUSES = ("pending", "kept", "partly-kept", "broken")


class CurationError(Exception):
    """A problem with one entry of an input file; says which file and which entry."""

    def __init__(self, file: str, entry: str, problem: str):
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"{file}: {entry}: {problem}")


@dataclass(frozen=True)
class Dated:
    """A date and how much of it the documents establish."""

    date: dt.date | None
    precision: str


@dataclass(frozen=True)
class ThemeEntry:
    slug: str
    name: str
    description: str
    parent: str | None = None


@dataclass(frozen=True)
class OfficeEntry:
    post: str
    slug: str
    organisation: str
    start: dt.date | None
    end: dt.date | None
    is_ministerial: bool
    source_url: str
    ended: bool = False  # held no longer, end date unknown


@dataclass(frozen=True)
class SpeakerEntry:
    slug: str
    name: str
    honorific: str
    aliases: tuple[str, ...]
    bio: str
    offices: tuple[OfficeEntry, ...]


@dataclass(frozen=True)
class EventEntry:
    slug: str
    name: str
    kind: str
    dated: Dated
    place: str
    organiser: str
    description: str


@dataclass(frozen=True)
class SourceEntry:
    slug: str
    title: str
    publisher: str
    url: str
    dated: Dated
    # The statement itself as its author published it (a letter), not a report of it.
    original: bool = False


@dataclass(frozen=True)
class SpeechEntry:
    slug: str
    title: str
    speaker: str
    kind: str
    event: str | None
    dated: Dated
    summary: str
    status: str
    # The slug of the speaker's post the source names them in, when the date cannot tell.
    office: str | None = None


@dataclass(frozen=True)
class QuoteEntry:
    """Themes (and any correction) for the extracted quotation containing ``match``."""

    match: str
    themes: tuple[str, ...]
    speaker: str | None = None
    attribution: str | None = None
    reason: str = ""
    # The slug of the speaker's post the source names them in, for someone quoted in
    # another's speech (the speech's ``office`` is its own speaker's).
    office: str | None = None


@dataclass(frozen=True)
class DropEntry:
    """An extracted quotation deliberately left out, and why."""

    match: str
    reason: str


@dataclass(frozen=True)
class AddedQuote:
    """A passage the extractor cannot find, given verbatim: a letter's key passage, or
    reported speech."""

    text: str
    speaker: str
    attribution: str
    kind: str
    themes: tuple[str, ...]
    reason: str = ""
    office: str | None = None  # as ``QuoteEntry.office``


@dataclass(frozen=True)
class PledgeEntry:
    """A commitment made in the quotation containing ``match``, and what became of it.

    The outcome stays pending unless a public source (``outcome_source_url``) shows it.
    """

    match: str
    promise: str
    due: Dated
    status: str = "pending"
    outcome_note: str = ""
    outcome_source_url: str = ""
    outcome_date: dt.date | None = None


@dataclass(frozen=True)
class DocumentEntry:
    file: str
    source: SourceEntry
    speech: SpeechEntry
    quotes: tuple[QuoteEntry, ...]
    drop: tuple[DropEntry, ...]
    add: tuple[AddedQuote, ...]
    pledges: tuple[PledgeEntry, ...] = ()


@dataclass(frozen=True)
class Curation:
    path: Path
    curated_at: dt.datetime
    themes: tuple[ThemeEntry, ...]
    speakers: tuple[SpeakerEntry, ...]
    events: tuple[EventEntry, ...]
    documents: tuple[DocumentEntry, ...] = field(default_factory=tuple)


def load_curation(path: Path) -> Curation:
    """Read and check the curation file at ``path``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CurationError(path.name, "file", "the curation file is missing") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CurationError(path.name, "file", f"not valid TOML: {error}") from None
    reader = _Reader(path.name)
    meta = reader.table(data, "meta", "meta")
    curated_at = reader.value(meta, "curated_at", "meta", dt.datetime)
    if curated_at.tzinfo is None:
        raise CurationError(path.name, "meta", "curated_at needs a time zone, e.g. …T00:00:00Z")
    return Curation(
        path=path,
        curated_at=curated_at,
        themes=tuple(reader.theme(t, i) for i, t in enumerate(reader.tables(data, "themes"))),
        speakers=tuple(reader.speaker(s, i) for i, s in enumerate(reader.tables(data, "speakers"))),
        events=tuple(reader.event(e, i) for i, e in enumerate(reader.tables(data, "events"))),
        documents=tuple(
            reader.document(d, i) for i, d in enumerate(reader.tables(data, "documents"))
        ),
    )


class _Reader:
    """Typed access to the parsed TOML, with errors that name the entry."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, entry: str, problem: str):
        raise CurationError(self.file, entry, problem)

    def tables(self, data: dict, key: str) -> list[dict]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, f"expected [[{key}]] tables")
        return value

    def table(self, data: dict, key: str, entry: str) -> dict:
        value = data.get(key)
        if not isinstance(value, dict):
            self.fail(entry, f"missing [{key}] table")
        return value

    def value(self, data: dict, key: str, entry: str, kind: type, default: Any = ...) -> Any:
        if key not in data:
            if default is ...:
                self.fail(entry, f"missing '{key}'")
            return default
        value = data[key]
        # TOML datetimes are also dates; a bare date must not pass for a datetime.
        wrong_date = kind is dt.date and isinstance(value, dt.datetime)
        if not isinstance(value, kind) or wrong_date:
            self.fail(entry, f"'{key}' should be a {kind.__name__}, not {value!r}")
        if kind is str and not value.strip() and default is ...:
            self.fail(entry, f"'{key}' is empty")
        return value

    def strings(self, data: dict, key: str, entry: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(entry, f"'{key}' should be a list of strings")
        return tuple(value)

    def dated(self, data: dict, entry: str) -> Dated:
        precision = self.value(data, "date_precision", entry, str)
        if precision not in PRECISIONS:
            self.fail(entry, f"date_precision must be one of {', '.join(PRECISIONS)}")
        date = self.value(data, "date", entry, dt.date, None)
        if precision == "unknown" and date is not None:
            self.fail(entry, "a date is given but its precision is 'unknown'")
        if precision != "unknown" and date is None:
            self.fail(entry, f"precision is '{precision}' but no date is given")
        if precision == "month" and date.day != 1:
            self.fail(entry, "a date known to the month is written as the 1st of the month")
        if precision == "year" and (date.month, date.day) != (1, 1):
            self.fail(entry, "a date known to the year is written as 1 January")
        return Dated(date, precision)

    def theme(self, data: dict, i: int) -> ThemeEntry:
        entry = f"themes[{i}]"
        return ThemeEntry(
            slug=self.value(data, "slug", entry, str),
            name=self.value(data, "name", entry, str),
            description=self.value(data, "description", entry, str),
            parent=self.value(data, "parent", entry, str, None),
        )

    def speaker(self, data: dict, i: int) -> SpeakerEntry:
        entry = f"speakers[{i}]"
        return SpeakerEntry(
            slug=self.value(data, "slug", entry, str),
            name=self.value(data, "name", entry, str),
            honorific=self.value(data, "honorific", entry, str, ""),
            aliases=self.strings(data, "aliases", entry),
            bio=self.value(data, "bio", entry, str, ""),
            offices=tuple(
                self.office(o, f"{entry}.offices[{j}]")
                for j, o in enumerate(self.tables(data, "offices"))
            ),
        )

    def office(self, data: dict, entry: str) -> OfficeEntry:
        start = self.value(data, "start", entry, dt.date, None)
        end = self.value(data, "end", entry, dt.date, None)
        if start and end and end < start:
            self.fail(entry, "the office ends before it starts")
        return OfficeEntry(
            post=self.value(data, "post", entry, str),
            slug=self.value(data, "slug", entry, str),
            organisation=self.value(data, "organisation", entry, str, ""),
            start=start,
            end=end,
            is_ministerial=self.value(data, "is_ministerial", entry, bool, False),
            source_url=self.value(data, "source_url", entry, str, ""),
            ended=self.value(data, "ended", entry, bool, False),
        )

    def event(self, data: dict, i: int) -> EventEntry:
        entry = f"events[{i}]"
        return EventEntry(
            slug=self.value(data, "slug", entry, str),
            name=self.value(data, "name", entry, str),
            kind=self.value(data, "kind", entry, str),
            dated=self.dated(data, entry),
            place=self.value(data, "place", entry, str, ""),
            organiser=self.value(data, "organiser", entry, str, ""),
            description=self.value(data, "description", entry, str, ""),
        )

    def document(self, data: dict, i: int) -> DocumentEntry:
        file = self.value(data, "file", f"documents[{i}]", str)
        entry = f"documents[{i}] ({file})"
        source = self.table(data, "source", entry)
        speech = self.table(data, "speech", entry)
        return DocumentEntry(
            file=file,
            source=SourceEntry(
                slug=self.value(source, "slug", f"{entry}.source", str),
                title=self.value(source, "title", f"{entry}.source", str),
                publisher=self.value(source, "publisher", f"{entry}.source", str, ""),
                url=self.value(source, "url", f"{entry}.source", str, ""),
                dated=self.dated(source, f"{entry}.source"),
                original=self.value(source, "original", f"{entry}.source", bool, False),
            ),
            speech=SpeechEntry(
                slug=self.value(speech, "slug", f"{entry}.speech", str),
                title=self.value(speech, "title", f"{entry}.speech", str),
                speaker=self.value(speech, "speaker", f"{entry}.speech", str),
                kind=self.value(speech, "kind", f"{entry}.speech", str),
                event=self.value(speech, "event", f"{entry}.speech", str, None),
                dated=self.dated(speech, f"{entry}.speech"),
                summary=self.value(speech, "summary", f"{entry}.speech", str, ""),
                status=self.value(speech, "status", f"{entry}.speech", str, "published"),
                office=self.value(speech, "office", f"{entry}.speech", str, None),
            ),
            quotes=tuple(
                self.quote(q, f"{entry}.quotes[{j}]")
                for j, q in enumerate(self.tables(data, "quotes"))
            ),
            drop=tuple(
                DropEntry(
                    match=self.value(d, "match", f"{entry}.drop[{j}]", str),
                    reason=self.value(d, "reason", f"{entry}.drop[{j}]", str),
                )
                for j, d in enumerate(self.tables(data, "drop"))
            ),
            add=tuple(
                self.added(a, f"{entry}.add[{j}]") for j, a in enumerate(self.tables(data, "add"))
            ),
            pledges=tuple(
                self.pledge(p, f"{entry}.pledges[{j}]")
                for j, p in enumerate(self.tables(data, "pledges"))
            ),
        )

    def pledge(self, data: dict, entry: str) -> PledgeEntry:
        status = self.value(data, "status", entry, str, "pending")
        if status not in PLEDGE_STATUSES:
            self.fail(entry, f"status must be one of {', '.join(PLEDGE_STATUSES)}")
        source = self.value(data, "outcome_source_url", entry, str, "")
        if status != "pending" and not source:
            self.fail(entry, "an outcome other than pending needs its public outcome_source_url")
        # Written as `due` and `due_precision`; read with the same rules as any other date.
        due = {"date_precision": data.get("due_precision", "unknown")}
        if "due" in data:
            due["date"] = data["due"]
        return PledgeEntry(
            match=self.value(data, "match", entry, str),
            promise=self.value(data, "promise", entry, str),
            due=self.dated(due, f"{entry} (due)"),
            status=status,
            outcome_note=self.value(data, "outcome_note", entry, str, ""),
            outcome_source_url=source,
            outcome_date=self.value(data, "outcome_date", entry, dt.date, None),
        )

    def quote(self, data: dict, entry: str) -> QuoteEntry:
        return QuoteEntry(
            match=self.value(data, "match", entry, str),
            themes=self.strings(data, "themes", entry),
            speaker=self.value(data, "speaker", entry, str, None),
            attribution=self.value(data, "attribution", entry, str, None),
            reason=self.value(data, "reason", entry, str, ""),
            office=self.value(data, "office", entry, str, None),
        )

    def added(self, data: dict, entry: str) -> AddedQuote:
        kind = self.value(data, "kind", entry, str, "direct")
        if kind not in QUOTE_KINDS:
            self.fail(entry, f"kind must be one of {', '.join(QUOTE_KINDS)}")
        return AddedQuote(
            text=self.value(data, "text", entry, str),
            speaker=self.value(data, "speaker", entry, str),
            attribution=self.value(data, "attribution", entry, str, ""),
            kind=kind,
            themes=self.strings(data, "themes", entry),
            reason=self.value(data, "reason", entry, str, ""),
            office=self.value(data, "office", entry, str, None),
        )
