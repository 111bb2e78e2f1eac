"""What a search returns: the page of hits, counts, facets and advice for the reader."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from archive.cards import QuoteCard, SpeechItem
from archive.filters import FacetOption
from archive.search.query import ParsedQuery

QUOTE = "quote"
SPEECH = "speech"


@dataclass
class SearchHit:
    """One result: a quote or a speech, with the words that matched marked."""

    kind: str  # QUOTE or SPEECH
    # What the page shows of it, read as a list reads its rows (``archive.cards``).
    record: QuoteCard | SpeechItem
    score: float | None = None
    # For quotes: the quotation; for speeches: the best passages of the text.
    marked_text: SafeString | str = ""
    # For speeches: the title with matched words marked.
    marked_title: SafeString | str = ""
    # For quotes: whether the words matched are in the quotation itself, not only in what
    # is indexed beside it (the speaker's name, the attribution, the themes' names).
    in_words: bool = True

    @property
    def is_quote(self) -> bool:
        return self.kind == QUOTE


@dataclass(frozen=True)
class Suggestion:
    """Another search worth trying, as a label and the query string that runs it."""

    label: str
    query: str = ""
    drop_filters: bool = False
    url: str = ""


@dataclass
class SearchResults:
    """The answer to one search request."""

    query: ParsedQuery
    sort: str
    show: str
    hits: list[SearchHit] = field(default_factory=list)
    page: int = 1
    per_page: int = 20
    # Matches per record type ("quotes", "speeches"), each counted up to ``match_limit``;
    # ``capped`` names the types that have more matches than that.
    counts: dict[str, int] = field(default_factory=dict)
    capped: set[str] = field(default_factory=set)
    match_limit: int = 0
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    # Calm explanations: parts of the query left out, filters not understood, page clamped.
    notices: list[str] = field(default_factory=list)
    # Why nothing was searched (empty when a search ran).
    problem: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)
    filter_errors: dict[str, list[str]] = field(default_factory=dict)
    # The filters in use, as their forms cleaned them (a Speaker, an Office, a DateSpan …).
    filters: dict[str, object] = field(default_factory=dict)

    @property
    def searched(self) -> bool:
        return not self.problem and self.query.is_searchable

    @property
    def shown_types(self) -> list[str]:
        return ["quotes", "speeches"] if self.show == "all" else [self.show]

    @property
    def total(self) -> int:
        """Matches of the record types shown (each type counted up to the cap)."""
        return sum(self.counts.get(t, 0) for t in self.shown_types)

    @property
    def is_capped(self) -> bool:
        """Whether there are more matches than were counted."""
        return any(t in self.capped for t in self.shown_types)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))
