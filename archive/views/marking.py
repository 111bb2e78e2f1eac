"""A speech's text as HTML paragraphs, with its quotations marked and linked.

Reports mix curly and straight quote marks, and a quotation running over several
paragraphs re-opens each one with a quote mark that the quotation's own text leaves out.
So a quotation is found in the text after folding spacing and dashes
(``archive.ingest.normalise``) and dropping quote marks from both, then mapped back to the
original characters. Every piece of text is escaped before any markup is added.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from archive.ingest.normalise import QUOTE_FOLDS, normalise_for_match

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_QUOTE_MARKS = frozenset("'\"")
# What may open a quotation's paragraph before its words.
_OPENING_MARKS = frozenset("'\"\u2018\u201c")


@dataclass(frozen=True)
class Span:
    """Where a quotation sits in the original text: ``text[start:end]``."""

    start: int
    end: int
    slug: str
    url: str


# Characters that the fold changes, drops or merges, with the spacing around them, and
# spacing other than one plain space; everything else is copied as it is. A plain space
# between two ordinary characters folds to itself, so the words of a text are copied a run
# at a time, not one by one (a 2 KB speech 0.2 -> 0.05 ms).
_CHANGED = "".join(chr(c) for c in QUOTE_FOLDS) + "".join(_QUOTE_MARKS)
_SPECIAL = re.compile(rf"\s*[{re.escape(_CHANGED)}]\s*|[^\S ]\s*|\s{{2,}}")


class _Origins:
    """Where each character of a folded text came from in the original: the folded text is
    runs copied as they are (each a line from folded to original positions) and the single
    characters the fold wrote, so it keeps one entry per run, not one per character."""

    __slots__ = ("_bases", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []  # where each run starts in the folded text
        self._bases: list[int] = []  # where it starts in the original

    def add(self, folded_at: int, original_at: int) -> None:
        self._starts.append(folded_at)
        self._bases.append(original_at)

    def __getitem__(self, folded_at: int) -> int:
        run = bisect_right(self._starts, folded_at) - 1
        return self._bases[run] + folded_at - self._starts[run]


def _fold_with_positions(text: str) -> tuple[str, _Origins]:
    """Fold ``text`` like ``normalise_for_match`` and remember where each character came from:
    each run of spacing becomes one space, quote marks are dropped, the other characters of
    ``QUOTE_FOLDS`` are folded."""
    folded: list[str] = []
    origin = _Origins()
    length = 0  # of the folded text so far
    in_space = False
    at = 0
    for match in _SPECIAL.finditer(text):
        index = match.start()
        if index > at:
            folded.append(text[at:index])
            origin.add(length, at)
            length += index - at
            in_space = False
        at = match.end()
        for position, char in enumerate(match.group(), index):
            if char.isspace():  # a run of spacing folds to one space
                if not in_space:
                    folded.append(" ")
                    origin.add(length, position)
                    length += 1
                in_space = True
                continue
            for piece in char.translate(QUOTE_FOLDS):
                if piece not in _QUOTE_MARKS:
                    folded.append(piece)
                    origin.add(length, position)
                    length += 1
                    in_space = False
    if at < len(text):
        folded.append(text[at:])
        origin.add(length, at)
    return "".join(folded), origin


def _needle(text: str) -> str:
    folded = normalise_for_match(text)
    return " ".join("".join(c for c in folded if c not in _QUOTE_MARKS).split())


def find_spans(text: str, quotes: Iterable) -> list[Span]:
    """Where each quote occurs in ``text``, in order; overlapping or missing quotes skipped."""
    folded, origin = _fold_with_positions(text)
    spans = []
    for quote in quotes:
        needle = _needle(quote.text)
        at = folded.find(needle) if needle else -1
        if at < 0:
            continue
        start, end = origin[at], origin[at + len(needle) - 1] + 1
        url = getattr(quote, "url", None) or quote.get_absolute_url()  # the view may know it
        spans.append(Span(start, end, quote.slug, url))
    spans.sort(key=lambda s: s.start)
    kept: list[Span] = []
    for span in spans:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def _paragraph_ranges(text: str) -> list[tuple[int, int]]:
    ranges, start = [], 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        ranges.append((start, brk.start()))
        start = brk.end()
    ranges.append((start, len(text)))
    return [(s, e) for s, e in ranges if text[s:e].strip()]


def _escaped(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def _render(text: str, start: int, end: int, spans: list[Span], *, link: bool) -> SafeString:
    """One paragraph ``text[start:end]`` with the parts inside ``spans`` marked."""
    parts, at = [], start
    for span in spans:
        if span.end <= start or span.start >= end:
            continue
        s, e = max(span.start, start), min(span.end, end)
        if s > span.start:
            # A quotation re-opened on this paragraph: its opening mark stays outside the
            # mark, as the first paragraph's does (the quotation's words leave it out).
            while s < e and text[s] in _OPENING_MARKS:
                s += 1
        parts.append(_escaped(text[at:s]))
        inner = mark_safe(_escaped(text[s:e]))  # noqa: S308 (escaped on the line above)
        anchor = format_html(' id="quote-{}"', span.slug) if s == span.start else ""
        if link:
            parts.append(
                format_html(
                    '<mark class="quote-mark"{}><a href="{}">{}</a></mark>', anchor, span.url, inner
                )
            )
        else:
            parts.append(format_html('<mark class="quote-mark"{}>{}</mark>', anchor, inner))
        at = e
    parts.append(_escaped(text[at:end]))
    return mark_safe("".join(parts).strip())  # noqa: S308 (every part escaped or format_html)


def marked_paragraphs(text: str, quotes: Iterable) -> tuple[list[SafeString], set[str]]:
    """The text as paragraphs with each quotation marked and linked to its page.

    Returns the paragraphs and the slugs of the quotes found, so a page can list the others.
    """
    spans = find_spans(text, quotes)
    paragraphs = [_render(text, s, e, spans, link=True) for s, e in _paragraph_ranges(text)]
    return paragraphs, {span.slug for span in spans}


def quote_in_context(text: str, quote, *, around: int = 1) -> list[SafeString]:
    """The paragraphs holding ``quote``, with ``around`` paragraphs either side, quote marked.

    Empty when the quotation cannot be found in the text.
    """
    spans = find_spans(text, [quote])
    if not spans:
        return []
    span = spans[0]
    ranges = _paragraph_ranges(text)
    inside = [i for i, (s, e) in enumerate(ranges) if s < span.end and e > span.start]
    if not inside:
        return []
    first, last = max(inside[0] - around, 0), min(inside[-1] + around, len(ranges) - 1)
    return [_render(text, s, e, spans, link=False) for s, e in ranges[first : last + 1]]
