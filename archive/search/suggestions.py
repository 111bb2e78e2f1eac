"""Other searches to offer when one finds nothing: fewer words, any word, no phrase, no filters."""

from __future__ import annotations

from archive.search.query import ParsedQuery, Phrase
from archive.search.results import Suggestion

MAX_DROPPED = 3


def suggestions_for(query: ParsedQuery, *, has_filters: bool) -> list[Suggestion]:
    """Looser versions of ``query``, most specific first, each a different search."""
    found: list[Suggestion] = []
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
