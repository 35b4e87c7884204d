"""Reader questions: essay-bot's /search against the baselines issue 12 names.

Every method answers a question with its three best paragraphs, judged by the
same rules (``queryset.rank``). A method is a name and a function from a
library to a ranker, so another ranker (the semantic one) adds a row by
adding an entry to ``METHODS``.

Baselines, built here over the same paragraphs and sentences:

- SQLite FTS5 with the Porter tokenizer, the query's content words joined by
  OR, ordered by ``bm25()``;
- plain BM25 (k1 1.2, b 0.75) over Snowball stems of every word, the
  paragraph's score mixed half and half with its best sentence's.

Word bridges (WordNet 3.0 relations, read from Debian's ``wordnet-base`` when
it is installed: ``apt-get install wordnet-base``) are measured as extra rows.
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from unittest.mock import patch

from bot.core.model import Library
from bot.core.search import SearchIndex, lexicon
from bot.core.search.text import terms
from bot.core.search.words import is_content, stem
from tests.bench import _wordnet
from tests.bench._common import ms, percentile
from tests.core.search.queryset import Accuracy, Answer, Case, accuracy, rank

Ranker = Callable[[str], list[Answer]]
# Builds a ranker over a library (the unit of METHODS and BASELINES).
Builder = Callable[[Library], Ranker]


@dataclass(frozen=True, slots=True)
class Place:
    section: int
    paragraph: int
    text: str
    sentences: tuple[str, ...]


def places(library: Library) -> list[Place]:
    return [
        Place(s.number, p.number, p.text, p.sentences or (p.text,))
        for doc in library.documents
        for s in doc.sections
        for p in s.paragraphs
    ]


def _answers(found: Sequence[Place]) -> list[Answer]:
    return [Answer(p.text, "passage", p.section, p.paragraph) for p in found]


def essay_bot(library: Library, bridges: Mapping[str, Collection[str]] | None = None) -> Ranker:
    index = SearchIndex.build(library, bridges)

    def ask(question: str) -> list[Answer]:
        hits = index.passages(question, limit=3)
        return [Answer(h.text, "passage", h.section, h.paragraph) for h in hits]

    return ask


def without_families(library: Library) -> Ranker:
    """essay-bot with word-family readings off, to show what they add."""
    ask = essay_bot(library)

    def asked(question: str) -> list[Answer]:
        with patch.object(lexicon, "DERIVATION_SIMILARITY", 0.0):
            return ask(question)

    return asked


def content_words(question: str) -> list[str]:
    return [w for w in dict.fromkeys(terms(question, compounds=False)) if is_content(w)]


def fts5(library: Library) -> Ranker:
    found = places(library)
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE p USING fts5(body, tokenize='porter unicode61 remove_diacritics 2')"
    )
    db.executemany(
        "INSERT INTO p(rowid, body) VALUES (?, ?)", [(i, p.text) for i, p in enumerate(found)]
    )

    def ask(question: str) -> list[Answer]:
        words = content_words(question)
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = db.execute(
            "SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT 3", (match,)
        ).fetchall()
        return _answers([found[r] for (r,) in rows])

    return ask


class _BM25:
    """Okapi BM25 over Snowball stems of a list of texts."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.docs = [Counter(stem(t) for t in terms(text, compounds=False)) for text in texts]
        lengths = [sum(d.values()) for d in self.docs]
        avg = sum(lengths) / max(len(lengths), 1)
        self.norm = [k1 * (1 - b + b * n / avg) for n in lengths]
        df: Counter[str] = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1 = k1

    def scores(self, stems: Sequence[str]) -> list[float]:
        out = []
        for doc, norm in zip(self.docs, self.norm, strict=True):
            total = 0.0
            for s in stems:
                tf = doc.get(s, 0)
                if tf:
                    total += self.idf[s] * tf * (self.k1 + 1) / (tf + norm)
            out.append(total)
        return out


def plain_bm25(library: Library) -> Ranker:
    found = places(library)
    paragraphs = _BM25([p.text for p in found])
    owner = [i for i, p in enumerate(found) for _ in p.sentences]
    sentences = _BM25([s for p in found for s in p.sentences])

    def ask(question: str) -> list[Answer]:
        stems = [stem(w) for w in content_words(question)]
        by_paragraph = paragraphs.scores(stems)
        best = [0.0] * len(found)
        for i, score in zip(owner, sentences.scores(stems), strict=True):
            best[i] = max(best[i], score)
        top_p = max(by_paragraph, default=0.0) or 1.0
        top_s = max(best, default=0.0) or 1.0
        mixed = [0.5 * p / top_p + 0.5 * s / top_s for p, s in zip(by_paragraph, best, strict=True)]
        order = sorted((i for i, m in enumerate(mixed) if m > 0), key=lambda i: (-mixed[i], i))
        return _answers([found[i] for i in order[:3]])

    return ask


def with_bridges(relations: Collection[str], senses: int) -> Builder:
    """essay-bot with WordNet bridges (see ``_wordnet``) for words the text lacks."""

    def build(library: Library) -> Ranker:
        return essay_bot(library, _wordnet.bridges(relations, senses))

    return build


# The bridges tried for issue 12 (all measured; none shipped: see the report).
BRIDGES = [
    ("synonyms", ("synonym",), 2),
    ("synonyms, hypernyms, hyponyms, similar", ("synonym", "hypernym", "hyponym", "similar"), 1),
    ("co-hyponyms (siblings)", ("sibling",), 2),
]

BASELINES: list[tuple[str, Builder]] = [
    ("SQLite FTS5 bm25 (porter, OR of content words)", fts5),
    ("plain BM25 over Snowball stems (paragraph + best sentence)", plain_bm25),
]

METHODS: list[tuple[str, Builder]] = [
    ("essay-bot, lexical", essay_bot),
    ("essay-bot, lexical without word families (history → historical)", without_families),
    *(
        (f"essay-bot, lexical + WordNet {name}", with_bridges(relations, senses))
        for name, relations, senses in BRIDGES
        if _wordnet.available()
    ),
    *BASELINES,
]


@dataclass(frozen=True, slots=True)
class Measured:
    accuracy: Accuracy
    times: list[float]


def measure(ranker: Ranker, cases: Sequence[Case]) -> Measured:
    """Accuracy (top 3 answers) and seconds per question of one ranker."""
    ranks = []
    times = []
    empty = 0
    for case in cases[:3]:
        ranker(case.query)  # warm-up: first-call costs are start-up, not per query
    for case in cases:
        started = time.perf_counter()
        answers = ranker(case.query)
        times.append(time.perf_counter() - started)
        empty += not answers
        ranks.append(rank(answers, case.expect))
    return Measured(accuracy(cases, ranks, empty), times)


def row(name: str, measured: Measured) -> list[object]:
    a = measured.accuracy
    return [
        name,
        f"{a.top1}/{a.total} {a.top1_rate:6.1%}",
        f"{a.top3}/{a.total} {a.top3_rate:6.1%}",
        f"{a.mrr:.3f}",
        a.empty,
        ms(percentile(measured.times, 50)),
        ms(percentile(measured.times, 99)),
    ]


HEADERS = ["", "top-1", "top-3", "MRR", "empty", "p50", "p99"]
