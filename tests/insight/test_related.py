"""Related statements on a quote page: similar words, other speakers, best first."""

import pytest

from archive.insight.related import rank, related_quotes, stem
from archive.models import Quote

pytestmark = pytest.mark.django_db


def quote(words: str) -> Quote:
    return Quote.objects.get(text__contains=words)


def test_lansley_back_you_is_beside_hewitt_absolutely_back_you(seed):
    lansley = quote("I will back you")
    related = related_quotes(lansley)
    texts = [item.quote.text for item in related]
    hewitt = next(i for i, t in enumerate(texts) if "I will absolutely back you" in t)
    # Above every quotation that shares none of its words with "I will back you".
    unrelated = [i for i, item in enumerate(related) if "back" not in item.quote.text.lower()]
    assert all(hewitt < i for i in unrelated)
    assert hewitt <= 1
    assert related[hewitt].quote.speaker.name == "Patricia Hewitt"
    assert related[hewitt].quote.speaker.url == "/speakers/patricia-hewitt/"


def test_and_the_other_way_round(seed):
    related = related_quotes(quote("I will absolutely back you"))
    # Lansley's "but we will help" (the same speech) is as close to Hewitt's "we will help".
    assert any(item.quote.text.startswith("I will back you") for item in related[:2])


def test_related_never_includes_the_same_speaker(seed):
    for q in Quote.objects.select_related("speaker"):
        for item in related_quotes(q):
            assert item.quote.speaker_id != q.speaker_id


def test_related_are_published_only(seed):
    hewitt = quote("I will absolutely back you")
    hewitt.speech.status = "draft"
    hewitt.speech.save()
    texts = [item.quote.text for item in related_quotes(quote("I will back you"))]
    assert not any("absolutely back you" in t for t in texts)


def test_ranking_prefers_shared_rare_words_over_unrelated_text():
    ranked = rank(
        "I will back you",
        [(1, "The weather was fine all week."), (2, "I will absolutely back you, managers.")],
    )
    assert [pk for pk, _ in ranked] == [2]


@pytest.mark.parametrize("limit", [1, 3, 5, 20])
def test_a_limited_ranking_is_the_full_rankings_first(seed, limit):
    # The limit skips norms that cannot matter (see ``rank``), never a better candidate.
    texts = list(Quote.objects.order_by("pk").values_list("pk", "text"))
    tied = [(10_001, texts[0][1]), (10_000, texts[0][1])]  # equal scores: lower id first
    for pk, text in texts:
        others = [(other, t) for other, t in texts if other != pk] + tied
        full = rank(text, others)
        assert rank(text, others, limit=limit) == full[:limit]


def test_a_limited_ranking_of_many_candidates_is_the_full_rankings_first():
    import random

    vocabulary = [f"word{n}" for n in range(60)] + ["patients", "waiting", "funding"]
    for seed in range(40):
        chance = random.Random(seed)

        def text(n: int) -> str:
            return " ".join(chance.choice(vocabulary) for _ in range(n))  # noqa: B023

        candidates = [(pk, text(chance.randint(3, 80))) for pk in range(200)]
        query = text(12)
        assert rank(query, candidates, limit=5) == rank(query, candidates)[:5]


def test_stem_joins_forms_of_a_word():
    assert stem("backing") == stem("backed") == stem("back")
    assert stem("services") == stem("service")


def test_quote_page_shows_related_statements_by_others(client, seed):
    response = client.get(quote("I will back you").get_absolute_url())
    assert response.status_code == 200
    assert "Related statements by others" in response.text
    section = response.text.split('id="related-heading"')[1].split("</section>")[0]
    assert "Patricia Hewitt" in section
    assert "Andrew Lansley" not in section


def test_quote_page_query_count_does_not_grow_with_similar_quotations(
    client, seed, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from tests.factories import make_quote, make_speaker, make_speech

    url = quote("I will back you").get_absolute_url()
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):  # keeps the search index current
        for n in range(12):
            speaker = make_speaker(f"Backer {n}")
            speech = make_speech(speaker=speaker)
            make_quote(f"We will back you, number {n}.", speech=speech, speaker=speaker)
    with django_assert_max_num_queries(60) as after:
        response = client.get(url)
    assert response.text.count("We will back you, number") == 5  # RELATED_LIMIT
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.fixture
def common_words(monkeypatch):
    """Related statements as at scale, where most words fill their capped read (here 2)."""
    from django.core.cache import cache

    from archive.insight import related

    monkeypatch.setattr(related, "PER_WORD", 2)
    cache.clear()
    yield related
    cache.clear()


def related_twice(of: Quote) -> tuple[list, list, list]:
    """``related_quotes(of)`` twice, which must agree: the (id, score) list, and each call's
    queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        expected = [(item.quote.pk, item.score) for item in related_quotes(of)]
    with CaptureQueriesContext(connection) as again:
        assert [(item.quote.pk, item.score) for item in related_quotes(of)] == expected
    return expected, first.captured_queries, again.captured_queries


def assert_a_withdrawn_quotation_is_dropped() -> None:
    """Hewitt's "absolutely back you", related to Lansley's "back you", is withdrawn behind
    the cache's back; the next list leaves it out."""
    lansley = quote("I will back you")
    assert any("absolutely back you" in item.quote.text for item in related_quotes(lansley))
    hewitt = quote("I will absolutely back you")
    # Withdrawn without a signal, as another process's write looks to this one's cache.
    type(hewitt.speech).objects.filter(pk=hewitt.speech_id).update(status="draft")
    texts = [item.quote.text for item in related_quotes(lansley)]
    assert not any("absolutely back you" in t for t in texts)


def test_a_common_words_capped_read_is_shared_by_the_next_quote_page(seed, common_words):
    _, first, again = related_twice(quote("I will back you"))
    # Every word that filled its cap is read once; the rarer ones are read again.
    assert len(again) < len(first)


def test_a_cached_read_never_brings_back_a_withdrawn_quotation(seed, common_words, monkeypatch):
    from archive.search import capped_matches

    # A cap that "back" fills exactly, so its read (Hewitt's quotation among it) is kept.
    monkeypatch.setattr(common_words, "PER_WORD", len(capped_matches("back", limit=1000)))
    assert_a_withdrawn_quotation_is_dropped()


def test_the_quote_page_links_each_related_quotation_with_its_speaker_and_date(client, seed):
    hewitt = quote("I will absolutely back you")
    html = client.get(quote("I will back you").get_absolute_url()).content.decode()
    section = html[html.index('id="related-heading"') :]
    section = section[: section.index("</section>")]
    item = section[section.index(f'<a href="{hewitt.get_absolute_url()}">“') :]
    item = item[: item.index("</li>")]
    assert hewitt.text.split()[0] in item
    date = hewitt.speech.date_display
    assert item.endswith(f'— Patricia Hewitt, <time datetime="{date}">{date}</time>')
    assert "Andrew Lansley" not in section  # the page's own speaker is never related


def test_a_kept_ranking_reads_only_its_rows_and_gives_the_same_list(seed, summaries_kept):
    expected, first, again = related_twice(quote("I will back you"))
    assert expected
    # No word is looked up in the index again: one read of the kept ranking's quotations.
    assert len(again) == 1
    assert len(first) > 1


def test_a_kept_ranking_never_shows_a_withdrawn_quotation(seed, summaries_kept):
    assert_a_withdrawn_quotation_is_dropped()


def test_a_write_ranks_again(seed, summaries_kept, django_capture_on_commit_callbacks):
    from tests.factories import make_quote, make_speaker, make_speech

    lansley = quote("I will back you")
    before = related_quotes(lansley)
    with django_capture_on_commit_callbacks(execute=True):  # the index and the data version
        speaker = make_speaker("A new backer")
        speech = make_speech(speaker=speaker)
        make_quote("I will back you, I will.", speech=speech, speaker=speaker)
    after = related_quotes(lansley)
    assert "I will back you, I will." not in [item.quote.text for item in before]
    assert after[0].quote.text == "I will back you, I will."
