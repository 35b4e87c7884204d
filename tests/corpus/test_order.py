"""The fairness judge on small extractions: what an extractor may move (a pull quote, page
furniture, the drop cap's letter) leaves an extraction fair; any words of the running text
out of their place make it unfair, even a few, since no ingest can put them back.

The corpus's small "no" verdicts (a few words each) are of the second kind, each read
by eye: pdfminer cutting a printed line at a wide space and giving its two pieces in the
wrong order ("ter." after "It was rather a choice be-"), a passage of one column set
beside another, pdftotext moving a drop-capped opening word ("T" and "HAT") into a
later line. These tests hold the judge to that.
"""

from __future__ import annotations

from tests.corpus.markup import Essay, PullQuote, TruthSection
from tests.corpus.order import fairness

FIRST = (
    "That river ran for miles across the open plain, and nobody who saw the flood of "
    "that spring ever forgot it. Every year the water rose and covered the fields."
)
SECOND = "The farmers moved their herds away to the hills until the summer came round again."
PULL = "nobody who saw the flood of that spring ever forgot it"
ESSAY = Essay(
    id="river",
    title="The River",
    subtitle=None,
    author="Jane Writer",
    end_mark="■",
    source="-",
    licence="-",
    sections=(TruthSection(None, (FIRST, SECOND)),),
    pull_quotes=(PullQuote(PULL, 1, 1),),
    quotations=(),
)
HEAD = "The River"
FRONT = "The River\n\nJane Writer\n\n"
PRINTED = [
    "T",
    "HAT river ran for miles across the open plain,",
    "and nobody who saw the flood of that spring",
    "ever forgot it. Every year the water rose and",
    "covered the fields.",
    "The farmers moved their herds away to the",
    "hills until the summer came round again. ■",
]


def _fair(lines: list[str]) -> bool:
    return fairness(ESSAY, FRONT + "\n".join(lines) + "\n", HEAD).fair


def test_in_order_is_fair() -> None:
    assert _fair(PRINTED)


def test_pull_quote_furniture_and_drop_cap_may_stand_anywhere() -> None:
    lines = [
        PRINTED[1],
        "and nobody who saw the flood of that spring",
        "ever forgot it. Every year the water rose and",
        "",
        "nobody who saw the flood of that",
        "spring ever forgot it",
        "",
        "covered the fields.",
        "",
        "12",
        "",
        HEAD,
        "",
        "T",
        "",
        *PRINTED[5:],
    ]
    assert _fair(lines)


def test_two_pieces_of_a_printed_line_swapped_are_unfair() -> None:
    # "ever forgot it. Every year the water rose and" given as its second piece first.
    lines = [*PRINTED[:3], "Every year the water rose and", "ever forgot it.", *PRINTED[4:]]
    assert not _fair(lines)


def test_the_drop_capped_word_moved_into_the_text_is_unfair() -> None:
    # The drop cap's letter may stray; the small capitals of its word are running text.
    lines = [
        "river ran for miles across the open plain,",
        PRINTED[2],
        "ever forgot it. Every year the water rose and",
        "",
        "T",
        "",
        "HAT",
        "",
        *PRINTED[4:],
    ]
    assert not _fair(lines)


def test_a_passage_out_of_its_place_is_unfair() -> None:
    lines = [*PRINTED[:2], PRINTED[5], *PRINTED[2:5], PRINTED[6]]
    assert not _fair(lines)
