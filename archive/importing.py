"""What an article would add to the archive, before anything is saved.

Runs the ingest pipeline (the same one that builds the seed fixtures) on a pasted or uploaded
article and matches what it found against the archive: the speaker of each quotation (by name
and alias, or proposed as new), the themes it seems to be about, and any quotation the archive
already holds. The admin's import page and ``manage.py import_article`` both show this; the
write itself is ``archive.services.import_article``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from archive.ingest.normalise import fingerprint, normalise_for_match
from archive.models import Quote, QuoteKind, Speaker, Theme
from archive.plain_text import CONTROL, with_line_breaks
from archive.services import QuotationChoice

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class UnreadableArticle(ValueError):
    """An uploaded file that is not a whole UTF-8 text document."""


def read_article_bytes(data: bytes) -> str:
    """Decode an uploaded article, refusing anything that is not plain UTF-8 text.

    A binary file, a file in another encoding and a file cut off in the middle of a character
    all fail here with a message a curator can act on.
    """
    if not data.strip():
        raise UnreadableArticle("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableArticle(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
            "an article is much smaller."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableArticle(
            "The file is UTF-16 text, not UTF-8. Save it as UTF-8 and upload it again."
        )
    if b"\x00" in data:
        raise UnreadableArticle("The file is not text (it contains binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            where = "at its end (it looks cut off)"
        else:
            where = f"at byte {error.start}"
        raise UnreadableArticle(
            f"The file is not valid UTF-8 text {where}. Save it as UTF-8 and upload it again."
        ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(3, len(text) // 100):
        raise UnreadableArticle("The file is not text (it contains control characters).")
    # Page and line breaks (a PDF's form feeds, Word's vertical tabs) as line breaks; a
    # stray control character or two as a space: none can be shown or published.
    return CONTROL.sub(" ", with_line_breaks(text))


@dataclass
class QuotationPreview:
    """One quotation the pipeline found, with what the archive suggests for it."""

    position: int
    text: str
    attribution: str
    kind: str
    context: str
    speaker: Speaker | None
    speaker_name_guess: str
    themes: list[Theme] = field(default_factory=list)
    duplicates: list[Quote] = field(default_factory=list)

    @property
    def proposed_new_speaker(self) -> str:
        """The name to create a speaker under when no existing speaker matched."""
        return "" if self.speaker else self.speaker_name_guess

    def as_choice(self) -> QuotationChoice:
        """The suggestion taken as it is (what the command line saves)."""
        return QuotationChoice(
            text=self.text,
            attribution=self.attribution,
            speaker=self.speaker,
            new_speaker_name=self.proposed_new_speaker,
            kind=self.kind,
            themes=tuple(self.themes),
        )


@dataclass
class ArticlePreview:
    """Everything the pipeline and the archive make of one article."""

    original_text: str
    cleaned_text: str
    removed: list[str]
    quotations: list[QuotationPreview]
    # What readers must be told about the cleaned words; the draft speech is given it.
    editorial_note: str = ""

    @property
    def digest(self) -> str:
        """Identifies the article text, so a confirmation matches the preview it answers."""
        return hashlib.sha256(self.original_text.encode()).hexdigest()[:16]

    @property
    def main_speaker(self) -> Speaker | None:
        """The person quoted most often, the likeliest giver of the speech, when the archive
        has them (else ``main_speaker_guess`` names them)."""
        return self._most_quoted()[0]

    @property
    def main_speaker_guess(self) -> str:
        """The name of the person quoted most often, when the archive does not have them."""
        speaker, name = self._most_quoted()
        return "" if speaker else name

    def _most_quoted(self) -> tuple[Speaker | None, str]:
        """(speaker, "") or (None, name) of the person quoted most often, the first quoted
        of those quoted as often. Known speakers and new names are counted together: a new
        person quoted twice gives the speech, not a known one quoted once beside them."""
        counts = Counter(
            (q.speaker, "") if q.speaker else (None, q.speaker_name_guess)
            for q in self.quotations
            if q.speaker or q.speaker_name_guess
        )
        return counts.most_common(1)[0][0] if counts else (None, "")

    @property
    def suggested_title(self) -> str:
        """The article's first line, which in the sources is its headline or opening."""
        for line in self.cleaned_text.splitlines():
            line = line.strip().strip("*").strip()
            if line:
                return line if len(line) <= 120 else line[:117].rstrip() + "…"
        return ""


def known_speakers(speakers: Iterable[Speaker] | None = None) -> list:
    """The archive's speakers in the form the pipeline matches attributions against."""
    # Imported here so the admin (which imports this module) loads even while the ingest
    # package is being worked on; only an actual import needs the pipeline.
    from archive.ingest.pipeline import KnownSpeaker

    speakers = Speaker.objects.all() if speakers is None else speakers
    return [
        KnownSpeaker(name=s.name, slug=s.slug, aliases=tuple(s.aliases or ())) for s in speakers
    ]


def preview_article(text: str) -> ArticlePreview:
    """Run the ingest pipeline on ``text`` and match its findings to the archive."""
    from archive.ingest.pipeline import process

    speakers = list(Speaker.objects.all())
    by_slug = {s.slug: s for s in speakers}
    by_name = _names_index(speakers)
    themes = list(Theme.objects.all())
    result = process(text, known_speakers(speakers))
    quotations = []
    for position, found in enumerate(result.quotations, start=1):
        guess = (found.speaker_name_guess or "").strip()
        speaker = by_slug.get(found.speaker_slug or "") or by_name.get(_name_key(guess))
        quotations.append(
            QuotationPreview(
                position=position,
                text=found.text,
                attribution=(found.attribution or "").strip(),
                kind=found.kind if found.kind in QuoteKind.values else QuoteKind.DIRECT,
                context=found.context or "",
                speaker=speaker,
                speaker_name_guess=guess,
                themes=suggest_themes(found.text, themes),
            )
        )
    _attach_duplicates(quotations)
    return ArticlePreview(
        original_text=text,
        cleaned_text=result.cleaned_text,
        removed=list(result.removed),
        editorial_note=result.editorial_note,
        quotations=quotations,
    )


def _name_key(name: str) -> str:
    return normalise_for_match(name).casefold()


def _names_index(speakers: Sequence[Speaker]) -> dict[str, Speaker]:
    """Each speaker under their name and every alias, for a guess the pipeline left open."""
    index: dict[str, Speaker] = {}
    for speaker in speakers:
        for name in [speaker.name, *(speaker.aliases or [])]:
            index.setdefault(_name_key(name), speaker)
    index.pop("", None)
    return index


def _attach_duplicates(quotations: list[QuotationPreview]) -> None:
    """Find, in one query, the archived quotes with the same words as each quotation."""
    by_print = {fingerprint(q.text): q for q in quotations}
    existing = Quote.objects.filter(fingerprint__in=by_print).select_related("speech")
    for quote in existing:
        by_print[quote.fingerprint].duplicates.append(quote)


# Words too common in health-policy prose to say what a passage is about.
_COMMON_WORDS = """about after also and are because been being between both but can could
does each from have health into local more most much need needs only other over should some
such than that their them then there these they this those through under very want what when
where which while will with would your service services people nhs care"""
_STOPWORDS = frozenset(_COMMON_WORDS.split())
_WORD = re.compile(r"[a-z]+")


def _stems(text: str) -> set[str]:
    """Crude stems: words of four letters or more, cut to six letters ("reconfigur…")."""
    words = _WORD.findall(normalise_for_match(text).casefold())
    return {w[:6] for w in words if len(w) >= 4 and w not in _STOPWORDS}


def suggest_themes(text: str, themes: Sequence[Theme]) -> list[Theme]:
    """Themes whose name words (or several description words) occur in ``text``.

    A suggestion only: the curator ticks or unticks them on the preview.
    """
    words = _stems(text)
    suggested = []
    for theme in themes:
        name_hits = _stems(theme.name) & words
        description_hits = _stems(theme.description) & words
        if name_hits or len(description_hits) >= 2:
            suggested.append(theme)
    return suggested
