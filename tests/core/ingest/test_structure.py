"""Pull quotes, column breaks, headings and front matter, on small hand-made extractions."""

from __future__ import annotations

from bot.core.ingest import ingest_text
from bot.core.ingest._layout import Line, find_pull_quotes, looks_like_heading, parse_lines

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
tions a rather remarkable and memorable sentence about rivers and the sea.
This was soon followed

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


def test_a_frame_repeated_without_a_resuming_frame_is_not_a_pull_quote() -> None:
    # The same words twice, but the text after the second copy does not resume in a new
    # frame: that is a repeated drop-cap opening, not a pull quote.
    lines = parse_lines(
        "The bilateral ties between the two countries\nare strong. More text follows here.\n\n"
        "The bilateral ties between the two countries\n\nremain strong today.\n"
    )
    assert find_pull_quotes(lines) == []


def test_headings() -> None:
    def block(*texts: str) -> list[Line]:
        return [Line(t, i == 0) for i, t in enumerate(texts)]

    assert looks_like_heading(block("A Period of Turbulence"))
    assert looks_like_heading(block("Educational and Cultural", "Cooperation"))
    assert not looks_like_heading(block("world to its east."))
    assert not looks_like_heading(block("relationship"))
    assert not looks_like_heading(block("The Second Karabakh War", "brought the relationship be-"))
    assert not looks_like_heading(block("While the relationship", "between Azerbaijan and"))
