"""Splitting a paragraph into sentences, for quoting and citing one at a time."""

from __future__ import annotations

import re

# A sentence ends at . ? ! (after any closing quotes or brackets) when the next word
# starts like a sentence: a capital, a digit, or an opening quote or bracket.
_BOUNDARY = re.compile(r"(?<=[.?!…])([”’\"')\]]*)\s+(?=[“‘\"'(\[]?[^\W_a-z])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e cf al inc ltd co gen gov sen rep col lt sgt "
    "capt mt ft no vol pp fig ed eds approx dept est jan feb mar apr jun jul aug sep sept "
    "oct nov dec u.s u.k u.n".split()
)


def is_abbreviation(word: str) -> bool:
    """``word`` (without its full stop) is an abbreviation or an initial: "Mr", "U.S", "W"."""
    word = word.casefold()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1))
        before = text[start:end].rsplit(None, 1)[-1] if text[start:end].strip() else ""
        word = before.rstrip(".?!…”’\"')]").lstrip("“‘\"'([").casefold()
        if is_abbreviation(word):
            continue
        spans.append((start, end))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def split_sentences(text: str) -> tuple[str, ...]:
    return tuple(text[a:b].strip() for a, b in sentence_spans(text) if text[a:b].strip())
