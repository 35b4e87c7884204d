"""Text rules shared by the core and every front end.

Cleaning what users type; the one truncation rule (``shorten``); quotation
marks that never nest (``quoted``); the one sentence splitter
(``split_sentences``), used by ingest and by every front end that cuts text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_WS = re.compile(r"\s+")


def clean_user_text(raw: str) -> str:
    """Drop invisible and control characters and fold whitespace.

    Zero-width characters and bidi overrides (Unicode category Cf) and control
    characters (Cc) can hide text, reorder it on screen or defeat duplicate checks,
    so none of them survive; line breaks become spaces.
    """
    text = unicodedata.normalize("NFC", raw)
    kept = [
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs")
    ]
    return _WS.sub(" ", "".join(kept)).strip()


# ----------------------------------------------------------------- truncation

ELLIPSIS = "…"
# What a cut may not end on: a dangling comma or dash reads as a mistake.
_TRAILING = " ,;:—–-"


def fold(text: str) -> str:
    """``text`` as compared loosely: no case, no diacritics, punctuation as spaces.

    "Is trust earned?" and "is TRUST — earned" fold alike, and so do "café" and "cafe".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in bare).split())


def shorten(
    text: str,
    width: int,
    *,
    sentences: Sequence[str] | None = None,
    mark: str = ELLIPSIS,
) -> str:
    """``text`` in at most ``width`` characters, marked with ``mark`` where it was cut.

    The one truncation rule of the project. With ``sentences`` (the text's
    sentences, or ``[]`` to split it with ``split_sentences``) the cut falls
    after the last whole sentence that fits, so a quotation stays meaningful;
    otherwise, or when even the first sentence is too long, at the last word
    boundary in the second half of the room (mid-word only for one long word).
    """
    if len(text) <= width:
        return text
    budget = width - len(mark)
    kept = ""
    if sentences is not None:
        for part in sentences or split_sentences(text):
            candidate = f"{kept} {part}" if kept else part
            if len(candidate) > budget:
                break
            kept = candidate
    if not kept:
        head = text[:budget]
        space = head.rfind(" ")
        kept = head[:space] if space > budget // 2 else head
    return kept.rstrip(_TRAILING) + mark


# ----------------------------------------------------------------- quotation marks

_OPENING = "“"
_CLOSING = "”"
_INNER = str.maketrans({_OPENING: "‘", _CLOSING: "’"})


def quoted(text: str) -> str:
    """``text`` between quotation marks that never double up.

    Text that already opens and closes with quotation marks (a sentence that is
    itself a quotation) is shown as it is, not as ““…””; otherwise quotation
    marks inside it become single ones, as a quotation within a quotation is
    written (“he said ‘no’ twice”).
    """
    text = text.strip()
    if text.startswith(_OPENING) and text.endswith(_CLOSING):
        return text
    return _OPENING + text.translate(_INNER) + _CLOSING


# ----------------------------------------------------------------- sentences

# A sentence ends at . ? ! (after any closing quotes or brackets) when the next word
# starts like a sentence: a capital, a digit, or an opening quote or bracket.
_BOUNDARY = re.compile(r"(?<=[.?!…])([”’\"')\]]*)\s+(?=[“‘\"'(\[]?[^\W_a-z])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e cf al inc ltd co gen gov sen rep col lt sgt "
    "capt mt ft no vol pp fig ed eds approx dept est jan feb mar apr jun jul aug sep sept "
    "oct nov dec u.s u.k u.n".split()
)


def is_abbreviation(word: str) -> bool:
    """``word`` (without its full stop) is an abbreviation or an initial: "Mr", "U.S",
    "W". A full stop after it ends no sentence (nor, in the ingest, a paragraph)."""
    word = word.casefold()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in ``text``.

    The one sentence splitter of the project. A sentence never ends inside a
    quotation that closes later in the text: a quotation of several sentences
    is one sentence of the text it is quoted in, so it is never shown cut in
    the middle, with an unbalanced quotation mark.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1))
        before = text[start:end].rsplit(None, 1)[-1] if text[start:end].strip() else ""
        word = before.rstrip(".?!…”’\"')]").lstrip("“‘\"'([")
        if is_abbreviation(word):
            continue
        if _inside_quotation(text, start, end):
            continue
        spans.append((start, end))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _inside_quotation(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` leaves a quotation open that closes later on."""
    piece = text[start:end]
    return piece.count(_OPENING) > piece.count(_CLOSING) and _CLOSING in text[end:]


def split_sentences(text: str) -> tuple[str, ...]:
    """The sentences of ``text`` (see ``sentence_spans``), stripped, none empty."""
    return tuple(text[a:b].strip() for a, b in sentence_spans(text) if text[a:b].strip())
