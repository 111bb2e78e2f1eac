"""Turning engine output into safe HTML: escape the record's text first, then add <mark>.

The engines wrap matched words in two private-use characters (MARK_START / MARK_END), which
HTML escaping leaves alone. Only after the whole text is escaped are those characters
replaced by tags, and the tags are kept balanced even if a record's own text contained one
of the characters.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.search.engines import MARK_END, MARK_START

# The text between markers is copied a run at a time: a loop over every character in Python
# took about a millisecond for a page of twenty hits.
_MARKERS = re.compile(f"([{MARK_START}{MARK_END}])")
# A mark that ends just before an editor's closing bracket, or starts just after an opening
# one, of a bracket it holds the other half of: a phrase's mark runs from its first word to
# its last, so "back you [managers]" was marked "back you [managers" and left the "]" out.
_CLOSING_AFTER = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}\\]")
_OPENING_BEFORE = re.compile(f"\\[{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def _take_closing(match: re.Match) -> str:
    inner = match.group(1)
    if inner.count("[") > inner.count("]"):
        return f"{MARK_START}{inner}]{MARK_END}"
    return match.group(0)


def _take_opening(match: re.Match) -> str:
    inner = match.group(1)
    if inner.count("]") > inner.count("["):
        return f"{MARK_START}[{inner}{MARK_END}"
    return match.group(0)


def marked_html(text: str | None) -> SafeString:
    """``text`` escaped, with the engine's markers as balanced ``<mark>`` elements, each
    holding both halves of any editorial bracket it holds one half of."""
    parts: list[str] = []
    open_mark = False
    text = text or ""
    if "[" in text or "]" in text:
        text = _OPENING_BEFORE.sub(_take_opening, _CLOSING_AFTER.sub(_take_closing, text))
    for piece in _MARKERS.split(escape(text)):
        if piece == MARK_START:
            if not open_mark:
                parts.append("<mark>")
                open_mark = True
        elif piece == MARK_END:
            if open_mark:
                parts.append("</mark>")
                open_mark = False
        else:
            parts.append(piece)
    if open_mark:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - escaped above; only <mark> added


def has_marks(text: str | None) -> bool:
    """Whether the engine marked anything in ``text``."""
    return bool(text) and MARK_START in text
