"""A PDF in seeds/ is read from its layout: the same ``Document`` a clean text would give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.ingest import IngestError, ingest_file
from bot.core.library import load_library
from bot.core.model import Document
from tests.conftest import SEEDS
from tests.core.ingest import pdfs

PARAGRAPHS = [
    "Every river that crosses a plain carries the memory of the mountains it left behind, "
    "and the people who settle along its banks inherit that memory whether they want it or "
    "not. The towns grew where the current slowed, where boats could be unloaded and where "
    "the floods of spring left a film of fertile silt across the surrounding meadows.",
    "Merchants came first, followed by administrators who counted the barrels and the "
    "bales, and then by teachers who wrote down what the merchants and administrators had "
    "forgotten. Historians later argued about which of the three mattered most, though the "
    "argument revealed more about the historians than about the towns themselves.",
    "The bridges were the true measure of prosperity. A town with a wooden bridge was a "
    "village with ambitions; a town with a stone bridge of seven arches was a capital in "
    "waiting. “We build for our grandchildren,” declared Marta Kowalczyk, the engineer who "
    "designed the largest of them, “because our children will be too busy to notice.”",
    "Trade along the river declined when the railways arrived, abruptly and without "
    "ceremony. Warehouses stood empty for a generation, their doors chained, their roofs "
    "patched with whatever the caretakers could find. Nobody expected them to be useful "
    "again, and nobody had the money to pull them down.",
    "It was the artists who rediscovered them. Painters needed light and space more than "
    "comfort, and the warehouses offered enormous windows facing the water. Within a decade "
    "the riverside districts had become the most fashionable addresses in the region, much "
    "to the astonishment of the families who had abandoned them.",
    "Prosperity returned, but it was a different prosperity, measured in galleries and "
    "cafés rather than in barrels and bales. The river itself had not changed; only the "
    "questions people asked of it had. Samuel Okafor observed that “a river answers "
    "whatever you ask it, provided you are patient enough to wait for the reply.”",
    "The floods still come every few years, reminding the towns of their origins. Each "
    "time the water rises, the old marks on the warehouse walls are consulted, and each "
    "time the newcomers are surprised to learn how high the river once reached.",
    "Perhaps that is the most durable lesson of the river towns: that usefulness is not a "
    "permanent condition but a conversation between a place and the people who need it, a "
    "conversation that falls silent for decades and then resumes as if nothing had "
    "happened in between.",
]
PULL = "Prosperity returned, but it was a different prosperity, measured in galleries and cafés"
SECTIONS: list[tuple[str | None, list[str]]] = [
    (None, PARAGRAPHS[0:2]),
    ("Bridges of the mid-19th century", PARAGRAPHS[2:4]),
    ("The Artists", PARAGRAPHS[4:6]),
    ("What the Floods Remember", PARAGRAPHS[6:8]),
]
ESSAY = pdfs.Essay("Rivers and Their Towns", "Ilse Marchetti", SECTIONS, pulls={3: PULL})


def body(doc: Document) -> list[str]:
    return [p.text for s in doc.sections for p in s.paragraphs]


@pytest.mark.parametrize("columns", [2, 3])
def test_a_magazine_pdf_reads_as_the_essay(tmp_path: Path, columns: int) -> None:
    path = pdfs.magazine(ESSAY, tmp_path / "rivers.pdf", columns=columns, running_head="RIVERS")
    doc = ingest_file(path)
    assert doc.id == "rivers"
    assert (doc.title, doc.subtitle, doc.author) == (
        "Rivers and Their Towns",
        None,
        "Ilse Marchetti",
    )
    assert [s.title for s in doc.sections] == [
        "Introduction",
        "Bridges of the mid-19th century",
        "The Artists",
        "What the Floods Remember",
    ]
    assert body(doc) == PARAGRAPHS  # running head, page numbers and end mark gone
    pulls = [q for q in doc.quotes if q.kind == "pull"]
    assert [(q.text, q.section, q.paragraph) for q in pulls] == [(PULL, 3, 2)]
    spoken = {(q.speaker, q.text[:20]) for q in doc.quotes if q.kind == "spoken"}
    assert ("Marta Kowalczyk", "We build for our gra") in spoken
    assert ("Samuel Okafor", "a river answers what") in spoken


def test_the_sidecar_still_overrides_the_front_matter(tmp_path: Path) -> None:
    essay = pdfs.Essay(ESSAY.title, ESSAY.author, SECTIONS, subtitle="A Short History")
    path = pdfs.magazine(essay, tmp_path / "rivers.pdf")
    assert ingest_file(path).subtitle == "A Short History"
    (tmp_path / "rivers.meta.json").write_text('{"title": "Rivers", "subtitle": null}')
    doc = ingest_file(path)
    assert (doc.title, doc.subtitle, doc.author) == ("Rivers", None, "Ilse Marchetti")


def test_a_pdf_without_headings_is_one_section_named_after_the_title(tmp_path: Path) -> None:
    essay = pdfs.Essay("Rivers and Their Towns", "Ilse Marchetti", [(None, PARAGRAPHS[:3])])
    doc = ingest_file(pdfs.magazine(essay, tmp_path / "plain.pdf"))
    assert [s.title for s in doc.sections] == ["Rivers and Their Towns"]
    assert body(doc) == PARAGRAPHS[:3]


def _truncated(path: Path) -> Path:
    pdfs.magazine(ESSAY, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _garbage(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    return path


def _not_a_pdf(path: Path) -> Path:
    path.write_bytes(b"GIF89a this is a picture, not a PDF")
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (pdfs.encrypted, "encrypted"),
        (pdfs.scanned, "no text layer: run OCR first"),
        (_truncated, "truncated"),
        (_garbage, "damaged"),
        (_not_a_pdf, "not a PDF"),
    ],
)
def test_a_bad_pdf_is_one_clear_error_and_the_others_still_load(
    tmp_path: Path, make: pdfs.Maker, reason: str
) -> None:
    bad = make(tmp_path / "bad.pdf")
    with pytest.raises(IngestError) as excinfo:
        ingest_file(bad)
    assert str(bad) in str(excinfo.value)
    assert reason in str(excinfo.value)
    assert "Traceback" not in str(excinfo.value)

    shutil.copy(SEEDS / "azerbaijani-turkish-relations.txt", tmp_path / "good.txt")
    library = load_library(tmp_path)
    assert [d.id for d in library.documents] == ["good"]
    assert [(p.path, reason in p.reason) for p in library.problems] == [(str(bad), True)]


def test_a_pdf_beside_its_own_text_is_read_once_from_the_pdf(tmp_path: Path) -> None:
    pdfs.magazine(ESSAY, tmp_path / "rivers.pdf")
    (tmp_path / "rivers.txt").write_text("not even an essay")
    library = load_library(tmp_path)
    assert [d.title for d in library.documents] == ["Rivers and Their Towns"]
    assert library.problems == ()
