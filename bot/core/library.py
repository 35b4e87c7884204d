"""Loading every essay in the seeds folder into memory, once, at start-up."""

from __future__ import annotations

from pathlib import Path

from bot.core.ingest import IngestError, ingest_file
from bot.core.model import Document, Library, SeedProblem


def load_library(seeds_dir: Path) -> Library:
    """Ingest every ``*.txt`` in ``seeds_dir``.

    A bad file is reported as a ``SeedProblem`` and skipped, so one broken essay
    never takes the others (or the bot) down with it. Nothing is logged here: each
    front end reports the problems once, in its own way (log line, stderr).
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
            problems.append(SeedProblem(str(path), _reason(path, exc)))
    if not documents and not problems:
        problems.append(SeedProblem(str(seeds_dir), "no essays (*.txt) in the seeds folder"))
    return Library(tuple(documents), tuple(problems))


def _reason(path: Path, exc: IngestError) -> str:
    """The error without the file name it starts with: the problem names the path once."""
    message = str(exc)
    for prefix in (f"{path}: ", f"{path.name}: "):
        if message.startswith(prefix):
            return message.removeprefix(prefix)
    return message
