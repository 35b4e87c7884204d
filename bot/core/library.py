"""Loading every essay in the seeds folder into memory, once, at start-up."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.core.ingest import IngestError, ingest_file
from bot.core.model import Document, Library, SeedProblem

log = logging.getLogger(__name__)


def load_library(seeds_dir: Path) -> Library:
    """Ingest every ``*.txt`` in ``seeds_dir``.

    A bad file is reported as a ``SeedProblem`` and skipped, so one broken essay
    never takes the others (or the bot) down with it.
    """
    documents: list[Document] = []
    problems: list[SeedProblem] = []
    if not seeds_dir.is_dir():
        problems.append(SeedProblem(str(seeds_dir), "seeds folder not found"))
        return Library((), tuple(problems))
    for path in sorted(seeds_dir.glob("*.txt")):
        try:
            documents.append(ingest_file(path))
        except IngestError as exc:
            log.warning("skipping seed %s: %s", path, exc)
            problems.append(SeedProblem(str(path), str(exc)))
    if not documents and not problems:
        problems.append(SeedProblem(str(seeds_dir), "no essays (*.txt) in the seeds folder"))
    return Library(tuple(documents), tuple(problems))
