"""Placeholder: the real ingest lands in the next commit."""

from __future__ import annotations

from pathlib import Path

from bot.core.model import Document


class IngestError(Exception):
    """A seed file cannot be turned into a document; the message says why."""


def ingest_file(path: Path) -> Document:
    raise IngestError(f"{path}: ingest not written yet")
