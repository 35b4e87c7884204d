"""Cleaning text that users type, shared by every front end and the prompt store."""

from __future__ import annotations

import re
import unicodedata

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
