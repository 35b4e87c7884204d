"""The vocabulary of the library and how a typed word maps onto it.

A typed word rarely equals a word of the text: it may be misspelt (`turbulance`),
cut short (`turbul`), or an inflection (`protocol` for `protocols`). Each query
word is expanded once into the vocabulary terms it may mean, each with a
similarity in (0, 1]; every ranker then works on term ids and weights, so
the fuzzy part costs one rapidfuzz call per word, not one per passage.
"""

from __future__ import annotations

import bisect
import math
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from bot.core.search.tuning import (
    BRIDGE_SIMILARITY,
    COMMON_FLOOR,
    COMMON_FROM,
    COMMON_TO,
    DERIVATION_SIMILARITY,
    MAX_EXPANSIONS,
    MIN_FUZZY_LEN,
    MIN_FUZZY_PREFIX_LEN,
    MIN_PREFIX_LEN,
    MIN_ROOT_LEN,
    REAL_WORD_ZIPF,
    STEM_SIMILARITY,
    UNKNOWN_WORD_WEIGHT,
)
from bot.core.search.words import is_content, root, stem

# Words whose expansions are remembered.
EXPANSION_CACHE = 4096
# The language whose general word frequencies (wordfreq's Zipf scale: 7 is "the",
# 3 is once per million words) temper what a word is worth.
LANGUAGE = "en"


@lru_cache(maxsize=1 << 14)
def language_frequency(word: str) -> float:
    """How common ``word`` is in the language at large (Zipf scale, 0 if unknown).

    Numbers are never common: "2009" or "3650" names one passage.
    """
    if any(ch.isdigit() for ch in word):
        return 0.0
    return float(zipf_frequency(word, LANGUAGE))


def commonness(word: str) -> float:
    """The share of its idf a word keeps, by its frequency in the language: (0, 1]."""
    zipf = language_frequency(word)
    if zipf <= COMMON_FROM:
        return 1.0
    share = min(1.0, (zipf - COMMON_FROM) / (COMMON_TO - COMMON_FROM))
    return 1.0 - (1.0 - COMMON_FLOOR) * share


@dataclass(frozen=True, slots=True)
class Expansion:
    """A vocabulary term a query word may mean, and how sure we are (0..1]."""

    term: int
    similarity: float


def max_edits(length: int) -> int:
    """Edits tolerated in a word: one up to six letters, two from seven up.

    Two edits in a six-letter word reach other real words too easily
    ("recipe" → "receive").
    """
    if length < MIN_FUZZY_LEN:
        return 0
    return 1 if length < 7 else 2


def _typo_similarity(distance: int, query_len: int, term_len: int) -> float:
    return 1.0 - 0.9 * distance / max(query_len, term_len)


def _prefix_similarity(query_len: int, term_len: int) -> float:
    """A prefix that covers most of the word is nearly the word itself."""
    return 0.55 + 0.4 * query_len / term_len


class Lexicon:
    """Sorted vocabulary, inverse document frequencies and word expansion."""

    def __init__(
        self,
        units: Iterable[list[str]],
        extra_terms: Iterable[str] = (),
        bridges: Mapping[str, Collection[str]] | None = None,
    ) -> None:
        """Build from the term lists of the units that define rarity (sentences).

        ``extra_terms`` (titles, speaker names) join the vocabulary with the
        rarity of a word seen once, so they can be found even if the body never
        uses them. ``bridges`` maps a Snowball stem to the stems of words that
        may mean the same (see ``bridges``): a query word also reads as those.
        """
        self.bridges = bridges
        df: dict[str, int] = {}
        count = 0
        for unit_terms in units:
            count += 1
            for term in set(unit_terms):
                df[term] = df.get(term, 0) + 1
        for term in extra_terms:
            df.setdefault(term, 0)
        self.terms: list[str] = sorted(df)
        self.ids: dict[str, int] = {t: i for i, t in enumerate(self.terms)}
        n = max(count, 1)
        # BM25's idf, always positive: log(1 + (N - df + 0.5) / (df + 0.5)).
        self.idf: npt.NDArray[np.float64] = np.array(
            [math.log(1.0 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in self.terms],
            dtype=np.float64,
        )
        self.max_idf = float(self.idf.max()) if len(self.terms) else 1.0
        # Terms by Snowball stem, so a word finds its other inflections.
        self.stems: dict[str, list[int]] = {}
        for i, term in enumerate(self.terms):
            self.stems.setdefault(stem(term), []).append(i)
        # Terms by root, sorted, so a word finds its derivations by bisection.
        rooted = sorted((root(t), i) for i, t in enumerate(self.terms) if t.isalpha())
        self._roots = [r for r, _ in rooted]
        self._root_terms = [i for _, i in rooted]
        # Truncations of every term, by length, for typo-tolerant prefixes.
        self._heads: dict[int, list[str]] = {}
        self._expansions: OrderedDict[tuple[str, bool], tuple[Expansion, ...]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.terms)

    def _head_list(self, length: int) -> list[str]:
        heads = self._heads.get(length)
        if heads is None:
            heads = [t[:length] for t in self.terms]
            self._heads[length] = heads
        return heads

    def precompute(self, max_prefix: int = 16) -> None:
        """Build the truncated vocabularies now, so no query pays for them."""
        for length in range(MIN_FUZZY_PREFIX_LEN, max_prefix + 1):
            self._head_list(length)

    def _prefixed(self, word: str) -> range:
        lo = bisect.bisect_left(self.terms, word)
        hi = bisect.bisect_left(self.terms, word + "\uffff")
        return range(lo, hi)

    def expand(self, word: str, *, typos: bool = True) -> list[Expansion]:
        """The terms ``word`` may stand for, best first, at most ``MAX_EXPANSIONS``.

        Without ``typos``, a word absent from the text is not read as a
        misspelling of another (a question's "started" is not "stated").
        Memoised (bounded): autocomplete asks again for every earlier word of
        the query at each keystroke, and members ask about the same names.
        """
        key = (word, typos)
        cached = self._expansions.get(key)
        if cached is not None:
            self._expansions.move_to_end(key)
            return list(cached)
        expansions = self._expand(word, typos)
        if len(self._expansions) >= EXPANSION_CACHE:
            self._expansions.popitem(last=False)
        self._expansions[key] = tuple(expansions)
        return expansions

    def clear_cache(self) -> None:
        """Forget memoised expansions (benchmarks use this to time cold queries)."""
        self._expansions.clear()

    def _expand(self, word: str, typos: bool) -> list[Expansion]:
        """Every reading of ``word``, each term at its best similarity, best first.

        In turn: the word itself, its other inflections (same Snowball stem),
        bridged words (only for a word the text lacks in every inflection),
        longer words it begins, and (``typos``, for a word the text lacks) words
        one or two edits away, whole or as a prefix.
        """
        found: dict[int, float] = {}
        exact = self.ids.get(word)
        if exact is not None:
            found[exact] = 1.0
        self._offer(found, self._inflections(word))
        if not found:
            self._offer(found, self._derivations(word))
        self._offer(found, self._prefixes(word, exact))
        if exact is None and typos:
            self._offer(found, self._typos(word))
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return [Expansion(t, s) for t, s in ranked[:MAX_EXPANSIONS]]

    @staticmethod
    def _offer(found: dict[int, float], readings: Iterable[tuple[int, float]]) -> None:
        for term, similarity in readings:
            if similarity > found.get(term, 0.0):
                found[term] = similarity

    def _inflections(self, word: str) -> list[tuple[int, float]]:
        """Terms of the same stem; failing any, the terms a bridge leads to."""
        root = stem(word)
        same = [(t, STEM_SIMILARITY) for t in self.stems.get(root, ())]
        if same or word in self.ids or self.bridges is None or not is_content(word):
            return same
        return [
            (term, BRIDGE_SIMILARITY)
            for related in self.bridges.get(root, ())
            for term in self.stems.get(related, ())
        ]

    def _derivations(self, word: str) -> Iterator[tuple[int, float]]:
        """Terms of the same family: one's root begins the other's ("leader" → "leadership",
        "visitors" → "visits", "history" → "historical").

        Snowball stems inflections only; derivational suffixes change the stem
        but keep its beginning. A root shorter than ``MIN_ROOT_LEN`` begins too
        many unrelated words ("part" → "partnership") to count.
        """
        base = root(word)
        if len(base) < MIN_ROOT_LEN or not word.isalpha() or not is_content(word):
            return
        lo = bisect.bisect_left(self._roots, base)
        hi = bisect.bisect_left(self._roots, base + "\uffff", lo)
        longer = ((i, len(self._roots[i])) for i in range(lo, hi))
        shorter = (
            (i, len(base))
            for n in range(MIN_ROOT_LEN, len(base))
            for i in self._root_range(base[:n])
        )
        for i, _ in (*longer, *shorter):
            term = self._root_terms[i]
            share = min(len(base), len(self._roots[i])) / max(len(base), len(self._roots[i]))
            yield term, DERIVATION_SIMILARITY * (0.5 + 0.5 * share)

    def _root_range(self, base: str) -> range:
        """Positions in the sorted roots whose root is exactly ``base``."""
        lo = bisect.bisect_left(self._roots, base)
        hi = bisect.bisect_right(self._roots, base, lo)
        return range(lo, hi)

    def _prefixes(self, word: str, exact: int | None) -> Iterator[tuple[int, float]]:
        """Longer terms that begin with ``word`` (the member may still be typing)."""
        if len(word) < MIN_PREFIX_LEN and not word.isdigit():
            return
        for term in self._prefixed(word):
            if term == exact:
                continue
            similarity = _prefix_similarity(len(word), len(self.terms[term]))
            if exact is not None and len(self.terms[term]) - len(word) > 2:
                # The word exists as typed, so a longer word starting with it
                # is a guess, not an inflection ("the" → "these").
                similarity *= 0.6
            yield term, similarity

    def _typos(self, word: str) -> Iterator[tuple[int, float]]:
        """Terms one or two edits away, whole or as a prefix, for a word the text lacks.

        A word common in the language keeps its first letter (see ``REAL_WORD_ZIPF``).
        """
        if word.isdigit():
            return
        real_word = language_frequency(word) >= REAL_WORD_ZIPF

        def plausible(term: int) -> bool:
            return not real_word or self.terms[term][:1] == word[:1]

        edits = max_edits(len(word))
        if edits:
            for _, distance, term in process.extract(
                word, self.terms, scorer=OSA.distance, score_cutoff=edits, limit=None
            ):
                if plausible(term):
                    yield term, _typo_similarity(int(distance), len(word), len(self.terms[term]))
        if len(word) >= MIN_FUZZY_PREFIX_LEN:
            for _, distance, term in process.extract(
                word, self._head_list(len(word)), scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                if len(self.terms[term]) > len(word) and plausible(term):
                    similarity = _prefix_similarity(len(word), len(self.terms[term]))
                    yield term, similarity * _typo_similarity(int(distance), len(word), len(word))

    def weight(self, word: str, expansions: list[Expansion]) -> float:
        """What a query word is worth: the idf of the term it most likely means.

        That is the word itself when the text has it, else its closest reading.
        A passage then earns this weight times the similarity of the reading it
        holds, so a misspelt word earns a little less than a correct one and no
        reading can be worth more than the word. A word that matches nothing is
        worth most of the rarest word's idf: it counts against every passage
        alike, so a query of unknown words scores low everywhere. Either way the
        weight is tempered by how common the word is in the language (see
        ``commonness``), so a question's "how" or "what" cannot outweigh its topic.
        """
        return self._rarity(word, expansions) * commonness(word)

    def _rarity(self, word: str, expansions: list[Expansion]) -> float:
        if not expansions:
            return UNKNOWN_WORD_WEIGHT * self.max_idf
        exact = self.ids.get(word)
        if exact is not None:
            return float(self.idf[exact])
        best = max(expansions, key=lambda e: (e.similarity, float(self.idf[e.term])))
        return float(self.idf[best.term])

    def closest(self, word: str, *, cutoff: float = 70.0) -> str | None:
        """The nearest vocabulary term by a looser measure, for did-you-mean."""
        if not self.terms or len(word) < MIN_PREFIX_LEN:
            return None
        match = process.extractOne(word, self.terms, scorer=fuzz.ratio, score_cutoff=cutoff)
        return None if match is None else match[0]
