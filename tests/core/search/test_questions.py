"""Questions and prompts in plain language: what they weigh, and what they find.

Members type whole questions into /search, and prompts are linked to the
passage they discuss with ``passages(text, limit=1)``. An essay states rather
than asks, so its own rarity figures overrate "how", "should" or "you"; these
tests pin the corrections on small hand-made documents.
"""

from __future__ import annotations

import pytest

from bot.core.search import SearchIndex, absent_words_note
from bot.core.search.lexicon import commonness
from bot.core.search.text import terms
from bot.core.search.words import is_content
from tests.core.search.factories import document, library

DOC = document(
    [
        (
            "Travels",
            [
                "How the delegations should travel, and what they would discuss there, "
                "is told elsewhere.",
                "The minister took the floor and said that he would return in the spring.",
            ],
        ),
        (
            "Learning",
            [
                "Universities signed exchange agreements with research institutes, "
                "but few of the agreements were fulfilled.",
                "Scholarships brought students to the capital for a degree.",
            ],
        ),
        (
            "Defense",
            [
                "The defense ministers met at the border to discuss the ceasefire.",
                "The public followed the war closely on television every night, in cafés "
                "and in homes across the country, and talked of little else.",
                "The public was divided. The war went on. Few followed it.",
            ],
        ),
    ]
)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(library(DOC))


def first(index: SearchIndex, query: str) -> tuple[int, int] | None:
    hits = index.passages(query, limit=1)
    return (hits[0].section, hits[0].paragraph) if hits else None


def test_words_common_in_the_language_keep_less_of_their_weight() -> None:
    assert commonness("the") < commonness("should") < commonness("universities") == 1.0
    assert commonness("2009") == commonness("3650") == 1.0


def test_question_words_do_not_outweigh_the_topic(index: SearchIndex) -> None:
    # "what" and "should" both sit in § 1 ¶ 1, and are as rare there as
    # "universities"; but the question is about universities.
    assert first(index, "What should universities do?") == (2, 1)


@pytest.mark.parametrize(
    "query",
    [
        "What would you cook for dinner tonight?",
        "what is your favourite movie",
        "how do I reset my password",
    ],
)
def test_off_topic_questions_find_nothing(index: SearchIndex, query: str) -> None:
    assert index.passages(query) == []


def test_a_real_word_is_not_read_as_a_typo_of_another(index: SearchIndex) -> None:
    """ "cook" is not a misspelt "took" (§ 1 ¶ 2), though "minster" is "minister"."""
    assert index.passages("cook") == []
    assert index.quotes("cook") == []
    assert first(index, "minster") is not None


@pytest.mark.parametrize("query", ["defence ministers", "the defence minsters met"])
def test_spelling_variants_are_still_typo_readings(index: SearchIndex, query: str) -> None:
    assert first(index, query) == (3, 1)


def test_a_long_prompt_links_to_the_passage_it_discusses(index: SearchIndex) -> None:
    prompt = (
        "Many universities sign agreements they never fulfil. Why do you think exchange "
        "agreements between institutions so often stay on paper, and what would change that?"
    )
    hits = index.passages(prompt, limit=1)
    assert [(h.section, h.paragraph) for h in hits] == [(2, 1)]
    assert 0.0 <= hits[0].score <= 100.0


def test_words_together_in_one_sentence_beat_the_same_words_scattered(
    index: SearchIndex,
) -> None:
    assert first(index, "How did the public follow the war?") == (3, 2)


def test_a_question_sharing_one_word_gets_the_nearest_passages_marked_weak(
    index: SearchIndex,
) -> None:
    hits = index.passages("What are the best shows on television these days, in your opinion?")
    assert [(h.section, h.paragraph) for h in hits][:1] == [(3, 2)]
    assert not any(h.confident for h in hits)
    assert len(hits) <= 3


def test_a_short_keyword_query_matching_weakly_gets_nothing(index: SearchIndex) -> None:
    # The same words as a question would find § 3 ¶ 2, weakly.
    assert index.passages("television recipes cooking") == []
    assert first(index, "cooking television shows tonight") == (3, 2)


def test_function_and_question_words_never_count_as_content(index: SearchIndex) -> None:
    # Every word here occurs in § 1 ¶ 1 ("how", "should", "what", "they", "would",
    # "there"), but none says what the question is about.
    assert index.passages("How should they, and what would there be?") == []


def test_a_question_finds_other_inflections_of_its_words(index: SearchIndex) -> None:
    hits = index.passages("were the agreements fulfilling their promise")
    assert (hits[0].section, hits[0].paragraph) == (2, 1)
    assert hits[0].confident
    assert first(index, "scholarship") == (2, 2)


SEASONS = document(
    [
        (
            "Seasons",
            [
                "Soldiers marched north in the rain.",
                "Grain sold well in the spring.",
                "The war was long.",
            ],
        )
    ]
)


def test_a_word_bridge_reads_an_absent_word_as_a_word_of_the_text() -> None:
    question = "What happened in the conflict in spring?"
    plain = SearchIndex.build(library(SEASONS))
    assert [h.paragraph for h in plain.passages(question)] == [2]
    bridged = SearchIndex.build(library(SEASONS), bridges={"conflict": {"war"}})
    # "conflict" now reads as "war", but below the literal "spring".
    assert [h.paragraph for h in bridged.passages(question)] == [2, 3]


def test_a_word_the_text_has_is_never_read_through_a_bridge() -> None:
    bridged = SearchIndex.build(library(SEASONS), bridges={"spring": {"soldier"}})
    assert [h.paragraph for h in bridged.passages("spring")] == [2]


FAMILIES = document(
    [
        (
            "Memory",
            [
                "The historical record was kept by the monks.",
                "The town was militarily weak in the spring.",
                "The count of the dead was slow.",
            ],
        )
    ]
)


@pytest.fixture(scope="module")
def families() -> SearchIndex:
    return SearchIndex.build(library(FAMILIES))


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("who wrote down the history of those years", 1),
        ("how strong was the military", 2),
    ],
)
def test_a_question_word_absent_in_every_inflection_finds_its_word_family(
    families: SearchIndex, question: str, paragraph: int
) -> None:
    # "history" → "historical", "military" → "militarily": one root ("histor",
    # "militar") begins both, though neither word begins the other.
    hits = families.passages(question)
    assert [h.paragraph for h in hits][:1] == [paragraph]


def test_a_short_root_does_not_reach_unrelated_words(families: SearchIndex) -> None:
    # "count" begins "country" too: five letters are not a family.
    assert families.passages("which countries took part") == []


def test_the_last_word_of_a_question_is_finished_not_a_prefix(families: SearchIndex) -> None:
    # A keyword may be half-typed ("monk" → "monks"); a question's last word is
    # whole: "who was the man" is not about "many" or "manuscripts".
    assert [h.paragraph for h in families.passages("monk")] == [1]
    doc = document([("A", ["Many came to see.", "A man stood by the gate."])])
    index = SearchIndex.build(library(doc))
    assert [h.paragraph for h in index.passages("who stood there, and who was the man")][:1] == [2]
    assert [h.paragraph for h in index.passages("what did we learn of the man")] == [2]


def test_a_question_sharing_no_word_with_the_text_names_the_absent_words(
    index: SearchIndex,
) -> None:
    question = "What did the soldiers eat in the trenches?"
    assert index.passages(question) == []
    assert index.absent_words(question) == ["soldiers", "eat", "trenches"]
    note = absent_words_note(index.absent_words(question))
    assert "“soldiers”, “eat”, “trenches”" in note


def test_a_keyword_query_or_an_answered_question_has_no_absent_words(
    index: SearchIndex,
) -> None:
    # Keywords that match nothing keep the did-you-mean; a question that found
    # passages (even weakly) was answered.
    assert index.absent_words("soldiers trenches") == []
    assert index.absent_words("What are the best shows on television these days?") == []


def test_a_question_sharing_any_word_of_the_text_is_never_left_empty(
    index: SearchIndex,
) -> None:
    # Every content word of the text, in a question otherwise made of words the
    # text lacks ("essay", "tell", "anyway"), gets passages.
    words = {
        w
        for s in DOC.sections
        for p in s.paragraphs
        for w in terms(p.text, compounds=False)
        if is_content(w)
    }
    empty = [
        w for w in sorted(words) if not index.passages(f"what does the essay tell about {w} anyway")
    ]
    assert empty == []
