"""Building the seed archive's records from the source documents and the curation file.

Every document runs through the same pipeline as an article imported by a curator; the
curation file then supplies what the pipeline cannot know and checks what it found: each
extracted quotation must be curated (given its themes, or dropped with a reason), every
curated entry must name a quotation that is really in its document, and every quotation
must belong to a known speaker. Any problem stops the build with the file and the entry.

The records come out as plain values in Django's fixture layout, with fixed primary keys
and no clock readings, so the same inputs always give the same fixture. Pure Python: the
management command that writes ``fixtures/archive.json`` adds the model checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.ingest.curation import (
    AddedQuote,
    Curation,
    CurationError,
    DocumentEntry,
    DropEntry,
    QuoteEntry,
)
from archive.ingest.extract import contains
from archive.ingest.normalise import appears_in, fingerprint, fold_with_positions
from archive.ingest.normalise import normalise_for_match as _normalise
from archive.ingest.pipeline import Extracted, KnownSpeaker, process
from archive.words import in_ascii, quote_slug_words

# Records are written in this order: everything a record points to comes before it.
MODEL_ORDER = (
    "archive.theme",
    "archive.speaker",
    "archive.office",
    "archive.event",
    "archive.source",
    "archive.speech",
    "archive.quote",
    "archive.pledge",
)


@dataclass(frozen=True)
class Record:
    """One fixture object; ``entry`` names the curation entry it came from, for errors."""

    model: str
    pk: int
    fields: dict[str, Any]
    entry: str

    def as_fixture(self) -> dict[str, Any]:
        return {"model": self.model, "pk": self.pk, "fields": self.fields}


@dataclass(frozen=True)
class _Quoted:
    """A quotation on its way to becoming a Quote record."""

    text: str
    speaker: str
    attribution: str
    kind: str
    themes: tuple[str, ...]
    entry: str
    office: str | None = None  # the post its source names (a slug of the speaker's)


def slugify(text: str, max_length: int = 120) -> str:
    """Django's ``slugify`` (ASCII, lower case, hyphens) of the text spelled in ASCII
    (``in_ascii``, as the admin's addresses are), cut at a hyphen to ``max_length``."""
    text = unicodedata.normalize("NFKD", in_ascii(text)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text.lower())
    slug = re.sub(r"[-\s]+", "-", text).strip("-_")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def build_records(curation: Curation, source_dir: Path) -> list[Record]:
    """All records of the seed archive, in a stable order, from ``curation`` and the
    documents in ``source_dir``. Raises ``CurationError`` naming the file and entry."""
    builder = _Builder(curation, source_dir)
    return builder.build()


class _Builder:
    def __init__(self, curation: Curation, source_dir: Path):
        self.curation = curation
        self.source_dir = source_dir
        self.file = curation.path.name
        self.stamp = curation.curated_at.isoformat().replace("+00:00", "Z")
        self.records: list[Record] = []
        self.theme_pks: dict[str, int] = {}
        self.speaker_pks: dict[str, int] = {}
        self.event_pks: dict[str, int] = {}
        self.office_pks: dict[tuple[str, str], int] = {}  # (speaker, post) slugs
        self.quote_slugs: set[str] = set()

    def fail(self, entry: str, problem: str):
        raise CurationError(self.file, entry, problem)

    def build(self) -> list[Record]:
        self._themes()
        self._speakers()
        self._events()
        known = [
            KnownSpeaker(name=s.name, slug=s.slug, aliases=s.aliases)
            for s in self.curation.speakers
        ]
        quotes: list[Record] = []
        self._unique(
            [(d.file, f"documents[{i}]") for i, d in enumerate(self.curation.documents)], "file"
        )
        pledges: list[Record] = []
        for pk, document in enumerate(self.curation.documents, start=1):
            found = self._document(pk, document, known, first_quote_pk=len(quotes) + 1)
            quotes += found
            pledges += self._pledges(pk, document, found, first_pk=len(pledges) + 1)
        self._unique([(r.fields["slug"], r.entry) for r in self._of("archive.source")], "slug")
        self._unique([(r.fields["slug"], r.entry) for r in self._of("archive.speech")], "slug")
        self.records += quotes + pledges
        order = {model: i for i, model in enumerate(MODEL_ORDER)}
        return sorted(self.records, key=lambda r: (order[r.model], r.pk))

    def _of(self, model: str) -> list[Record]:
        return [r for r in self.records if r.model == model]

    def _unique(self, values: Iterable[tuple[str, str]], what: str) -> None:
        seen: dict[str, str] = {}
        for value, entry in values:
            if value in seen:
                self.fail(entry, f"{what} {value!r} is already used by {seen[value]}")
            seen[value] = entry

    # -- themes, speakers, offices, events -------------------------------------------------

    def _themes(self) -> None:
        themes = self.curation.themes
        self._unique([(t.slug, f"themes[{i}]") for i, t in enumerate(themes)], "slug")
        self._unique([(t.name, f"themes[{i}]") for i, t in enumerate(themes)], "name")
        self.theme_pks = {t.slug: pk for pk, t in enumerate(themes, start=1)}
        for pk, theme in enumerate(themes, start=1):
            entry = f"themes[{pk - 1}]"
            if theme.parent is not None and theme.parent not in self.theme_pks:
                self.fail(entry, f"parent {theme.parent!r} is not a theme in this file")
            fields = {
                "name": theme.name,
                "slug": theme.slug,
                "description": theme.description,
                "parent": self.theme_pks.get(theme.parent) if theme.parent else None,
            }
            self.records.append(Record("archive.theme", pk, fields, entry))

    def _speakers(self) -> None:
        speakers = self.curation.speakers
        self._unique([(s.slug, f"speakers[{i}]") for i, s in enumerate(speakers)], "slug")
        office_pk = 0
        offices = []
        for pk, speaker in enumerate(speakers, start=1):
            entry = f"speakers[{pk - 1}]"
            self.speaker_pks[speaker.slug] = pk
            fields = {
                "name": speaker.name,
                "slug": speaker.slug,
                "honorific": speaker.honorific,
                "bio": speaker.bio,
                "aliases": list(speaker.aliases),
            }
            self.records.append(Record("archive.speaker", pk, fields, entry))
            for j, office in enumerate(speaker.offices):
                office_pk += 1
                fields = {
                    "speaker": pk,
                    "post": office.post,
                    "slug": office.slug,
                    "organisation": office.organisation,
                    "start_date": _iso(office.start),
                    "end_date": _iso(office.end),
                    "ended": office.ended,
                    "is_ministerial": office.is_ministerial,
                    "source_url": office.source_url,
                }
                offices.append(Record("archive.office", office_pk, fields, f"{entry}.offices[{j}]"))
                self.office_pks[speaker.slug, office.slug] = office_pk
        self.records += offices

    def _events(self) -> None:
        events = self.curation.events
        self._unique([(e.slug, f"events[{i}]") for i, e in enumerate(events)], "slug")
        for pk, event in enumerate(events, start=1):
            self.event_pks[event.slug] = pk
            fields = {
                "name": event.name,
                "slug": event.slug,
                "kind": event.kind,
                "date": _iso(event.dated.date),
                "date_precision": event.dated.precision,
                "place": event.place,
                "organiser": event.organiser,
                "description": event.description,
            }
            self.records.append(Record("archive.event", pk, fields, f"events[{pk - 1}]"))

    # -- documents -----------------------------------------------------------------------

    def _document(
        self, pk: int, document: DocumentEntry, known: list[KnownSpeaker], first_quote_pk: int
    ) -> list[Record]:
        entry = f"documents[{pk - 1}] ({document.file})"
        original = self._read(document.file, entry)
        result = process(original, known)
        speech = document.speech
        if speech.speaker not in self.speaker_pks:
            self.fail(f"{entry}.speech", f"speaker {speech.speaker!r} is not a known speaker")
        if speech.event is not None and speech.event not in self.event_pks:
            self.fail(f"{entry}.speech", f"event {speech.event!r} is not an event in this file")
        stated = None
        if speech.office is not None:
            stated = self.office_pks.get((speech.speaker, speech.office))
            if stated is None:
                self.fail(
                    f"{entry}.speech", f"office {speech.office!r} is not one of the speaker's"
                )

        source = document.source
        self.records.append(
            Record(
                "archive.source",
                pk,
                {
                    "title": source.title,
                    "slug": source.slug,
                    "publisher": source.publisher,
                    "date": _iso(source.dated.date),
                    "date_precision": source.dated.precision,
                    "url": source.url,
                    "is_original": source.original,
                    "original_text": original,
                    "filename": document.file,
                },
                f"{entry}.source",
            )
        )
        self.records.append(
            Record(
                "archive.speech",
                pk,
                {
                    "title": speech.title,
                    "slug": speech.slug,
                    "speaker": self.speaker_pks[speech.speaker],
                    "event": self.event_pks[speech.event] if speech.event else None,
                    "source": pk,
                    "kind": speech.kind,
                    "date": _iso(speech.dated.date),
                    "date_precision": speech.dated.precision,
                    "stated_office": stated,
                    "summary": speech.summary,
                    "text": result.cleaned_text,
                    "editorial_note": result.editorial_note,
                    "status": speech.status,
                    "created_at": self.stamp,
                    "updated_at": self.stamp,
                    "published_at": self.stamp if speech.status == "published" else None,
                },
                f"{entry}.speech",
            )
        )
        quoted = self._curated(document, entry, result.quotations, original)
        return self._quote_records(pk, quoted, result.cleaned_text, first_quote_pk, entry)

    def _pledges(
        self, pk: int, document: DocumentEntry, quotes: list[Record], first_pk: int
    ) -> list[Record]:
        """The document's commitments, each on the one quotation its ``match`` names."""
        entry = f"documents[{pk - 1}] ({document.file})"
        records: list[Record] = []
        pledged: dict[int, str] = {}
        for j, pledge in enumerate(document.pledges):
            label = f"{entry}.pledges[{j}]"
            hits = [q for q in quotes if contains(q.fields["text"], pledge.match)]
            if not hits:
                self.fail(label, f"names no quotation of {document.file}: {pledge.match!r}")
            if len(hits) > 1:
                self.fail(label, f"{pledge.match!r} matches {len(hits)} quotations; quote more")
            quote = hits[0]
            if quote.pk in pledged:
                self.fail(label, f"the quotation already has a pledge ({pledged[quote.pk]})")
            pledged[quote.pk] = label
            fields = {
                "quote": quote.pk,
                "promise": pledge.promise,
                "due_date": _iso(pledge.due.date),
                "due_date_precision": pledge.due.precision,
                "status": pledge.status,
                "outcome_note": pledge.outcome_note,
                "outcome_source_url": pledge.outcome_source_url,
                "outcome_date": _iso(pledge.outcome_date),
            }
            records.append(Record("archive.pledge", first_pk + len(records), fields, label))
        return records

    def _read(self, file: str, entry: str) -> str:
        path = self.source_dir / file
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.fail(entry, f"the document {path} is missing")
        except UnicodeDecodeError as error:
            self.fail(entry, f"the document {path} is not UTF-8 text ({error.reason})")
        except OSError as error:
            self.fail(entry, f"the document {path} cannot be read ({error.strerror})")

    def _curated(
        self,
        document: DocumentEntry,
        entry: str,
        extracted: list[Extracted],
        original: str,
    ) -> list[_Quoted]:
        """Pair each extracted quotation with its curation entry; add curated passages."""
        claims: dict[int, str] = {}
        quoted: list[_Quoted] = []
        entries: list[tuple[str, QuoteEntry | DropEntry]] = [
            *((f"{entry}.quotes[{j}]", q) for j, q in enumerate(document.quotes)),
            *((f"{entry}.drop[{j}]", d) for j, d in enumerate(document.drop)),
        ]
        matched: dict[int, tuple[str, QuoteEntry | DropEntry]] = {}
        for label, item in entries:
            hits = [i for i, q in enumerate(extracted) if contains(q.text, item.match)]
            if not hits:
                self.fail(
                    label,
                    f"names a quotation that is not in {document.file}: {item.match!r}",
                )
            if len(hits) > 1:
                self.fail(label, f"{item.match!r} matches {len(hits)} quotations; quote more words")
            if hits[0] in claims:
                self.fail(label, f"names the same quotation as {claims[hits[0]]}")
            claims[hits[0]] = label
            matched[hits[0]] = (label, item)

        for i, quotation in enumerate(extracted):
            if i not in matched:
                self.fail(
                    entry,
                    f"the quotation {quotation.text[:70]!r} is not curated: give it a "
                    "[[documents.quotes]] entry (its themes) or a [[documents.drop]] entry",
                )
            label, item = matched[i]
            if isinstance(item, DropEntry):
                continue
            speaker = item.speaker or quotation.speaker_slug
            if speaker is None:
                who = quotation.speaker_name_guess or "nobody the article names"
                self.fail(
                    label,
                    f"the quotation is attributed to {who}, who is not a known speaker; "
                    "add them to [[speakers]] or set speaker =",
                )
            quoted.append(
                _Quoted(
                    text=quotation.text,
                    speaker=speaker,
                    attribution=item.attribution or quotation.attribution,
                    kind="direct",
                    themes=item.themes,
                    entry=label,
                    office=item.office,
                )
            )

        for j, added in enumerate(document.add):
            quoted.append(self._added(added, f"{entry}.add[{j}]", document.file, original))

        for quote in quoted:
            if quote.speaker not in self.speaker_pks:
                self.fail(quote.entry, f"speaker {quote.speaker!r} is not a known speaker")
            for theme in quote.themes:
                if theme not in self.theme_pks:
                    self.fail(quote.entry, f"theme {theme!r} is not a theme in this file")
            if quote.office is not None and (quote.speaker, quote.office) not in self.office_pks:
                self.fail(quote.entry, f"office {quote.office!r} is not one of the speaker's")
        return quoted

    def _added(self, added: AddedQuote, label: str, file: str, original: str) -> _Quoted:
        if not appears_in(added.text, original):
            self.fail(label, f"names a passage that is not in {file}: {added.text[:70]!r}")
        return _Quoted(
            text=added.text,
            speaker=added.speaker,
            attribution=added.attribution,
            kind=added.kind,
            themes=added.themes,
            entry=label,
            office=added.office,
        )

    def _quote_records(
        self, speech_pk: int, quoted: list[_Quoted], cleaned: str, first_pk: int, entry: str
    ) -> list[Record]:
        folded, _ = fold_with_positions(cleaned)

        def place(item: tuple[int, _Quoted]) -> tuple[int, int]:
            index, quote = item
            at = folded.find(_normalise(quote.text))
            return (at if at >= 0 else len(folded), index)

        ordered = [q for _, q in sorted(enumerate(quoted), key=place)]
        prints: dict[str, str] = {}
        records = []
        for position, quote in enumerate(ordered, start=1):
            digest = fingerprint(quote.text)
            if digest in prints:
                self.fail(quote.entry, f"the same words as {prints[digest]} in this speech")
            prints[digest] = quote.entry
            fields = {
                "speech": speech_pk,
                "speaker": self.speaker_pks[quote.speaker],
                "slug": self._quote_slug(quote),
                "text": quote.text,
                "attribution": quote.attribution,
                "kind": quote.kind,
                "fingerprint": digest,
                "position": position,
                "themes": sorted(self.theme_pks[t] for t in set(quote.themes)),
                "stated_office": (
                    self.office_pks[quote.speaker, quote.office] if quote.office else None
                ),
                "created_at": self.stamp,
                "updated_at": self.stamp,
            }
            pk = first_pk + len(records)
            records.append(Record("archive.quote", pk, fields, quote.entry))
        return records

    def _quote_slug(self, quote: _Quoted) -> str:
        base = slugify(quote_slug_words(quote.speaker, quote.text), max_length=110)
        slug, n = base, 2
        while slug in self.quote_slugs:
            slug, n = f"{base}-{n}", n + 1
        self.quote_slugs.add(slug)
        return slug


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
