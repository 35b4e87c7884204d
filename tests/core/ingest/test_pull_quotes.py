"""Pull quotes and drop caps in extracted text, each rule on a small hand-made case
whichever extractor makes it: short pull quotes that are whole sentences, body copies an
extractor broke with a stray line, and a drop cap set down away from its word."""

from __future__ import annotations

import pytest

from bot.core.ingest import ingest_text
from bot.core.ingest._layout import find_pull_quotes, parse_lines
from bot.core.model import Document

FRONT = "The Little Essay\n\nJane Writer\n\n"


def ingest(body: str) -> Document:
    return ingest_text(FRONT + body, doc_id="t")


def pulls(doc: Document) -> list[str]:
    return [q.text for q in doc.quotes if q.kind == "pull"]


def body(doc: Document) -> list[str]:
    return [p.text for s in doc.sections for p in s.paragraphs]


def cut(raw: str) -> list[str]:
    lines = parse_lines(raw)
    return [" ".join(x.text for x in lines[q.first : q.last + 1]) for q in find_pull_quotes(lines)]


@pytest.mark.parametrize(
    ("before", "after"),
    [("Briefly, we may put it", "in this way."), ("Briefly,", "we may put it in this way.")],
)
def test_a_short_pull_quote_that_is_a_whole_sentence_is_cut(before: str, after: str) -> None:
    # 32 letters: shorter than a repeated phrase must be, but a whole sentence, here
    # and in the body (set inside its own body copy, as pdfminer leaves it, after
    # many of its letters or a few).
    doc = ingest(
        "The first paragraph ends here.\n\n"
        f"Then the second one opens. {before}\n\n"
        "Briefly, we may put it in this way.\n\n"
        f"{after} The rest of the paragraph follows.\n"
    )
    assert pulls(doc) == ["Briefly, we may put it in this way."]
    assert body(doc)[1] == (
        "Then the second one opens. Briefly, we may put it in this way. "
        "The rest of the paragraph follows."
    )


def test_a_short_repeat_that_is_no_sentence_in_the_body_is_running_text() -> None:
    # A line that ends a sentence and repeats earlier words ("Azerbaijanis and Turks"),
    # but in the body those words are part of a longer sentence: not a pull quote.
    raw = (
        "The war helped to bring Azerbaijanis and Turks closer together than before.\n"
        "Later it grew into a collective consciousness among\n"
        "Azerbaijanis and\n"
        "Turks.\n\n"
        "Third, the two countries share an interest.\n"
    )
    assert cut(raw) == []


def test_a_body_copy_broken_by_a_stray_line_still_counts() -> None:
    # The extractor set two words of a later line ("It not") inside the body copy.
    raw = (
        "The first paragraph ends here.\n\n"
        "The greatest success of the Bureau lay in the planting of the free school\n"
        "among all classes in the South.\n\n"
        "The greatest success of the Bureau lay in the planting\n"
        "of the free school among all\n"
        "It not\n"
        "classes in the South.\n"
        "only called the schoolmistresses through.\n"
    )
    assert cut(raw) == [
        "The greatest success of the Bureau lay in the planting of the free school "
        "among all classes in the South."
    ]


def test_a_broken_body_copy_counts_only_for_a_quote_in_a_frame_of_its_own() -> None:
    # As above, but the quote runs straight into the body copy (no gap after it):
    # with a seam and a stray line both to be trusted, it is not taken.
    raw = (
        "The first paragraph ends here.\n\n"
        "The greatest success of the Bureau lay in the planting of the free school\n"
        "among all classes in the South.\n"
        "The greatest success of the Bureau lay in the planting\n"
        "of the free school among all\n"
        "It not\n"
        "classes in the South.\n"
        "only called the schoolmistresses through.\n"
    )
    assert cut(raw) == []


def test_a_word_more_inside_a_line_is_no_copy() -> None:
    # "the [multifaceted] bilateral relationship ...": the essay says it again with a
    # word more, which is prose, not a stray line.
    raw = (
        "The bilateral relationship\n\nbetween Azerbaijan and\n\nTurkey is special.\n\n"
        "In this essay I will analyze the multifaceted bilateral relationship between\n"
        "Azerbaijan and Turkey while focusing on its content.\n"
    )
    assert cut(raw) == []


def test_a_drop_cap_set_down_after_the_lines_beside_it() -> None:
    doc = ingest(
        "his is the story of a hu-\nman heart, the tale of a\nblack boy who many\n\nT\n\n"
        "long years ago began to struggle with life.\n"
    )
    assert body(doc)[0].startswith("This is the story of a human heart")
    assert "many long years" in body(doc)[0]


def test_a_drop_cap_that_is_a_word_of_its_own() -> None:
    doc = ingest(
        "critic once remonstrated with me, saying that jokes\n"
        "are no argument. Men make jokes\n\nA\n\nabout old professors all the same.\n"
    )
    assert body(doc)[0].startswith("A critic once remonstrated")
    assert "Men make jokes about old professors" in body(doc)[0]


def test_a_stray_line_inside_the_body_copy_goes_after_it() -> None:
    # pdfminer split the printed line "classes in the South. It not" and set its end
    # first; the pull quote shows where the copy runs whole, so the paragraph reads on.
    doc = ingest(
        "The first paragraph ends here.\n\n"
        "The greatest success of the Bureau lay in the planting of the free school\n"
        "among all classes in the South.\n\n"
        "The greatest success of the Bureau lay in the planting\n"
        "of the free school among all\n"
        "It not\n"
        "classes in the South.\n"
        "only called the teachers, it built the schools.\n"
    )
    assert body(doc)[1] == (
        "The greatest success of the Bureau lay in the planting of the free school among "
        "all classes in the South. It not only called the teachers, it built the schools."
    )
    assert [(q.section, q.paragraph) for q in doc.quotes if q.kind == "pull"] == [(1, 2)]


@pytest.mark.parametrize(
    "after",
    [
        # Set down before a pull quote: a capitalised word never takes a drop cap.
        "And yet the bias is not really against morals.\n",
        # Set down before a line a column break left without its sentence's start:
        # "T" and "can" make no word, and "T" is no word of its own.
        "can rivers. In effect the tale goes on here.\n",
    ],
)
def test_a_drop_cap_goes_back_past_a_line_it_cannot_open(after: str) -> None:
    doc = ingest(
        "hat capable and ingenious writer has a book.\nIt is about the sea.\n\nT\n\n" + after
    )
    assert body(doc)[0].startswith("That capable and ingenious writer")


def test_a_repeat_that_ends_on_a_word_needing_the_next_is_no_pull_quote() -> None:
    # The essay quotes its own phrase; a text box ends on "Mr.", which no pull quote does.
    raw = (
        "The ballets of the Alhambra, and the fireworks of the Crystal Palace, and Mr.\n"
        "Smith’s articles have their place. Then he wrote that the ballets of the\n\n"
        "Alhambra, and the fireworks of the\nCrystal Palace, and Mr.\n\n"
        "Smith’s articles have their places in life.\n"
    )
    assert cut(raw) == []


# A pull quote that repeats a whole paragraph: both copies are whole blocks that repeat
# the body and stand apart, so only how each is set tells them apart.
_BEFORE = (
    "It was a quiet town by the river, and\n"
    "its people kept the old ways of their\n"
    "fathers, the fields and the mill and\n"
    "the market on the first day of each\n"
    "week, as their fathers had done.\n"
)
_HEADING = "A Way of Putting It Off\n"
_COPY = (
    "Every one of the old customs of the\n"
    "town was a way of putting off the one\n"
    "question of what a good life could be.\n"
)
_NARROW = (
    "Every one of the old\ncustoms of the town\nwas a way of putting\n"
    "off the one question of\nwhat a good life could be.\n"
)
_ACROSS = (
    "Every one of the old customs of the town was a way of putting off the one question\n"
    "of what a good life could be.\n"
)
_AFTER = (
    "They spoke of trade; that was a way of\n"
    "not asking what was good. They spoke\n"
    "of the weather and the price of corn;\n"
    "that too was a way of not asking it.\n"
    "The town went on in this way for years.\n"
)
_QUOTE = (
    "Every one of the old customs of the town was a way of putting off the one question "
    "of what a good life could be."
)


@pytest.mark.parametrize(
    "text",
    [
        # pdfminer: a blank line after every text box, so both copies stand framed;
        # the pull quote is set narrower than the column.
        f"{_BEFORE}\n{_HEADING}\n{_COPY}\n{_NARROW}\n{_AFTER}",
        # pdftotext: the paragraph runs on from its heading, the pull quote into the
        # text after it; neither copy is framed, and again the narrow one is the quote.
        f"{_BEFORE}\n{_HEADING}{_COPY}\n{_NARROW}{_AFTER}",
        # Set across the gutter, ahead of the paragraph: its first line is as wide as
        # two of the column's (as if two lines were pulled into one), so its length
        # tells nothing; but it stands in a frame of its own where the paragraph runs
        # on into the text after it.
        f"{_BEFORE}\n{_HEADING}\n{_ACROSS}\n{_COPY}{_AFTER}",
    ],
    ids=["pdfminer", "pdftotext", "across-the-gutter"],
)
def test_a_pull_quote_repeating_a_whole_paragraph_is_cut_not_the_paragraph(text: str) -> None:
    doc = ingest(text)
    assert pulls(doc) == [_QUOTE]
    assert [s.title for s in doc.sections] == ["Introduction", "A Way of Putting It Off"]
    assert body(doc)[1] == (
        f"{_QUOTE} They spoke of trade; that was a way of not asking what was good. They "
        "spoke of the weather and the price of corn; that too was a way of not asking it. "
        "The town went on in this way for years."
    )
    assert [(q.section, q.paragraph) for q in doc.quotes if q.kind == "pull"] == [(2, 1)]
