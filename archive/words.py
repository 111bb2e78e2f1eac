"""Words of a text: the first few, as the lists, feeds and cards show a long one, in
quotation marks when they are a speaker's own, and the text folded for comparing names as
a reader types them."""

from __future__ import annotations

import unicodedata

from anyascii import anyascii


def first_words(text: str, count: int, ellipsis: str = " …") -> str:
    """The first ``count`` words of ``text`` with runs of spaces made one, and ``ellipsis``
    after them if there were more (unless they end with it already).

    What ``Truncator(text).words(count, truncate=ellipsis)`` gives, at a fifth of the cost:
    Django's is lazy-aware and splits the whole text, and a page of a hundred cards cut
    two hundred texts (a millisecond).
    """
    if count <= 0:
        return ""
    words = text.split(maxsplit=count)  # a long text is not split past what is shown
    if len(words) <= count:
        return " ".join(words)
    shown = " ".join(words[:count])
    return shown if shown.endswith(ellipsis) else f"{shown}{ellipsis}"


# ``QuoteKind.REPORTED`` (a string here: this module is imported by the models).
REPORTED = "reported"


def quoted(words: str, kind: str) -> str:
    """A quotation's words as a title or a list shows them: between “ ” when they are the
    speaker's own (a direct quotation), else as reported speech, "Reported: …", never in
    quotation marks: they are the reporter's words for what was said, and a reader must
    not cite them as the speaker's."""
    return f"Reported: {words}" if kind == REPORTED else f"“{words}”"


def first_spoken_words(text: str, count: int, ellipsis: str) -> str:
    """The first ``count`` words of ``text`` as a citation counts them: a dash or other
    mark standing between spaces ("services – and") is not a word, and the cut never ends
    on one; ``ellipsis`` follows if words were left out."""
    if count <= 0:
        return ""
    shown: list[str] = []
    spoken = 0
    tokens = text.split()
    for token in tokens:
        if any(character.isalnum() for character in token):
            if spoken == count:
                while shown and not any(character.isalnum() for character in shown[-1]):
                    shown.pop()
                cut = " ".join(shown)
                return cut if cut.endswith(ellipsis) else f"{cut}{ellipsis}"
            spoken += 1
        shown.append(token)
    return " ".join(tokens)


QUOTE_SLUG_WORDS = 6


def quote_slug_words(speaker_slug: str, text: str) -> str:
    """What a quotation's slug is made of: its speaker's slug and its first
    ``QUOTE_SLUG_WORDS`` words (``andrew-lansley-but-we-will-help``), for the seed's
    fixture and for quotations curators add alike."""
    return f"{speaker_slug} {' '.join(text.split()[:QUOTE_SLUG_WORDS])}"


# Letters that Unicode does not decompose into a base letter and a mark, spelled as
# PostgreSQL's unaccent spells them, so the two databases fold alike.
_LETTERS = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


# Typographic punctuation, as PostgreSQL's unaccent writes it: a curator who types "I'll"
# finds "I’ll" (and the other way round) on both databases, and "O’Brien" is "O'Brien".
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015", "-"),
        **dict.fromkeys("\u2018\u2019\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201f\u2033", '"'),
        "\u2016": "||",
        "\u201a": ",",
        "\u201e": ",,",
        "\u2039": "<",
        "\u203a": ">",
        "\u2044": "/",
        "\u2045": "[",
        "\u2046": "]",
    }
)


def fold(text: str | None) -> str | None:
    """``text`` without case or diacritics: "Brontë" → "bronte", "Æther" → "aether",
    "I’ll" → "i'll"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text).casefold().translate(_PUNCTUATION))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)


def in_ascii(text: str) -> str:
    """``text``'s letters spelled in ASCII, for a record's address: "Ærø" → "AEro",
    "Καλημέρα" → "Kalimera", "日本" → "RiBen" (Django's ``slugify`` drops every letter it
    cannot decompose, so a Greek or Japanese name's address was "item", "item-2" …).
    Other characters are left for ``slugify`` to drop as before: "£20bn" is "20bn", not
    "gbp20bn", as the admin's script makes it."""
    return "".join(
        anyascii(char) if not char.isascii() and unicodedata.category(char)[0] == "L" else char
        for char in text
    )
