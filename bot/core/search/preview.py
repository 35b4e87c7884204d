"""Cutting long text down to a short preview that still shows why it matched."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.core.search.text import Token, find_terms
from bot.core.text import ELLIPSIS


def trim_around(
    text: str, matched: Collection[str], width: int, spans: Sequence[Token] | None = None
) -> str:
    """At most ``width`` characters of ``text``, centred on the words that matched.

    ``matched`` holds folded terms (as in ``text.tokens``); ``spans``, if
    given, are ``tokens(text)`` computed earlier. The window holding
    the most matched words wins; it is widened evenly on both sides, cut at
    word boundaries and marked with an ellipsis wherever text was dropped.
    """
    text = text.strip()
    if len(text) <= width:
        return text
    hits = find_terms(text, matched) if spans is None else [t for t in spans if t.term in matched]
    budget = width - 2  # room for an ellipsis at each end
    start = 0
    if hits:
        best_count, best_first, best_last = 0, 0, 0
        for i, first in enumerate(hits):
            j = i
            while j + 1 < len(hits) and hits[j + 1].end - first.start <= budget:
                j += 1
            count = len({h.term for h in hits[i : j + 1]})
            if count > best_count:
                best_count, best_first, best_last = count, i, j
        first_start = hits[best_first].start
        span = hits[best_last].end - first_start
        start = max(0, first_start - max(0, budget - span) // 2)
        start = min(start, max(0, len(text) - budget))
        if start > 0:
            # Back up to the start of the word we landed in, or skip past it.
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if space >= 0 and space + 1 <= first_start else start
    end = min(len(text), start + budget)
    if end < len(text):
        space = text.rfind(" ", start, end + 1)
        if space > start:
            end = space
    piece = text[start:end].strip(" ,;:—–-")
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return prefix + piece + suffix
