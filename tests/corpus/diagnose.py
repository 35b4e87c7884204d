"""What the text ingest gets wrong on the corpus, case by case: the sections and pull
quotes it misses or invents, to see the failure classes behind the figures.

    .venv/bin/python -m tests.corpus.diagnose [pdfminer|pdftotext] [--all] [essay-id ...]

Judged, as the figures are, on the fair extractions unless ``--all`` is given.
"""

from __future__ import annotations

import sys
from collections import Counter

from bot.core.ingest import ingest_text
from bot.core.model import Document
from tests.corpus import Case, InputKind, cases
from tests.corpus.score import key


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _sections(doc: Document, case: Case) -> list[str]:
    out: list[str] = []
    wanted = [s.title for s in case.truth.sections if s.title is not None]
    got = [s.title for s in doc.sections]
    if case.truth.sections[0].title is None:
        got = got[1:]  # the untitled opening, named by the ingest
    missing = Counter(wanted) - Counter(got)
    extra = Counter(got) - Counter(wanted)
    first = doc.sections[0].paragraphs[0].text if doc.sections[0].paragraphs else ""
    opening = case.truth.sections[0]
    if opening.title is None and key(first)[:40] != key(opening.paragraphs[0])[:40]:
        out.append(f"  opening starts wrong: {_short(first)!r}")
    out.extend(f"  section missed: {t!r}" for t in missing.elements())
    for title in extra.elements():
        section = next(s for s in doc.sections if s.title == title)
        body = section.paragraphs[0].text if section.paragraphs else ""
        out.append(f"  section extra:  {_short(title, 60)!r} -> {_short(body, 50)!r}")
    return out


def _pulls(doc: Document, case: Case) -> list[str]:
    out: list[str] = []
    pulls = [q for q in doc.quotes if q.kind == "pull"]
    body = "".join(key(p.text) for s in doc.sections for p in s.paragraphs)
    body_truth = "".join(key(p) for p in case.truth.paragraphs())
    for pull in case.truth.pull_quotes:
        wanted = key(pull.text)
        match = next((q for q in pulls if key(q.text) == wanted), None)
        if match is None:
            out.append(f"  pull missed:    {_short(pull.text)!r}")
        else:
            pulls.remove(match)
            home = case.truth.paragraph(pull.section, pull.paragraph)
            try:
                there = doc.paragraph(match.section, match.paragraph).text
            except IndexError:
                there = ""
            if not (wanted in key(there) and key(there)[:40] == key(home)[:40]):
                out.append(
                    f"  pull unlinked:  {_short(pull.text, 50)!r} at "
                    f"{match.section}.{match.paragraph} {_short(there, 40)!r}"
                )
        if body.count(wanted) > body_truth.count(wanted):
            out.append(f"  pull in body:   {_short(pull.text, 60)!r}")
    out.extend(f"  pull extra:     {_short(q.text)!r}" for q in pulls)
    return out


def problems(doc: Document, case: Case) -> list[str]:
    """What ``doc`` gets wrong against the case's truth, one line each."""
    return _sections(doc, case) + _pulls(doc, case)


def main(argv: list[str]) -> int:
    kinds: list[InputKind] = [k for k in ("pdfminer", "pdftotext") if k in argv] or [
        "pdfminer",
        "pdftotext",
    ]
    every = "--all" in argv
    ids = {a for a in argv if a not in {"pdfminer", "pdftotext", "--all"}}
    for kind in kinds:
        for case in cases(kind, fair_only=not every):
            if ids and case.essay_id not in ids:
                continue
            try:
                doc = ingest_text(
                    case.text(), doc_id=case.essay_id, name=case.name, meta=case.meta()
                )
            except Exception as exc:  # a diagnostic reports a failure, never crashes on it
                print(f"{case.name}{'' if case.fair else ' (unfair)'}: FAILED {exc}")
                continue
            found = problems(doc, case)
            status = "ok" if not found else f"{len(found)} problems"
            print(f"{case.name}{'' if case.fair else ' (unfair)'}: {status}")
            print("\n".join(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
