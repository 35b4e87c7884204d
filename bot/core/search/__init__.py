"""Fuzzy, rarity-weighted retrieval of quotes, sections and passages.

``from bot.core.search import SearchIndex`` is all a front end needs; the
submodules split the work: ``text`` (folding, tokens), ``lexicon`` (vocabulary
and typo expansion), ``corpus`` (BM25-style scoring), ``preview`` (trimming),
``hits`` (results and the query rules), ``index`` (the commands).
"""

from bot.core.search.hits import (
    MAX_CHOICE_CHARS,
    MAX_CHOICES,
    MAX_QUERY_CHARS,
    WEAK_MATCH,
    Choice,
    PassageHit,
    QuoteHit,
    SectionHit,
    absent_words_note,
    validate_query,
)
from bot.core.search.index import SearchIndex
from bot.core.search.text import fold
from bot.core.search.tuning import SCORE_FLOOR

__all__ = [
    "MAX_CHOICES",
    "MAX_CHOICE_CHARS",
    "MAX_QUERY_CHARS",
    "SCORE_FLOOR",
    "WEAK_MATCH",
    "Choice",
    "PassageHit",
    "QuoteHit",
    "SearchIndex",
    "SectionHit",
    "absent_words_note",
    "fold",
    "validate_query",
]
