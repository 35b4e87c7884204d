"""The shared text rules: one truncation, one sentence splitter, quotation marks that never nest."""

from __future__ import annotations

import pytest

from bot.core.model import Document
from bot.core.text import ELLIPSIS, quoted, shorten, split_sentences

LONG = (
    "In the opening years nothing much happened and the chronicle records mostly weather, "
    "harvests and the comings and goings of merchants, until at last the Zurich Protocols were "
    "signed in October and everything changed for the two neighbouring countries involved."
)


def test_short_text_is_left_alone() -> None:
    assert shorten("short", 10) == "short"


def test_a_cut_falls_on_a_word_boundary_and_is_marked() -> None:
    cut = shorten(LONG, 40)
    assert len(cut) <= 40
    assert cut.endswith(ELLIPSIS)
    assert LONG.startswith(cut[: -len(ELLIPSIS)])
    assert LONG[len(cut) - len(ELLIPSIS)] == " "


def test_a_cut_never_ends_on_a_comma() -> None:
    assert shorten("harvests and weather, and more words here", 23) == "harvests and weather…"


def test_a_cut_by_sentence_keeps_whole_sentences() -> None:
    text = "First one here. Second one follows. Third is long enough to overflow."
    assert shorten(text, 40, sentences=[]) == "First one here. Second one follows.…"
    assert shorten(text, 12, sentences=[]) == "First one…"


def test_a_cut_without_a_mark_for_machine_use() -> None:
    assert shorten(LONG, 40, mark="") == "In the opening years nothing much"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("The river keeps its own time.", "“The river keeps its own time.”"),
        ("“What must be done? Where?”", "“What must be done? Where?”"),
        ("He said “no” twice.", "“He said ‘no’ twice.”"),
        ("“Hereafter,” he commanded, “none.”", "“Hereafter,” he commanded, “none.”"),
    ],
)
def test_quotation_marks_never_nest(text: str, shown: str) -> None:
    assert quoted(text) == shown
    assert "““" not in quoted(text)
    assert "””" not in quoted(text)


def test_a_sentence_never_ends_inside_a_quotation() -> None:
    text = (
        "Officers kept asking: “What must be done with them? Are we to find food?” "
        "Nobody knew. He wrote “no. Never.” And then left."
    )
    assert split_sentences(text) == (
        "Officers kept asking: “What must be done with them? Are we to find food?”",
        "Nobody knew.",
        "He wrote “no. Never.”",
        "And then left.",
    )


def test_an_unclosed_quotation_mark_does_not_swallow_the_paragraph() -> None:
    assert split_sentences("He said “wait. Then we left. All of us.") == (
        "He said “wait.",
        "Then we left.",
        "All of us.",
    )


def test_no_sentence_of_the_essay_leaves_a_quotation_open(essay: Document) -> None:
    sentences = [s for sec in essay.sections for p in sec.paragraphs for s in p.sentences]
    unbalanced = [s for s in sentences if s.count("“") != s.count("”")]
    assert unbalanced == []
