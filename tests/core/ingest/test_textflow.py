"""The text path on what other extractors make of a magazine page (each class of damage
on a small hand-made case, whichever extractor makes it)."""

from __future__ import annotations

import pytest

from bot.core.ingest import ingest_text
from bot.core.model import Document

FRONT = "The Little Essay\n\nJane Writer\n\n"


def paragraphs(doc: Document) -> list[str]:
    return [p.text for s in doc.sections for p in s.paragraphs]


def ingest(body: str, front: str = FRONT) -> Document:
    return ingest_text(front + body, doc_id="t")


def test_page_numbers_and_running_heads_between_lines_are_dropped() -> None:
    doc = ingest(
        "The river was com-\n\n113\n\nplicated, and it ran\n\nTHE LITTLE ESSAY\n\n"
        "on for miles. Nobody knew its compli-113 cated source.\n\nIt rose in\n\n"
        "THE LITTLE ESSAY\n\nthe hills.\n"
    )
    assert paragraphs(doc) == [
        "The river was complicated, and it ran on for miles. Nobody knew its complicated source.",
        "It rose in the hills.",
    ]


@pytest.mark.parametrize(
    ("raw", "start"),
    [
        ("T\n\nHE problem of the age was old.\n", "The problem of the age"),
        ("A merican rivers are long.\n", "American rivers"),
        ("A man walked by the river.\n", "A man walked"),
    ],
)
def test_a_drop_cap_goes_back_to_its_word(raw: str, start: str) -> None:
    assert paragraphs(ingest(raw))[0].startswith(start)


@pytest.mark.parametrize(
    "heading",
    [
        "The World in the mid-19th Century",
        "1898: The Birth of the Modern City",
        "“Simple Good Faith”",
        "Immigration under President Fillmore",
    ],
)
def test_headings_need_not_be_strict_title_case(heading: str) -> None:
    doc = ingest(f"An opening paragraph ends here.\n\n{heading}\n\nThe second part begins.\n")
    assert [s.title for s in doc.sections] == ["Introduction", heading]


def test_a_heading_glued_to_its_paragraph_is_split_off() -> None:
    doc = ingest(
        "An opening paragraph that runs over a few lines of\n"
        "text before it ends with a full stop here.\n\n"
        "Rivers and Their Banks\n"
        "The second part begins with a line that is as long\n"
        "as the lines of the body are in this column.\n"
    )
    assert [s.title for s in doc.sections] == ["Introduction", "Rivers and Their Banks"]
    assert doc.sections[1].paragraphs[0].text.startswith("The second part begins")


def test_a_short_line_ends_its_paragraph_without_a_blank_line() -> None:
    doc = ingest(
        "The first paragraph runs on for a line or\n"
        "two and then it ends here.\n"
        "The second paragraph starts on a full line\n"
        "and goes on to its own end in this block.\n"
    )
    assert len(paragraphs(doc)) == 2


def test_a_printed_line_cut_in_two_does_not_end_a_paragraph() -> None:
    doc = ingest(
        "The hospitals were many and they were full\n"
        "and were in operation.\n"
        "In fifty\n"
        "months a great many rations were given out to\n"
        "the people who came to the doors every day.\n"
    )
    assert len(paragraphs(doc)) == 1


def test_the_author_can_close_the_title_block() -> None:
    doc = ingest_text(
        "The Little Essay\nA Subtitle of Some Length, 1861–1872\nJane Q. Writer\n\n"
        "The body begins here.\n",
        doc_id="t",
    )
    assert (doc.title, doc.author) == (
        "The Little Essay A Subtitle of Some Length, 1861–1872",
        "Jane Q. Writer",
    )


def test_ligatures_are_spelt_out_in_title_author_and_text() -> None:
    doc = ingest_text("The ﬁrst Eﬀort\n\nJane Griﬃn\n\nA ﬁne ﬂood.\n", doc_id="t")
    assert (doc.title, doc.author, paragraphs(doc)) == (
        "The first Effort",
        "Jane Griffin",
        ["A fine flood."],
    )


@pytest.mark.parametrize("mark", ["■", "—J.W.", "JW"])
def test_end_marks_are_removed(mark: str) -> None:
    assert paragraphs(ingest(f"The last sentence of the essay. {mark}\n")) == [
        "The last sentence of the essay."
    ]
    assert paragraphs(ingest(f"The last sentence of the essay.\n\n{mark}\n")) == [
        "The last sentence of the essay."
    ]


def test_no_paragraph_break_after_an_abbreviation() -> None:
    doc = ingest("The pamphlet was written by Mr.\n\nFoote, who meant every word.\n")
    assert paragraphs(doc) == ["The pamphlet was written by Mr. Foote, who meant every word."]


def test_two_printed_lines_pulled_into_one_still_end_a_paragraph() -> None:
    # pdftotext undoes "Ne-" / "gro problems of today." by pulling the short last
    # line up onto the long one.
    doc = ingest(
        "The war amendments and the long debates made\n"
        "it all the harder, and the old questions remained\n"
        "the questions of the day; and the amendments made the Negro problems.\n"
        "It is the aim of this essay to study the period\n"
        "of history from the war to the end of the Bureau.\n"
    )
    assert len(paragraphs(doc)) == 2


# --- paragraphs: where the printed indent is lost --------------------------------------
# Lines of a justified column about 46 characters wide; each case gives the evidence
# every extractor keeps (the letters of each line, the gaps, the page furniture) and
# none of one extractor's habits (trailing spaces, blank lines at every frame).

COLUMN = (
    "The river ran for miles across the open plain,\n"
    "and its banks were green with reeds in spring.\n"
    "Every year the water rose and covered the low\n"
    "fields, and the farmers moved their herds away\n"
    "to the hills until the summer came round again.\n"
)


def test_a_sentence_ending_on_a_full_line_goes_on() -> None:
    # "spring." runs to the measure: "Every" would not have fitted after it.
    assert len(paragraphs(ingest(COLUMN))) == 1


def test_a_line_the_next_word_would_have_fitted_on_ends_its_paragraph() -> None:
    doc = ingest(
        "The river ran for miles across the open plain,\n"
        "and its banks were green with reeds.\n"
        "Every year the water rose and covered the low\n"
        "fields, and the farmers moved their herds away\n"
        "to the hills until the summer came round again.\n"
    )
    assert paragraphs(doc)[0].endswith("green with reeds.")
    assert len(paragraphs(doc)) == 2


def test_how_far_a_line_ran_is_read_from_its_letters_not_counted() -> None:
    # Capitals take more room than lower case: this line of 39 characters is as wide as
    # the 46 of the lines around it, so "It" would not have fitted after it.
    doc = ingest(
        "The river ran for miles across the open plain,\n"
        "and its banks were green with reeds in spring,\n"
        "when the farmers met the men who had come from\n"
        "at the NAACP, the CIO, WHO and the WPA.\n"
        "It was a long meeting and it went on into the\n"
        "night, until the summer came round again.\n"
    )
    assert len(paragraphs(doc)) == 1


@pytest.mark.parametrize(
    ("last", "count"),
    [("to the hills until the summer came round again.", 1), ("to the hills.", 2)],
)
def test_at_a_page_break_only_the_length_tells(last: str, count: int) -> None:
    # The page number taken out leaves a gap that is the page's, not the paragraph's.
    doc = ingest(
        "The river ran for miles across the open plain,\n"
        "and its banks were green with reeds in spring.\n"
        "Every year the water rose and covered the low\n"
        f"fields, and the farmers moved their herds away\n{last}\n\n"
        "42\n\n"
        "In those days the town had one street and a\n"
        "church, and the river ran past both of them.\n"
    )
    assert len(paragraphs(doc)) == count


def test_a_gap_a_pull_quote_leaves_is_not_a_paragraph_end() -> None:
    doc = ingest(
        "The river ran for miles across the open plain,\n"
        "and nobody who saw the flood of that spring\n"
        "ever forgot the sound the water made at night.\n\n"
        "Nobody who saw the flood of that spring\n"
        "ever forgot the sound the water made\n\n"
        "Every year the water rose and covered the low\n"
        "fields, and the farmers moved their herds away\n"
        "to the hills until the summer came round again.\n"
    )
    pulls = [q.text for q in doc.quotes if q.kind == "pull"]
    assert pulls == ["Nobody who saw the flood of that spring ever forgot the sound the water made"]
    assert len(paragraphs(doc)) == 1


def test_a_gap_of_the_texts_own_after_a_finished_sentence_ends_the_paragraph() -> None:
    # A new text frame (pdfminer's blank line at every box): the indent that moved the
    # next line out of the frame is a paragraph's.
    doc = ingest(
        "The river ran for miles across the open plain,\n"
        "and its banks were green with reeds in spring.\n\n"
        "Every year the water rose and covered the low\n"
        "fields, and the farmers moved their herds away\n"
        "to the hills until the summer came round again.\n"
    )
    assert len(paragraphs(doc)) == 2


def test_two_pieces_of_one_printed_line_do_not_end_a_paragraph() -> None:
    # An extractor cut "ter. It was rather a choice be-" at the wide space after the
    # full stop; together the pieces are one line of the column.
    doc = ingest(
        "The alternative thus offered the nation was\n"
        "not between full and restricted suffrage; else\n"
        "every sensible man would have chosen the lat-\n"
        "ter.\n"
        "It was rather a choice be-\n"
        "tween suffrage and slavery, after endless blood\n"
        "and gold had flowed to sweep bondage away.\n"
    )
    assert len(paragraphs(doc)) == 1


@pytest.mark.parametrize(
    ("joined", "count"),
    [
        # "con-" / "tempt for it all." pulled up: the second printed line ran short.
        ("felt and feel nothing but indifference and contempt for it all.", 2),
        # Two full printed lines pulled into one (each a little over the measure, as
        # justified lines run): the second ran to the measure, not to a tenth of it.
        (
            "felt and feel nothing but indifference and contempt for all of it, in the "
            "North as well as in the South.",
            1,
        ),
    ],
)
def test_a_line_pulled_up_onto_another_is_read_as_two(joined: str, count: int) -> None:
    # pdftotext undoes a line-end hyphen by pulling the next printed line up.
    doc = ingest(
        "The race was sacrificed in its swaddling clothes\n"
        "on the altar of national integrity; and some\n"
        f"{joined}\n"
        "The passing of a great human institution before\n"
        "its work is done leaves a legacy of striving.\n"
    )
    assert len(paragraphs(doc)) == count


@pytest.mark.parametrize(
    ("joined", "word"),
    [
        # "self-" / "command": pdftotext dropped the compound's hyphen with the break's.
        (
            "an ethical discipline, and for want of selfcommand the nation let it go.",
            "self-command",
        ),
        # "sub-" / "stitution": a word, rightly closed up.
        (
            "an ethical discipline, and for the substitution of a rule let it all go.",
            "substitution",
        ),
        # Not where the printed line ended: left as written.
        (
            "selfcommand, an ethical discipline, and the nation for want of it let go.",
            "selfcommand,",
        ),
    ],
)
def test_a_compound_closed_up_where_a_line_was_pulled_up_gets_its_hyphen(
    joined: str, word: str
) -> None:
    doc = ingest(
        "The race was sacrificed in its swaddling clothes\n"
        "on the altar of national integrity; it wanted\n"
        f"{joined}\n"
        "The passing of a great human institution before\n"
        "its work is done leaves a legacy of striving.\n"
    )
    assert word in paragraphs(doc)[0].split()


def test_where_the_column_widens_a_line_is_not_two_pulled_together() -> None:
    # Lines wrapped around a pull quote, then the full column again: the first wide
    # line is as wide as those after it, so "noonday" is no pulled-up compound.
    doc = ingest(
        "the temptation\n"
        "of Hate, that\n"
        "stood out against\n"
        "the dawn; of\n"
        "Despair, that darkened noonday; and of Doubt,\n"
        "that ever steals along with twilight. Above all\n"
        "you must hear of the vales he crossed, the Val-\n"
        "ley of Humiliation and the Valley of the Shadow\n"
        "of Death, which he walked alone for many years.\n"
    )
    assert "noonday;" in paragraphs(doc)[0].split()
