"""Headings in extracted text that are not in title case: told from running text by their
shape (short lines, standing alone or glued to the paragraph under them), each rule on a
small hand-made case whichever extractor makes it."""

from __future__ import annotations

from bot.core.ingest import ingest_text
from bot.core.ingest._layout import Line, looks_like_heading
from bot.core.model import Document

FRONT = "The Little Essay\n\nJane Writer\n\n"
# Justified body lines of a narrow column, about 45 characters each.
OPENING = (
    "An opening paragraph that runs over a few lines\n"
    "of text in its column before it comes to a stop\n"
    "with a full stop at the end of its last line.\n\n"
)
BODY = (
    "The second part begins with a line that is as\n"
    "long as the lines of the body are in the column,\n"
    "and it goes on for a while before it ends here.\n"
)


def ingest(body: str) -> Document:
    return ingest_text(FRONT + OPENING + body, doc_id="t")


def titles(doc: Document) -> list[str]:
    return [s.title for s in doc.sections]


def block(*texts: str) -> list[Line]:
    return [Line(t, i == 0) for i, t in enumerate(texts)]


def test_a_sentence_case_heading_standing_alone_over_two_lines() -> None:
    doc = ingest("Funny is not the opposite\nof serious\n\n" + BODY)
    assert titles(doc) == ["Introduction", "Funny is not the opposite of serious"]
    assert doc.sections[1].paragraphs[0].text.startswith("The second part begins")


def test_a_lower_case_heading_glued_to_its_paragraph() -> None:
    doc = ingest("a disease of amateurs\n" + BODY)
    assert titles(doc) == ["Introduction", "a disease of amateurs"]
    assert doc.sections[1].paragraphs[0].text.startswith("The second part begins")


def test_a_paragraphs_first_line_short_by_its_indent_is_no_heading() -> None:
    # A first line set in from the margin, ending on a name: short, but not short
    # enough for a heading glued to the lines under it.
    doc = ingest(
        "No one will ever blame the Professor\n"
        "Raleigh, who had to read a sort of funeral\n"
        "oration over his friend at the opening of\n"
        "the exhibition, for speaking of his merits.\n"
    )
    assert titles(doc) == ["The Little Essay"]  # one section: no heading found


def test_a_heading_is_not_glued_to_a_line_cut_short() -> None:
    # A block whose third line is a stub (a pull quote's last words, an extractor's
    # cut): the two lines before it are not a heading over it.
    doc = ingest(
        "Of this lucky contradiction the\n"
        "very incarnation was\n"
        "Whistler.\n"
        "up in the persons and performances of its\n"
        "greatest exponents, who did not see it at all.\n"
    )
    assert titles(doc) == ["The Little Essay"]  # one section: no heading found


def test_sentence_case_needs_the_body_measure_to_compare() -> None:
    heading = block("Funny is not the opposite", "of serious")
    assert looks_like_heading(heading, body_width=45)
    # Without the body's measure (as the pull-quote search asks), only title case.
    assert not looks_like_heading(heading)
    # As long as the body's lines: running text, not a heading.
    assert not looks_like_heading(block("funny is not the opposite of serious and"), 40)
    assert not looks_like_heading(block("funny is not the opposite of serious"), 40)


def test_a_quotation_with_its_speakers_tag_is_no_heading() -> None:
    # A text box of one line, title case by count: a quotation and who says it.
    assert not looks_like_heading(block("“Mr. Whistler,” adds Professor"), 45)
    assert looks_like_heading(block("“Whistler Never Ceased to Be an Artist”"), 45)


def test_a_full_line_right_under_a_heading_is_its_text_not_its_tail() -> None:
    # pdfminer set the section's first line in a text box of its own: title case by
    # count ("He", "Missouri"), but as long as a body line, so not the heading's end.
    doc = ingest(
        "1819: Born with the Missouri\nCompromise\n\n"
        "He was born in the year of the Missouri Compact\n\n"
        "Lay a-dying amid the echoes of the guns of a\n"
        "war far away at sea, and his life was long.\n"
    )
    assert titles(doc) == ["Introduction", "1819: Born with the Missouri Compromise"]
    assert doc.sections[1].paragraphs[0].text.startswith("He was born in the year")


def test_a_heading_broken_into_two_blocks_is_one_heading() -> None:
    doc = ingest("Educational and Cultural\n\nCooperation\n\n" + BODY)
    assert titles(doc) == ["Introduction", "Educational and Cultural Cooperation"]


def test_a_year_alone_on_a_headings_last_line_is_no_page_number() -> None:
    # The page numbers run 41, 42, 43; "1869" stands far from them: the heading's end.
    doc = ingest(
        "41\n\nThe Work of the\nBureau in 1868 and\n1869\n\n"
        + BODY
        + "\n42\n\nMore text follows on the next page here.\n\n43\n"
    )
    assert titles(doc) == ["Introduction", "The Work of the Bureau in 1868 and 1869"]
