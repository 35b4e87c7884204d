"""The corpus's essays as plain text with no pull quotes at all, wrapped at several column
widths, plain or cut into text boxes of a few lines (as pdfminer leaves a blank line after
each), with page numbers: the heading and pull-quote rules must find no pull quote in
ordinary prose (the essays repeat their own phrases, as prose does) and no heading that
is not one."""

from __future__ import annotations

import textwrap

import pytest

from bot.core.ingest import ingest_text
from bot.core.ingest._layout import ends_sentence
from tests.corpus import manifest, truth
from tests.corpus.markup import Essay

ESSAYS = sorted({entry["essay"] for entry in manifest()["pdfs"]})
#: (column width in characters, lines per text box or 0 for none); headings wrap a
#: little sooner (larger type).
LAYOUTS = ((34, 0), (45, 0), (60, 0), (30, 3), (34, 3), (34, 11))
HEADING = 0.7


#: Lines per page, and the first page's number (set on a line of its own at the foot).
PAGE = 60
FIRST_PAGE = 41


def rewrapped(essay: Essay, width: int, box: int) -> str:
    parts = [essay.title, "", essay.author, ""]
    count = 0

    def add(line: str) -> None:
        nonlocal count
        parts.append(line)
        count += 1
        if count % PAGE == 0:
            parts.extend(["", str(FIRST_PAGE + count // PAGE), ""])
        elif box and count % box == 0:
            parts.append("")

    for section in essay.sections:
        if section.title:  # a frame of its own
            parts += [*textwrap.wrap(section.title, int(width * HEADING)), ""]
        for paragraph in section.paragraphs:
            for line in textwrap.wrap(paragraph, width, break_on_hyphens=False):
                add(line)
            parts.append("")
    return "\n".join(parts)


def findable(essay: Essay) -> list[str]:
    """The headings a text can show: those after a finished sentence (the corpus cuts
    one paragraph short, mid-sentence, and a heading there reads as running text)."""
    titles = []
    before = ""
    for section in essay.sections:
        if section.title and (not before or ends_sentence(before)):
            titles.append(section.title)
        before = section.paragraphs[-1] if section.paragraphs else before
    return titles


@pytest.mark.parametrize(("width", "box"), LAYOUTS)
@pytest.mark.parametrize("essay_id", ESSAYS)
def test_no_pull_quote_and_no_false_heading_in_plain_prose(
    essay_id: str, width: int, box: int
) -> None:
    essay = truth(essay_id)
    doc = ingest_text(
        rewrapped(essay, width, box),
        doc_id=essay_id,
        meta={"title": essay.title, "subtitle": essay.subtitle},
    )
    assert [q.text for q in doc.quotes if q.kind == "pull"] == []
    titles = [s.title for s in doc.sections]
    assert set(titles) - {"Introduction"} <= {s.title for s in essay.sections}
    assert set(findable(essay)) <= set(titles)
