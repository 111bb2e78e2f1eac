"""Finding direct quotations in a cleaned article.

Handles the patterns the source documents use:

* curly (‘…’ “…”) and straight ('…' "…") marks, mixed within one article;
* a single-quoted quotation whose closing mark is also an apostrophe, as in
  ‘There is an unsustainable providers' regime… failing financially' -- an apostrophe
  inside a word (can't, Let’s) never closes a quotation, and one after a word followed by
  more words (providers' regime, ‘warning’ for managers) closes it only when no likelier
  closing mark (after punctuation, or before punctuation or the paragraph's end) follows;
* a quotation running over several paragraphs: a paragraph that ends without closing its
  quotation and a next paragraph that re-opens with a quote mark are one quotation.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.ingest.normalise import normalise_for_match

OPENING = {"‘": "single", "'": "single", "“": "double", '"': "double"}
CLOSING = {"single": "’'", "double": '”"'}
# What may stand just before an opening straight mark: a space, a bracket, a dash.
_BEFORE_OPENING = " \t\n([{—–-/"
_PUNCTUATION = ",.;:!?…)]}—–-"


@dataclass(frozen=True)
class Quotation:
    """A quoted passage: its words (marks removed; paragraphs joined by a blank line), and
    where it sits in the cleaned text -- ``start`` at its opening mark, ``end`` just after
    its closing mark (or at the end of its last paragraph if the report never closes it).
    """

    text: str
    start: int
    end: int
    closed: bool = True

    @property
    def words(self) -> int:
        return len(self.text.split())


def extract_quotations(text: str) -> list[Quotation]:
    """Every quoted passage in ``text`` (a cleaned article), in reading order."""
    quotations: list[Quotation] = []
    i = 0
    while i < len(text):
        family = _opening_family(text, i)
        if family is None:
            i += 1
            continue
        quotation = _read_quotation(text, i, family)
        if quotation.text:
            quotations.append(quotation)
        i = max(quotation.end, i + 1)
    return quotations


def _opening_family(text: str, i: int) -> str | None:
    """The kind of quotation ("single"/"double") a mark at ``i`` opens, or None."""
    char = text[i]
    family = OPENING.get(char)
    if family is None:
        return None
    after = text[i + 1] if i + 1 < len(text) else ""
    if not after or after.isspace():
        return None
    if char in "‘“":
        return family
    # A straight mark opens only at the start of a word: not in "can't" or "providers' ".
    before = text[i - 1] if i > 0 else "\n"
    return family if before in _BEFORE_OPENING else None


def _read_quotation(text: str, start: int, family: str) -> Quotation:
    pieces = []
    position = start + 1
    while True:
        paragraph_end = text.find("\n\n", position)
        if paragraph_end == -1:
            paragraph_end = len(text)
        close = _closing_mark(text, position, paragraph_end, family)
        if close is not None:
            pieces.append(text[position:close])
            return Quotation(_tidy(pieces), start, close + 1, closed=True)
        pieces.append(text[position:paragraph_end])
        # Unclosed at the paragraph's end: does the next paragraph re-open the quotation?
        next_start = paragraph_end + 2
        if next_start < len(text) and _opening_family(text, next_start) == family:
            position = next_start + 1
            continue
        return Quotation(_tidy(pieces), start, paragraph_end, closed=False)


def _closing_mark(text: str, start: int, stop: int, family: str) -> int | None:
    """Where the quotation opened before ``start`` closes within ``text[start:stop]``."""
    first_weak = None
    for j in range(start, stop):
        char = text[j]
        if first_weak is not None and text[j - 1].isspace() and _opening_family(text, j) == family:
            return first_weak  # a new quotation opens, so the weaker candidate was the close
        if char not in CLOSING[family]:
            continue
        before = text[j - 1] if j > start else ""
        after = text[j + 1] if j + 1 < stop else ""
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word: can't, Let’s, secretary’s
        if not before or before.isspace():
            continue  # a mark before a word opens, it does not close
        if before in _PUNCTUATION or not after or after in _PUNCTUATION or after == "\n":
            return j  # strong: "…financially,’ he said", "…order’.", "…financially'" at the end
        if first_weak is None:
            first_weak = j  # weak: "providers' regime", "‘warning’ for managers"
    return first_weak


def _tidy(pieces: list[str]) -> str:
    paragraphs = [" ".join(piece.split()) for piece in pieces]
    text = "\n\n".join(p for p in paragraphs if p)
    # The comma before "he said" is the reporter's punctuation, not the speaker's.
    return text.rstrip().rstrip(",").rstrip()


def is_single_word(quotation: Quotation) -> bool:
    """A quoted single word ("rarely", 'crucial') marks a term, not a statement."""
    return quotation.words <= 1


def contains(longer: str, shorter: str) -> bool:
    """Whether ``shorter``'s words occur within ``longer`` (normalised, case-folded)."""
    needle = normalise_for_match(shorter).casefold()
    return bool(needle) and needle in normalise_for_match(longer).casefold()
