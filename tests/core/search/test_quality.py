"""Search quality on the real essay: the query set's top-1 and top-3 accuracy."""

from __future__ import annotations

import pytest

from bot.core.model import Document, Library
from bot.core.search import SearchIndex, fold
from tests.core.search.queryset import accuracy, ask, load_cases, rank

CASES = load_cases()


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


def test_every_expected_answer_exists_in_the_essay(essay: Document) -> None:
    """Guards the query set itself: an expectation the essay cannot meet is a typo."""
    candidates = [q.text for q in essay.quotes] + [
        s for sec in essay.sections for p in sec.paragraphs for s in p.sentences
    ]
    for case in CASES:
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
