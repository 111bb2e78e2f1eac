"""Cleaning an article: from the text as received to the words the report printed.

Removes site furniture (registration prompts, comment rules, "comments powered by
Disqus", links to an editor's blog), pull-quotes that repeat a quotation from the body,
repeated paragraphs and stray ``*`` emphasis markup; rejoins lines and paragraphs that a
copy-and-paste broke mid-sentence; and repairs a dash mis-encoded as "?" ("unit?it").

Quote marks are kept as printed (curly or straight) so a quotation's text stays the
source's own; the extractor understands every kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from archive.ingest.normalise import MISENCODED_DASH, normalise_for_match

# Whole paragraphs that are the publisher's page furniture, never the report's words.
BOILERPLATE = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"have you registered with us yet\??",
        r"register( now)?( for free)? to (enjoy|read|get|access|continue|keep)\b.*",
        r"register( now)?",
        r"already registered\??",
        r"sign in( or register)?",
        r"log ?in|log out|subscribe( now)?",
        r".*\brules for commenting\b.*",
        r".*\bflag (it )?as inappropriate\b.*",
        r"comments powered by disqus",
        r"editor['’]s blog:.*",
        r"(related articles|read more|share this( article)?|print this( article)?)",
    )
]

# Quote characters that only garbled copies use, folded to the ordinary ones.
_ODD_QUOTES = str.maketrans({"\u201b": "\u2018", "\u201f": "\u201c", "\u2032": "'", "\u2033": '"'})
_SENTENCE_END = ".!?:;,…'\"’”)]"
_INTERNAL_SENTENCE = re.compile(r"[a-z0-9)][.!?] +[A-Z]")
_NUMBERED_HEADING = re.compile(r"^\d+[.)] ")
# "Mr Lansley: 'There is …'" -- a display line naming the speaker and quoting them.
_PULL_QUOTE = re.compile(
    r"^(?P<who>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}): *(?P<quote>[‘“'\"].+[’”'\"]?)$"
)
_QUOTE_MARKS = "‘’“”'\""
_WRAP_MIN = 60  # a line at least this long that breaks mid-sentence was wrapped


@dataclass(frozen=True)
class Cleaning:
    """The cleaned text (paragraphs separated by a blank line), what was taken out, and
    the words the report printed that the text shows otherwise (``repaired``)."""

    text: str
    removed: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def editorial_note(self) -> str:
        """What a reader must be told about the words as shown ("" if they are as printed):
        a quotation's words are the source's own, so any repair is said beside them."""
        if not self.repaired:
            return ""
        printed = ", ".join(f"“{words}”" for words in dict.fromkeys(self.repaired))
        return f"The source prints a dash as “?” ({printed}); the archive shows it as a dash."


def clean(text: str) -> Cleaning:
    """Clean an article's text; every removed paragraph or mark is listed in ``removed``."""
    removed: list[str] = []
    repaired: list[str] = []
    paragraphs = [_clean_paragraph(p, removed, repaired) for p in _paragraphs(text)]
    paragraphs = [p for p in paragraphs if p]

    kept = []
    for paragraph in paragraphs:
        if any(pattern.fullmatch(paragraph) for pattern in BOILERPLATE):
            removed.append(paragraph)
        else:
            kept.append(paragraph)

    kept = _without_pull_quotes(kept, removed)
    kept = _without_repeats(kept, removed)
    kept = _rejoined(kept)
    return Cleaning(text="\n\n".join(kept), removed=removed, repaired=repaired)


def _paragraphs(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [p for p in re.split(r"\n[ \t\u00a0]*\n", text) if p.strip()]


def _clean_paragraph(paragraph: str, removed: list[str], repaired: list[str]) -> str:
    lines = []
    for line in paragraph.split("\n"):
        line = line.translate(_ODD_QUOTES).replace("\u00a0", " ")
        line = re.sub(r"[ \t]+", " ", line).strip()
        # Stray emphasis markup from the letter's letterhead: "*From the Rt Hon …".
        unstarred = re.sub(r"^\*+\s*|\s*\*+$", "", line)
        unstarred = re.sub(r"\*(\S(?:[^*\n]*\S)?)\*", r"\1", unstarred)
        if unstarred != line:
            removed.append(f"emphasis markup: {line}")
            line = unstarred
        dashed, words = _dashes_repaired(line)
        if words:
            removed.append("mis-encoded dash: " + ", ".join(words))
            repaired.extend(words)
            line = dashed
        if line:
            lines.append(line)
    return _unwrapped(lines)


# A word holding a web or e-mail address ("gov.uk/search?q=nhs"): its "?" is its own.
_ADDRESS = re.compile(r"://|^www\.|/|@")


def _dashes_repaired(line: str) -> tuple[str, list[str]]:
    """``line`` with each dash mis-encoded as "?" restored (outside addresses), and the
    words as printed that held one ("unit?it")."""
    words: list[str] = []

    def repaired(match: re.Match) -> str:
        token = match.group()
        if _ADDRESS.search(token) or not MISENCODED_DASH.search(token):
            return token
        words.extend(re.findall(r"[a-z]+\?[a-z]+", token))
        return MISENCODED_DASH.sub("\u2014", token)

    return re.sub(r"\S+", repaired, line), words


def _unwrapped(lines: list[str]) -> str:
    """Join lines a mail client or copy wrapped; keep deliberate short lines (addresses)."""
    if not lines:
        return ""
    out = [lines[0]]
    for line in lines[1:]:
        previous = out[-1]
        if len(previous) >= _WRAP_MIN and previous[-1] not in _SENTENCE_END:
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def _without_pull_quotes(paragraphs: list[str], removed: list[str]) -> list[str]:
    """Drop display lines ("Mr Lansley: '…'") whose quotation the body already prints."""
    body = [line for p in paragraphs for line in p.split("\n") if not _PULL_QUOTE.match(line)]
    body_text = normalise_for_match(" ".join(body)).casefold()
    kept = []
    for paragraph in paragraphs:
        lines = []
        for line in paragraph.split("\n"):
            match = _PULL_QUOTE.match(line)
            if match:
                words = normalise_for_match(match["quote"].strip(_QUOTE_MARKS)).casefold()
                if words and words in body_text:
                    removed.append(line)
                    continue
            lines.append(line)
        if lines:
            kept.append("\n".join(lines))
    return kept


def _without_repeats(paragraphs: list[str], removed: list[str]) -> list[str]:
    """Keep the first of any paragraphs that say the same words (a repeated standfirst)."""
    seen: set[str] = set()
    kept = []
    for paragraph in paragraphs:
        key = normalise_for_match(paragraph).casefold()
        if key in seen:
            removed.append(paragraph)
            continue
        seen.add(key)
        kept.append(paragraph)
    return kept


def _rejoined(paragraphs: list[str]) -> list[str]:
    """Rejoin a sentence split across two paragraphs ("decide when and how" / "competition")."""
    out: list[str] = []
    for paragraph in paragraphs:
        if out and _continues(out[-1], paragraph):
            out[-1] = f"{out[-1]} {paragraph}"
        else:
            out.append(paragraph)
    return out


def _continues(previous: str, paragraph: str) -> bool:
    if previous[-1] in _SENTENCE_END or "\n" in previous:
        return False
    if _NUMBERED_HEADING.match(previous) or _NUMBERED_HEADING.match(paragraph):
        return False
    if paragraph[0] in _QUOTE_MARKS:
        return False
    # Prose (it has sentences of its own) or a lower-case continuation; not a headline.
    return paragraph[0].islower() or bool(_INTERNAL_SENTENCE.search(previous))
