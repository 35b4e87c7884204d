"""Search latency, build time, memory and accuracy against the naive rapidfuzz baseline.

Three corpora side by side: the essay; a synthetic library of 100 documents
made from the essay's own sentences (deterministically shuffled, about 100×
the text); and, for comparison, the naive baseline the issue names,
``process.extract(query, all_sentences, scorer=fuzz.WRatio, limit=10)``, over
the same sentences. Queries are the quality query set; autocomplete is fed
every prefix a member would type on the way to each query.
"""

from __future__ import annotations

import gc
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import psutil
from rapidfuzz import fuzz, process

from bot.core.library import load_library
from bot.core.model import Document, Library, Paragraph, Quote, Section
from bot.core.search import SearchIndex
from tests.bench import _questions, _wordnet
from tests.bench._common import median, ms, percentile, table
from tests.core.search.queryset import (
    QUESTIONS_HELDOUT,
    QUESTIONS_TUNING,
    SECOND,
    Answer,
    Case,
    accuracy,
    load_cases,
    measure,
    other_essays,
    rank,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LIBRARY_SIZE = 100


@dataclass(frozen=True, slots=True)
class Placed:
    """A sentence of the corpus and where it sits, to judge the baseline's answers."""

    text: str
    section: int
    paragraph: int


def synthetic_library(essay: Document, size: int = LIBRARY_SIZE) -> Library:
    """``size`` documents, each the essay's sentences shuffled into new paragraphs.

    Seeded per document, so every run builds the same library. Sections keep
    the essay's titles (shuffled), quotes are re-homed in random paragraphs.
    """
    sentences = [s for sec in essay.sections for p in sec.paragraphs for s in p.sentences]
    titles = [s.title for s in essay.sections]
    documents = []
    for n in range(size):
        rng = random.Random(n)
        order = sentences[:]
        rng.shuffle(order)
        names = titles[:]
        rng.shuffle(names)
        per_section = len(order) // len(names) + 1
        sections = []
        for s, title in enumerate(names, 1):
            chunk = order[(s - 1) * per_section : s * per_section]
            paragraphs: list[Paragraph] = []
            for p in range(0, len(chunk), 4):
                group = tuple(chunk[p : p + 4])
                paragraphs.append(Paragraph(len(paragraphs) + 1, " ".join(group), group))
            sections.append(Section(s, title, tuple(paragraphs)))
        quotes = []
        for i, q in enumerate(essay.quotes):
            sec = rng.choice(sections)
            para = rng.randint(1, len(sec.paragraphs))
            quotes.append(Quote(f"q{i}", q.kind, q.speaker, q.text, sec.number, para))
        documents.append(
            Document(
                id=f"synthetic-{n:03d}",
                title=f"{essay.title} ({n})",
                subtitle=None,
                author=essay.author,
                sections=tuple(sections),
                quotes=tuple(quotes),
            )
        )
    return Library(tuple(documents))


def placed_sentences(library: Library) -> list[Placed]:
    return [
        Placed(s, sec.number, p.number)
        for doc in library.documents
        for sec in doc.sections
        for p in sec.paragraphs
        for s in p.sentences
    ]


def keystrokes(cases: Sequence[Case]) -> list[str]:
    """What autocomplete sees while each query is typed: every prefix, empty included."""
    out = []
    for case in cases:
        for end in range(0, len(case.query) + 1, 2):
            out.append(case.query[:end])
    return out


def latencies(
    func: Callable[[str], object],
    inputs: Sequence[str],
    rounds: int,
    before: Callable[[str], object] | None = None,
) -> list[float]:
    """Seconds per call; ``before(text)`` runs untimed ahead of each call."""
    for text in inputs[:10]:
        func(text)  # warm-up
    samples = []
    for _ in range(rounds):
        for text in inputs:
            if before is not None:
                before(text)
            started = time.perf_counter()
            func(text)
            samples.append(time.perf_counter() - started)
    return samples


def build_time(library: Library, repeat: int) -> tuple[float, SearchIndex]:
    times = []
    index = None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        index = SearchIndex.build(library)
        times.append(time.perf_counter() - started)
    assert index is not None
    return median(times), index


def baseline_answer(corpus: Sequence[Placed], texts: Sequence[str], case: Case) -> list[Answer]:
    """The naive baseline's answers, judged like ours (it knows no quotes, kinds or speakers)."""
    found = process.extract(case.query, texts, scorer=fuzz.WRatio, limit=10)
    answers = []
    seen: set[tuple[int, int | None]] = set()
    for _, _, i in found:
        placed = corpus[i]
        if case.command == "section":
            key: tuple[int, int | None] = (placed.section, None)
            if key in seen:
                continue
            seen.add(key)
            answers.append(Answer(None, None, placed.section, None))
        elif case.command == "search":
            key = (placed.section, placed.paragraph)
            if key in seen:
                continue
            seen.add(key)
            answers.append(Answer(placed.text, "passage", placed.section, placed.paragraph))
        else:
            answers.append(Answer(placed.text, None, placed.section, placed.paragraph))
    return answers[:3]


def _kindless(case: Case) -> Case:
    """The baseline cannot tell a quote from a sentence: judge it on the words only."""
    return replace(case, expect=replace(case.expect, kind=None))


def _timings(index: SearchIndex, cases: Sequence[Case], rounds: int) -> dict[str, list[float]]:
    """Latency samples of each command and each autocomplete on ``index``."""
    speaker = {c.query: c.speaker for c in cases if c.command == "quote"}
    commands: dict[str, Callable[[str], object]] = {
        "quote": lambda q: index.quotes(q, speaker=speaker.get(q)),
        "section": index.sections,
        "search": index.passages,
    }
    # Commands are timed cold (memoised word expansions cleared before each
    # call); autocomplete as typed, the caches cleared when a new query starts.
    cold = lambda _: index.clear_caches()  # noqa: E731
    new_query = lambda text: None if text else index.clear_caches()  # noqa: E731
    out = {
        name: latencies(func, [c.query for c in cases if c.command == name], rounds, cold)
        for name, func in commands.items()
    }
    typed = keystrokes(cases)
    for name in ("quotes", "sections", "speakers"):
        func = getattr(index, f"complete_{name}")
        out[f"complete {name}"] = latencies(func, typed, rounds, new_query)
    return out


def _baseline(library: Library, cases: Sequence[Case]) -> list[float]:
    texts = [p.text for p in placed_sentences(library)]
    return latencies(
        lambda q: process.extract(q, texts, scorer=fuzz.WRatio, limit=10),
        [c.query for c in cases],
        1,
    )


def run() -> None:
    cases = load_cases()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before the run: {load} (this machine is shared: p99 includes its noise)")
    gc.collect()
    proc = psutil.Process(os.getpid())
    rss_start = proc.memory_info().rss

    essay_library = load_library(SEEDS)
    essay_build, essay_index = build_time(essay_library, repeat=5)
    rss_essay = proc.memory_info().rss
    # Timed before the library exists, so the heap is the one-essay bot's.
    essay = _timings(essay_index, cases, rounds=5)
    library = synthetic_library(essay_library.documents[0])
    gc.collect()
    rss_before_library = proc.memory_info().rss
    library_build, library_index = build_time(library, repeat=1)
    gc.collect()
    rss_library = proc.memory_info().rss

    big = _timings(library_index, cases, rounds=1)
    essay["baseline"] = _baseline(essay_library, cases)
    big["baseline"] = _baseline(library, cases)

    def cells(samples: list[float]) -> list[object]:
        return [ms(percentile(samples, 50)), ms(percentile(samples, 99))]

    print("\nLatency per call (autocomplete: every second prefix of every query, as typed)")
    print(
        table(
            ["", "essay p50", "essay p99", "library p50", "library p99"],
            [[name, *cells(essay[name]), *cells(big[name])] for name in essay],
        )
    )

    print("\nBaseline time / ours (> 1: ours is faster)")
    rows = []
    for name in ("quote", "section", "search"):
        row: list[object] = [name]
        for figures in (essay, big):
            for pct in (50, 99):
                base = percentile(figures["baseline"], pct)
                row.append(f"{base / percentile(figures[name], pct):7.1f}x")
        rows.append(row)
    print(table(["", "essay p50", "essay p99", "library p50", "library p99"], rows))

    ours = measure(essay_index, cases)
    second_cases = load_cases(SECOND)
    second = measure(essay_index, second_cases)
    corpus = placed_sentences(essay_library)
    texts = [p.text for p in corpus]
    kindless = [_kindless(c) for c in cases]
    naive = accuracy(
        kindless, [rank(baseline_answer(corpus, texts, c), c.expect) for c in kindless]
    )
    print(
        f"\nKeyword and name look-ups ({ours.total} + {second.total} queries, on the essay; "
        "both sets tuned against; target: top-1 100 %)"
    )
    print(
        table(
            ["", "top-1", "top-3"],
            [
                ["ours, queries.toml", f"{ours.top1_rate:6.1%}", f"{ours.top3_rate:6.1%}"],
                [
                    "ours, queries_second.toml",
                    f"{second.top1_rate:6.1%}",
                    f"{second.top3_rate:6.1%}",
                ],
                [
                    "baseline (WRatio, judged on words only), queries.toml",
                    f"{naive.top1_rate:6.1%}",
                    f"{naive.top3_rate:6.1%}",
                ],
            ],
        )
    )
    questions(essay_library)

    sentences = len(placed_sentences(library))
    mib = 2**20
    print("\nIndex build and resident memory")
    print(
        table(
            ["", "build (median)", "resident memory"],
            [
                [
                    "essay",
                    ms(essay_build),
                    f"+{(rss_essay - rss_start) / mib:6.1f} MiB (ingest+index)",
                ],
                [
                    f"library ({len(library.documents)} docs, {sentences} sentences)",
                    ms(library_build),
                    f"+{(rss_library - rss_before_library) / mib:6.1f} MiB (index)",
                ],
                ["whole process", "", f"{rss_library / mib:7.1f} MiB"],
            ],
        )
    )


def questions(library: Library) -> None:
    """Reader questions (issue 12): every method on the tuning and held-out sets."""
    sets = [
        ("tuning", load_cases(QUESTIONS_TUNING)),
        ("held-out", load_cases(QUESTIONS_HELDOUT)),
    ]
    rows = []
    for name, build in _questions.METHODS:
        ranker = build(library)
        for set_name, cases in sets:
            rows.append(_questions.row(f"{name}, {set_name}", _questions.measure(ranker, cases)))
    sizes = ", ".join(f"{name} {len(cases)}" for name, cases in sets)
    print(
        f"\nReader questions on the essay (/search, top 3 answers; {sizes} questions). "
        "Goals on held-out, lexical: top-1 >= 70 %, top-3 >= 85 %, no empty answers"
    )
    print(table(_questions.HEADERS, rows))
    others = []
    for essay_library, cases in other_essays():
        essay = essay_library.documents[0]
        for name, build in _questions.METHODS[:2] + _questions.BASELINES:
            ranker = build(essay_library)
            others.append(_questions.row(f"{name}, {essay.id}", _questions.measure(ranker, cases)))
    print(
        "\nReader questions on other essays of the test corpus "
        "(looked at while tuning, unlike the held-out set)"
    )
    print(table(_questions.HEADERS, others))
    if not _wordnet.available():
        print(
            f"(no WordNet rows: its files are not in {_wordnet.WORDNET_DIR}; "
            "apt-get install wordnet-base to measure the word bridges)"
        )
