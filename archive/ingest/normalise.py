"""Normalising text so a quotation can be matched against its source.

Reports mix curly and straight quote marks and wrap lines anywhere; two passages are the
same words if they agree after folding those differences away.
"""

import hashlib
import re
import unicodedata

QUOTE_FOLDS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)
_SPACES = re.compile(r"\s+")
# A dash that a bad character-set conversion turned into "?": "unit?it". A real question
# mark is followed by a space, so "?" between two lower-case letters is always the dash.
MISENCODED_DASH = re.compile(r"(?<=[a-z])\?(?=[a-z])")
# A quotation running over several paragraphs re-opens each one with a quote mark; that
# mark is the report's punctuation, not the speaker's words, so it is folded away.
_REOPENING_MARK = re.compile(r"(^|\n)[ \t]*['\"]")


def normalise_for_match(text: str) -> str:
    """Fold quote characters, dashes, ellipses and spacing so equal words compare equal.

    Also folds a dash mis-encoded as "?" and the quote mark that opens a paragraph, so a
    quotation stored as "…homes.\\n\\nWhile rarely…" matches a source printing
    "…homes.\\n\\n“While rarely…".
    """
    text = unicodedata.normalize("NFC", text).translate(QUOTE_FOLDS)
    text = MISENCODED_DASH.sub("-", text)
    text = _REOPENING_MARK.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def appears_in(passage: str, document: str) -> bool:
    """Whether ``passage`` occurs verbatim in ``document`` once both are normalised."""
    needle = normalise_for_match(passage)
    return bool(needle) and needle in normalise_for_match(document)


def fingerprint(text: str) -> str:
    """A short stable digest of a passage's normalised, case-folded words."""
    return hashlib.sha256(normalise_for_match(text).casefold().encode()).hexdigest()[:40]
