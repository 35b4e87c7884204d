"""Small real PDFs for the ingest tests, typeset with reportlab the way a magazine is.

``magazine`` sets an essay in justified, hyphenated columns with bold headings, a
pull quote in large italics inside a column, a running head, page numbers and an
end mark; the other helpers make the broken inputs a user might drop in ``seeds/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, FrameBreak, PageTemplate
from reportlab.platypus import Paragraph as Para


@dataclass
class Essay:
    title: str
    author: str
    #: (heading or None, paragraphs)
    sections: list[tuple[str | None, list[str]]]
    #: pull quote text → placed after the paragraph with this index (0-based, overall)
    pulls: dict[int, str] = field(default_factory=dict)
    subtitle: str | None = None


_BODY = ParagraphStyle(
    "body",
    fontName="Times-Roman",
    fontSize=10,
    leading=12.5,
    alignment=TA_JUSTIFY,
    firstLineIndent=12,
    hyphenationLang="en_US",
    embeddedHyphenation=1,
)
_HEAD = ParagraphStyle(
    "head", fontName="Helvetica-Bold", fontSize=11, leading=13, spaceBefore=8, spaceAfter=4
)
_PULL = ParagraphStyle(
    "pull", fontName="Times-Italic", fontSize=15, leading=18, spaceBefore=6, spaceAfter=8
)
_TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=26, leading=30)
_SUBTITLE = ParagraphStyle("subtitle", fontName="Helvetica", fontSize=15, leading=20)
_AUTHOR = ParagraphStyle(
    "author", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8
)


def magazine(essay: Essay, path: Path, *, columns: int = 2, running_head: str = "") -> Path:
    width, height = letter
    margin, gutter = 54.0, 16.0
    column = (width - 2 * margin - (columns - 1) * gutter) / columns

    def furniture(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if running_head:
            canvas.drawString(margin, height - 36, running_head)
        canvas.drawRightString(width - margin, 30, str(doc.page))
        canvas.restoreState()

    def frames(top: float) -> list[Frame]:
        return [
            Frame(margin + i * (column + gutter), margin, column, top - margin, id=f"c{i}")
            for i in range(columns)
        ]

    first = [Frame(margin, height - margin - 130, width - 2 * margin, 130, id="front")]
    template = BaseDocTemplate(str(path), pagesize=letter, title=essay.title)
    template.addPageTemplates(
        [
            PageTemplate("first", first + frames(height - margin - 140), onPage=furniture),
            PageTemplate("rest", frames(height - margin - 10), onPage=furniture),
        ]
    )
    story: list[Flowable] = [Para(essay.title, _TITLE)]
    if essay.subtitle:
        story.append(Para(essay.subtitle, _SUBTITLE))
    story += [Para(f"By {essay.author}", _AUTHOR), FrameBreak()]
    count = 0
    for s_index, (heading, paragraphs) in enumerate(essay.sections):
        if heading:
            story.append(Para(heading, _HEAD))
        for p_index, text in enumerate(paragraphs):
            last = s_index == len(essay.sections) - 1 and p_index == len(paragraphs) - 1
            story.append(Para(text + (" ■" if last else ""), _BODY))
            if count in essay.pulls:
                story.append(Para(essay.pulls[count], _PULL))
            count += 1
    template.build(story)
    return path


def encrypted(path: Path) -> Path:
    canvas = Canvas(str(path), encrypt=StandardEncryption("secret", canPrint=0))
    canvas.drawString(72, 720, "A locked essay that nobody can read without the password.")
    canvas.save()
    return path


def scanned(path: Path) -> Path:
    """Pages that are pictures of text: shapes, no glyphs."""
    canvas = Canvas(str(path))
    for _ in range(2):
        for row in range(40):
            canvas.rect(72, 720 - row * 14, 300 + (row % 5) * 20, 8, fill=1, stroke=0)
        canvas.showPage()
    canvas.save()
    return path


Maker = Callable[[Path], Path]
