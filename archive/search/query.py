"""The readers' query language, parsed into a small tree that each engine renders.

The language is the same on every database::

    nhs reform              both words must match (in any order, anywhere in the record)
    "bullets will have"     the exact phrase (between straight or typographic double
                            quotation marks: “…”, „…“, «…»)
    closure OR merger       either word; OR binds the items on each side into one group
    -hospital  -"a b"       leave out records that contain the word or phrase
    reconfigure             stemmed, so it also finds "reconfiguration" and "reconfigured"

The parser never fails: anything it cannot use (a stray quote mark, a lone ``OR`` or ``-``,
punctuation such as ``NEAR(``, a 3,000-character paste) is dropped or repaired, and a notice
explains what happened. Words are reduced to runs of letters and digits, so no character a
reader types can reach an engine's own query syntax: the engines only ever see the tree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from archive.search.documents import SPEAKER_PREFIX, THEME_PREFIX
from archive.search.stopwords import ENGLISH_STOPWORDS
from archive.words import fold

# Bounds on what one search may ask of the database; generous for people, fatal for abuse.
MAX_QUERY_CHARS = 200
MAX_ITEMS = 10
MAX_PHRASE_WORDS = 12
MAX_WORD_CHARS = 50

# A word is a run of letters and digits, the unit both engines' tokenizers agree on.
_WORD = re.compile(r"[^\W_]+")
# Control characters (NUL included), the private-use characters the highlighter uses as
# markers, and what no XML document may hold (a feed repeats the words in its title) are
# removed before anything else looks at the text.
# What no XML document may hold (noncharacters, lone surrogates), as a character class's
# inside: the words box (``archive.filters.WordsField``) drops the same.
NOT_XML = "\ufffe\uffff\ud800-\udfff"
_UNWANTED = re.compile(f"[\x00-\x1f\x7f\ue000\ue001{NOT_XML}]")
_SPACES = re.compile(r"\s+")
# Typographic double quotation marks, read as the straight one: the archive prints every
# quotation in “…”, and phones and word processors turn a typed " into them, so a phrase
# copied or typed so was searched as loose words. (Single marks are apostrophes too.)
TYPOGRAPHIC_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u301d\u301e"
_DOUBLE_QUOTES = str.maketrans(dict.fromkeys(TYPOGRAPHIC_DOUBLE_QUOTES, '"'))
# A word's possessive ending, with a straight or a typographic apostrophe.
_POSSESSIVE = re.compile(r"[^\W_]['\u2019][sS]$")


@dataclass(frozen=True)
class Term:
    """One word, lower-cased; engines match it by its stem."""

    word: str

    def to_string(self) -> str:
        return self.word

    @property
    def words(self) -> tuple[str, ...]:
        return (self.word,)


@dataclass(frozen=True)
class Phrase:
    """Words that must appear together, in this order."""

    words: tuple[str, ...]

    def to_string(self) -> str:
        return '"' + " ".join(self.words) + '"'


Item = Term | Phrase


@dataclass(frozen=True)
class Group:
    """Items of which at least one must match (one item: that item must match)."""

    items: tuple[Item, ...]

    def to_string(self) -> str:
        return " OR ".join(item.to_string() for item in self.items)


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the engines see it: every group must match, no excluded item may."""

    text: str
    groups: tuple[Group, ...] = ()
    excluded: tuple[Item, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_blank(self) -> bool:
        """Nothing was typed (as opposed to something typed that cannot be searched)."""
        return not self.text

    @property
    def is_searchable(self) -> bool:
        """At least one word or phrase to look for."""
        return bool(self.groups)

    def to_string(self) -> str:
        """The query in canonical form: what the engines search for, as a reader would type it."""
        parts = [group.to_string() for group in self.groups]
        parts += ["-" + item.to_string() for item in self.excluded]
        return " ".join(parts)

    @property
    def has_phrase(self) -> bool:
        """Whether any item the query looks for is a phrase (excluded ones aside)."""
        return any(isinstance(item, Phrase) for item in self.items())

    def items(self) -> list[Item]:
        """Every item looked for, in order."""
        return [item for group in self.groups for item in group.items]

    def without_group(self, index: int) -> ParsedQuery:
        """This query with one of its required groups dropped (a "fewer words" suggestion)."""
        groups = self.groups[:index] + self.groups[index + 1 :]
        return replace(self, groups=groups, notices=())

    def any_of(self) -> ParsedQuery:
        """This query with every required item made optional: ``a b c`` -> ``a OR b OR c``."""
        return replace(self, groups=(Group(tuple(self.items())),), notices=())

    def without_exclusions(self) -> ParsedQuery:
        return replace(self, excluded=(), notices=())

    def respelled(self, spellings: dict[str, str]) -> ParsedQuery:
        """This query with some of its words spelled otherwise (``{"lansly": "lansley"}``)."""

        def item(found: Item) -> Item:
            if isinstance(found, Term):
                return Term(spellings.get(found.word, found.word))
            return Phrase(tuple(spellings.get(word, word) for word in found.words))

        groups = tuple(Group(tuple(item(i) for i in group.items)) for group in self.groups)
        excluded = tuple(item(i) for i in self.excluded)
        return replace(self, groups=groups, excluded=excluded, notices=())

    def phrases_as_words(self) -> ParsedQuery:
        """Phrases loosened into separate required words."""
        groups: list[Group] = []
        for group in self.groups:
            if len(group.items) == 1 and isinstance(group.items[0], Phrase):
                words = [w for w in group.items[0].words if w not in ENGLISH_STOPWORDS]
                groups.extend(Group((Term(w),)) for w in words)
            else:
                groups.append(group)
        return replace(self, groups=tuple(groups), notices=())


# Marks that a reader puts between two words meaning two words ("nhs,reform",
# "title:nhs"), unlike a hyphen or an apostrophe within one ("co-operation", "don't").
_JOINING_MARKS = re.compile(r"\w[,;:/|+&=]+\w")


@dataclass
class _Token:
    kind: str  # "word", "phrase" or "or"
    words: tuple[str, ...] = ()
    negated: bool = False


def clean_query_text(raw: str | None) -> tuple[str, bool]:
    """The query with control characters removed, compatibility forms folded (full-width
    "ＮＨＳ" is "NHS", a ligature its letters) and spaces collapsed, and whether it was cut."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = _SPACES.sub(" ", _UNWANTED.sub(" ", text)).strip()
    if len(text) > MAX_QUERY_CHARS:
        cut, after = text[:MAX_QUERY_CHARS], text[MAX_QUERY_CHARS]
        within_a_word = after.isalnum() or (after in "-'’" and cut[-1:].isalnum())
        if within_a_word and " " in cut:
            # Not within a word: its first letters ("refo" of "reform") became a word every
            # match had to hold, and a long pasted passage found nothing.
            cut = cut.rsplit(" ", 1)[0]
        return cut.rstrip(), True
    return text, False


def _words(text: str) -> tuple[str, ...]:
    # Lower-cased before it is split: lower-casing can add a character that is not a letter
    # ("İ" becomes "i" and a combining dot above), which must not reach an engine; the dot
    # is dropped, so "İstanbul" is one word, "istanbul".
    return tuple(_WORD.findall(text.lower().replace("i\u0307", "i")))


def _tokenize(text: str, notices: list[str]) -> list[_Token]:
    text = text.translate(_DOUBLE_QUOTES)
    tokens: list[_Token] = []
    marks: list[str] = []  # punctuation standing on its own, which holds nothing to find
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        negated = False
        if char == "-":
            negated = True
            i += 1
            if i >= n or text[i].isspace():
                notices.append("A minus sign needs a word right after it (-word); it was ignored.")
                continue
            char = text[i]
        if char == '"':
            end = text.find('"', i + 1)
            if end == -1:
                end = n
                notices.append(
                    "A quotation mark was not closed; the rest was read as a phrase."
                    if _words(text[i + 1 :])
                    else "A quotation mark with no words after it was ignored."
                )
            inside = text[i + 1 : end]
            closed = end < n  # an unclosed one has a note of its own
            if closed and inside.strip() and not _words(inside):
                marks.append(inside.strip())
            tokens.append(_Token("phrase", _words(inside), negated))
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        chunk = text[i:end]
        i = end
        if chunk.lower() == "or" and not negated:
            tokens.append(_Token("or"))
        elif _POSSESSIVE.search(chunk) and _words(chunk[:-2]):
            # "NHS's": the word itself, which the index holds wherever the possessive is
            # written too ("NHS's" is indexed as "nhs" and "s").
            tokens.append(_Token("word", _words(chunk[:-2]), negated))
        else:
            # "co-operation", "don't", "NEAR(x" hold several words: searched as a phrase.
            words = _words(chunk)
            if not words and chunk.strip("*"):  # a lone * has a note of its own
                marks.append(chunk)
            if len(words) > 1 and _JOINING_MARKS.search(chunk):
                # "nhs,reform" or "title:nhs" finds only the words side by side: said, as
                # a reader who meant two words would otherwise see too few results.
                notices.append(
                    f"“{chunk}” was searched as the phrase “{' '.join(words)}”: put a space "
                    "between words to find them anywhere."
                )
            tokens.append(_Token("word", words, negated))
    if marks:
        shown = ", ".join(f"“{mark}”" for mark in dict.fromkeys(marks))
        notices.append(f"Punctuation on its own is not searched for: {shown}.")
    return tokens


# The index's own tokens for a record's speaker and themes (``archive.search.documents``),
# with any ending the stemmer would take off: the filters' business, not a reader's word.
_FILTER_TOKEN = re.compile(rf"(?:{SPEAKER_PREFIX}|{THEME_PREFIX})\d")


def _item(token: _Token, ignored: set[str], notices: list[str]) -> Item | None:
    words = tuple(w for w in token.words if len(w) <= MAX_WORD_CHARS)
    if len(words) < len(token.words):
        notices.append(f"Words longer than {MAX_WORD_CHARS} characters were ignored.")
    # Compared as the index folds words (accents, case, fullwidth letters): "źzspeaker1"
    # is the index's token too.
    if any(_FILTER_TOKEN.match(fold(w)) for w in words):
        notices.append(
            "Words that stand for a speaker or a theme in the index were ignored: "
            "use the speaker and theme filters instead."
        )
        words = tuple(w for w in words if not _FILTER_TOKEN.match(fold(w)))
    if not words:
        return None
    if len(words) == 1:
        if words[0] in ENGLISH_STOPWORDS:
            ignored.add(words[0])
            return None
        return Term(words[0])
    if all(w in ENGLISH_STOPWORDS for w in words):
        if token.kind != "phrase":  # "don't": two common words, not a phrase typed
            ignored.update(words)
            return None
        # Inside a phrase common words count, but a phrase of nothing else would match
        # most of the archive: said as such, not as words ignored one by one.
        notices.append(
            f"A phrase of very common words only (“{' '.join(words)}”) cannot be searched "
            "for: add a less common word to it."
        )
        return None
    if len(words) > MAX_PHRASE_WORDS:
        notices.append(f"Phrases are limited to {MAX_PHRASE_WORDS} words; the rest was ignored.")
        words = words[:MAX_PHRASE_WORDS]
    return Phrase(words)


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse what a reader typed. Never raises; ``notices`` explain anything left out."""
    text, was_cut = clean_query_text(raw)
    notices: list[str] = []
    if was_cut:
        notices.append(
            f"Your search was shortened to the words of its first {MAX_QUERY_CHARS} characters."
        )
    ignored: set[str] = set()
    groups: list[list[Item]] = []
    excluded: list[Item] = []
    join_next = False  # an OR was read and waits for its right-hand item
    stray_or = False
    for token in _tokenize(text, notices):
        if token.kind == "or":
            if join_next or not groups:
                stray_or = True
            join_next = bool(groups)
            continue
        item = _item(token, ignored, notices)
        if item is None:
            continue
        if token.negated:
            if join_next:
                stray_or = True
                join_next = False
            if item not in excluded:
                excluded.append(item)
        elif join_next:
            if item not in groups[-1]:
                groups[-1].append(item)
            join_next = False
        elif [item] not in groups:  # a repeated word asks nothing new
            groups.append([item])
    if join_next:
        stray_or = True
    if stray_or:
        notices.append(
            "OR needs a word or phrase on each side (closure OR merger); a lone OR was ignored."
        )
    if ignored:
        words = ", ".join(f"“{w}”" for w in sorted(ignored))
        notices.append(f"Very common words are not searched for: {words}.")
    if "*" in text:
        notices.append(
            "A * is not needed: words already find their other forms "
            "(“reconfigure” finds “reconfiguration”). It was ignored."
        )

    total = 0
    kept_groups: list[Group] = []
    for items in groups:
        items = items[: max(MAX_ITEMS - total, 0)]
        if items:
            kept_groups.append(Group(tuple(items)))
            total += len(items)
    kept_excluded = tuple(excluded[: max(MAX_ITEMS - total, 0)])
    if total + len(kept_excluded) < sum(len(g) for g in groups) + len(excluded):
        notices.append(f"Only the first {MAX_ITEMS} words and phrases were used.")
    if not kept_groups and kept_excluded:
        notices.append("A search cannot only leave words out: add a word to look for as well.")
        kept_excluded = ()
    # Notices can repeat (two long words); show each once, in order.
    unique = tuple(dict.fromkeys(notices))
    return ParsedQuery(text=text, groups=tuple(kept_groups), excluded=kept_excluded, notices=unique)
