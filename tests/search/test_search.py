"""Searching quotes and speeches: the same behaviour on SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from archive.filters import QuoteFilter
from archive.models import Quote, Speech, Theme
from archive.search import filter_queryset, search
from archive.search.documents import speaker_token, theme_token
from tests.factories import make_quote, make_speech
from tests.search.hits import records


def hit_records(results):
    return records(results.hits)


def test_a_phrase_finds_the_exact_passage_first(seed):
    results = search('"bullets will have to be bitten"')
    first = results.hits[0]
    assert first.is_quote
    assert "bullets will have to be bitten" in first.record.text
    assert "<mark>" in first.marked_text


def test_a_phrase_in_typographic_quotation_marks_finds_what_the_straight_one_finds(seed):
    straight = search('"I will back you"')
    assert straight.total
    curly = search("“I will back you”")
    assert curly.query.has_phrase  # not four loose words (three of them too common to ask)
    assert hit_records(curly) == hit_records(straight)


def test_a_phrase_needs_its_words_together_and_in_order(corpus):
    assert search('"have to be bitten"').counts["quotes"] == 1
    assert search("bullets bitten").counts["quotes"] == 1
    assert search('"bullets bitten"').total == 0  # four words apart
    assert search('"bitten bullets"').total == 0


def test_a_phrase_holding_short_words_finds_its_passage_and_no_other(db, committed):
    """Phrases with stop words ("unusual for managers"; "services at Leeds Memorial
    Hospital", whose words are all elsewhere in another quotation too), a phrase of one
    word after its stop word, and words a tsquery would read as syntax: found where they
    are said, on both databases (on PostgreSQL, through the word pairs' index)."""
    with committed():
        said = make_quote("It is unusual for managers to say so.")
        reversed_ = make_quote("Managers for unusual times.")
        hospital = make_quote(
            "Services at Leeds Memorial Hospital will stay open, and so will the services "
            "in Leeds at Memorial Park."
        )
        scattered = make_quote("Leeds services: a Memorial to the Hospital.")
        quoted = make_quote("The O'Neill report's back-slash \\ odd tokens & | ! <-> :*.")
    found = set(records(search('"unusual for managers"', show="quotes").hits))
    assert said in found and reversed_ not in found
    phrase = search('"services at Leeds Memorial Hospital"', show="quotes")
    assert records(phrase.hits) == [hospital]
    assert scattered in set(records(search("services Leeds Memorial Hospital").hits))
    assert search('"services at Leeds General"').total == 0
    assert said in set(records(search('"for managers"', show="quotes").hits))
    for text in ('"O\'Neill report"', '"back-slash \\ odd"', '"tokens & | ! <-> :*"'):
        assert quoted in set(records(search(text, show="quotes").hits)), text


def test_stemming_finds_other_forms_of_a_word(corpus):
    found = set(records(search("reconfigure", show="quotes").hits))
    # "reconfigure" and "reconfiguration" share a stem; the theme name counts too.
    assert corpus.reconfigure in found and corpus.maternity in found


def test_or_widens_and_minus_narrows(corpus):
    closures = search("closures", show="quotes").total
    either = search("closures OR fund", show="quotes").total
    assert closures == 1 and either == 2
    with_maternity = set(records(search("reconfiguration", show="quotes").hits))
    without = set(records(search("reconfiguration -maternity", show="quotes").hits))
    assert corpus.maternity in with_maternity and corpus.maternity not in without
    assert without < with_maternity


def test_a_theme_filter_returns_only_quotes_of_that_theme(corpus):
    results = search("failure OR reconfiguration", filters={"theme": "provider-failure"})
    assert results.hits and all(hit.is_quote for hit in results.hits)
    assert all(corpus.failure in quote.themes.all() for quote in hit_records(results)), (
        "every hit carries the theme"
    )
    assert corpus.provider in hit_records(results)


@pytest.mark.parametrize("few", [0, 20_000])
def test_speaker_and_kind_filters_combine_with_the_query(corpus, settings, few):
    # Filters that leave few records are applied as a list of ids, others record by record:
    # the answer is the same either way.
    settings.SEARCH_FEW_RECORDS = few
    results = search("freedom OR failure", filters={"kind": "letter", "speaker": "andrew-lansley"})
    assert set(hit_records(results)) == {corpus.letter, corpus.provider}
    themed = search("reconfiguration", filters={"theme": "service-reconfiguration"})
    assert set(hit_records(themed)) == {
        corpus.bitten,
        corpus.reconfigure,
        corpus.closures,
    }


@pytest.mark.parametrize("few", [0, 20_000])
@pytest.mark.parametrize(
    "filters",
    [
        {"theme": "service-reconfiguration"},
        {"theme": "service-reconfiguration", "speaker": "andrew-lansley"},
        {"theme": "service-reconfiguration", "date_after": "2012-06-15"},
        {"theme": "service-reconfiguration", "date_before": "2006"},
        {"theme": "service-reconfiguration", "date_after": "2006-02", "date_before": "2012-06"},
    ],
)
def test_a_theme_filter_keeps_what_the_quotation_list_keeps(
    corpus, committed, settings, filters, few
):
    # Read from the tags in date order, by a list of ids (few records) or a check per match:
    # the same quotations as the list's own filters, a speech dated to the month included.
    settings.SEARCH_FEW_RECORDS = few
    with committed():
        june = make_speech("June", speaker=corpus.lansley, date=dt.date(2012, 6, 1))
        june.date_precision = "month"
        june.save()
        vague = make_quote(
            "We will reconfigure in June", speech=june, themes=[corpus.reconfiguration]
        )
        draft = make_speech("Draft", speaker=corpus.lansley, status="draft")
        make_quote("We will reconfigure in secret", speech=draft, themes=[corpus.reconfiguration])
    # Every quotation on the theme is found: the theme's name is part of what is indexed.
    expected = set(QuoteFilter(data=filters, queryset=Quote.objects.published()).qs)
    assert expected, "the filters leave something to find"
    if filters.get("date_after") == "2012-06-15":
        assert vague in expected  # "June 2012" may be after the 15th, as on every list
    with CaptureQueriesContext(connection) as captured:
        results = search("reconfiguration", filters=filters, show="quotes")
    assert set(hit_records(results)) == expected
    statements = [query["sql"] for query in captured.captured_queries]
    # The theme (and speaker) are matched by the index's filter tokens; dates, which it has
    # no tokens for, are checked against the dated tags.
    assert any(theme_token(corpus.reconfiguration.pk) in sql for sql in statements)
    dated = any(name.startswith("date_") for name in filters)
    assert any("archive_datedtag" in sql for sql in statements) == dated


def test_matched_words_are_marked_and_the_text_escaped(corpus, committed):
    with committed():
        corpus.closures.text = "Hospital closures & <b>mergers</b>"
        corpus.closures.save()
    hit = search("closures", show="quotes").hits[0]
    assert hit.marked_text == "Hospital <mark>closures</mark> &amp; &lt;b&gt;mergers&lt;/b&gt;"
    # A word between angle brackets is a word, not markup, on both databases.
    assert search("mergers", show="quotes").total == 1
    speech_hit = search("maternity", show="speeches").hits[0]
    assert "<mark>maternity</mark>" in speech_hit.marked_text


def test_a_phrase_marks_the_phrase_and_not_its_words_elsewhere(corpus, committed, vendor):
    if vendor != "sqlite":
        pytest.skip("PostgreSQL's ts_headline marks a phrase's words wherever they are")
    with committed():
        corpus.bitten.text = "Bullets are costly. The bullets will have to be bitten."
        corpus.bitten.save()
    hit = search('"bullets will have"', show="quotes").hits[0]
    assert hit.marked_text.startswith("Bullets are costly. The <mark>bullets")


def test_a_marked_phrase_holds_the_editors_bracket_it_opens(corpus, committed, vendor):
    with committed():
        corpus.bitten.text = "We will back you [managers] and help."
        corpus.bitten.save()
    hit = search('"back you managers"', show="quotes").hits[0]
    assert "[managers</mark>]" not in hit.marked_text  # a mark never ends inside [ ]
    if vendor == "sqlite":  # one mark for the phrase; PostgreSQL marks each word
        assert "<mark>back you [managers]</mark>" in hit.marked_text


def test_a_speechs_snippet_does_not_cut_the_phrase_searched_for(corpus, committed):
    # FTS5 starts a snippet at a sentence's start where the phrase's first word is within
    # its 32 words, however far the phrase runs past them: "…bullets will have…".
    long_sentence = " ".join(f"word{n}" for n in range(27))
    with committed():
        corpus.show.text = (
            "An opening sentence about the service. "
            f"He said that {long_sentence} and bullets will have to be bitten, in the end. "
            "A closing sentence about the service."
        )
        corpus.show.save()
    (hit,) = search('"bullets will have to be bitten"', show="speeches").hits
    assert "bitten" in hit.marked_text
    assert "<mark>bullets will have…" not in hit.marked_text


def test_marking_still_works_after_a_rolled_back_search(corpus):
    # SQLite marks a page in a TEMP table; one made inside a transaction that is rolled
    # back is gone, and the next search must make it again.
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        assert "<mark>" in search("closures", show="quotes").hits[0].marked_text
        raise RuntimeError("roll back")
    assert "<mark>closures</mark>" in search("closures", show="quotes").hits[0].marked_text


def test_speech_titles_are_highlighted(corpus):
    hit = search("alliance", show="speeches").hits[0]
    assert hit.marked_title == "Speech to the NHS <mark>Alliance</mark>"


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date_orders_every_hit(corpus, sort):
    results = search("reconfiguration OR failure OR bitten", sort=sort)
    dates = [hit.record.speech.date if hit.is_quote else hit.record.date for hit in results.hits]
    assert len(dates) >= 5
    assert dates == sorted(dates, reverse=sort == "newest")
    assert dates[0] == (dt.date(2012, 6, 1) if sort == "newest" else dt.date(2006, 1, 19))


def test_relevance_puts_quotations_and_titles_above_body_text(corpus):
    results = search("alliance")
    # Only in a title: the speech comes first; its quotes do not mention the word.
    assert hit_records(results)[0] == corpus.alliance


def test_drafts_never_appear(corpus):
    for query in ("secret", '"bullets will have to be bitten"', "reconfiguration"):
        results = search(query)
        assert corpus.draft not in hit_records(results)
        assert corpus.secret not in hit_records(results)
    assert search("secret").total == 0
    assert not filter_queryset(Quote.objects.published(), "secret").exists()


def test_facets_count_the_matches_by_speaker_theme_year_and_kind(corpus):
    facets = search("reconfiguration OR failure").facets
    speakers = {o.value: o.count for o in facets["speaker"]}
    assert speakers["patricia-hewitt"] == 3  # two quotes and their speech
    assert {o.value for o in facets["theme"]} == {"service-reconfiguration", "provider-failure"}
    assert {o.value: o.count for o in facets["year"]}["2006"] == 3
    assert {o.value for o in facets["kind"]} == {"speech", "letter"}


@pytest.mark.parametrize("show", ["quotes", "speeches"])
def test_with_one_kind_of_record_shown_the_facets_count_only_those(corpus, show):
    # They counted quotations and speeches alike: "Patricia Hewitt (3)" over a page of one
    # speech, and choosing her gave 1.
    results = search("reconfiguration OR failure", show=show)
    speakers = {o.value: o.count for o in results.facets["speaker"]}
    assert speakers["patricia-hewitt"] == (2 if show == "quotes" else 1)
    assert sum(speakers.values()) == results.total
    assert sum(o.count for o in results.facets["year"]) == results.total
    assert sum(o.count for o in results.facets["kind"]) == results.total
    for value, count in speakers.items():
        chosen = search("reconfiguration OR failure", show=show, filters={"speaker": value})
        assert chosen.total == count
    # Themes belong to quotations: no theme menu over speeches.
    assert bool(results.facets.get("theme")) == (show == "quotes")


def test_the_years_and_the_undated_add_up_to_the_results(corpus, committed):
    # An undated statement has no year to link to, but is counted beside the years.
    with committed():
        undated = make_speech("Undated reconfiguration", speaker=corpus.hewitt, date=None)
        make_quote("Reconfiguration, some time", speech=undated)
    results = search("reconfiguration OR failure")
    years = sum(o.count for o in results.facets["year"])
    [unknown] = results.facets["undated"]
    assert (unknown.label, unknown.count) == ("Date unknown", 2)  # the speech and its quote
    assert years + unknown.count == results.total


def test_counts_are_capped_and_pages_stop_at_the_cap(corpus, settings):
    settings.SEARCH_MATCH_LIMIT = 2
    results = search("reconfiguration OR failure OR bitten", show="quotes", per_page=1)
    assert results.counts["quotes"] == 2 and results.is_capped
    assert results.num_pages == 2


def test_a_word_in_more_records_than_the_cap_is_searched_in_the_latest_added(db, committed):
    # On PostgreSQL the read used to take the first matches its table gave, mostly the
    # earliest added: a statement added today was never among a common word's thousand.
    with committed():
        added = [
            make_quote(
                f"Zanzibar clinics, report {n}",
                speech=make_speech(f"Zanzibar report {n}", date=dt.date(2000 + n, 1, 1)),
            )
            for n in range(4)
        ]
    for sort in ("newest", "relevance"):
        results = search("zanzibar", show="quotes", sort=sort)
        assert results.is_capped is False
    with override_settings(SEARCH_MATCH_LIMIT=2):
        for sort in ("newest", "oldest", "relevance"):
            results = search("zanzibar", show="quotes", sort=sort)
            assert results.is_capped
            assert set(hit_records(results)) == {added[2], added[3]}, sort


def test_nothing_found_offers_looser_searches_that_find_something(corpus):
    results = search("closures unicorns")
    assert results.total == 0
    offered = {s.query for s in results.suggestions}
    assert "closures" in offered  # leave out "unicorns"
    assert "closures OR unicorns" in offered  # any of the words
    assert "unicorns" not in offered  # leaving out "closures" finds nothing either
    for suggestion in results.suggestions:
        assert search(suggestion.query).total > 0, suggestion


def test_nothing_found_with_filters_offers_the_search_without_them(corpus):
    # Only Hewitt spoke of closures and maternity care: nothing looser by Lansley exists.
    results = search('closures "maternity care" -london', filters={"speaker": "andrew-lansley"})
    assert results.total == 0
    assert [(s.query, s.drop_filters) for s in results.suggestions] == [
        ('closures "maternity care" -london', True)
    ]
    assert search('closures "maternity care" -london').total > 0


def test_filter_queryset_restricts_and_ranks(corpus):
    quotes = filter_queryset(Quote.objects.published(), "reconfiguration OR closures")
    assert set(quotes) == {corpus.bitten, corpus.reconfigure, corpus.closures, corpus.maternity}
    ranks = [q.search_rank for q in quotes]
    assert ranks == sorted(ranks, reverse=True)
    speeches = filter_queryset(Speech.objects.published(), "maternity")
    assert list(speeches) == [corpus.alliance]


def test_filter_queryset_leaves_blank_queries_alone_and_matches_nothing_for_noise(corpus):
    everything = Quote.objects.published()
    assert filter_queryset(everything, "  ").count() == everything.count()
    assert filter_queryset(everything, "OR -").count() == 0


def test_filter_queryset_hands_back_models_it_does_not_index(corpus):
    themes = Theme.objects.all()
    assert filter_queryset(themes, "reconfiguration") is themes


def test_a_speech_found_by_its_title_shows_its_opening_or_else_its_summary(corpus, committed):
    hit = search("alliance", show="speeches").hits[0]
    # The text does not say "alliance": its opening words are shown, marked nowhere.
    assert hit.marked_text.startswith("Hospital closures are never easy.")
    assert "<mark>" not in hit.marked_text
    with committed():
        corpus.alliance.summary = "Hewitt on <local> change"
        corpus.alliance.text = ""
        corpus.alliance.save()
    assert search("alliance", show="speeches").hits[0].marked_text == (
        "Hewitt on &lt;local&gt; change"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "{speaker}",
        "{speaker}s",
        '"{speaker} {theme}"',
        "{theme}",
        # Accents and other forms of the same letters, which the index folds away.
        "{accented}",
        "{wide}",
        "{upper}",
    ],
)
def test_the_index_tokens_of_speakers_and_themes_cannot_be_searched(corpus, typed):
    # They stand for a record's speaker and themes, for the filters: typed, they found
    # every statement by that speaker ("zzspeaker1" listed all of one minister's).
    speaker = speaker_token(corpus.lansley.pk)
    query = typed.format(
        speaker=speaker,
        theme=theme_token(corpus.reconfiguration.pk),
        accented="ź" + speaker[1:],
        wide="".join(chr(ord(c) + 0xFEE0) for c in speaker),  # fullwidth "ｚｚｓｐｅａｋｅｒ１"
        upper=speaker.upper(),
    )
    results = search(query)
    assert results.total == 0
    assert any("stand for a speaker or a theme" in notice for notice in results.notices)
    assert search(f"{query} bullets").counts["quotes"] == 1  # the reader's words still count
