"""Folding and tokenising text so that what people type meets what was printed.

Members type without diacritics, in any case, with or without hyphens and
thousands separators. Both the index and every query go through the same
functions here, so `Ataturk` meets `Atatürk`, `cavusoglu` meets `Çavuşoglu`,
`3650` meets `3,650` and `highlevel` meets `High-level`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache
from typing import NamedTuple

# Letters that Unicode decomposition leaves alone (dotless ı, schwa ə, ligatures,
# stroked letters) or that lower() gets wrong for Turkish (İ → i + combining dot).
_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "ə": "e",
        "Ə": "e",
        "ß": "ss",
        "ẞ": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "‐": "-",
        "‑": "-",
    }
)

# A number with thousands separators or a decimal point is one token (3,650 → 3650);
# otherwise a run of letters and digits, optionally joined by apostrophes (Turkey’s)
# or hyphens (High-level), which are expanded into parts below.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’ʼ][^\W_]+)*(?:[-‐‑][^\W_]+(?:['’ʼ][^\W_]+)*)*")
_HYPHEN = re.compile(r"[-‐‑]")
_POSSESSIVE = re.compile(r"'s$")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|s)$")


def fold(text: str) -> str:
    """Lower-case, diacritic-free form of ``text`` used for every comparison."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_SPECIAL).lower()


class Token(NamedTuple):
    """One folded term and where it was found in the original text.

    A named tuple, not a dataclass: previews tokenise whole sentences and a
    tuple is several times cheaper to create.
    """

    term: str
    start: int
    end: int
    # A derived term (a compound's joined form, an ordinal's digits), indexed
    # so that either spelling is found but not itself a word of the text.
    extra: bool = False


@lru_cache(maxsize=1 << 16)
def _word_terms(raw: str) -> tuple[str, ...]:
    """The folded terms of one printed word: itself, or also its digits for ``10th``/``1920s``.

    Cached because a text repeats its words: building an index of a hundred
    essays folds each distinct word once, not every time it occurs.
    """
    word = _POSSESSIVE.sub("", fold(raw)).replace("'", "")
    if not word:
        return ()
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return (word, ordinal.group(1))
    return (word,)


def tokens(text: str) -> list[Token]:
    """Folded tokens of ``text`` with their character spans in ``text``.

    A hyphenated compound yields each part and the joined form too
    (``high-level`` → ``high``, ``level``, ``highlevel``), so either spelling
    finds it; an ordinal also yields its digits (``10th`` → ``10``). Those
    derived tokens are marked ``extra``: queries leave them out, so typing a
    hyphen never demands one in the text.
    """
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        start = match.start()
        if raw[0].isdigit() and re.fullmatch(r"\d+(?:[.,]\d+)+", raw):
            out.append(Token(re.sub(r"[.,]", "", raw), start, match.end()))
            continue
        parts = _HYPHEN.split(raw)
        offset = start
        for part in parts:
            for i, term in enumerate(_word_terms(part)):
                out.append(Token(term, offset, offset + len(part), extra=i > 0))
            offset += len(part) + 1
        if len(parts) > 1 and not any(p.isdigit() for p in parts):
            joined = "".join(t for part in parts for t in _word_terms(part)[:1])
            if joined:
                out.append(Token(joined, start, match.end(), extra=True))
    return out


@lru_cache(maxsize=1 << 16)
def _match_terms(raw: str) -> tuple[tuple[str, bool], ...]:
    """The (term, extra) pairs of one token match, as ``tokens`` would give them."""
    return tuple((t.term, t.extra) for t in tokens(raw))


def analyse(text: str) -> tuple[list[str], str]:
    """``terms(text)`` and ``folded_words(text)`` from one pass over the text.

    The fast path for building an index: no spans, and each distinct printed
    word is analysed once.
    """
    found = [pair for raw in _TOKEN.findall(text) for pair in _match_terms(raw)]
    return [t for t, _ in found], " ".join(t for t, extra in found if not extra)


def find_terms(text: str, wanted: Collection[str]) -> list[Token]:
    """Where the terms in ``wanted`` occur in ``text`` (a compound's whole span).

    Cheaper than ``tokens`` when only a few words matter, as for previews.
    """
    found = []
    for match in _TOKEN.finditer(text):
        for term, _ in _match_terms(match.group()):
            if term in wanted:
                found.append(Token(term, match.start(), match.end()))
                break
    return found


def terms(text: str, *, compounds: bool = True) -> list[str]:
    """Just the folded terms of ``text``, in order; without ``compounds``, no derived terms."""
    return [
        t
        for raw in _TOKEN.findall(text)
        for t, extra in _match_terms(raw)
        if compounds or not extra
    ]


def folded_words(text: str) -> str:
    """``text`` folded to its terms joined by single spaces, for whole-string fuzzy scores."""
    return " ".join(terms(text, compounds=False))
