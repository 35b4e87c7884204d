"""The seam between the lexical ranking of paragraphs and any other ranker.

``SearchIndex.passages`` scores every paragraph lexically into a
``PassageScores``; when a ``PassageRanker`` is attached
(``SearchIndex.use_ranker``), the ranker turns those scores into the final ones
(a semantic ranker embeds the query and fuses its similarities with the
lexical scores, e.g. by ``reciprocal_rank_fusion``). The index then orders,
filters and cites the paragraphs as usual, so a ranker never needs to know
about documents, sections or citations, only about unit numbers:

- paragraph ``i`` is ``SearchIndex.paragraph_texts()[i]``;
- body sentence ``j`` is ``SearchIndex.sentence_texts()[j]`` and belongs to
  paragraph ``SearchIndex.sentence_paragraphs()[j]``.

Both orders are fixed at build time, so a ranker can compute its vectors once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.core.search.corpus import BoolArray, FloatArray

# Reciprocal rank fusion's damping constant, the value of Cormack et al. (2009).
RRF_K = 60.0


@dataclass(frozen=True, slots=True)
class PassageScores:
    """Every paragraph's lexical score for one query (arrays in unit order)."""

    # The query as typed, cleaned (``validate_query``): what a ranker embeds.
    query: str
    # 0..100 per paragraph; 0 where the paragraph holds no query word.
    paragraphs: FloatArray
    # 0..1 per body sentence: the share of the query's weight it holds.
    sentences: FloatArray
    # The paragraphs the caller may be shown (a document or section filter).
    eligible: BoolArray


class PassageRanker(Protocol):
    """Re-scores paragraphs for a query, given their lexical scores."""

    # Shown in /about ("semantic ranker: <name>").
    @property
    def name(self) -> str: ...

    def score(self, lexical: PassageScores) -> FloatArray:
        """The final 0..100 score of every paragraph (same length and order).

        Paragraphs scored 0 are not shown; the index applies its score floor and
        its rule that a question is never left empty-handed to these scores.
        """
        ...


def reciprocal_rank_fusion(
    rankings: Sequence[FloatArray], eligible: BoolArray, *, k: float = RRF_K
) -> FloatArray:
    """Fuse several score arrays over the same units by reciprocal rank.

    Each array ranks the eligible units with a score above 0 (ties broken by
    unit number); a unit earns ``1 / (k + rank)`` from each array that ranks it.
    The result is scaled to 0..100, its best unit at 100.
    """
    if not rankings:
        return np.zeros(len(eligible), dtype=np.float64)
    fused = np.zeros(len(rankings[0]), dtype=np.float64)
    for scores in rankings:
        candidates = np.flatnonzero(eligible & (scores > 0.0))
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        fused[order] += 1.0 / (k + np.arange(1, len(order) + 1, dtype=np.float64))
    top = float(fused.max()) if len(fused) else 0.0
    return fused * (100.0 / top) if top > 0.0 else fused
