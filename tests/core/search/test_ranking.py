"""The seam for other rankers: what the index hands them and how their scores are used."""

from __future__ import annotations

import numpy as np
import pytest

from bot.core.search import SearchIndex
from bot.core.search.corpus import FloatArray
from bot.core.search.ranking import PassageScores, reciprocal_rank_fusion
from bot.core.search.tuning import QUESTION_FLOOR
from tests.core.search.factories import document, library

DOC = document(
    [
        ("Rivers", ["The river floods in spring. Boats wait.", "A bridge crosses the river."]),
        ("Hills", ["Sheep graze on the hills. The river is far.", "Snow covers the hills."]),
    ]
)


class Reverser:
    """A ranker that prefers the paragraphs the lexical ranking likes least."""

    name = "reverser"

    def __init__(self) -> None:
        self.seen: list[PassageScores] = []

    def score(self, lexical: PassageScores) -> FloatArray:
        self.seen.append(lexical)
        return np.where(lexical.paragraphs > 0.0, 100.0 - lexical.paragraphs / 2.0, 0.0)


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex.build(library(DOC))


def test_the_index_names_its_units_in_a_fixed_order(index: SearchIndex) -> None:
    assert index.paragraph_texts()[2] == "Sheep graze on the hills. The river is far."
    assert index.sentence_texts()[:3] == [
        "The river floods in spring.",
        "Boats wait.",
        "A bridge crosses the river.",
    ]
    assert index.sentence_paragraphs().tolist() == [0, 0, 1, 2, 2, 3]


def test_an_attached_ranker_sets_the_order_and_is_named(index: SearchIndex) -> None:
    lexical = [(h.section, h.paragraph) for h in index.passages("river")]
    assert index.ranker_name is None
    ranker = Reverser()
    index.use_ranker(ranker)
    assert index.ranker_name == "reverser"
    reranked = [(h.section, h.paragraph) for h in index.passages("river")]
    assert reranked == lexical[::-1]
    (seen,) = ranker.seen
    assert seen.query == "river"
    assert len(seen.paragraphs) == 4
    assert len(seen.sentences) == 6
    assert seen.sentences[4] > 0.0
    assert seen.sentences[3] == 0.0
    index.use_ranker(None)
    assert [(h.section, h.paragraph) for h in index.passages("river")] == lexical


class Everywhere:
    """A ranker that likes every paragraph, the filtered-out ones too."""

    name = "everywhere"

    def score(self, lexical: PassageScores) -> FloatArray:
        return np.full(len(lexical.paragraphs), 60.0)


def test_a_ranker_cannot_show_paragraphs_outside_the_filter(index: SearchIndex) -> None:
    index.use_ranker(Everywhere())
    assert {h.section for h in index.passages("river", section=2)} == {2}


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    a = np.array([90.0, 80.0, 0.0, 10.0])
    b = np.array([10.0, 80.0, 70.0, 0.0])
    eligible = np.array([True, True, True, True])
    fused = reciprocal_rank_fusion([a, b], eligible)
    assert fused.argmax() == 1
    assert fused[1] == 100.0
    assert fused[0] > fused[2] > fused[3] > 0.0
    assert reciprocal_rank_fusion([a], eligible & np.array([False, True, True, True]))[0] == 0.0


def test_a_query_sharing_no_word_with_the_text_still_reaches_an_attached_ranker(
    index: SearchIndex,
) -> None:
    # A paraphrase may share no word with the text; only a ranker by meaning
    # can answer it, and it must be asked.
    question = "where do the shepherds take their flocks in summer?"
    assert index.passages(question) == []
    index.use_ranker(Everywhere())
    assert len(index.passages(question)) == 4


class Faint:
    """A ranker by meaning that finds one paragraph somewhat like the query, the rest not."""

    name = "faint"

    def __init__(self, score: float) -> None:
        self.level = score

    def score(self, lexical: PassageScores) -> FloatArray:
        scores = np.zeros(len(lexical.paragraphs))
        scores[2] = self.level
        return scores


def test_a_question_sharing_no_word_gets_what_a_ranker_finds_weak_marked(
    index: SearchIndex,
) -> None:
    question = "where do the shepherds take their flocks in summer?"
    index.use_ranker(Faint(QUESTION_FLOOR))
    (hit,) = index.passages(question)
    assert (hit.section, hit.paragraph, hit.confident) == (2, 1, False)
    # A keyword query stays as it was: below the floor, nothing (and a did-you-mean).
    assert index.passages("shepherds flocks") == []
    # Under the question floor the likeness is what any two sentences share: nothing.
    index.use_ranker(Faint(QUESTION_FLOOR - 1.0))
    assert index.passages(question) == []
