"""Hand-made documents for the Discord layer's tests, searched by the real ``SearchIndex``.

Small enough that each test can say exactly what the bot shows, realistic enough that
the real ranking gives the answers the tests expect (a quote found by its words, a
section by its title, nothing for a word the text does not contain).
"""

from __future__ import annotations

from bot.core.model import Document, QuoteKind
from tests.core.search.factories import document

TITLE = "A Tale of Two Rivers"
LONG_SENTENCE = "The long sentence goes on and on about the sea and the salt."

RIVER_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Opening Moves",
        [
            "Rivers carry salt to the sea. Nobody asked the river.",
            "A bridge was built of old stones. It still stands.",
        ],
    ),
    ("Harbour Lights", ["Ships came at night. Lamps guided them."]),
]
RIVER_QUOTES: list[tuple[QuoteKind, str | None, str, int, int]] = [
    ("spoken", "Ada Lovell", "Nobody asked the river.", 1, 1),
    ("pull", None, "Lamps guided them.", 2, 1),
]


def make_document() -> Document:
    """Two sections, three paragraphs, a spoken quote and a pull quote."""
    return document(RIVER_SECTIONS, RIVER_QUOTES, title=TITLE)


def long_document() -> Document:
    """The same, plus a section far too long for one embed (~7,000 characters in its ¶ 1)."""
    huge = " ".join([LONG_SENTENCE] * 120)
    rest = [LONG_SENTENCE * 10] * 6  # no space after each full stop: one long sentence
    return document([*RIVER_SECTIONS, ("Deep Water", [huge, *rest])], RIVER_QUOTES, title=TITLE)


def crowded_document(count: int = 30) -> Document:
    """More sections and quotes than Discord lets autocomplete offer, all too long for a choice.

    Every section has a title over 100 characters and a spoken quote of about 150
    that mentions the river, so a search for "riv" finds more than 25 of them.
    """
    sections: list[tuple[str, list[str]]] = []
    quotes: list[tuple[QuoteKind, str | None, str, int, int]] = []
    for n in range(1, count + 1):
        title = f"Crossing number {n}, where the ferrymen of the lower valley" + " wait" * 12
        quote = (
            f"The river at crossing {n} remembers every boat, every flood and every quarrel"
            " of the ferrymen who have worked it since the old bridge fell into the water."
        )
        sections.append((title, [quote]))
        quotes.append(("spoken", f"Ferryman {n}", quote, n, 1))
    return document(sections, quotes, title=TITLE)
