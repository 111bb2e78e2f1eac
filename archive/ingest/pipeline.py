"""The one entry point from an article's text to cleaned text and attributed quotations.

``process(text, known_speakers)`` is called by the fixture builder, the admin's article
import and ``manage.py import_article`` alike, so every route into the archive cleans,
extracts and attributes the same way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from archive.ingest.attribute import Attributed, attribute
from archive.ingest.clean import clean
from archive.ingest.extract import extract_quotations, is_single_word
from archive.ingest.normalise import normalise_for_match
from archive.ingest.speakers import KnownSpeaker

_SENTENCE_END = re.compile(r"[.!?…][’”'\")\]]*$")

__all__ = [
    "MAX_QUOTATIONS",
    "Extracted",
    "IngestResult",
    "KnownSpeaker",
    "Skipped",
    "TooManyQuotations",
    "check_quotation_count",
    "process",
]

# Quotations one article may hold. A news report quotes a few dozen times; past this, the
# text is not one article, and attributing each quotation (which looks at the others)
# would hold a server thread for seconds to minutes.
MAX_QUOTATIONS = 500


class TooManyQuotations(ValueError):
    """An article holding more than ``MAX_QUOTATIONS`` quotations, refused whole."""


@dataclass(frozen=True)
class Extracted:
    """One direct quotation found in a cleaned article.

    ``text`` is the quotation without its quote marks, exactly as printed (paragraphs of a
    quotation that runs over several paragraphs are joined by a blank line).
    ``attribution`` is how the article names the speaker at this point ("Mr Lansley", "she").
    ``speaker_slug`` is the known speaker it resolves to, or None when the name is new;
    ``speaker_name_guess`` is the fullest name the article gives for that person.
    ``position`` is the quotation's order in the article (0, 1, 2 …) and ``context`` the
    sentence or sentences around it, for a curator to check the attribution.
    """

    text: str
    attribution: str
    speaker_slug: str | None
    speaker_name_guess: str
    kind: Literal["direct"]
    position: int
    context: str


@dataclass(frozen=True)
class Skipped:
    """A quoted passage deliberately not made into a quotation, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class IngestResult:
    """What ``process`` found: the cleaned text, its quotations, and what was removed."""

    cleaned_text: str
    quotations: list[Extracted]
    removed: list[str]
    skipped: list[Skipped] = field(default_factory=list)
    # What a reader must be told about the cleaned words (Cleaning.editorial_note).
    editorial_note: str = ""


def process(text: str, known_speakers: Sequence[KnownSpeaker]) -> IngestResult:
    """Clean an article, extract its direct quotations and attribute each to a speaker;
    ``TooManyQuotations`` if it holds more than ``MAX_QUOTATIONS``.

    ``known_speakers`` lets names and aliases in the text ("Mr Lansley", "Dr Alessi")
    resolve to existing speakers; anyone else is returned with ``speaker_slug=None`` and
    the name the article uses, for a curator to confirm.
    """
    cleaning = clean(text)
    found = extract_quotations(cleaning.text)
    _refuse_too_many(found)
    attributed = attribute(cleaning.text, found, known_speakers)
    kept, skipped = _selected(attributed, _headline_end(cleaning.text))
    quotations = [
        Extracted(
            text=a.quotation.text,
            attribution=a.attribution,
            speaker_slug=a.speaker_slug,
            speaker_name_guess=a.speaker_name,
            kind="direct",
            position=position,
            context=a.context,
        )
        for position, a in enumerate(kept)
    ]
    return IngestResult(
        cleaned_text=cleaning.text,
        quotations=quotations,
        removed=cleaning.removed,
        skipped=skipped,
        editorial_note=cleaning.editorial_note,
    )


def check_quotation_count(text: str) -> None:
    """``TooManyQuotations`` if ``text``, cleaned, holds more than ``MAX_QUOTATIONS``
    quotations: what ``process`` would refuse, asked before anything is written."""
    _refuse_too_many(extract_quotations(clean(text).text))


def _refuse_too_many(found: list) -> None:
    if len(found) > MAX_QUOTATIONS:
        raise TooManyQuotations(
            f"The text holds {len(found):,} quotations; one article may hold at most "
            f"{MAX_QUOTATIONS}. Import it in parts, one article at a time."
        )


def _headline_end(text: str) -> int:
    """Where the article's headline ends (0 if it has none): a short first line that is
    not a sentence, as in "Hunt tells trust leaders to stop 'hiding behind' targets"."""
    first = text.split("\n\n", 1)[0]
    is_headline = "\n" not in first and len(first) <= 200 and not _SENTENCE_END.search(first)
    return len(first) if is_headline else 0


def _selected(
    attributed: list[Attributed], headline_end: int
) -> tuple[list[Attributed], list[Skipped]]:
    """One record per distinct statement. Skipped, with the reason: quotations in the
    headline; a document's words or title ("a new report … showed that '…'", the white
    paper "Equity and excellence …"); quoted single words; and any quotation whose words
    the same speaker says within a longer one (a pull-quote, "rarely")."""
    kept: list[Attributed] = []
    skipped: list[Skipped] = []
    # Each quotation normalised once, and compared only with the same speaker's: comparing
    # every pair, each normalised again, took half a minute for a thousand quotations.
    folded = [normalise_for_match(a.quotation.text).casefold() for a in attributed]
    lengths = [len(a.quotation.text) for a in attributed]
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for index, a in enumerate(attributed):
        by_speaker[a.speaker_name].append(index)
    for index, a in enumerate(attributed):
        text = a.quotation.text
        if a.quotation.start < headline_end:
            skipped.append(
                Skipped(text, "quoted in the headline, which the report does not attribute")
            )
            continue
        if a.not_speech:
            skipped.append(Skipped(text, f"quotes {a.not_speech}"))
            continue
        if is_single_word(a.quotation):
            skipped.append(Skipped(text, "a single quoted word marks a term, not a statement"))
            continue
        needle = folded[index]
        longer = next(
            (
                attributed[other]
                for other in by_speaker[a.speaker_name]
                if other != index
                and lengths[other] >= lengths[index]
                and needle
                and needle in folded[other]
                # Of two equal quotations the first is kept.
                and (lengths[other] > lengths[index] or other < index)
            ),
            None,
        )
        if longer is not None:
            skipped.append(
                Skipped(text, f"part of a longer quotation: {longer.quotation.text[:60]}…")
            )
            continue
        kept.append(a)
    return kept, skipped
