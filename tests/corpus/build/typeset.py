"""A small magazine typesetter on the reportlab canvas, line by line, so every choice is known.

It sets an essay in justified columns, hyphenating with pyphen, with a drop cap,
bold headings (one or two lines), pull quotes in large italics (inside a column, or
straddling a gutter with the body lines of both columns shortened around them),
running heads and page numbers, and an end mark. It records every word it broke at
a line end, which becomes part of the ground truth of the PDF it made.

Not used at test time: ``python -m tests.corpus.build`` runs it once and the PDFs are
committed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyphen
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from tests.corpus.markup import Essay

_HYPHENATOR = pyphen.Pyphen(lang="en_US")
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_LIGATURES = (
    ("ffi", "\ufb03"),
    ("ffl", "\ufb04"),
    ("ff", "\ufb00"),
    ("fi", "\ufb01"),
    ("fl", "\ufb02"),
)

#: The most a word space may grow when justifying, in ems.
MAX_STRETCH = 0.35
#: Without space glyphs an extractor sees only the gap; past about two narrow letters'
#: width (pdfminer's ``char_margin``) it splits the line, so stay well below that.
MAX_GAP_STRETCH = 0.15

Spacing = Literal["tw", "trailing", "none"]
Placement = Literal["inside", "straddle"]


@dataclass(frozen=True, slots=True)
class Fonts:
    body: str
    italic: str
    bold: str


STANDARD = Fonts("Times-Roman", "Times-Italic", "Times-Bold")
SANS = Fonts("Helvetica", "Helvetica-Oblique", "Helvetica-Bold")


def _mark_font() -> str:
    """The standard PDF fonts have no ■: the end mark is set in DejaVu Sans, as a magazine
    takes its ornaments from another font."""
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(_DEJAVU / "DejaVuSans.ttf")))
    return "DejaVuSans"


def dejavu() -> Fonts:
    """DejaVu Serif, embedded as subsets: it has the fi/ff ligature glyphs."""
    for name, file in (
        ("DejaVuSerif", "DejaVuSerif.ttf"),
        ("DejaVuSerif-Italic", "DejaVuSerif-Italic.ttf"),
        ("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf"),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(_DEJAVU / file)))
    return Fonts("DejaVuSerif", "DejaVuSerif-Italic", "DejaVuSerif-Bold")


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything that varies between the corpus's reportlab PDFs."""

    columns: int
    fonts: Fonts
    size: float = 9.5
    leading: float = 11.5
    page: tuple[float, float] = (504.0, 684.0)
    margin: float = 40.0
    gutter: float = 14.0
    #: "tw": spaces between words, justified with the word-spacing operator;
    #: "trailing": the same, plus a space after the last word of every full line;
    #: "none": every word drawn on its own, no space glyph anywhere.
    spacing: Spacing = "tw"
    ligatures: bool = False
    paragraph_space: float = 4.0
    indent: float = 10.0
    drop_lines: int = 3
    pulls: tuple[Placement, ...] = ()
    running_head: str = ""
    #: Space between a heading and its text: tight, an extractor takes both as one block.
    heading_space: float = 6.0


@dataclass(frozen=True, slots=True)
class Break:
    """A word split across two lines: as printed (``left`` ends in its hyphen or dash)."""

    word: str
    left: str
    right: str
    section: int
    paragraph: int


@dataclass(slots=True)
class _Obstacle:
    top: float
    bottom: float
    cut_left: float
    cut_right: float


@dataclass(slots=True)
class _Column:
    x: float
    width: float
    top: float
    bottom: float
    y: float
    obstacles: list[_Obstacle] = field(default_factory=list)

    def slot(self, leading: float) -> tuple[float, float, float] | None:
        """The next line's (baseline, x, width), stepping below full-width obstacles."""
        while True:
            base = self.y - leading
            if base < self.bottom:
                return None
            left, right = 0.0, 0.0
            blocked = False
            for ob in self.obstacles:
                if base + leading * 0.8 > ob.bottom and base - leading * 0.25 < ob.top:
                    if ob.cut_left + ob.cut_right >= self.width - 1:
                        self.y = ob.bottom - 2
                        blocked = True
                        break
                    left, right = max(left, ob.cut_left), max(right, ob.cut_right)
            if not blocked:
                return base, self.x + left, self.width - left - right


@dataclass(slots=True)
class _Word:
    text: str
    section: int
    paragraph: int


class Typesetter:
    def __init__(self, essay: Essay, layout: Layout, path: Path) -> None:
        self.essay = essay
        self.layout = layout
        self.canvas = Canvas(str(path), pagesize=layout.page, invariant=1, pageCompression=1)
        self.canvas.setTitle(essay.title)
        self.canvas.setAuthor(essay.author)
        self.canvas.setCreator("essay-bot corpus typesetter (reportlab)")
        self.breaks: list[Break] = []
        self.page_number = 0
        self.columns: list[_Column] = []
        self.current = 0
        self.pull_index = 0

    # --- pages and columns -------------------------------------------------------------

    def _new_page(self, top: float | None = None) -> None:
        lay = self.layout
        if self.page_number:
            self.canvas.showPage()
        self.page_number += 1
        _, height = lay.page
        self.columns = self._columns(top if top is not None else height - lay.margin - 8)
        self.current = 0
        self._furniture()

    def _columns(self, top: float) -> list[_Column]:
        lay = self.layout
        width = lay.page[0]
        col_w = (width - 2 * lay.margin - (lay.columns - 1) * lay.gutter) / lay.columns
        return [
            _Column(lay.margin + i * (col_w + lay.gutter), col_w, top, lay.margin + 6, top)
            for i in range(lay.columns)
        ]

    def _furniture(self) -> None:
        """Running head and page number: on every page but the first, the folio too."""
        lay, c = self.layout, self.canvas
        width, height = lay.page
        c.setFont(lay.fonts.body, 7.5)
        c.drawCentredString(width / 2, lay.margin - 18, str(self.page_number + 40))
        if self.page_number > 1 and lay.running_head:
            c.drawString(lay.margin, height - lay.margin + 6, lay.running_head)
            c.line(lay.margin, height - lay.margin + 2, width - lay.margin, height - lay.margin + 2)

    def _slot(self) -> tuple[float, float, float]:
        while True:
            slot = self.columns[self.current].slot(self.layout.leading)
            if slot is not None:
                return slot
            self._next_column()

    def _next_column(self) -> None:
        if self.current + 1 < len(self.columns):
            self.current += 1
        else:
            self._new_page()

    def _advance(self, base: float) -> None:
        self.columns[self.current].y = base

    # --- text drawing -------------------------------------------------------------------

    def _shape(self, text: str) -> str:
        if not self.layout.ligatures:
            return text
        for plain, glyph in _LIGATURES:
            text = text.replace(plain, glyph)
        return text

    def _width(self, text: str, font: str, size: float) -> float:
        return float(pdfmetrics.stringWidth(self._shape(text), font, size))

    def _draw_line(self, words: list[str], x: float, y: float, width: float, last: bool) -> None:
        lay, c = self.layout, self.canvas
        font, size = lay.fonts.body, lay.size
        if last and len(words) > 1 and words[-1] == self.essay.end_mark:
            self._draw_line(words[:-1], x, y, width, last)
            text = " ".join(words[:-1])
            cursor = x + self._width(text, font, size) + self._width(" ", font, size)
            mark_font = font if font.startswith("DejaVu") else _mark_font()
            c.setFont(mark_font, size)
            c.drawString(cursor, y, words[-1])
            return
        natural = sum(self._width(w, font, size) for w in words)
        space = self._width(" ", font, size)
        gaps = len(words) - 1
        extra = 0.0 if last or gaps == 0 else (width - natural - gaps * space) / gaps
        # A typesetter's maximum word space: a looser line is left short, not stretched.
        extra = min(extra, (MAX_STRETCH if lay.spacing != "none" else MAX_GAP_STRETCH) * size)
        if lay.spacing == "none":
            cursor = x
            for word in words:
                c.setFont(font, size)
                c.drawString(cursor, y, self._shape(word))
                cursor += self._width(word, font, size) + space + extra
            return
        text = " ".join(words)
        if lay.spacing == "trailing" and not last:
            text += " "
        obj = c.beginText(x, y)
        obj.setFont(font, size)
        obj.setWordSpace(extra)
        obj.textOut(self._shape(text))
        c.drawText(obj)

    # --- line breaking ------------------------------------------------------------------

    def _split_options(self, word: str) -> Iterator[tuple[str, str]]:
        """Ways to break ``word`` at a line end, longest first part first."""
        options: list[tuple[str, str]] = []
        for i, ch in enumerate(word[:-1]):
            if ch in "-—" and i >= 1 and word[i + 1].isalnum():
                options.append((word[: i + 1], word[i + 1 :]))
        for start, part in _alpha_runs(word):
            if len(part) < 5:
                continue
            for left, right in _HYPHENATOR.iterate(part):
                if len(left) >= 2 and len(right) >= 3:
                    cut = start + len(left)
                    options.append((word[:cut] + "-", word[cut:]))
        options.sort(key=lambda o: -len(o[0]))
        yield from options

    def _set_paragraph(self, words: list[_Word], first_indent: float, drop: str | None) -> None:
        """Greedy justified lines; a word that overflows is hyphenated if a part fits."""
        lay = self.layout
        queue = [w.text for w in words]
        owner = words[0]
        line_no = 0
        while queue:
            base, x, width = self._slot()
            indent = first_indent if line_no == 0 else 0.0
            if drop is not None and line_no < lay.drop_lines:
                indent = self._drop_width(drop) + 3
                if line_no == 0:
                    self._draw_drop(drop, x, base)
            line: list[str] = []
            avail = width - indent
            while queue:
                candidate = " ".join([*line, queue[0]])
                if self._width(candidate, lay.fonts.body, lay.size) <= avail:
                    line.append(queue.pop(0))
                    continue
                for left, right in self._split_options(queue[0]):
                    trial = " ".join([*line, left])
                    if self._width(trial, lay.fonts.body, lay.size) <= avail:
                        word = queue.pop(0)
                        line.append(left)
                        queue.insert(0, right)
                        self.breaks.append(Break(word, left, right, owner.section, owner.paragraph))
                        break
                break
            if not line:  # a word wider than the line: set it anyway
                line.append(queue.pop(0))
            last = not queue
            self._draw_line(line, x + indent, base, avail, last)
            self._advance(base)
            line_no += 1
            self._maybe_pull(owner, line_no, last)

    def _is_final(self, word: _Word) -> bool:
        last_section = len(self.essay.sections)
        return (word.section, word.paragraph) == (
            last_section,
            len(self.essay.sections[-1].paragraphs),
        )

    def _drop_width(self, letter: str) -> float:
        size = self.layout.leading * self.layout.drop_lines
        return self._width(letter, self.layout.fonts.bold, size)

    def _draw_drop(self, letter: str, x: float, base: float) -> None:
        lay = self.layout
        size = lay.leading * lay.drop_lines
        self.canvas.setFont(lay.fonts.bold, size * 0.95)
        self.canvas.drawString(x, base - lay.leading * (lay.drop_lines - 1), letter)

    # --- headings and pull quotes -------------------------------------------------------

    def _heading(self, title: str) -> None:
        lay = self.layout
        size = lay.size + 2.5
        lines = _wrap(title, lambda t: self._width(t, lay.fonts.bold, size), self.columns[0].width)
        col = self.columns[self.current]
        needed = lay.leading * (len(lines) + 3) + lay.paragraph_space * 2
        if col.y - needed < col.bottom:
            self._next_column()
        col = self.columns[self.current]
        if col.y < col.top - 1:
            col.y -= lay.leading * 0.8
        for text in lines:
            base, x, _ = self._slot()
            self.canvas.setFont(lay.fonts.bold, size)
            self.canvas.drawString(x, base, self._shape(text))
            self._advance(base - 1.5)
        self.columns[self.current].y -= lay.heading_space

    def _maybe_pull(self, word: _Word, line_no: int, last: bool) -> None:
        """Drop the next pull quote into the text three lines into the paragraph it repeats."""
        pulls = self.essay.pull_quotes
        if self.pull_index >= len(pulls) or not (line_no == 3 or (last and line_no < 3)):
            return
        pull = pulls[self.pull_index]
        if (pull.section, pull.paragraph) != (word.section, word.paragraph):
            return
        placement = self.layout.pulls[self.pull_index % len(self.layout.pulls)]
        if placement == "straddle" and self.current + 1 < len(self.columns):
            self._straddle(pull.text)
        else:
            self._inside(pull.text)
        self.pull_index += 1

    def _pull_lines(self, text: str, width: float, size: float) -> list[str]:
        font = self.layout.fonts.italic
        return _wrap(text, lambda t: self._width(t, font, size), width)

    def _draw_pull(self, lines: list[str], x: float, top: float, width: float, size: float) -> None:
        c = self.canvas
        c.setLineWidth(0.8)
        c.line(x, top, x + width, top)
        y = top - size * 1.15
        for text in lines:
            c.setFont(self.layout.fonts.italic, size)
            c.drawString(x, y, self._shape(text))
            y -= size * 1.15
        c.line(x, y + size * 0.6, x + width, y + size * 0.6)

    def _inside(self, text: str) -> None:
        """A pull quote across the current column; at the top of the next if it will not fit."""
        col = self.columns[self.current]
        size = self.layout.size * 1.5
        lines = self._pull_lines(text, col.width, size)
        height = (len(lines) + 1) * size * 1.15 + 6
        if col.y - 4 - height < col.bottom + self.layout.leading * 2:
            self._next_column()
            col = self.columns[self.current]
        top = col.y - 4
        self._draw_pull(lines, col.x, top, col.width, size)
        col.obstacles.append(_Obstacle(top + 2, top - height, col.width, 0.0))

    def _straddle(self, text: str) -> None:
        left, right = self.columns[self.current], self.columns[self.current + 1]
        size = self.layout.size * 1.45
        width = left.width * 0.9
        lines = self._pull_lines(text, width - 8, size)
        height = (len(lines) + 1) * size * 1.15 + 6
        top = left.y - self.layout.leading * 2
        if top - height < left.bottom + self.layout.leading * 2:
            self._inside(text)
            return
        center = left.x + left.width + self.layout.gutter / 2
        x = center - width / 2
        self._draw_pull(lines, x + 4, top, width - 8, size)
        half = width / 2 - self.layout.gutter / 2 + 6
        left.obstacles.append(_Obstacle(top + 4, top - height - 2, 0.0, half))
        right.obstacles.append(_Obstacle(top + 4, top - height - 2, half, 0.0))

    # --- the whole essay ----------------------------------------------------------------

    def _title_block(self) -> float:
        """Title, subtitle and author across the page; returns where the columns start."""
        lay, c, essay = self.layout, self.canvas, self.essay
        width, height = lay.page
        full = width - 2 * lay.margin
        y = height - lay.margin - 20
        for text in _wrap(essay.title, lambda t: self._width(t, lay.fonts.bold, 24), full):
            c.setFont(lay.fonts.bold, 24)
            c.drawString(lay.margin, y, self._shape(text))
            y -= 27
        if essay.subtitle:
            for text in _wrap(essay.subtitle, lambda t: self._width(t, lay.fonts.italic, 13), full):
                c.setFont(lay.fonts.italic, 13)
                c.drawString(lay.margin, y, self._shape(text))
                y -= 16
        y -= 6
        c.setFont(lay.fonts.bold, 10)
        c.drawString(lay.margin, y, self._shape(essay.author))
        return y - 18

    def run(self) -> list[Break]:
        self.page_number = 1
        top = self._title_block()
        self.columns = self._columns(top)
        self._furniture()
        essay = self.essay
        for s_number, section in enumerate(essay.sections, start=1):
            if section.title is not None:
                self._heading(section.title)
            for p_number, text in enumerate(section.paragraphs, start=1):
                words = [_Word(w, s_number, p_number) for w in text.split()]
                if self._is_final(words[0]):
                    words.append(_Word(essay.end_mark, s_number, p_number))
                drop = None
                if s_number == 1 and p_number == 1 and self.layout.drop_lines:
                    drop, rest = _drop_letter(words[0].text)
                    words[0].text = rest
                    if not rest:
                        words.pop(0)
                indent = 0.0 if p_number == 1 else self.layout.indent
                self._set_paragraph(words, indent, drop)
                self.columns[self.current].y -= self.layout.paragraph_space
        self.canvas.showPage()
        self.canvas.save()
        return self.breaks


def _drop_letter(word: str) -> tuple[str, str]:
    """The drop cap: up to and including the first letter (an opening quote goes with it)."""
    for i, ch in enumerate(word):
        if ch.isalnum():
            return word[: i + 1], word[i + 1 :]
    return word, ""


def _alpha_runs(word: str) -> Iterator[tuple[int, str]]:
    for match in re.finditer(r"[A-Za-z]+", word):
        yield match.start(), match.group()


def _wrap(text: str, measure: object, width: float) -> list[str]:
    assert callable(measure)
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and measure(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def typeset(essay: Essay, layout: Layout, path: Path) -> list[Break]:
    return Typesetter(essay, layout, path).run()
