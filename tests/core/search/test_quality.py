"""Search quality on the real essay: top-1 and top-3 accuracy of the query sets.

The keyword sets (``queries.toml``, ``queries_second.toml``) have both been
tuned against; what they guard is that keyword and name look-ups never get
worse. See ``queryset`` for the question sets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.model import Document, Library
from bot.core.search import SearchIndex, fold
from tests.core.search.queryset import (
    QUESTIONS_HELDOUT,
    QUESTIONS_TUNING,
    SECOND,
    Case,
    accuracy,
    ask,
    load_cases,
    measure,
    other_essays,
    rank,
)

CASES = load_cases()
SECOND_CASES = load_cases(SECOND)
# The second set's top-1 (135 of 136 when it was written): keyword and name
# look-ups must not get worse while questions are tuned for.
SECOND_TOP1 = 0.99


@pytest.fixture(scope="session")
def index(library: Library) -> SearchIndex:
    return SearchIndex.build(library)


def test_query_set_is_large_and_covers_every_command_and_case() -> None:
    assert len(CASES) >= 60
    assert {c.command for c in CASES} == {"quote", "section", "search"}
    assert {"exact", "typo", "no-diacritics", "partial", "reordered", "number", "speaker"} <= {
        c.case for c in CASES
    }
    assert len({(c.command, c.query, c.speaker) for c in CASES}) == len(CASES)


def test_second_set_is_large_and_covers_questions_and_off_topic_text() -> None:
    assert len(SECOND_CASES) >= 80
    assert {c.command for c in SECOND_CASES} == {"quote", "section", "search"}
    assert {"typo", "no-diacritics", "partial", "number", "question", "off-topic"} <= {
        c.case for c in SECOND_CASES
    }
    assert any(c.speaker for c in SECOND_CASES)
    assert len({(c.command, c.query, c.speaker) for c in SECOND_CASES}) == len(SECOND_CASES)


@pytest.mark.parametrize("cases", [CASES, SECOND_CASES], ids=["queries", "second"])
def test_every_expected_answer_exists_in_the_essay(essay: Document, cases: list[Case]) -> None:
    """Guards the query sets themselves: an expectation the essay cannot meet is a typo."""
    candidates = [q.text for q in essay.quotes] + [
        s for sec in essay.sections for p in sec.paragraphs for s in p.sentences
    ]
    for case in cases:
        e = case.expect
        if e.section is not None:
            assert 1 <= e.section <= len(essay.sections), case
        if e.paragraph is not None:
            assert e.section is not None, case
            assert 1 <= e.paragraph <= len(essay.section(e.section).paragraphs), case
        if e.text is not None:
            assert any(fold(e.text) in fold(t) for t in candidates), case


def test_top1_at_least_95_percent_and_top3_all(index: SearchIndex) -> None:
    ranks = [rank(ask(index, case), case.expect) for case in CASES]
    result = accuracy(CASES, ranks)
    assert result.top3 == result.total, "\n".join(result.misses)
    assert result.top1_rate >= 0.95, "\n".join(result.misses)


def test_second_set_top1_holds_and_top3_all(index: SearchIndex) -> None:
    ranks = [rank(ask(index, case), case.expect) for case in SECOND_CASES]
    result = accuracy(SECOND_CASES, ranks)
    assert result.top3 == result.total, "\n".join(result.misses)
    assert result.top1_rate >= SECOND_TOP1, "\n".join(result.misses)


QUESTION_FILES = [QUESTIONS_TUNING, QUESTIONS_HELDOUT]
# The tuning questions' top-1 and top-3 when their constants were set (52 and
# 60 of 70): a guard against losing what the tuning won. The held-out sets
# carry no such bar: they are only measured (make bench).
TUNING_TOP1 = 0.74
TUNING_TOP3 = 0.85


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.stem)
def test_question_sets_name_places_that_exist(essay: Document, path: Path) -> None:
    cases = load_cases(path)
    assert len(cases) >= 60
    assert len({c.query for c in cases}) == len(cases)
    for case in cases:
        assert case.command == "search", case
        for s, p in [(case.expect.section, case.expect.paragraph), *case.expect.also]:
            assert s is not None, case
            assert p is not None, case
            assert 1 <= p <= len(essay.section(s).paragraphs), case


def test_held_out_questions_are_not_tuning_questions() -> None:
    tuning = {fold(c.query) for c in load_cases(QUESTIONS_TUNING)}
    assert not tuning & {fold(c.query) for c in load_cases(QUESTIONS_HELDOUT)}


def test_other_essays_have_ten_questions_each_on_places_that_exist() -> None:
    essays = other_essays()
    assert essays
    for library, cases in essays:
        (doc,) = library.documents
        assert len(cases) >= 10, doc.id
        for case in cases:
            for s, p in [(case.expect.section, case.expect.paragraph), *case.expect.also]:
                assert s is not None, case
                assert p is not None, case
                assert 1 <= p <= len(doc.section(s).paragraphs), case


def test_tuning_questions_keep_what_tuning_won(index: SearchIndex) -> None:
    result = measure(index, load_cases(QUESTIONS_TUNING))
    assert result.top1_rate >= TUNING_TOP1, "\n".join(result.misses)
    assert result.top3_rate >= TUNING_TOP3, "\n".join(result.misses)
