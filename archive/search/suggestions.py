"""Other searches to offer when one finds nothing: names spelled as the archive spells them,
fewer words, any word, no phrase, no filters."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from archive.search.query import ParsedQuery, Phrase
from archive.search.results import Suggestion
from archive.words import fold

MAX_DROPPED = 3
# How alike a typed word and a name's word must be to offer one for the other (difflib's
# ratio): "lansly" and "lansley" are 0.92, "hewit" and "hewitt" 0.91, "nhs" and "nhsx" 0.86.
SPELLING_CUTOFF = 0.8


def suggestions_for(
    query: ParsedQuery, *, has_filters: bool, names: Iterable[str] = ()
) -> list[Suggestion]:
    """Looser versions of ``query``, most specific first, each a different search; first,
    if some of its words are nearly a word of one of ``names`` (speakers' and themes'), the
    query with those spelled as the name spells them."""
    found: list[Suggestion] = []
    respelled = spelled_as_names(query, names)
    if respelled is not None:
        found.append(Suggestion("Did you mean", respelled.to_string()))
    if len(query.groups) > 1:
        for index, group in enumerate(query.groups[:MAX_DROPPED]):
            found.append(
                Suggestion(f"Leave out {group.to_string()}", query.without_group(index).to_string())
            )
        found.append(Suggestion("Match any of the words", query.any_of().to_string()))
    if any(isinstance(item, Phrase) for item in query.items()):
        loose = query.phrases_as_words().to_string()
        found.append(Suggestion("Look for the words anywhere, not as a phrase", loose))
    if query.excluded:
        found.append(
            Suggestion(
                "Keep records with the excluded words", query.without_exclusions().to_string()
            )
        )
    if has_filters:
        found.append(Suggestion("Search without filters", query.to_string(), drop_filters=True))
    unique: dict[tuple[str, bool], Suggestion] = {}
    current = query.to_string()
    for suggestion in found:
        key = (suggestion.query, suggestion.drop_filters)
        if suggestion.query and (suggestion.query != current or suggestion.drop_filters):
            unique.setdefault(key, suggestion)
    return list(unique.values())


def spelled_as_names(query: ParsedQuery, names: Iterable[str]) -> ParsedQuery | None:
    """``query`` with each word that no name holds, but one nearly does, spelled as that
    name's word ("andrew lansly" -> "andrew lansley"), or None if no word is."""
    vocabulary = sorted({word for name in names for word in _name_words(name)})
    if not vocabulary:
        return None
    known = set(vocabulary)
    spellings: dict[str, str] = {}
    for item in query.items():
        for word in item.words:
            if word in known or word in spellings or len(word) < 3:
                continue
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=SPELLING_CUTOFF)
            if close:
                spellings[word] = close[0]
    return query.respelled(spellings) if spellings else None


def _name_words(name: str) -> list[str]:
    """A name's words as a query holds them: folded, letters and digits only."""
    return [word for word in "".join(c if c.isalnum() else " " for c in fold(name)).split()]
