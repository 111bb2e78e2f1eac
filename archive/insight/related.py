"""Related statements: the quotations by *other* speakers that use the most similar words.

Two steps, so the cost does not grow with the archive:

1. the search engine (``archive.search``) reads, for each of the quotation's
   ``EXAMINED_WORDS`` longest significant words, up to ``PER_WORD`` published quotations
   using it, with the search page's capped candidate read (``archive.search.service``): the
   index is read in its own order and the reading stops at the cap, so nothing is ranked
   over the whole archive however common the word. How many rows a word gives is its
   (capped) document frequency; up to ``CANDIDATES`` quotations are taken from the rarest
   words first, and those by the same speaker dropped;
2. a small TF-IDF ranks those candidates by cosine similarity to the quotation. Terms are
   lightly stemmed words ("backing", "backed" -> "back") plus adjacent word pairs that hold
   a significant word ("back you"), so "I will back you" sits closest to "I will absolutely
   back you". Inverse document frequencies are taken over the candidates and the quotation:
   a word every candidate shares says little about which is closest.

No external service is involved; the same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from archive.cards import Dated, Link
from archive.links import record_url
from archive.models import Quote
from archive.prepared import PreparedRead

# The search page's capped candidate read, reused so related statements cost what a search does.
from archive.search import capped_matches_per_word
from archive.search.engines import engine_for
from archive.search.stopwords import ENGLISH_STOPWORDS

CANDIDATES = 200  # quotations ranked per quote page
EXAMINED_WORDS = 16  # the quotation's significant words looked up, one capped read each
PER_WORD = 50  # index rows read per word at most
RELATED_LIMIT = 5
# Ranked beyond the limit, for a kept ranking whose quotations may be withdrawn meanwhile.
RELATED_SPARE = 5
_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("ing", "ed", "es", "s", "ly")


@dataclass(frozen=True, slots=True)
class RelatedQuote(Dated):
    """A related quotation as the quote page lists it."""

    pk: int
    url: str
    text: str
    kind: str  # direct or reported (``QuoteKind``)
    speaker_id: int
    speaker: Link
    date: dt.date | None
    date_precision: str


@dataclass(frozen=True)
class Related:
    """A quotation and how similar it is (cosine, 0..1) to the one on the page."""

    quote: RelatedQuote
    score: float


# The candidates, with what the list shows of them (``templates/archive/_related.html``),
# in one read by id written once per database (``archive.prepared``). Published again: a
# kept word read may predate a speech being withdrawn in another process.
_CANDIDATE_ROWS = PreparedRead(
    Quote,
    "pk",
    lambda among: (
        Quote.objects.published()
        .filter(among)
        .order_by()
        .values_list(
            "pk",
            "text",
            "speaker_id",
            "speaker__name",
            "speaker__slug",
            "slug",
            "speech__date",
            "speech__date_precision",
            "kind",
        )
    ),
)


@lru_cache(maxsize=65_536)  # a few thousand distinct words per page, many repeated
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
    stems = [stem(w) for w in tokens]
    stop = [w in ENGLISH_STOPWORDS for w in tokens]
    counts: Counter[str] = Counter(
        s for s, w, is_stop in zip(stems, tokens, stop, strict=True) if not is_stop and len(w) > 1
    )
    counts.update(
        f"{first} {second}"
        for first, second, first_stop, second_stop in zip(
            stems, stems[1:], stop, stop[1:], strict=False
        )
        if not (first_stop and second_stop)
    )
    return counts


@dataclass(frozen=True)
class _Document:
    """A text's terms and their weights within it (1 + log of the count), in the terms'
    order of first use, the same weights by term, and their norm (as if every inverse
    document frequency were 1, its least)."""

    names: tuple[str, ...]
    tf: tuple[float, ...]
    by_term: dict[str, float]
    tf_norm: float


@lru_cache(maxsize=8_192)  # candidates recur across quote pages that share words
def _document(text: str) -> _Document:
    counts = terms(text)
    tf = tuple(1 + math.log(n) for n in counts.values())
    return _Document(tuple(counts), tf, dict(zip(counts, tf, strict=True)), math.hypot(*tf))


# Makes a bound on a score safe from the float rounding of the two norms it compares.
_BOUND_MARGIN = 1 + 1e-9


def rank(
    text: str, candidates: list[tuple[int, str]], *, limit: int | None = None
) -> list[tuple[int, float]]:
    """``candidates`` (id, text) by TF-IDF cosine similarity to ``text``, best first; the
    first ``limit`` of them if given.

    Candidates sharing no term are left out; ties keep the lower id first. With a
    ``limit``, a candidate's norm (a sum over all its terms, most of the cost) is worked
    out only while it could still make the list: every inverse document frequency is at
    least 1, so its norm is at least its ``tf_norm``, and its score at most the score that
    norm would give. The result is the same as the full ranking's first ``limit``.
    """
    documents = [_document(text)] + [_document(t) for _, t in candidates]
    total = len(documents)
    frequency = Counter(chain.from_iterable(document.names for document in documents))
    # A term's inverse document frequency depends only on how many documents use it: one
    # logarithm per count, not one per term (thousands of terms, a few hundred counts), and
    # looked up only for the terms that are weighed (the target's, the shared ones, and
    # those of the few candidates whose norm is needed), not for every term.
    by_count = [math.log((1 + total) / (1 + n)) + 1 for n in range(total + 1)]

    def idfs(names: Iterable[str]) -> Iterator[float]:
        return map(by_count.__getitem__, map(frequency.__getitem__, names))

    def norm(document: _Document) -> float:
        return math.hypot(*map(operator.mul, document.tf, idfs(document.names)))

    own = documents[0]
    target = dict(zip(own.names, map(operator.mul, own.tf, idfs(own.names)), strict=True))
    target_norm = math.hypot(*target.values()) or 1.0
    sharing = []  # (the most the score can be, id, dot product, document)
    for (pk, _), document in zip(candidates, documents[1:], strict=True):
        # Only shared terms add to the cosine (found by a set intersection, in C); the others
        # count only towards the norm. Summed in sorted order, so the float rounding, and
        # with it the order of near ties, is the same in every process (sets are not).
        shared = sorted(target.keys() & document.by_term.keys())
        dot = sum(
            target[term] * (document.by_term[term] * by_count[frequency[term]]) for term in shared
        )
        if dot > 0:
            bound = dot / (target_norm * (document.tf_norm or 1.0)) * _BOUND_MARGIN
            sharing.append((bound, pk, dot, document))
    sharing.sort(key=lambda item: (-item[0], item[1]))
    scored: list[tuple[int, float]] = []
    for bound, pk, dot, document in sharing:
        if limit is not None and len(scored) >= limit:
            scored.sort(key=lambda item: (-item[1], item[0]))
            del scored[limit:]
            if bound < scored[-1][1]:
                break  # this one, and every later one, scores less than the last kept
        scored.append((pk, dot / (target_norm * (norm(document) or 1.0))))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored if limit is None else scored[:limit]


def informative_words(text: str) -> list[str]:
    """The significant words of ``text`` that the candidate reads look up: the
    ``EXAMINED_WORDS`` longest ones (long words tend to be the rare ones)."""
    return sorted(significant_words(text), key=len, reverse=True)[:EXAMINED_WORDS]


def _word_key(word: str, version: str) -> str:
    where = (connection.alias, str(connection.settings_dict["NAME"]))
    digest = hashlib.sha256(repr((where, word, PER_WORD)).encode()).hexdigest()[:40]
    return f"archive:related-word:{version}:{digest}"


def word_matches(words_: list[str]) -> dict[str, list[int]]:
    """For each word, the ids of up to ``PER_WORD`` published quotations using it.

    One capped read of the search index per word, all in one statement. A word that fills
    the cap is a common one ("patients", "services"), and its read is the same for every
    quote page that looks it up, so it is kept in Django's cache, under the archive's data
    version (any write starts afresh), for as long as page summaries are
    (``ARCHIVE_SUMMARY_CACHE_SECONDS``).
    Rarer words, the ones that decide what is related, are always read afresh.
    """
    # Imported here: archive.views imports this module for the quote page.
    from archive.views.summaries import data_version

    engine = engine_for()
    ttl = int(getattr(settings, "ARCHIVE_SUMMARY_CACHE_SECONDS", 300))
    version = data_version()
    keys = {word: _word_key(word, version) for word in words_}
    kept = cache.get_many(list(keys.values())) if ttl > 0 else {}
    found = {word: kept[keys[word]] for word in words_ if keys[word] in kept}
    unread = [word for word in words_ if word not in found]
    read = capped_matches_per_word(unread, limit=PER_WORD, engine=engine) if unread else {}
    fresh = {keys[word]: ids for word, ids in read.items() if len(ids) >= PER_WORD}
    found.update(read)
    found = {word: found[word] for word in words_ if word in found}  # the words' own order
    if fresh and ttl > 0:
        cache.set_many(fresh, ttl)
    return found


def candidates(quote: Quote) -> dict[int, tuple]:
    """Up to ``CANDIDATES`` published quotations by other speakers that share one of
    ``quote``'s informative words, the rarest words' quotations first: their rows of
    ``_CANDIDATE_ROWS`` (id and text first), by id.

    One capped read of the index per word (the search page's candidate read, unscored, so
    it stops after ``PER_WORD`` rows however common the word is); how many rows a word
    gives is its document frequency, capped. Candidates are then taken from the rarest
    words first: "back" (a few dozen quotations) before "health" (most of the archive).
    """
    own = quote.pk  # a property: asked once, not once per id (800 a page)
    matches: list[tuple[int, list[int]]] = []  # (document frequency, ids), per word
    for word_ids in word_matches(informative_words(quote.text)).values():
        ids = [pk for pk in word_ids if pk != own]
        if ids:
            matches.append((len(ids), ids))
    matches.sort(key=lambda item: item[0])  # stable: equally rare words keep length order
    chosen: dict[int, None] = {}
    for _, ids in matches:
        for pk in ids:
            if len(chosen) >= CANDIDATES:
                break
            chosen.setdefault(pk, None)
    return {row[0]: row for row in _CANDIDATE_ROWS.rows(chosen) if row[2] != quote.speaker_id}


def related_quotes(quote: Quote, *, limit: int = RELATED_LIMIT) -> list[Related]:
    """The published quotations by other speakers most like ``quote``, most similar first.

    A bounded number of queries and rows: at most ``EXAMINED_WORDS`` capped index reads
    (one statement), then one read of the candidates. The ranking (ids and scores) is a
    summary of the whole archive, like a list's counts, and is kept as they are, under the
    data version (``cached_summary``, once it takes ``ARCHIVE_SMALL_COUNT_CACHE_MIN_MS``):
    2-3 ms of a quotation page's 5.5 at a million quotations. A kept ranking is read back
    with its rows, published only: one withdrawn since is dropped, not shown, and a few
    more than ``limit`` are kept so that the list stays full.
    """
    # Imported here: archive.views imports this module for the quote page.
    from archive.views.summaries import cached_summary, small_count_min_ms

    computed: dict[str, object] = {}

    def ranking() -> list[tuple[int, float]]:
        found = candidates(quote)
        pairs = sorted((pk, row[1]) for pk, row in found.items())
        scores = rank(quote.text, pairs, limit=limit + RELATED_SPARE)
        computed.update(rows=found, scores=scores)
        return scores

    scores = cached_summary(
        "related", (quote.pk, limit), ranking, keep=False, min_ms=small_count_min_ms()
    )
    if computed.get("scores") is scores:  # ranked by this request: its rows are at hand
        rows = computed["rows"]
    else:  # kept, or being ranked again by the counting thread: read what is still public
        rows = {row[0]: row for row in _CANDIDATE_ROWS.rows([pk for pk, _ in scores])}
    shown = [(pk, score) for pk, score in scores if pk in rows][:limit]
    return [Related(_related_quote(rows[pk]), score) for pk, score in shown]


def _related_quote(row: tuple) -> RelatedQuote:
    pk, text, speaker_id, name, slug, quote_slug, date, precision, kind = row
    return RelatedQuote(
        pk=pk,
        url=record_url("archive:quote-detail", quote_slug),
        text=text,
        kind=kind,
        speaker_id=speaker_id,
        speaker=Link(name, record_url("archive:speaker-detail", slug)),
        date=date,
        date_precision=precision,
    )
