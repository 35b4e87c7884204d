"""Folding and tokenising text so that what people type meets what was printed.

Members type without diacritics, in any case, with or without hyphens and
thousands separators. Both the index and every query go through the same
functions here, so `Ataturk` meets `Atatürk`, `cavusoglu` meets `Çavuşoglu`,
`3650` meets `3,650` and `highlevel` meets `High-level`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Token:
    """One folded term and where it was found in the original text."""

    term: str
    start: int
    end: int


def _word_terms(word: str) -> list[str]:
    """The folded terms of one word: itself, or its digits alone for ``10th``/``1920s``."""
    word = _POSSESSIVE.sub("", word).replace("'", "")
    if not word:
        return []
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return [word, ordinal.group(1)]
    return [word]


def tokens(text: str, *, compounds: bool = True) -> list[Token]:
    """Folded tokens of ``text`` with their character spans in ``text``.

    A hyphenated compound yields each part and, when ``compounds`` is set, the
    joined form too (``high-level`` → ``high``, ``level``, ``highlevel``), so
    either spelling finds it. Queries are tokenised without the joined form so
    that typing a hyphen never demands one in the text.
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
            for term in _word_terms(fold(part)):
                out.append(Token(term, offset, offset + len(part)))
            offset += len(part) + 1
        if compounds and len(parts) > 1 and not any(p.isdigit() for p in parts):
            joined = "".join(t for part in parts for t in _word_terms(fold(part))[:1])
            if joined:
                out.append(Token(joined, start, match.end()))
    return out


def terms(text: str, *, compounds: bool = True) -> list[str]:
    """Just the folded terms of ``text``, in order."""
    return [t.term for t in tokens(text, compounds=compounds)]


def folded_words(text: str) -> str:
    """``text`` folded to its terms joined by single spaces, for whole-string fuzzy scores."""
    return " ".join(terms(text, compounds=False))
