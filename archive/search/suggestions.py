"""Other searches to offer when one finds nothing: names spelled as the archive spells them,
fewer words, any word, no phrase, no filters."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence

from archive.ingest.speakers import split_honorific
from archive.search.query import ParsedQuery, Phrase
from archive.search.results import Suggestion
from archive.words import fold

MAX_DROPPED = 3
# How alike a typed word and a name's word must be to offer one for the other (difflib's
# ratio): "lansly" and "lansley" are 0.92, "lansely" 0.86, "hewit" and "hewitt" 0.91;
# "careless" and "charles", "michelle" and "michael" 0.8, "valves" and "values" 0.83.
SPELLING_CUTOFF = 0.85


def suggestions_for(
    query: ParsedQuery,
    *,
    has_filters: bool,
    vocabulary: Sequence[str] = (),
    known_to_index: Callable[[str], bool] = lambda word: False,
) -> list[Suggestion]:
    """Looser versions of ``query``, most specific first, each a different search; first,
    if some of its words are nearly a word of a speaker's or a theme's name
    (``vocabulary``, see ``spelled_as_names``), the query with those spelled as the name
    spells them."""
    found: list[Suggestion] = []
    respelled = spelled_as_names(query, vocabulary, known_to_index=known_to_index)
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


def spelled_as_names(
    query: ParsedQuery,
    vocabulary: Sequence[str],
    *,
    known_to_index: Callable[[str], bool] = lambda word: False,
) -> ParsedQuery | None:
    """``query`` with each word that no name holds, but one nearly does, spelled as that
    name's word ("andrew lansly" -> "andrew lansley"), or None if no word is.

    ``vocabulary``: the names' words, sorted (``name_words``). A word is left as typed if
    the index knows it (``known_to_index``: "valves" is not a misspelt "values"), if it
    starts with another letter than the name's word, or if it is that word with more
    letters after it ("carer" is not "care")."""
    if not vocabulary:
        return None
    known = set(vocabulary)
    spellings: dict[str, str] = {}
    for item in query.items():
        for word in item.words:
            if word in known or word in spellings or len(word) < 4:
                continue
            close = [
                name
                for name in difflib.get_close_matches(word, vocabulary, n=3, cutoff=SPELLING_CUTOFF)
                if name[0] == word[0] and not word.startswith(name)
            ]
            if close and not known_to_index(word):
                spellings[word] = close[0]
    return query.respelled(spellings) if spellings else None


def name_words(names: Iterable[str]) -> list[str]:
    """The words of ``names`` (speakers', with their other names, and themes'), sorted, as
    a query holds them, without honorifics ("Dr", "Mr"): what ``spelled_as_names`` offers."""
    return sorted({word for name in names for word in _name_words(split_honorific(name)[1])})


def _name_words(name: str) -> list[str]:
    """A name's words as a query holds them: folded, letters and digits only."""
    return [word for word in "".join(c if c.isalnum() else " " for c in fold(name)).split()]
