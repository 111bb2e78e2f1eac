"""Related statements: the quotations by *other* speakers that use the most similar words.

Two steps, so the cost does not grow with the archive:

1. the search engine (``archive.search``) finds up to ``CANDIDATES`` published quotations by
   other speakers sharing at least one of the quotation's significant words -- indexed
   queries of at most ten words each (the query language's limit), at most
   ``QUERY_BATCHES`` of them, never a scan;
2. a small TF-IDF ranks those candidates by cosine similarity to the quotation. Terms are
   lightly stemmed words ("backing", "backed" -> "back") plus adjacent word pairs that hold
   a significant word ("back you"), so "I will back you" sits closest to "I will absolutely
   back you". Inverse document frequencies are taken over the candidates and the quotation:
   a word every candidate shares says little about which is closest.

No external service is involved; the same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from archive import search
from archive.models import Quote
from archive.search.query import MAX_ITEMS, MAX_QUERY_CHARS
from archive.search.stopwords import ENGLISH_STOPWORDS

CANDIDATES = 200  # quotations read from the index per quote page
QUERY_BATCHES = 3  # candidate queries per quote page, each of at most MAX_ITEMS words
RELATED_LIMIT = 5
_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("ing", "ed", "es", "s", "ly")


@dataclass(frozen=True)
class Related:
    """A quotation and how similar it is (cosine, 0..1) to the one on the page."""

    quote: Quote
    score: float


def stem(word: str) -> str:
    """A crude English stem: enough to treat "backing", "backed" and "back" as one term."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased."""
    return [w.lower() for w in _WORD.findall(text)]


def significant_words(text: str) -> list[str]:
    """Distinct words that are not stop words, in order of first use."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in ENGLISH_STOPWORDS and len(word) > 1 and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def terms(text: str) -> Counter[str]:
    """Term counts: stems of significant words, and adjacent pairs holding one."""
    tokens = words(text)
    counts: Counter[str] = Counter(
        stem(w) for w in tokens if w not in ENGLISH_STOPWORDS and len(w) > 1
    )
    for first, second in zip(tokens, tokens[1:], strict=False):
        if first not in ENGLISH_STOPWORDS or second not in ENGLISH_STOPWORDS:
            counts[f"{stem(first)} {stem(second)}"] += 1
    return counts


def rank(text: str, candidates: list[tuple[int, str]]) -> list[tuple[int, float]]:
    """``candidates`` (id, text) by TF-IDF cosine similarity to ``text``, best first.

    Candidates sharing no term are left out; ties keep the lower id first.
    """
    documents = [terms(text)] + [terms(t) for _, t in candidates]
    total = len(documents)
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(document.keys())

    def vector(counts: Counter[str]) -> dict[str, float]:
        weights = {
            term: (1 + math.log(n)) * (math.log((1 + total) / (1 + frequency[term])) + 1)
            for term, n in counts.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}

    target = vector(documents[0])
    scored = []
    for (pk, _), document in zip(candidates, documents[1:], strict=True):
        other = vector(document)
        score = sum(weight * other.get(term, 0.0) for term, weight in target.items())
        if score > 0:
            scored.append((pk, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


def query_batches(text: str) -> list[str]:
    """OR-queries covering the significant words of ``text``, longest words first, each
    within the search's limits on words and characters; at most ``QUERY_BATCHES``."""
    batches: list[list[str]] = []
    for word in sorted(significant_words(text), key=len, reverse=True):
        current = batches[-1] if batches else None
        if (
            current is None
            or len(current) >= MAX_ITEMS
            or (len(" OR ".join([*current, word])) > MAX_QUERY_CHARS)
        ):
            if len(batches) == QUERY_BATCHES:
                break
            batches.append([word])
        else:
            current.append(word)
    return [" OR ".join(batch) for batch in batches]


def related_quotes(quote: Quote, *, limit: int = RELATED_LIMIT) -> list[Related]:
    """The published quotations by other speakers most like ``quote``, most similar first.

    A bounded number of queries: at most ``QUERY_BATCHES`` for candidates, then the rows
    with their themes and offices.
    """
    others = Quote.objects.published().exclude(speaker_id=quote.speaker_id)
    per_batch = CANDIDATES // QUERY_BATCHES
    candidates: dict[int, str] = {}
    for query in query_batches(quote.text):
        matches = search.filter_queryset(others, query).values_list("pk", "text")[:per_batch]
        candidates.update(matches)
    best = rank(quote.text, sorted(candidates.items()))[:limit]
    if not best:
        return []
    rows = Quote.objects.filter(pk__in=[pk for pk, _ in best]).for_list().in_bulk()
    return [Related(rows[pk], score) for pk, score in best if pk in rows]
