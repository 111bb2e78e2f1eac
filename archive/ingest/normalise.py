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
_REOPENING_MARK = re.compile(r"(^|\n)[^\S\n]*['\"]")


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


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """``normalise_for_match(text)`` together with, for each of its characters, the index in
    ``text`` it came from -- so a passage found in the folded text can be marked in the
    original. Expects NFC text (as the cleaner produces)."""
    folded: list[str] = []
    origin: list[int] = []
    line_start = True  # only spaces since the last newline: a quote mark here re-opens
    for index, char in enumerate(text):
        if char.isspace():
            if char == "\n":
                line_start = True
            if folded and folded[-1] != " ":
                folded.append(" ")
                origin.append(index)
            continue
        pieces = "-" if MISENCODED_DASH.match(text, index) else char.translate(QUOTE_FOLDS)
        if line_start and pieces in ("'", '"'):
            line_start = False
            continue
        line_start = False
        for piece in pieces:
            folded.append(piece)
            origin.append(index)
    if folded and folded[-1] == " ":
        folded.pop()
        origin.pop()
    return "".join(folded), origin
