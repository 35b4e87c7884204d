"""Line-end hyphenation: each break decided from evidence, never from a list of words."""

from __future__ import annotations

import pytest

from bot.core.ingest._hyphen import Evidence
from bot.core.ingest._layout import join_lines


def evidence(*lines: str) -> Evidence:
    return Evidence.from_lines(lines)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (
            "is special, excep-",
            "tional, and privileged.",
            "is special, exceptional, and privileged.",
        ),
        ("independence of Azer-", "baijan; second,", "independence of Azerbaijan; second,"),
        ("to indicate other- ", "wise. In April", "to indicate otherwise. In April"),
        ("by a more goal- ", "oriented approach", "by a more goal-oriented approach"),
        ("with Armenia in 2008-", "2009. Although", "with Armenia in 2008-2009. Although"),
        ("formation of a well-", "equipped and strong", "formation of a well-equipped and strong"),
        (
            "as well as both nation- and",
            "state-building.",
            "as well as both nation- and state-building.",
        ),
        ("a test for Turkey—", "especially in the", "a test for Turkey—especially in the"),
        ("of Nagorno- ", "Karabakh; prior", "of Nagorno-Karabakh; prior"),
        ("shaping Tur-", "key’s relations", "shaping Turkey’s relations"),
        ("no mention; pri-", "or to their signing", "no mention; prior to their signing"),
        # A break after an em dash: the word after the dash is the one broken.
        ("defence—includ-", "ing the navy", "defence—including the navy"),
        # A name prefix before a capital.
        ("the era of Mc-", "Carthyism began", "the era of McCarthyism began"),
        # A compound broken at one of its own hyphens.
        ("a carrot-", "and-stick policy", "a carrot-and-stick policy"),
        ("the day-to-", "day work", "the day-to-day work"),
        ("the fin-", "de-siècle mood", "the fin-de-siècle mood"),
        ("the mod-", "ern-day state", "the modern-day state"),
        # Two words whose joined form is no word: a compound.
        ("the so-", "called reform", "the so-called reform"),
        ("a would-", "be state", "a would-be state"),
        # A suffix after the break is no word of its own.
        ("media link-", "ages grew", "media linkages grew"),
        # The plural of a word the list knows, though it knows the plural less.
        ("their home-", "towns grew", "their hometowns grew"),
        # A doubled vowel across the break keeps its hyphen.
        ("to re-", "elect him", "to re-elect him"),
    ],
)
def test_breaks_without_other_evidence(left: str, right: str, expected: str) -> None:
    assert join_lines([left, right], evidence()) == expected


def test_the_same_word_elsewhere_decides_a_compound_break() -> None:
    doc = evidence("the Baku-Tbilisi-Kars railway line")
    assert (
        join_lines(["the Baku-Tbili-", "si-Ceyhan pipeline"], doc)
        == "the Baku-Tbilisi-Ceyhan pipeline"
    )


def test_document_spelling_beats_the_word_list() -> None:
    # "intersocietal" is no dictionary word, but the document writes "inter-societal".
    hyphenated = evidence("the state of inter-societal dialogue")
    assert join_lines(["increased inter-", "societal dialogue"], hyphenated) == (
        "increased inter-societal dialogue"
    )
    # A compound the word list would keep hyphenated is joined when the text joins it.
    joined = evidence("a wellrooted habit", "wellrooted again")
    assert join_lines(["is well-", "rooted here"], joined) == "is wellrooted here"


def test_words_on_broken_lines_are_not_counted_as_evidence() -> None:
    doc = Evidence.from_lines(["is special, excep-", "tional, and so on"])
    assert doc.joined["excep"] == 0
    assert doc.joined["tional"] == 0
    assert doc.joined["special"] == 1
