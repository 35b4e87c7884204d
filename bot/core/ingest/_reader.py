"""Reading a seed file and refusing what is not an essay's extracted text."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from bot.core.ingest.errors import IngestError


def read_seed(path: Path) -> str:
    """Return the file's text, or raise ``IngestError`` saying what is wrong with it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: file not found") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return decode_seed(data, str(path))


#: Control characters (Unicode category Cc) other than line and page breaks and tabs.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_seed(data: bytes, name: str) -> str:
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise IngestError(f"{name}: looks like a binary file, not extracted text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{name}: not UTF-8 text (byte {exc.start} cannot be decoded); re-save it as UTF-8"
        ) from None
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 200):
        raise IngestError(f"{name}: looks like a binary file, not extracted text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A soft hyphen prints only where a line breaks.
    text = text.replace("\xad\n", "-\n").replace("\xad", "")
    return normalize_glyphs(text)


#: Typesetters' ligature glyphs, as the letters they stand for (some producers'
#: extractions keep them: "ﬁrst", "eﬀort", also in a title or an author's name).
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)


def normalize_glyphs(text: str) -> str:
    """NFC, with ligature glyphs spelt out."""
    return unicodedata.normalize("NFC", text.translate(_LIGATURES))
