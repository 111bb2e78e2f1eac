"""How well the ingest pipeline finds quotations and their speakers in articles it never saw.

The articles in ``articles/`` are written in the style of the source documents (quotes before
and after the attribution, colon-introduced, running over several paragraphs, curly and
straight quotes with apostrophes inside, respondents, and quoted titles or statements that are
not a person's speech). ``annotations.json`` says, for each, which (text, speaker) pairs a
careful curator would record. The test prints precision and recall and holds them to a floor.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.utils.text import slugify

from archive.ingest.normalise import normalise_for_match
from archive.ingest.pipeline import KnownSpeaker, process
from archive.ingest.speakers import HONORIFICS

ARTICLES = Path(__file__).parent / "articles"
ANNOTATIONS = json.loads((ARTICLES / "annotations.json").read_text("utf-8"))
FLOOR = 0.9


def _text_key(text: str) -> str:
    # A curator may or may not keep the comma before "he said"; the words are what count.
    return normalise_for_match(text).casefold().rstrip(" ,;:")


def _speaker_key(slug: str | None, name: str) -> str:
    """The known speaker's slug, or a slug made from a new speaker's name without titles."""
    if slug:
        return slug
    words = name.split()
    while words and words[0].rstrip(".") in {h.split()[0] for h in HONORIFICS}:
        words = words[1:]
    return slugify(" ".join(words))


def _score() -> tuple[int, int, int, list[str]]:
    known = [KnownSpeaker(**s) for s in ANNOTATIONS["known_speakers"]]
    hits = found_total = expected_total = 0
    misses = []
    for name, expected in ANNOTATIONS["articles"].items():
        result = process((ARTICLES / name).read_text("utf-8"), known)
        found = {
            (_text_key(q.text), _speaker_key(q.speaker_slug, q.speaker_name_guess))
            for q in result.quotations
        }
        wanted = {(_text_key(q["text"]), q["speaker"]) for q in expected}
        hits += len(found & wanted)
        found_total += len(found)
        expected_total += len(wanted)
        misses += [f"{name}: missed {pair}" for pair in wanted - found]
        misses += [f"{name}: wrongly found {pair}" for pair in found - wanted]
    return hits, found_total, expected_total, misses


def test_the_annotations_quote_their_articles_verbatim():
    from archive.ingest.normalise import appears_in

    for name, expected in ANNOTATIONS["articles"].items():
        article = (ARTICLES / name).read_text("utf-8")
        for q in expected:
            # Multi-paragraph quotations reopen with a quote mark on each paragraph.
            for paragraph in q["text"].split(". "):
                assert appears_in(paragraph, article), (name, paragraph)
        for passage in ANNOTATIONS["not_quotations"].get(name, []):
            assert appears_in(passage, article), (name, passage)


def test_extractor_precision_and_recall_over_annotated_articles():
    hits, found, expected, misses = _score()
    precision = hits / found if found else 0.0
    recall = hits / expected
    print(
        f"\nExtractor accuracy on {len(ANNOTATIONS['articles'])} annotated articles: "
        f"precision {precision:.2f} ({hits}/{found}), recall {recall:.2f} ({hits}/{expected})"
    )
    for line in misses:
        print("  " + line)
    assert precision >= FLOOR, misses
    assert recall >= FLOOR, misses
