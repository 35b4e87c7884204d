"""Session fixtures: the real index, built once from the real seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.library import load_library
from bot.core.model import Document, Library

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def library() -> Library:
    lib = load_library(SEEDS)
    assert not lib.problems, lib.problems
    return lib


@pytest.fixture(scope="session")
def essay(library: Library) -> Document:
    return library.documents[0]
