"""Sub-commands that show the essay's content: export, quote, section, search."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli._output import FAILED, Failure, print_json
from bot.commands import SPECS, add_cli_arguments
from bot.core.errors import NotFound
from bot.core.library import load_library
from bot.core.model import Library, Section
from bot.core.plan.service import find_essay
from bot.core.search import (
    WEAK_MATCH,
    PassageHit,
    QuoteHit,
    SearchIndex,
    SectionHit,
    absent_words_note,
    validate_query,
)
from bot.core.text import quoted
from bot.runtime import no_essays
from bot.settings import Settings


def add_parsers(sub: Any) -> None:
    export = sub.add_parser("export", help="print the whole index (sections, paragraphs, quotes)")
    export.add_argument("--json", action="store_true", help="machine-readable output")
    _add_seeds_option(export)
    export.set_defaults(func=run_export)

    quote = _search_parser(sub, "quote")
    quote.set_defaults(func=run_quote)

    section = _search_parser(sub, "section")
    section.add_argument(
        "--paragraphs", action="store_true", help="print each section's paragraphs too"
    )
    section.set_defaults(func=run_section)

    search = _search_parser(sub, "search")
    search.set_defaults(func=run_search)


def _add_seeds_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="folder of essays (default: $SEEDS_DIR or ./seeds)",
    )


def _search_parser(sub: Any, name: str) -> argparse.ArgumentParser:
    """The command's options from the registry, then what every search prints with."""
    spec = SPECS[name]
    parser: argparse.ArgumentParser = sub.add_parser(name, help=spec.help)
    add_cli_arguments(parser, spec)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--guild",
        default=None,
        help='server id: mark hits beyond its reading plan\'s point ("ahead")',
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help="at most N results (default: 10 with --json, else 3)",
    )
    _add_seeds_option(parser)
    return parser


def seeds_dir(args: argparse.Namespace) -> Path:
    """``--seeds``, else ``SEEDS_DIR`` from the settings (``.env`` plus the environment)."""
    seeds: Path | None = args.seeds
    return seeds if seeds is not None else Settings.load().seeds_dir


def load_for_cli(seeds: Path) -> Library:
    """The library, with every seed problem reported on stderr (one line each)."""
    library = load_library(seeds)
    if library.documents:
        for problem in library.problems:
            print(f"warning: {problem}", file=sys.stderr)
    return library


def require_essays(seeds: Path, library: Library) -> None:
    """No essay at all is a failure, said once: why each file (or the folder) was refused."""
    if not library.documents:
        raise Failure(no_essays(seeds, library.problems), FAILED)


def run_export(args: argparse.Namespace) -> int:
    seeds = seeds_dir(args)
    library = load_for_cli(seeds)
    if args.json:
        print_json(library.to_json())
    require_essays(seeds, library)
    if args.json:
        return 0
    for doc in library.documents:
        print(doc.title)
        if doc.subtitle:
            print(doc.subtitle)
        print(f"by {doc.author}  [{doc.id}]")
        for section in doc.sections:
            print(f"\n§ {section.number} {section.title}  ({len(section.paragraphs)} paragraphs)")
            for para in section.paragraphs:
                preview = para.text if len(para.text) <= 90 else para.text[:87] + "…"
                print(f"  ¶ {para.number} {preview}")
        print(f"\nQuotes ({len(doc.quotes)}):")
        for quote in doc.quotes:
            who = quote.speaker or ("pull quote" if quote.kind == "pull" else "—")
            print(f"  [{quote.kind}] {who}: {quote.text}  (§ {quote.section} ¶ {quote.paragraph})")
        print()
    return 0


Hit = QuoteHit | SectionHit | PassageHit


def _run_search(
    args: argparse.Namespace,
    words: Sequence[str],
    find: Callable[[SearchIndex, str, int, str | None], Sequence[Hit]],
    what: str = "passage",
    *,
    questions: bool = False,
) -> int:
    """Shared shape of quote/section/search: validate, load, search, print.

    With ``questions`` (search), a question none of whose words the essays use
    is told so (``absent_words_note``) instead of offered a did-you-mean.

    The query is checked before the essays are loaded, so a refused query
    answers at once (exit 2) and a missing library is a failure (exit 1).
    Refusals from the index (``UserError``) reach ``main``, which prints them.
    """
    limit = args.limit if args.limit is not None else (10 if args.json else 3)
    query = validate_query(" ".join(words))
    seeds = seeds_dir(args)
    library = load_for_cli(seeds)
    require_essays(seeds, library)
    index = SearchIndex.build(library)
    hits = find(index, query, limit, _scope(args, library))
    ahead = _ahead_marks(args, hits)
    if args.json:
        shown = [_hit_json(hit, library, args) for hit in hits]
        for row, mark in zip(shown, ahead or (), strict=False):
            row["ahead"] = mark
        print_json(shown)
        return 0
    if not hits:
        absent = index.absent_words(query) if questions else []
        if absent:
            print(absent_words_note(absent))
        else:
            print(no_match_message(query, index.suggestions(query), what))
        return 0
    several = len(library.documents) > 1
    if any(isinstance(h, PassageHit) and not h.confident for h in hits):
        print(WEAK_MATCH + "\n")
    marks = ahead or [False] * len(hits)
    texts = [
        _render(hit, several, library, args)
        + ("\n    (ahead of the server's reading plan)" if mark else "")
        for hit, mark in zip(hits, marks, strict=True)
    ]
    print("\n\n".join(texts))
    return 0


def _scope(args: argparse.Namespace, library: Library) -> str | None:
    """The essay searched: ``--essay``, else (with ``--guild``) the server's current one."""
    if args.guild is None:
        return find_essay(library.documents, args.essay).id if args.essay else None
    from bot.cli.plan import essay_scope_of, snowflake

    return essay_scope_of(snowflake(args.guild, "--guild"), library, args.essay)


def _ahead_marks(args: argparse.Namespace, hits: Sequence[Hit]) -> list[bool] | None:
    """With ``--guild``: for each hit, whether it lies beyond the server's reading point."""
    if args.guild is None:
        return None
    from bot.cli.plan import reading_point, snowflake

    point = reading_point(snowflake(args.guild, "--guild"))
    if point is None:
        return [False] * len(hits)
    now = datetime.now(UTC)
    return [point.scheduled(h.document, _section_of(h), now) is not None for h in hits]


def _section_of(hit: Hit) -> int:
    return hit.number if isinstance(hit, SectionHit) else hit.section


def _hit_json(hit: Hit, library: Library, args: argparse.Namespace) -> dict[str, Any]:
    data = hit.to_json()
    if isinstance(hit, SectionHit) and getattr(args, "paragraphs", False):
        data["paragraphs"] = [p.text for p in _section(library, hit).paragraphs]
    return data


def _section(library: Library, hit: SectionHit) -> Section:
    (doc,) = [d for d in library.documents if d.id == hit.document]
    return doc.section(hit.number)


def no_match_message(query: str, suggestions: Sequence[str], what: str = "passage") -> str:
    """The text answer to a query that found nothing: what was asked, and what might work."""
    message = f'No {what} matches "{query}".'
    if suggestions:
        quoted = [f'"{s}"' for s in suggestions]
        options = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        message += f"\nDid you mean {options}?"
    return message


def _cite(section: int, title: str, paragraph: int | None, document: str, several: bool) -> str:
    where = f"§ {section} {title}"
    if paragraph is not None:
        where += f", ¶ {paragraph}"
    return f"{where} [{document}]" if several else where


def _render(hit: Hit, several: bool, library: Library, args: argparse.Namespace) -> str:
    if isinstance(hit, QuoteHit):
        who = hit.speaker or ("pull quote" if hit.kind == "pull" else "from the text")
        cite = _cite(hit.section, hit.section_title, hit.paragraph, hit.document, several)
        text = hit.text if hit.kind == "passage" else quoted(hit.text)
        body = _wrap(text)
        return f"{body}\n    — {who} · {cite} · score {hit.score:.0f}"
    if isinstance(hit, SectionHit):
        head = f"§ {hit.number} {hit.title}" + (f" [{hit.document}]" if several else "")
        head += f"  (score {hit.score:.0f})"
        if not getattr(args, "paragraphs", False):
            return head
        paragraphs = _section(library, hit).paragraphs
        return "\n\n".join([head, *(_wrap(f"¶ {p.number} {p.text}") for p in paragraphs)])
    cite = _cite(hit.section, hit.section_title, hit.paragraph, hit.document, several)
    return f"{cite}  (score {hit.score:.0f})\n{_wrap(hit.text)}"


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, break_on_hyphens=False, break_long_words=False)


def run_quote(args: argparse.Namespace) -> int:
    return _run_search(
        args,
        args.query,
        lambda ix, q, n, essay: ix.quotes(q, speaker=args.speaker, document=essay, limit=n),
    )


def run_section(args: argparse.Namespace) -> int:
    return _run_search(args, args.name, find_sections, "section")


def find_sections(
    index: SearchIndex, query: str, limit: int, essay: str | None = None
) -> list[SectionHit]:
    """What ``/section`` accepts and refuses, as a ranked list.

    Like the console and Discord: what ``resolve_section`` refuses ("There is no
    section 99; …", a number several essays share, a name like nothing) is an error,
    unless other words would find something, which the no-match message offers.
    """
    try:
        index.resolve_section(query, document=essay)
    except NotFound:
        if not index.suggestions(query):
            raise
        return []
    return index.sections(query, document=essay, limit=limit)


def run_search(args: argparse.Namespace) -> int:
    return _run_search(
        args,
        args.query,
        lambda ix, q, n, essay: ix.passages(q, document=essay, limit=n),
        questions=True,
    )
