"""Issue 9's figures: the ingest on the real-PDF corpus, per input kind, beside the targets
and beside the baseline (the ingest as it was at commit 7fa0f9d, run in the same bench).

Input kinds: the PDF itself, its pdfminer.six extraction, its poppler ``pdftotext``
extraction (text kinds judged on the extractions that kept the reading order, with the
figures over all extractions beside them), and the seed. The baseline runs in a child
process whose ``bot`` package is 7fa0f9d's, taken from git (``git archive``); without git,
or without that commit, the baseline column says so.

``run()`` measures the current ingest; another ingest can be measured by passing its
functions (``run(ingests=...)``), e.g. a PDF ingest before it is wired into ``ingest_file``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict
from io import BytesIO
from pathlib import Path
from typing import Any

from bot.core.model import Document
from tests.bench._common import table
from tests.corpus import ROOT as CORPUS_ROOT
from tests.corpus import Case, InputKind, cases, manifest
from tests.corpus.score import (
    HYPHEN_ERRORS,
    PARAGRAPH_SHARE,
    PDF_SECONDS,
    SPEAKER_PRECISION,
    SPEAKER_RECALL,
    Ingest,
    Score,
    measure,
)

REPO = CORPUS_ROOT.parent.parent
BASELINE_COMMIT = "7fa0f9d"
SEEDS = REPO / "seeds"
#: (title, cases to run, whether the text targets or the PDF targets apply)
ROWS: tuple[tuple[str, InputKind, bool], ...] = (
    ("PDF", "pdf", False),
    ("pdfminer text", "pdfminer", True),
    ("pdftotext text", "pdftotext", True),
)


def current_ingests() -> dict[InputKind, Ingest]:
    """The ingest of this checkout: text through ``ingest_text`` with the sidecar meta a
    user would write; a PDF through ``ingest_file`` (which reads PDFs once that exists)."""
    from bot.core.ingest import ingest_file, ingest_text

    def text(case: Case) -> Document:
        return ingest_text(case.text(), doc_id=case.essay_id, name=case.name, meta=case.meta())

    def pdf(case: Case) -> Document:
        return ingest_file(case.path)

    return {"pdf": pdf, "pdfminer": text, "pdftotext": text}


def _seed_counts() -> dict[str, int]:
    """What the seed's index holds, to set beside what the issue says it must stay."""
    from bot.core.library import load_library

    library = load_library(SEEDS)
    doc = library.documents[0]
    return {
        "sections": len(doc.sections),
        "paragraphs": sum(len(s.paragraphs) for s in doc.sections),
        "pull quotes": sum(1 for q in doc.quotes if q.kind == "pull"),
        "spoken quotes with a speaker": sum(
            1 for q in doc.quotes if q.kind == "spoken" and q.speaker
        ),
    }


SEED_TARGET = {
    "sections": 7,
    "paragraphs": 47,
    "pull quotes": 6,
    "spoken quotes with a speaker": 11,
}


def measure_all(ingests: Mapping[InputKind, Ingest]) -> dict[str, Any]:
    """Scores per kind (fair extractions and all), plus the seed's counts, as plain data."""
    out: dict[str, Any] = {}
    for _, kind, _ in ROWS:
        ingest = ingests[kind]
        fair, fair_failures = measure(cases(kind, fair_only=True), ingest)
        every, failures = measure(cases(kind), ingest)
        out[kind] = {
            "fair": asdict(fair),
            "all": asdict(every),
            "failures": {**fair_failures, **failures},
        }
    out["seed"] = _seed_counts()
    return out


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "-"


def _rows(score: Score | None, text: bool) -> list[tuple[str, str, str]]:
    """(measure, figure, target) for one score; ``None`` gives the measures with a dash."""

    def fig(make: Callable[[Score], str]) -> str:
        return make(score) if score is not None else "-"

    kind = "text" if text else "pdf"
    para_target = f"≥ {PARAGRAPH_SHARE[kind]:.0%}"
    return [
        ("cases (failed)", fig(lambda s: f"{s.cases} ({s.failed})"), "0 failed"),
        ("paragraphs exact", fig(lambda s: _pct(s.paragraphs_exact, s.paragraphs)), para_target),
        ("sections, right title", fig(lambda s: _pct(s.sections_right, s.sections)), "all"),
        ("pull quotes cut out", fig(lambda s: _pct(s.pulls_cut, s.pulls)), "all"),
        ("pull quotes linked", fig(lambda s: _pct(s.pulls_linked, s.pulls)), "all"),
        ("pull quotes left in body", fig(lambda s: str(s.pulls_left)), "0"),
        (
            "line-end hyphenation errors",
            fig(lambda s: f"{s.hyphen_errors} (of {s.breaks} breaks)"),
            f"≤ {HYPHEN_ERRORS[kind]}",
        ),
        (
            "speaker recall",
            fig(lambda s: _pct(s.speakers_right, s.speakers_truth)),
            f"≥ {SPEAKER_RECALL:.0%}",
        ),
        (
            "speaker precision",
            fig(lambda s: _pct(s.speakers_right, s.speakers_given)),
            f"≥ {SPEAKER_PRECISION:.0%}",
        ),
        ("end marks left", fig(lambda s: _pct(s.end_marks_left, s.end_marks)), "0"),
        (
            "ingest time per essay",
            fig(lambda s: f"{s.seconds / max(1, s.cases - s.failed):.3f} s"),
            f"< {PDF_SECONDS:.0f} s" if not text else "-",
        ),
    ]


def _score(data: dict[str, Any] | None, kind: str, which: str) -> Score | None:
    if data is None:
        return None
    return Score(**data[kind][which])


def _print_kind(
    title: str, kind: InputKind, text: bool, now: dict[str, Any], base: dict[str, Any] | None
) -> None:
    judged = "fair" if text else "all"
    total = len(cases(kind))
    fair = len(cases(kind, fair_only=True))
    heading = f"{title}: {total} cases"
    if text:
        heading += f", judged on the {fair} that kept the reading order (all {total} beside)"
    print(f"\n{heading}")
    rows = []
    now_main = _rows(_score(now, kind, judged), text)
    base_main = _rows(_score(base, kind, judged), text)
    now_all = _rows(_score(now, kind, "all"), text)
    base_all = _rows(_score(base, kind, "all"), text)
    for i, (name, figure, target) in enumerate(now_main):
        row = [name, figure, base_main[i][1], target]
        if text:
            row[3:3] = [now_all[i][1], base_all[i][1]]
        rows.append(row)
    headers = ["measure", "now", f"baseline {BASELINE_COMMIT}", "target"]
    if text:
        headers[3:3] = ["now, all", "baseline, all"]
    print(table(headers, rows))
    failures = now[kind]["failures"]
    if failures:
        print(f"  now, failed cases ({len(failures)}):")
        for name, reason in sorted(failures.items())[:6]:
            print(f"    {name}: {reason[:110]}")


def _print_seed(now: dict[str, Any], base: dict[str, Any] | None) -> None:
    print("\nseed (its own text form)")
    rows = [
        [name, now["seed"][name], base["seed"][name] if base else "-", target]
        for name, target in SEED_TARGET.items()
    ]
    print(table(["measure", "now", f"baseline {BASELINE_COMMIT}", "target"], rows))


def _print_fairness() -> None:
    entries = manifest()["pdfs"]
    print("\nreading order kept by the extractor (fair), per PDF:")
    rows = []
    for entry in entries:
        verdicts = entry["extractions"]
        rows.append(
            [
                f"{entry['essay']}/{entry['producer']}",
                *(
                    "fair" if verdicts[k]["fair"] else f"no ({verdicts[k]['misplaced']} words)"
                    for k in ("pdfminer", "pdftotext")
                ),
            ]
        )
    for kind in ("pdfminer", "pdftotext"):
        fair = sum(1 for e in entries if e["extractions"][kind]["fair"])
        rows.append([f"{kind}: fair", f"{fair}/{len(entries)}", ""])
    print(table(["pdf", "pdfminer", "pdftotext"], rows))


def baseline() -> dict[str, Any] | str:
    """7fa0f9d's ingest scored in a child process, or why it could not be."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", BASELINE_COMMIT, "bot"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"baseline unavailable ({type(exc).__name__})"
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([tmp, str(REPO)])}
        done = subprocess.run(
            [sys.executable, "-c", "from tests.bench.corpus import child; child()"],
            cwd=tmp,
            env=env,
            capture_output=True,
            check=False,
        )
    if done.returncode != 0:
        return f"baseline unavailable (child failed: {done.stderr.decode()[-200:]!r})"
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def child() -> None:
    """Entry point of the baseline's child process: print its measures as JSON."""
    import bot

    assert not Path(bot.__file__).resolve().is_relative_to(REPO.resolve())
    print(json.dumps(measure_all(current_ingests())))


def run(ingests: Mapping[InputKind, Ingest] | None = None) -> None:
    now = measure_all(ingests or current_ingests())
    base = baseline()
    if isinstance(base, str):
        print(base)
    base_data = base if isinstance(base, dict) else None
    _print_fairness()
    for title, kind, text in ROWS:
        _print_kind(title, kind, text, now, base_data)
    _print_seed(now, base_data)
