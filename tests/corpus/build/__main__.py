"""Rebuild the corpus: truth, PDFs, extractions and manifest, from each ``essay.md``.

    .venv/bin/python -m tests.corpus.build [essay-id ...]

Needs what the tests do not: reportlab (dev extra), pdflatex with multicol, lettrine,
fancyhdr and microtype (only to remake the LaTeX PDFs; with ``--no-tex`` the committed
ones are kept and only re-read), and poppler's ``pdftotext``. The output is committed;
the tests only read it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tests.corpus import ESSAYS, MANIFEST
from tests.corpus.build.extract import extract_pdfminer, extract_pdftotext, find_breaks
from tests.corpus.build.latex import build_latex, describe
from tests.corpus.build.layouts import LATEX, reportlab_layouts
from tests.corpus.build.typeset import typeset
from tests.corpus.markup import load_markup, truth_text
from tests.corpus.order import fairness


def _pdf_entry(
    folder: Path, producer: str, layout: str, head: str, breaks: list[dict[str, Any]]
) -> dict[str, Any]:
    pdf = folder / f"{producer}.pdf"
    extractions: dict[str, Any] = {}
    essay = load_markup(folder)
    for kind, extract in (("pdfminer", extract_pdfminer), ("pdftotext", extract_pdftotext)):
        text = extract(pdf)
        out = folder / f"{producer}.{kind}.txt"
        out.write_text(text, encoding="utf-8")
        extractions[kind] = fairness(essay, text, head).to_json()
    return {
        "essay": folder.name,
        "producer": producer,
        "layout": layout,
        "running_head": head,
        "pdf": f"{folder.name}/{producer}.pdf",
        "breaks": breaks,
        "extractions": extractions,
    }


def build(ids: list[str], tex: bool) -> None:
    manifest: dict[str, Any] = (
        json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {"pdfs": []}
    )
    entries = {(e["essay"], e["producer"]): e for e in manifest["pdfs"]}
    reportlab = reportlab_layouts()
    for folder in sorted(p for p in ESSAYS.iterdir() if (p / "essay.md").exists()):
        if ids and folder.name not in ids:
            continue
        essay = load_markup(folder)
        (folder / "truth.json").write_text(truth_text(essay), encoding="utf-8")
        if folder.name in reportlab:
            layout, description = reportlab[folder.name]
            made = typeset(essay, layout, folder / "reportlab.pdf")
            breaks = [
                {
                    "word": b.word,
                    "left": b.left,
                    "right": b.right,
                    "section": b.section,
                    "paragraph": b.paragraph,
                }
                for b in made
            ]
            entries[(folder.name, "reportlab")] = _pdf_entry(
                folder, "reportlab", description, layout.running_head, breaks
            )
        if folder.name in LATEX:
            tex_layout = LATEX[folder.name]
            if tex:
                build_latex(essay, tex_layout, folder)
            found = find_breaks(essay, folder / "latex.pdf")
            entries[(folder.name, "latex")] = _pdf_entry(
                folder, "latex", describe(tex_layout), tex_layout.running_head, found
            )
        print(f"{folder.name}: built", flush=True)
    manifest["pdfs"] = [entries[k] for k in sorted(entries)]
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    args = sys.argv[1:]
    build([a for a in args if not a.startswith("--")], tex="--no-tex" not in args)
