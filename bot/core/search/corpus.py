"""One ranked collection (sentences and quotes, paragraphs, sections, titles).

Scoring is BM25-style over folded terms, with each query word standing for its
fuzzy expansions (see ``lexicon``), computed with numpy over precomputed
postings so a query touches only the passages that contain one of its words.
Two figures come out per passage, both relative to what the query could at best
earn (for a long question, to what its few weightiest words earn: see
``Query.needed``), so they read the same whatever the query's length:

- coverage: the idf-weighted share of the query words found (rare words count
  more, a typo or a prefix counts a little less than the word itself); it may
  exceed 1 for a long question, which only the shown score caps at 100;
- density: the BM25 score over that same maximum, capped at 1, which prefers
  a short passage that holds the words to a long one that mentions them once.

A final, more expensive phrase score (rapidfuzz ``partial_ratio`` on the folded
text) is computed only for the few best candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from bot.core.search.lexicon import Expansion, Lexicon
from bot.core.search.tuning import (
    K1,
    W_COVERAGE,
    W_DENSITY,
    W_FOCUS,
    W_PHRASE,
    B,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Query:
    """A query resolved against the lexicon once, then scored against any corpus."""

    folded: str
    words: tuple[tuple[Expansion, ...], ...]
    weights: tuple[float, ...]
    matched_terms: frozenset[str]
    # 0..1: how much the query says at all. A query of only common words
    # ("the") matches everything equally well, which is no answer.
    specificity: float = 1.0
    # The weight a unit must hold to count as fully covering the query: all of
    # it for a short query; for a long question or prompt, only as much as its
    # weightiest few words weigh (see ``index.ENOUGH_WORDS``). None: all of it.
    enough: float | None = None
    # The query word each entry of ``words`` stands for, as typed (folded).
    words_typed: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return sum(self.weights)

    @property
    def needed(self) -> float:
        """What coverage and density are measured against (never 0)."""
        total = self.total
        if self.enough is not None:
            total = min(total, self.enough)
        return total or 1.0

    @property
    def empty(self) -> bool:
        return not any(self.words)


@dataclass(frozen=True, slots=True)
class Ranked:
    """Candidates of one corpus for one query, best first."""

    units: IntArray
    scores: FloatArray
    coverage: FloatArray
    # Uncapped BM25 over the query's weight: orders hits that tie on score.
    strength: FloatArray


class Corpus:
    """Precomputed postings of one kind of passage."""

    def __init__(self, lexicon: Lexicon, unit_terms: Sequence[list[str]], folded: list[str]):
        self.lexicon = lexicon
        self.size = len(unit_terms)
        self.folded = folded
        lengths = np.array([len(t) for t in unit_terms], dtype=np.int64)
        avgdl = float(lengths.mean()) if self.size else 1.0
        norm = K1 * (1.0 - B + B * lengths / max(avgdl, 1.0))
        # Postings built with numpy: one sort of (term, unit) keys gives every
        # term's units in order and its frequency in each.
        ids = lexicon.ids
        term_ids = np.fromiter(
            (ids[t] for ts in unit_terms for t in ts), dtype=np.int64, count=int(lengths.sum())
        )
        units = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        n = max(self.size, 1)
        keys, counts = np.unique(term_ids * n + units, return_counts=True)
        term_of = keys // n
        unit_of = (keys % n).astype(np.int32)
        tfn = counts * (K1 + 1.0) / (counts + norm[unit_of])
        starts = np.flatnonzero(np.diff(term_of, prepend=-1))
        ends = np.append(starts[1:], len(keys)) if len(keys) else starts
        self.postings: dict[int, tuple[IntArray, FloatArray]] = {
            int(term_of[a]): (unit_of[a:b], tfn[a:b]) for a, b in zip(starts, ends, strict=True)
        }

    def lexical(self, query: Query) -> tuple[FloatArray, FloatArray]:
        """Coverage and BM25 of every unit, both over the query's best possible weight.

        Coverage is 0..1; BM25 may exceed 1 (capped to make density, see the
        module docstring).
        """
        coverage = np.zeros(self.size, dtype=np.float64)
        bm25 = np.zeros(self.size, dtype=np.float64)
        for expansions, word_weight in zip(query.words, query.weights, strict=True):
            postings = [
                (self.postings[e.term], word_weight * e.similarity)
                for e in expansions
                if e.term in self.postings
            ]
            if len(postings) == 1:
                (ids, tfn), weight = postings[0]
                coverage[ids] += weight
                bm25[ids] += weight * tfn
            elif postings:
                # A word counts once per unit, by its best reading there.
                best_c = np.zeros(self.size, dtype=np.float64)
                best_b = np.zeros(self.size, dtype=np.float64)
                for (ids, tfn), weight in postings:
                    best_c[ids] = np.maximum(best_c[ids], weight)
                    best_b[ids] = np.maximum(best_b[ids], weight * tfn)
                coverage += best_c
                bm25 += best_b
        needed = query.needed
        return coverage / needed, bm25 / needed

    def scores(
        self,
        query: Query,
        *,
        mask: BoolArray | None = None,
        keep: int = 30,
        focus: FloatArray | None = None,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Score, coverage and strength of every unit (score 0: not eligible).

        Only the ``keep`` best units by lexical score get the (costlier) phrase
        score; the others are scored without it. ``focus``, if given, is each
        unit's coverage by its best part (see ``W_FOCUS``).
        """
        coverage, strength = self.lexical(query)
        if focus is not None:
            coverage = (1.0 - W_FOCUS) * coverage + W_FOCUS * focus
        density = np.minimum(strength, 1.0)
        lexical = W_COVERAGE * coverage + W_DENSITY * density
        eligible = lexical > 0.0
        if mask is not None:
            eligible &= mask
        scores = np.where(eligible, lexical, 0.0)
        units = np.flatnonzero(eligible)
        if len(units) > keep:
            units = units[np.argpartition(-scores[units], keep - 1)[:keep]]
        scores[units] += W_PHRASE * np.array(
            [fuzz.partial_ratio(query.folded, self.folded[u]) / 100.0 for u in units],
            dtype=np.float64,
        )
        return 100.0 * query.specificity * scores, coverage, strength

    def rank(
        self,
        query: Query,
        *,
        mask: BoolArray | None = None,
        keep: int = 30,
        focus: FloatArray | None = None,
    ) -> Ranked:
        """The ``keep`` best units, re-scored with the phrase score, best first."""
        scores, coverage, strength = self.scores(query, mask=mask, keep=keep, focus=focus)
        return order(scores, coverage, strength, keep)

    def coverage_of(self, query: Query, unit: int) -> float:
        """Coverage of one unit, without scoring the whole corpus."""
        earned = 0.0
        for expansions, word_weight in zip(query.words, query.weights, strict=True):
            best = 0.0
            for e in expansions:
                posting = self.postings.get(e.term)
                if posting is None:
                    continue
                ids = posting[0]
                at = int(np.searchsorted(ids, unit))
                if at < len(ids) and ids[at] == unit:
                    best = max(best, word_weight * e.similarity)
            earned += best
        return earned / query.needed


def order(scores: FloatArray, coverage: FloatArray, strength: FloatArray, keep: int) -> Ranked:
    """The ``keep`` best units with a score above 0, best first.

    Ties are broken by strength (uncapped BM25), then by unit number.
    """
    units = np.flatnonzero(scores > 0.0).astype(np.int32)
    if len(units) > keep:
        units = units[np.argpartition(-scores[units], keep - 1)[:keep]]
    ordered = units[np.lexsort((units, -strength[units], -scores[units]))]
    return Ranked(ordered, scores[ordered], coverage[ordered], strength[ordered])
