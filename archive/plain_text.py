"""Invisible control characters in curators' text: line breaks where they mean one, refused
elsewhere.

Text pasted from a word processor or a PDF can carry C0 control characters: Word's line
break (Shift+Enter) is a vertical tab, a page break a form feed. None can be written in
XML 1.0, so one in a quotation made every Atom feed that listed it a 500, and in HTML they
are parse errors. A long text (a textarea) gets those two as the line breaks they stand
for; any other control character, or one in a single-line field, is refused with a message
saying where, rather than kept or quietly dropped, and so is a line break in a single-line
field (a browser's text box would drop it, and the next save join the lines). So is a mark
that turns the direction of the text after it (U+202A–U+202E, U+2066–U+2069), which could
show a name backwards.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

# Tabs and line breaks are text; every other C0 control and DEL is not.
# A line break in a one-line field (a name, a title): a browser's text box drops it, so the
# next save of the form would quietly join the lines.
LINE_BREAK = re.compile(r"[\n\r]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A vertical tab (Word's line break) and a form feed (a page break) within a long text.
BREAKS = re.compile(r"[\x0b\x0c]")
# Embedding, override and isolate marks: one makes the text after it read in the other
# direction (a name or a quotation shown backwards, or made to look like another); the
# single marks (U+200E, U+200F) that right-to-left text needs are not among them.
DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")


def with_line_breaks(text: str) -> str:
    """``text`` with vertical tabs and form feeds as the line breaks they stand for."""
    return BREAKS.sub("\n", text)


def control_character_message(text: str) -> str | None:
    """Why ``text`` cannot be kept as it is, or None: the first control character and the
    words before it, so the curator can find it."""
    match = CONTROL.search(text)
    what = "control character"
    why = "it came with pasted text and cannot be shown or published."
    if match is None:
        match = DIRECTION.search(text)
        what = "direction mark"
        why = "it makes the text after it read the other way round."
    if match is None:
        return None
    where = _where(text, match.start())
    return f"Remove the invisible {what} (U+{ord(match.group()):04X}){where}: {why}"


def line_break_message(text: str) -> str | None:
    """Why a one-line field cannot hold ``text``, or None: its first line break, and the
    words before it."""
    match = LINE_BREAK.search(text)
    if match is None:
        return None
    return f"Remove the line break{_where(text, match.start())}: this field holds one line."


def _where(text: str, index: int) -> str:
    """Where in ``text`` position ``index`` is, for a curator: after its last few words."""
    before = text[:index].split()[-3:]
    return f" after “{' '.join(before)}”" if before else " at the start"


class PlainTextFields:
    """Model mixin: ``full_clean()`` (every admin and import form) refuses a text field
    holding a control character (``control_character_message``), and a one-line field
    (``CharField``) holding a line break (``line_break_message``)."""

    def clean_fields(self, exclude=None):
        errors: dict[str, list[str]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.message_dict
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if exclude and field.name in exclude or field.name in errors:
                continue
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            message = control_character_message(value)
            if message is None and isinstance(field, models.CharField):
                message = line_break_message(value)
            if message:
                errors[field.name] = [message]
        if errors:
            raise ValidationError(errors)


def refuse_control_characters(text: str) -> None:
    """A form field's validator: ``control_character_message`` as its error, if any (for
    text kept outside the records' fields, such as a history version's reason)."""
    if message := control_character_message(text):
        raise ValidationError(message, code="control_character")


def refuse_line_breaks(text: str) -> None:
    """A one-line form field's validator: ``line_break_message`` as its error, if any (a
    box that is one line in the browser gets one only from a hand-made request)."""
    if message := line_break_message(text):
        raise ValidationError(message, code="line_break")
