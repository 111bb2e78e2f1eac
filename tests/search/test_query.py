"""The query language: what a reader types and what the engines are asked to find."""

import pytest

from archive.search.query import MAX_ITEMS, MAX_QUERY_CHARS, Phrase, Term, parse_query


def test_words_must_all_match_and_are_lower_cased():
    query = parse_query("Reconfigure  SERVICES")
    assert [g.items for g in query.groups] == [(Term("reconfigure"),), (Term("services"),)]


def test_a_quoted_phrase_is_one_item_with_its_common_words_kept():
    query = parse_query('"bullets will have to be bitten"')
    assert query.items() == [Phrase(("bullets", "will", "have", "to", "be", "bitten"))]


@pytest.mark.parametrize(
    "raw",
    ["“bullets will have”", "„bullets will have“", "«bullets will have»", "”bullets will have”"],
)
def test_typographic_quotation_marks_make_a_phrase_as_straight_ones_do(raw):
    # The archive prints quotations in “…”, and phones turn a typed " into them: such a
    # phrase was searched as loose words (its common words dropped), finding too much.
    query = parse_query(raw)
    assert query.items() == [Phrase(("bullets", "will", "have"))]
    assert not query.notices
    assert parse_query(f"-{raw} nhs").excluded == (Phrase(("bullets", "will", "have")),)


def test_or_joins_the_items_either_side_into_one_group():
    query = parse_query("closure OR merger hospital")
    assert [len(g.items) for g in query.groups] == [2, 1]
    assert query.to_string() == "closure OR merger hospital"


def test_minus_excludes_a_word_or_a_phrase():
    query = parse_query('reconfiguration -london -"south east"')
    assert query.excluded == (Term("london"), Phrase(("south", "east")))


def test_common_words_outside_phrases_are_dropped_with_a_notice():
    query = parse_query("the failure")
    assert query.to_string() == "failure"
    assert any("common words" in n for n in query.notices)


@pytest.mark.parametrize(
    ("raw", "notice"),
    [
        ('nhs "waiting lists', "A quotation mark was not closed; the rest was read as a phrase."),
        ('nhs "', "A quotation mark with no words after it was ignored."),
        ('nhs " , ', "A quotation mark with no words after it was ignored."),
    ],
)
def test_an_unclosed_quotation_mark_is_explained_by_what_followed_it(raw, notice):
    query = parse_query(raw)
    assert query.notices == (notice,)
    assert Term("nhs") in query.items()


@pytest.mark.parametrize(
    "raw",
    ['"unbalanced', "OR", "-", "a OR", "NEAR(", "'; DROP TABLE quote;--", "%00\x00", "<script>"],
)
def test_hostile_input_parses_into_plain_words_only(raw):
    query = parse_query(raw)
    for item in query.items() + list(query.excluded):
        words = (item.word,) if isinstance(item, Term) else item.words
        assert all(word.isalnum() for word in words)


def test_lone_operators_are_explained_not_searched():
    for raw in ("OR", "-", "OR OR"):
        query = parse_query(raw)
        assert not query.is_searchable and query.notices


def test_a_search_that_only_excludes_is_refused_calmly():
    query = parse_query("-hospital")
    assert not query.is_searchable
    assert any("only leave words out" in n for n in query.notices)


def test_long_input_is_cut_and_counted():
    query = parse_query("word " * 1000)
    assert len(query.text) <= MAX_QUERY_CHARS
    assert len(query.items()) == 1  # repeats of one word are one item
    many = parse_query(" ".join(f"w{n}" for n in range(40)))
    assert len(many.items()) == MAX_ITEMS
    assert any("first" in n for n in many.notices)


def test_a_long_search_is_cut_between_words_not_within_one():
    query = parse_query("reform " * 34)  # the 200th character is within the 29th "reform"
    assert query.text == " ".join(["reform"] * 28)
    assert [item.to_string() for item in query.items()] == ["reform"]
    assert any("shortened to the words of its first 200 characters" in n for n in query.notices)
    # A whole word that ends at the limit is kept, whatever mark follows it.
    text = "nhs " * 48 + "x reform, and more"  # "reform" ends at the 200th character
    assert text[194:200] == "reform"
    assert "reform" in [item.to_string() for item in parse_query(text).items()]
    # One word longer than the limit is cut where it must be.
    assert len(parse_query("x" * 300).text) == MAX_QUERY_CHARS


def test_blank_and_unsearchable_are_told_apart():
    assert parse_query("   ").is_blank
    assert not parse_query("OR").is_blank


def test_no_character_lower_cases_into_a_word_an_engine_refuses():
    """Words are checked to be letters and digits before they reach an engine; a word that
    became something else only when lower-cased ("İ" -> "i" + a combining dot) was a 500
    on every page with a words box."""
    from archive.search.engines.base import item_words
    from archive.search.query import _words

    every = " ".join(f"a{chr(c)}b {chr(c)}" for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert all(word.isalnum() for word in _words(every))
    for raw in ("İ", "İstanbul", '"İstanbul hospital"', "nhs -İ", "İ OR nhs"):
        query = parse_query(raw)
        for item in [*query.items(), *query.excluded]:
            item_words(item)  # raises on anything but letters and digits
    assert parse_query("İstanbul").to_string() == "istanbul"


@pytest.mark.parametrize("raw", ["NHS's", "NHS’s", "trust's"])
def test_a_possessive_searches_for_the_word(raw):
    # The index holds "NHS's" as "nhs" and "s", so the word alone finds it too.
    assert parse_query(raw).items() == [Term(raw[:-2].lower())]
    assert parse_query(f'"{raw} plan"').items() == [Phrase((raw[:-2].lower(), "s", "plan"))]


def test_compatibility_forms_are_folded_and_a_wildcard_is_explained():
    # Full-width letters and ligatures are what the archive's texts write plainly.
    assert parse_query("ＮＨＳ ﬁnance").items() == [Term("nhs"), Term("finance")]
    query = parse_query("hous*")
    assert query.items() == [Term("hous")]
    assert any("A * is not needed" in notice for notice in query.notices)


@pytest.mark.parametrize(
    ("raw", "phrase"),
    [("nhs,reform", "nhs reform"), ("title:nhs", "title nhs"), ("waiting/lists", "waiting lists")],
)
def test_words_joined_by_punctuation_are_a_phrase_and_a_note_says_so(raw, phrase):
    query = parse_query(raw)
    assert query.items() == [Phrase(tuple(phrase.split()))]
    assert query.notices == (
        f"“{raw}” was searched as the phrase “{phrase}”: put a space between words to find "
        "them anywhere.",
    )


@pytest.mark.parametrize("raw", ["co-operation", "NHS's", "reconfiguration"])
def test_one_word_written_with_a_hyphen_or_apostrophe_needs_no_note(raw):
    assert parse_query(raw).notices == ()


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("nhs ?", "“?”"),
        ("nhs & reform ...", "“&”, “...”"),
        ('"?" nhs', "“?”"),
        ("nhs -!!", "“!!”"),
    ],
)
def test_punctuation_on_its_own_is_left_out_and_said(raw, said):
    query = parse_query(raw)
    assert query.is_searchable
    assert f"Punctuation on its own is not searched for: {said}." in query.notices


def test_punctuation_alone_says_why_nothing_was_searched():
    query = parse_query("!!")
    assert not query.is_searchable
    assert "Punctuation on its own is not searched for: “!!”." in query.notices


def test_a_lone_star_keeps_its_own_note_only():
    notices = parse_query("nhs *").notices
    assert not any("Punctuation" in notice for notice in notices)
    assert any("A * is not needed" in notice for notice in notices)
