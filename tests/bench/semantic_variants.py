"""What the semantic ranker compares a paragraph by, and how it fuses: the variants tried.

Measured only on the question sets tuning may look at (the tuning questions,
the other essays' questions) and the keyword sets, never on the held-out
questions, so this module can be run as often as a change needs. ``semantic``
measures the variant in use (and the one before it) on the held-out set too.

Each variant is a way to cut a paragraph into the passages it is compared by
(beside its best sentence), given to ``SemanticRanker.build``; "rank fusion"
fuses the ranker in use by reciprocal rank instead of lifting the lexical
score. Needs the model of ``make semantic-model``, like ``semantic``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.core.library import load_library
from bot.core.search import SearchIndex
from bot.core.search.semantic import (
    Encoder,
    IndexArray,
    Passages,
    SemanticRanker,
    SemanticUnavailable,
    pairs,
    whole_paragraphs,
)
from tests.bench._common import table
from tests.bench.semantic import MODEL, SEEDS
from tests.core.search.queryset import (
    QUERIES,
    QUESTIONS_TUNING,
    SECOND,
    Accuracy,
    Case,
    load_cases,
    measure,
    other_essays,
)


def sentences(index: SearchIndex) -> tuple[list[str], IndexArray]:
    """Each sentence a passage: a paragraph is as close as its best sentence."""
    return index.sentence_texts(), index.sentence_paragraphs().astype(np.int64)


def threes(index: SearchIndex) -> tuple[list[str], IndexArray]:
    """Every three consecutive sentences of a paragraph (fewer: the paragraph)."""
    texts, owners = [], []
    found = index.sentence_texts()
    bounds = np.searchsorted(
        index.sentence_paragraphs(), np.arange(len(index.paragraph_texts()) + 1)
    )
    for paragraph, text in enumerate(index.paragraph_texts()):
        own = found[bounds[paragraph] : bounds[paragraph + 1]]
        windows = [" ".join(own[i : i + 3]) for i in range(len(own) - 2)] or [text]
        texts.extend(windows)
        owners.extend([paragraph] * len(windows))
    return texts, np.array(owners, dtype=np.int64)


def titled(index: SearchIndex) -> tuple[list[str], IndexArray]:
    """Each paragraph whole, its section's title before it."""
    titles = [s.title for d in index.library.documents for s in d.sections for _ in s.paragraphs]
    texts = [f"{t}. {p}" for t, p in zip(titles, index.paragraph_texts(), strict=True)]
    return texts, np.arange(len(texts), dtype=np.int64)


VARIANTS: list[tuple[str, Passages]] = [
    ("whole paragraph + best sentence (before)", whole_paragraphs),
    ("two sentences in a row + best sentence (used)", pairs),
    ("best sentence alone", sentences),
    ("three sentences in a row + best sentence", threes),
    ("section title + paragraph + best sentence", titled),
]


def _summed(results: Sequence[Accuracy]) -> str:
    total = sum(r.total for r in results)
    top1 = sum(r.top1 for r in results)
    top3 = sum(r.top3 for r in results)
    return f"{top1}/{total} top-1, {top3} top-3"


def run() -> None:
    try:
        encoder = Encoder.load(MODEL)
    except SemanticUnavailable as exc:
        print(f"skipped: {exc}. Convert the model once with `make semantic-model`.")
        return
    seed = SearchIndex.build(load_library(SEEDS))
    libraries: list[tuple[SearchIndex, dict[str, list[Case]]]] = [
        (
            seed,
            {
                "tuning": load_cases(QUESTIONS_TUNING),
                "keywords": load_cases(QUERIES),
                "second": load_cases(SECOND),
            },
        ),
        *((SearchIndex.build(library), {"other": cases}) for library, cases in other_essays()),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        for label, passages in [("lexical only", None), *VARIANTS, ("rank fusion", pairs)]:
            found: dict[str, list[Accuracy]] = {}
            for index, sets in libraries:
                ranker = None
                if passages is not None:
                    ranker = SemanticRanker.build(encoder, index, Path(cache), passages)
                    ranker = replace(ranker, mode="rrf") if label == "rank fusion" else ranker
                index.use_ranker(ranker)
                for name, cases in sets.items():
                    found.setdefault(name, []).append(measure(index, cases))
            rows.append([label, *(_summed(found[n]) for n in ("tuning", "other"))])
            rows[-1].append(
                " ".join(f"{r.top1}/{r.total}" for n in ("keywords", "second") for r in found[n])
            )
    print("/search, all-MiniLM-L6-v2, lift fusion unless named (held-out questions not used)")
    headers = ["passages a paragraph is compared by", "tuning", "other essays", "keyword sets"]
    print(table(headers, rows))
