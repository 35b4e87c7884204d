"""Ingest figures: in-process ingest of the essay, and ``export --json`` as a whole process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pdfminer.pdfpage import PDFPage

from bot.core.ingest import _hyphen, ingest_file
from tests.bench._common import median, ms, percentile, table
from tests.conftest import ROOT, SEEDS
from tests.corpus import cases

ESSAY = SEEDS / "azerbaijani-turkish-relations.txt"


def _pages(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in PDFPage.get_pages(handle))


def _longest_pdf() -> tuple[Path, int]:
    """The corpus PDF with the most pages: what "a 10-page PDF" is measured on."""
    return max(((c.path, _pages(c.path)) for c in cases("pdf")), key=lambda pair: pair[1])


def run() -> None:
    pdf, pages = _longest_pdf()
    from_pdf = []
    for _ in range(5):
        started = time.perf_counter()
        ingest_file(pdf)
        from_pdf.append(time.perf_counter() - started)
    ingest_file(ESSAY)  # the first call loads the word list; the process timing shows that
    cold, warm = [], []
    for _ in range(30):
        _hyphen._zipf.cache_clear()
        started = time.perf_counter()
        ingest_file(ESSAY)
        cold.append(time.perf_counter() - started)
    for _ in range(30):
        started = time.perf_counter()
        ingest_file(ESSAY)
        warm.append(time.perf_counter() - started)

    process = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "export", "--json"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        process.append(time.perf_counter() - started)

    print(
        table(
            ["measure", "median", "p99/max", "target"],
            [
                [
                    "ingest essay (word-list cache cleared)",
                    ms(median(cold)),
                    ms(max(cold)),
                    "< 100 ms",
                ],
                [
                    "ingest essay (warm cache)",
                    ms(median(warm)),
                    ms(percentile(warm, 99)),
                    "< 100 ms",
                ],
                [
                    f"ingest the corpus's longest PDF ({pages} pages)",
                    ms(median(from_pdf)),
                    ms(max(from_pdf)),
                    "< 2 s",
                ],
                [
                    "python -m bot export --json (process)",
                    ms(median(process)),
                    ms(max(process)),
                    "< 1 s",
                ],
            ],
        )
    )
