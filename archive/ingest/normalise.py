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


def normalise_for_match(text: str) -> str:
    """Fold quote characters, dashes, ellipses and spacing so equal words compare equal."""
    text = unicodedata.normalize("NFC", text).translate(QUOTE_FOLDS)
    return _SPACES.sub(" ", text).strip()


def appears_in(passage: str, document: str) -> bool:
    """Whether ``passage`` occurs verbatim in ``document`` once both are normalised."""
    needle = normalise_for_match(passage)
    return bool(needle) and needle in normalise_for_match(document)


def fingerprint(text: str) -> str:
    """A short stable digest of a passage's normalised, case-folded words."""
    return hashlib.sha256(normalise_for_match(text).casefold().encode()).hexdigest()[:40]
