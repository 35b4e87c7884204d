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
from dataclasses import dataclass
from pathlib import Path

import psutil
from rapidfuzz import fuzz, process

from bot.core.library import load_library
from bot.core.model import Document, Library, Paragraph, Quote, Section
from bot.core.search import SearchIndex
from tests.bench._common import median, ms, percentile, table
from tests.core.search.queryset import Answer, Case, accuracy, ask, load_cases, rank

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
            paragraphs = []
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


def latencies(func: Callable[[str], object], inputs: Sequence[str], rounds: int) -> list[float]:
    for text in inputs[:10]:
        func(text)  # warm-up
    samples = []
    for _ in range(rounds):
        for text in inputs:
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
    from dataclasses import replace

    return replace(case, expect=replace(case.expect, kind=None))


def run() -> None:
    cases = load_cases()
    gc.collect()
    process_info = psutil.Process(os.getpid())
    rss_start = process_info.memory_info().rss

    essay_library = load_library(SEEDS)
    essay = essay_library.documents[0]
    essay_build, essay_index = build_time(essay_library, repeat=5)
    rss_essay = process_info.memory_info().rss

    library = synthetic_library(essay)
    rss_before_library = process_info.memory_info().rss
    library_build, library_index = build_time(library, repeat=1)
    gc.collect()
    rss_library = process_info.memory_info().rss

    by_command = {
        cmd: [c for c in cases if c.command == cmd] for cmd in ("quote", "section", "search")
    }
    typed = keystrokes(cases)

    def commands(index: SearchIndex) -> dict[str, Callable[[str], object]]:
        speakers = {c.query: c.speaker for c in by_command["quote"]}
        return {
            "quote": lambda q: index.quotes(q, speaker=speakers.get(q)),
            "section": lambda q: index.sections(q),
            "search": lambda q: index.passages(q),
        }

    rows = []
    figures: dict[tuple[str, str], list[float]] = {}
    for label, index, rounds in (("essay", essay_index, 10), ("library", library_index, 2)):
        for name, func in commands(index).items():
            queries = [c.query for c in by_command[name]]
            figures[(label, name)] = latencies(func, queries, rounds)
        figures[(label, "autocomplete")] = latencies(
            lambda t, ix=index: (
                ix.complete_quotes(t),
                ix.complete_sections(t),
                ix.complete_speakers(t),
            ),
            typed,
            1 if label == "library" else 3,
        )
        figures[(label, "autocomplete quote")] = latencies(index.complete_quotes, typed, 1)

    for label, corpus_library in (("essay", essay_library), ("library", library)):
        corpus = placed_sentences(corpus_library)
        texts = [p.text for p in corpus]
        figures[(label, "baseline")] = latencies(
            lambda q, texts=texts: process.extract(q, texts, scorer=fuzz.WRatio, limit=10),
            [c.query for c in cases],
            1,
        )

    names = ["quote", "section", "search", "autocomplete", "autocomplete quote", "baseline"]
    for name in names:
        row: list[object] = [name]
        for label in ("essay", "library"):
            samples = figures[(label, name)]
            row += [ms(percentile(samples, 50)), ms(percentile(samples, 99))]
        rows.append(row)
    print("Latency (autocomplete = quotes + sections + speakers for one keystroke)")
    print(
        table(
            ["", "essay p50", "essay p99", "library p50", "library p99"],
            rows,
        )
    )

    print("\nBaseline time / ours (p50 and p99; > 1 means ours is faster)")
    ratio_rows = []
    for name in ("quote", "section", "search"):
        row = [name]
        for label in ("essay", "library"):
            base, ours = figures[(label, "baseline")], figures[(label, name)]
            row += [
                f"{percentile(base, 50) / percentile(ours, 50):7.1f}×",
                f"{percentile(base, 99) / percentile(ours, 99):7.1f}×",
            ]
        ratio_rows.append(row)
    print(table(["", "essay p50", "essay p99", "library p50", "library p99"], ratio_rows))

    ours = accuracy(cases, [rank(ask(essay_index, c), c.expect) for c in cases])
    corpus = placed_sentences(essay_library)
    texts = [p.text for p in corpus]
    kindless = [_kindless(c) for c in cases]
    base = accuracy(kindless, [rank(baseline_answer(corpus, texts, c), c.expect) for c in kindless])
    print(f"\nAccuracy on the query set ({ours.total} queries, essay)")
    print(
        table(
            ["", "top-1", "top-3"],
            [
                ["ours", f"{ours.top1_rate:6.1%}", f"{ours.top3_rate:6.1%}"],
                ["baseline (WRatio)", f"{base.top1_rate:6.1%}", f"{base.top3_rate:6.1%}"],
            ],
        )
    )

    sentences = len(placed_sentences(library))
    print("\nIndex build and memory")
    print(
        table(
            ["", "build (median)", "resident memory"],
            [
                [
                    "essay",
                    ms(essay_build),
                    f"{(rss_essay - rss_start) / 2**20:6.1f} MiB (ingest + index)",
                ],
                [
                    f"library ({len(library.documents)} docs, {sentences} sentences)",
                    ms(library_build),
                    f"{(rss_library - rss_before_library) / 2**20:6.1f} MiB (index)",
                ],
                ["process total", "", f"{rss_library / 2**20:6.1f} MiB"],
            ],
        )
    )
