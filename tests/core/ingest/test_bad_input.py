"""Bad seed files: a clear error naming the file and the problem; the other essays still load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.ingest import IngestError, ingest_file
from bot.core.library import load_library
from tests.conftest import SEEDS

ESSAY = SEEDS / "azerbaijani-turkish-relations.txt"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"  \n\n \n", "empty"),
        ("Título\n\nAutor\n\nTexto con acentos.\n".encode("latin-1"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Just one line of text.", "too little"),
    ],
)
def test_bad_seed_is_refused_with_its_name(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError) as excinfo:
        ingest_file(path)
    assert str(path) in str(excinfo.value)
    assert problem in str(excinfo.value)


def test_an_essay_without_headings_is_one_section_named_after_it(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Plain Title\n\nAn Author\n\nOne paragraph and no headings at all.\n")
    doc = ingest_file(path)
    assert [s.title for s in doc.sections] == ["Plain Title"]
    assert doc.sections[0].paragraphs[0].text == "One paragraph and no headings at all."


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="file not found"):
        ingest_file(tmp_path / "nope.txt")


def test_malformed_sidecar(tmp_path: Path) -> None:
    shutil.copy(ESSAY, tmp_path / "essay.txt")
    (tmp_path / "essay.meta.json").write_text('{"title": 3}', encoding="utf-8")
    with pytest.raises(IngestError, match=r"essay\.meta\.json"):
        ingest_file(tmp_path / "essay.txt")


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    shutil.copy(ESSAY, tmp_path / "good.txt")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02")
    library = load_library(tmp_path)
    assert [d.id for d in library.documents] == ["good"]
    assert len(library.problems) == 1
    assert "bad.txt" in library.problems[0].path
    assert "binary" in library.problems[0].reason


def test_missing_or_empty_seeds_folder(tmp_path: Path) -> None:
    assert "not found" in load_library(tmp_path / "absent").problems[0].reason
    assert "no essays" in load_library(tmp_path).problems[0].reason
