"""The real-PDF corpus: essays typeset as magazine PDFs by two producers, and their
extractions, each with its ground truth. See ``markup.py`` for the source format,
``build/`` for how the files were made, ``score.py`` for the measures.

A case is one essay, one producer's PDF, and one input kind: the PDF itself, its
pdfminer.six extraction, or its poppler ``pdftotext`` extraction. Text cases carry
whether the extractor kept the reading order ("fair"), since no ingest can undo an
interleaving of columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from tests.corpus.markup import Essay, load_truth

ROOT = Path(__file__).resolve().parent
ESSAYS = ROOT / "essays"
MANIFEST = ROOT / "manifest.json"

InputKind = Literal["pdf", "pdfminer", "pdftotext"]
KINDS: tuple[InputKind, ...] = ("pdf", "pdfminer", "pdftotext")


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A word the producer split across two lines, as printed (``left`` ends in - or —)."""

    word: str
    left: str
    right: str
    section: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Case:
    essay_id: str
    producer: str
    kind: InputKind
    path: Path
    layout: str
    fair: bool
    truth: Essay
    breaks: tuple[LineBreak, ...]

    @property
    def name(self) -> str:
        return f"{self.essay_id}/{self.producer}/{self.kind}"

    def text(self) -> str:
        """The extraction (text kinds only)."""
        return self.path.read_text(encoding="utf-8")

    def meta(self) -> dict[str, str | None]:
        """What a user would put in the sidecar ``meta.json`` for a text input."""
        return {"title": self.truth.title, "subtitle": self.truth.subtitle}


@cache
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


@cache
def truth(essay_id: str) -> Essay:
    return load_truth(ESSAYS / essay_id / "truth.json")


def cases(kind: InputKind | None = None, *, fair_only: bool = False) -> list[Case]:
    """Every case of the corpus (or of one input kind), in a stable order."""
    found: list[Case] = []
    for entry in manifest()["pdfs"]:
        folder = ESSAYS / entry["essay"]
        breaks = tuple(LineBreak(**b) for b in entry["breaks"])
        for k in KINDS:
            if kind is not None and k != kind:
                continue
            if k == "pdf":
                path, fair = folder / f"{entry['producer']}.pdf", True
            else:
                path = folder / f"{entry['producer']}.{k}.txt"
                fair = bool(entry["extractions"][k]["fair"])
            if fair_only and not fair:
                continue
            found.append(
                Case(
                    entry["essay"],
                    entry["producer"],
                    k,
                    path,
                    entry["layout"],
                    fair,
                    truth(entry["essay"]),
                    breaks,
                )
            )
    return found
