"""Loading every essay in the seeds folder into memory, once, at start-up."""

from __future__ import annotations

from pathlib import Path

from bot.core.ingest import IngestError, ingest_file
from bot.core.model import Document, Library, SeedProblem

#: What an essay in the seeds folder can be: its PDF, or the PDF's extracted text.
SEED_SUFFIXES = (".pdf", ".txt")


def seed_files(seeds_dir: Path) -> list[Path]:
    """One file per essay: its PDF where there is one (the layout says more than the
    text an extractor made of it), else its extracted text."""
    by_id: dict[str, Path] = {}
    for path in sorted(seeds_dir.iterdir()):
        suffix = path.suffix.casefold()
        if suffix not in SEED_SUFFIXES or not path.is_file():
            continue
        kept = by_id.get(path.stem)
        if kept is None or SEED_SUFFIXES.index(suffix) < SEED_SUFFIXES.index(
            kept.suffix.casefold()
        ):
            by_id[path.stem] = path
    return [by_id[stem] for stem in sorted(by_id)]


def load_library(seeds_dir: Path) -> Library:
    """Ingest every essay in ``seeds_dir`` (``<id>.pdf`` or ``<id>.txt``).

    A bad file is reported as a ``SeedProblem`` and skipped, so one broken essay
    never takes the others (or the bot) down with it. Nothing is logged here: each
    front end reports the problems once, in its own way (log line, stderr). Reading
    a PDF takes a good fraction of a second: callers on an event loop run this in a
    thread.
    """
    documents: list[Document] = []
    problems: list[SeedProblem] = []
    if not seeds_dir.is_dir():
        problems.append(SeedProblem(str(seeds_dir), "seeds folder not found"))
        return Library((), tuple(problems))
    for path in seed_files(seeds_dir):
        try:
            documents.append(ingest_file(path))
        except IngestError as exc:
            problems.append(SeedProblem(str(path), _reason(path, exc)))
    if not documents and not problems:
        problems.append(
            SeedProblem(str(seeds_dir), "no essays (*.pdf or *.txt) in the seeds folder")
        )
    return Library(tuple(documents), tuple(problems))


def _reason(path: Path, exc: IngestError) -> str:
    """The error without the file name it starts with: the problem names the path once."""
    message = str(exc)
    for prefix in (f"{path}: ", f"{path.name}: "):
        if message.startswith(prefix):
            return message.removeprefix(prefix)
    return message
