"""Extracting the corpus PDFs as a new user would, and reading back where words were broken."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path
from typing import Any

from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTTextBox, LTTextLine

from tests.corpus.markup import Essay

_BREAKERS = ("-", "\u2010", "—")


def extract_pdfminer(pdf: Path) -> str:
    """What ``pdf2txt.py`` gives with its defaults (default ``LAParams``)."""
    return extract_text(str(pdf))


def extract_pdftotext(pdf: Path) -> str:
    """Poppler's ``pdftotext`` in its default (reading-order, not ``-layout``) mode."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def _lines(pdf: Path) -> list[list[str]]:
    """The text lines of each text box, in pdfminer's order, ligatures expanded."""
    boxes: list[list[str]] = []
    for page in extract_pages(str(pdf)):
        for element in page:
            if isinstance(element, LTTextBox):
                lines = [
                    unicodedata.normalize("NFKC", line.get_text()).strip()
                    for line in element
                    if isinstance(line, LTTextLine)
                ]
                boxes.append([line for line in lines if line])
    return boxes


_LOOKAHEAD = 8


def _joined(left: str, right: str, words: dict[str, tuple[int, int]]) -> str | None:
    """The truth's word that ``left`` + ``right`` spell, if any: with the added hyphen
    removed, or with a compound's own hyphen (or a dash) kept."""
    if left[:-1] + right in words and left.endswith(("-", "\u2010")):
        return left[:-1] + right
    if left + right in words:
        return left + right
    return None


def find_breaks(essay: Essay, pdf: Path) -> list[dict[str, Any]]:
    """Words a producer we do not control (TeX) broke at a line end, read from its text layer.

    A line ending in a hyphen or dash, joined to the next line's first word, must give a
    word of the truth: with the hyphen removed (a hyphen the typesetter added), or kept
    (a compound broken after its own hyphen, or a break after a dash).
    """
    where: dict[str, tuple[int, int]] = {}
    for s_number, part in enumerate(essay.sections, start=1):
        for p_number, text in enumerate(part.paragraphs, start=1):
            for token in text.split():
                where.setdefault(token, (s_number, p_number))
    found: list[dict[str, Any]] = []
    lines = [line for box in _lines(pdf) for line in box]
    for index, line in enumerate(lines):
        left = line.split()[-1]
        if not left.endswith(_BREAKERS):
            continue
        # The rest is most often on the next line; a pull quote, a running head or a
        # page number can come between.
        for following in lines[index + 1 : index + 1 + _LOOKAHEAD]:
            right = following.split()[0]
            word = _joined(left, right, where)
            if word is not None:
                section, paragraph = where[word]
                found.append(
                    {
                        "word": word,
                        "left": left,
                        "right": right,
                        "section": section,
                        "paragraph": paragraph,
                    }
                )
                break
    return found
