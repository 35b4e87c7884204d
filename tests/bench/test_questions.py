"""The question benchmark's baselines are real rankers, judged like essay-bot."""

from __future__ import annotations

import pytest

from tests.bench import _questions
from tests.core.search.factories import document, library
from tests.core.search.queryset import Case, Expected

LIBRARY = library(
    document(
        [
            ("Rivers", ["The river floods every spring.", "Boats wait for the tide."]),
            ("Hills", ["Sheep graze on the green hills.", "Snow covers the hills in winter."]),
        ]
    )
)


# essay-bot and the baselines (the WordNet rows need Debian's files and seconds to read them).
RANKERS = [_questions.METHODS[0], *_questions.BASELINES]


@pytest.mark.parametrize("build", [b for _, b in RANKERS], ids=[n for n, _ in RANKERS])
def test_every_method_answers_a_question_by_its_words(build: _questions.Builder) -> None:
    ask = build(LIBRARY)
    answers = ask("when does the river flood?")
    assert [(a.section, a.paragraph) for a in answers][:1] == [(1, 1)]
    # Three words in § 1 ¶ 2, one in § 1 ¶ 1: the order is the ranker's, not the text's.
    answers = ask("do the boats wait for the river tide?")
    assert [(a.section, a.paragraph) for a in answers][:1] == [(1, 2)]
    assert ask("what about the xylophone?") == []


def test_measure_counts_ranks_and_empty_answers() -> None:
    cases = [
        Case("search", "where do sheep graze?", "question", Expected(section=2, paragraph=1)),
        Case("search", "is there snow?", "question", Expected(section=1, paragraph=2)),
        Case("search", "any xylophones?", "question", Expected(section=1, paragraph=1)),
    ]
    measured = _questions.measure(_questions.plain_bm25(LIBRARY), cases)
    assert (measured.accuracy.top1, measured.accuracy.top3, measured.accuracy.empty) == (1, 1, 1)
    assert measured.accuracy.mrr == pytest.approx(1 / 3)
    assert len(measured.times) == 3
