"""The diagnostic names what an ingest got wrong: nothing for a flawless document, and
each missed or invented section and pull quote for a damaged one."""

from __future__ import annotations

import dataclasses

from tests.corpus import cases
from tests.corpus.diagnose import problems
from tests.corpus.score import perfect_document


def test_a_flawless_document_has_no_problems() -> None:
    for case in cases("pdfminer")[:2]:
        assert problems(perfect_document(case.truth), case) == []


def test_a_renamed_section_and_a_mangled_pull_quote_are_named() -> None:
    case = cases("pdfminer")[0]
    doc = perfect_document(case.truth)
    renamed = dataclasses.replace(doc.sections[1], title="A Wrong Title")
    pulls = [q for q in doc.quotes if q.kind == "pull"]
    damaged = dataclasses.replace(
        doc,
        sections=(doc.sections[0], renamed, *doc.sections[2:]),
        quotes=tuple(
            dataclasses.replace(q, text=q.text[: len(q.text) // 2]) if q == pulls[0] else q
            for q in doc.quotes
        ),
    )
    found = problems(damaged, case)
    assert f"  section missed: {doc.sections[1].title!r}" in found
    assert any(p.startswith("  section extra:  'A Wrong Title'") for p in found)
    assert any(p.startswith("  pull missed:") for p in found)
    assert any(p.startswith("  pull extra:") for p in found)
    assert len(found) == 4
