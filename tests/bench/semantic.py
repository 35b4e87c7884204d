"""The optional semantic ranker (issue 12, item 4): quality, time per query, start-up, memory.

Needs all-MiniLM-L6-v2 converted to ONNX once, in a bench-only step that uses
torch in a venv of its own: ``make semantic-model`` (see
``tests/bench/_convert_model.py``). Without it the semantic rows are skipped
with one line saying so, and only the lexical rows print.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import psutil

from bot.core.library import load_library
from bot.core.search import SearchIndex
from bot.core.search.semantic import (
    Encoder,
    SemanticRanker,
    SemanticUnavailable,
    whole_paragraphs,
)
from tests.bench._common import ms, percentile, table
from tests.core.search.queryset import (
    QUERIES,
    QUESTIONS_HELDOUT,
    QUESTIONS_TUNING,
    SECOND,
    Accuracy,
    Case,
    load_cases,
    measure,
    other_essays,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
MODEL = ROOT / "data" / "models" / "all-MiniLM-L6-v2"
MIB = 2**20
# The measurement of the bot before it (45 reader questions).
BASELINE = "29/45 top-1, 31/45 top-3, 11 empty"
# The semantic ranker as first merged (each paragraph whole and its best
# sentence): the "whole paragraphs" rows, which this run measures again.
BASELINE_SEMANTIC = "held-out 50/71 top-1, 59/71 top-3, p99 6.7 ms"
GOALS = {
    "questions, held-out": "≥ 80 % top-1, ≥ 95 % top-3 (lexical: ≥ 70 %, ≥ 85 %, 0 empty)",
    "keywords": "100 % top-1",
    "keywords, second set": "no worse than lexical",
}


def _row(label: str, ranker: str, result: Accuracy, goal: str) -> list[object]:
    return [
        label,
        ranker,
        f"{result.top1}/{result.total} ({result.top1_rate:5.1%})",
        f"{result.top3}/{result.total} ({result.top3_rate:5.1%})",
        f"{result.mrr:.3f}",
        result.empty,
        goal,
    ]


def _times(
    index: SearchIndex, cases: Sequence[Case], rounds: int
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per /search call, memoised word expansions cleared before each.

    The CPU time is what a query costs; on a shared machine the wall-clock time
    adds the wait for a free core.
    """
    queries = [c.query for c in cases if c.command == "search"]
    for query in queries[:5]:
        index.passages(query)  # warm-up
    wall, cpu = [], []
    for _ in range(rounds):
        for query in queries:
            index.clear_caches()
            started, used = time.perf_counter(), time.process_time()
            index.passages(query)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    return wall, cpu


def _others(encoder: Encoder) -> list[list[object]]:
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        for library, cases in other_essays():
            index = SearchIndex.build(library)
            name = library.documents[0].id
            rows.append(_row(name, "lexical", measure(index, cases), ""))
            index.use_ranker(SemanticRanker.build(encoder, index, Path(cache), whole_paragraphs))
            rows.append(_row(name, "+ semantic, whole paragraphs", measure(index, cases), ""))
            index.use_ranker(SemanticRanker.build(encoder, index, Path(cache)))
            rows.append(_row(name, "+ semantic", measure(index, cases), ""))
    return rows


def run() -> None:
    sets = {
        "questions, tuning": load_cases(QUESTIONS_TUNING),
        "questions, held-out": load_cases(QUESTIONS_HELDOUT),
        "keywords": load_cases(QUERIES),
        "keywords, second set": load_cases(SECOND),
    }
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before the run: {load} (this machine is shared: p99 includes its noise)")
    proc = psutil.Process(os.getpid())
    index = SearchIndex.build(load_library(SEEDS))
    lexical = {name: measure(index, cases) for name, cases in sets.items()}
    questions = sets["questions, tuning"] + sets["questions, held-out"]
    lexical_times = _times(index, questions, rounds=3)

    gc.collect()
    rss_before = proc.memory_info().rss
    started = time.perf_counter()
    try:
        encoder = Encoder.load(MODEL)
    except SemanticUnavailable as exc:
        encoder = None
        print(
            f"semantic rows skipped: {exc}. Convert the model once with `make semantic-model` "
            "(bench-only, uses torch in .venv-convert)."
        )
    load_seconds = time.perf_counter() - started
    rows = []
    for name, result in lexical.items():
        rows.append(_row(name, "lexical", result, GOALS.get(name, "")))
    startup: list[list[object]] = []
    semantic_times: tuple[list[float], list[float]] | None = None
    whole_times: tuple[list[float], list[float]] | None = None
    if encoder is not None:
        with tempfile.TemporaryDirectory() as cache:
            started = time.perf_counter()
            SemanticRanker.build(encoder, index, Path(cache))
            cold = time.perf_counter() - started
            started = time.perf_counter()
            ranker = SemanticRanker.build(encoder, index, Path(cache))
            warm = time.perf_counter() - started
            whole = SemanticRanker.build(encoder, index, Path(cache), whole_paragraphs)
        gc.collect()
        rss_after = proc.memory_info().rss
        index.use_ranker(replace(ranker, mode="rrf"))
        for name, cases in sets.items():
            rows.append(_row(name, "+ semantic, rank fusion", measure(index, cases), "(not used)"))
        index.use_ranker(whole)
        for name, cases in sets.items():
            result = measure(index, cases)
            rows.append(_row(name, "+ semantic, whole paragraphs", result, "(before)"))
        index.use_ranker(ranker)
        for name, cases in sets.items():
            rows.append(_row(name, "+ semantic", measure(index, cases), GOALS.get(name, "")))
        semantic_times = _times(index, questions, rounds=3)
        index.use_ranker(whole)
        whole_times = _times(index, questions, rounds=3)
        texts = len(ranker.passages) + len(ranker.sentences)
        startup = [
            ["model load (onnxruntime session, file hashes)", ms(load_seconds), ""],
            [f"embed {texts} passages and sentences (first start)", ms(cold), "reasonable"],
            ["read them from the cache (later starts)", ms(warm), ""],
            [
                "extra resident memory (model + vectors)",
                f"+{(rss_after - rss_before) / MIB:6.1f} MiB",
                f"vectors {ranker.nbytes / MIB:.2f} MiB",
            ],
        ]
    print(f"\n/search on reader questions and keyword sets (baseline before issue 12: {BASELINE})")
    print(f"semantic ranker as first merged (whole paragraphs): {BASELINE_SEMANTIC}")
    print(table(["set", "ranker", "top-1", "top-3", "MRR", "empty", "goal"], rows))
    if encoder is not None:
        print("\nReader questions on other essays (never tuned on), each essay its own library")
        print(table(["essay", "ranker", "top-1", "top-3", "MRR", "empty", ""], _others(encoder)))

    print("\nTime per /search query (the question sets, 3 rounds): wall clock, and CPU")

    def cells(name: str, times: tuple[list[float], list[float]]) -> list[object]:
        return [name, *(ms(percentile(samples, p)) for samples in times for p in (50, 99))]

    time_rows = [cells("lexical", lexical_times)]
    if whole_times is not None:
        time_rows.append(cells("+ semantic, whole paragraphs (before)", whole_times))
    if semantic_times is not None:
        time_rows.append(cells("+ semantic (one query embedding)", semantic_times))
    headers = ["", "p50", "p99 (goal < 20 ms)", "CPU p50", "CPU p99"]
    print(table(headers, time_rows))
    if startup:
        print(f"\nSemantic ranker start-up, {os.cpu_count()} CPUs, off the event loop")
        print(table(["", "cost", "note"], startup))
