"""Reading a PDF's glyphs with pdfminer.six, and refusing what cannot be read.

Only the glyphs are wanted, each with its font, size and position: the layout
analysis is ours (``_pdflayout``), because the evidence it needs (which line is a
heading, a pull quote, a running head) is in the type, not in pdfminer's text boxes.
Skipping pdfminer's own analysis also keeps a ten-page essay well under a second.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTItem, LTPage
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from bot.core.ingest._layout import END_SYMBOLS
from bot.core.ingest._reader import normalize_glyphs
from bot.core.ingest.errors import IngestError

log = logging.getLogger(__name__)

#: Fewer glyphs than this on every page: a scan, or a PDF of pictures of text.
_MIN_GLYPHS = 20
_BOLD_MARKS = ("bold", "black", "heavy", "semibold", "demi", "cmbx", "-bx")
_ITALIC_MARKS = ("ital", "oblique", "cmti", "-it", "slant", "cmsl")


@dataclass(frozen=True, slots=True)
class Glyph:
    text: str
    x0: float
    x1: float
    #: The baseline.
    y: float
    size: float
    font: str


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    width: float
    height: float
    glyphs: tuple[Glyph, ...]


def is_bold(font: str) -> bool:
    name = font.casefold()
    return any(mark in name for mark in _BOLD_MARKS)


def is_italic(font: str) -> bool:
    name = font.casefold()
    return any(mark in name for mark in _ITALIC_MARKS)


def read_pages(path: Path) -> list[Page]:
    """Every page's glyphs, in the order the PDF draws them.

    Raises ``IngestError`` naming the file and the reason: not found, encrypted,
    corrupt or truncated, or no text layer at all (a scan).
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise IngestError(f"{path}: file not found") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF-"):
            raise IngestError(f"{path}: not a PDF file (no %PDF- header)")
        handle.seek(0)
        pages = _parse(handle, path)
    if not pages:
        raise IngestError(f"{path}: the PDF has no pages")
    if all(len(page.glyphs) < _MIN_GLYPHS for page in pages):
        raise IngestError(f"{path}: no text layer: run OCR first")
    return pages


def _parse(handle: BinaryIO, path: Path) -> list[Page]:
    try:
        parser = PDFParser(handle)
        document = PDFDocument(parser)
        return list(_pages(document))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise IngestError(
            f"{path}: the PDF is encrypted and needs a password ({exc.__class__.__name__}); "
            "save an unencrypted copy"
        ) from None
    except IngestError:
        raise
    # pdfminer reports a damaged file through many exception types (its own, and
    # KeyError, TypeError, ValueError, zlib and struct errors from deep inside), so a
    # file that breaks it in any way is reported as damaged rather than as a traceback.
    except Exception as exc:
        log.debug("pdfminer failed on %s", path, exc_info=True)
        raise IngestError(
            f"{path}: the PDF is damaged or truncated and cannot be parsed "
            f"({exc.__class__.__name__}: {exc})"
        ) from None


def _pages(document: PDFDocument) -> Iterator[Page]:
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=None)
    interpreter = PDFPageInterpreter(resources, device)
    for number, pdf_page in enumerate(PDFPage.create_pages(document), start=1):
        interpreter.process_page(pdf_page)
        layout: LTPage = device.get_result()
        x0, y0, x1, y1 = layout.bbox
        glyphs = tuple(_glyphs(layout))
        yield Page(number, x1 - x0, y1 - y0, glyphs)


def _glyphs(item: LTItem) -> Iterator[Glyph]:
    if isinstance(item, LTChar):
        a, b, *_, baseline = item.matrix
        if abs(b) > 0.1 * abs(a) or a <= 0:  # rotated or mirrored text is not running text
            return
        text = normalize_glyphs(item.get_text().replace("\xad", "-"))
        if "dingbat" in item.fontname.casefold():
            text = END_SYMBOLS[0]  # an ornament: the end mark, say, whatever its code
        if text and not text.startswith("(cid:"):
            yield Glyph(text, item.x0, item.x1, baseline, item.size, item.fontname)
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _glyphs(child)
