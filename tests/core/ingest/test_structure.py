"""Pull quotes, column breaks, headings and front matter, on small hand-made extractions."""

from __future__ import annotations

import pytest

from bot.core.ingest import ingest_text
from bot.core.ingest._layout import (
    Line,
    _key,
    find_pull_quotes,
    looks_like_heading,
    parse_lines,
)

# A miniature of the magazine's layout: a two-line title, the author, a drop-capped
# opening, a column break in mid-sentence, a pull quote dropped into a sentence (the
# body resumes in a new frame, a line starting with a space), a heading over two
# lines, and the end mark after the last word.
RAW = """\
 The Little Essay
On Things

Jane Writer

The opening para-
graph starts here

with a drop cap. It goes on for a while and men-
tions a rather remarkable and memorable sentence
about rivers and the sea. This was soon followed

A rather remarkable and
memorable sentence about

rivers and the sea
 by a second thought that ends the paragraph.

Another paragraph begins after a blank line and
runs across a column

break before it ends.

Rivers and
Their Banks

The second section starts with a drop-
capped line and

keeps going to the end of the essay. BD
"""


def test_structure_of_a_miniature() -> None:
    doc = ingest_text(RAW, doc_id="mini")
    assert doc.title == "The Little Essay On Things"
    assert doc.author == "Jane Writer"
    assert [s.title for s in doc.sections] == ["Introduction", "Rivers and Their Banks"]
    intro = [p.text for p in doc.sections[0].paragraphs]
    assert intro == [
        "The opening paragraph starts here with a drop cap. It goes on for a while and mentions "
        "a rather remarkable and memorable sentence about rivers and the sea. This was soon "
        "followed by a second thought that ends the paragraph.",
        "Another paragraph begins after a blank line and runs across a column break "
        "before it ends.",
    ]
    assert [p.text for p in doc.sections[1].paragraphs] == [
        "The second section starts with a drop-capped line and keeps going to the end of the essay."
    ]


def test_pull_quote_is_cut_out_and_linked() -> None:
    doc = ingest_text(RAW, doc_id="mini")
    pulls = [q for q in doc.quotes if q.kind == "pull"]
    assert len(pulls) == 1
    assert pulls[0].text == "A rather remarkable and memorable sentence about rivers and the sea"
    assert (pulls[0].section, pulls[0].paragraph) == (1, 1)
    assert pulls[0].speaker is None


def test_sentences_are_split() -> None:
    doc = ingest_text(RAW, doc_id="mini")
    assert doc.sections[0].paragraphs[0].sentences == (
        "The opening paragraph starts here with a drop cap.",
        "It goes on for a while and mentions a rather remarkable and memorable sentence about "
        "rivers and the sea.",
        "This was soon followed by a second thought that ends the paragraph.",
    )


def test_a_repeated_block_that_continues_a_finished_sentence_is_not_a_pull_quote() -> None:
    # The same 45 letters twice, the second copy a block of its own: but it follows a
    # finished sentence and its own sentence runs on after it ("... remain strong"), so
    # it is running text (a drop-capped opening that repeats earlier words).
    lines = parse_lines(
        "The bilateral ties between the two neighbouring countries\nare strong. More text.\n\n"
        "The bilateral ties between the two neighbouring countries\n\nremain strong today.\n"
    )
    assert len(_key(lines[-2].text)) >= 40
    assert find_pull_quotes(lines) == []


@pytest.mark.parametrize(
    "raw",
    [
        # pdfminer: a blank line after every text box, none with a leading space.
        "It was soon followed\n\nThe bilateral ties between the two neighbouring countries\n\n"
        "by a second thought. The bilateral ties between the two neighbouring countries are "
        "strong.\n",
        # Between two paragraphs.
        "The first paragraph ends here.\n\nThe bilateral ties between the two neighbouring "
        "countries\n\nAnother paragraph says the bilateral ties between the two neighbouring "
        "countries are strong.\n",
        # In the middle of a word.
        "the bilateral ties between the two neigh-\n\nThe bilateral ties between the two "
        "neighbouring countries\n\nbouring countries are strong.\n",
    ],
)
def test_a_repeated_block_set_apart_from_the_running_text_is_a_pull_quote(raw: str) -> None:
    lines = parse_lines(raw)
    (pull,) = find_pull_quotes(lines)
    assert [line.text for line in lines[pull.first : pull.last + 1]] == [
        "The bilateral ties between the two neighbouring countries"
    ]


def test_headings() -> None:
    def block(*texts: str) -> list[Line]:
        return [Line(t, i == 0) for i, t in enumerate(texts)]

    assert looks_like_heading(block("A Period of Turbulence"))
    assert looks_like_heading(block("Educational and Cultural", "Cooperation"))
    assert not looks_like_heading(block("world to its east."))
    assert not looks_like_heading(block("relationship"))
    assert not looks_like_heading(block("The Second Karabakh War", "brought the relationship be-"))
    assert not looks_like_heading(block("While the relationship", "between Azerbaijan and"))
