"""Sub-commands that show the essay's content: export, quote, section, search."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.core.errors import StorageError, UserError
from bot.core.library import load_library
from bot.core.model import Library
from bot.core.search import PassageHit, QuoteHit, SearchIndex, SectionHit, validate_query


def add_parsers(sub: Any) -> None:
    export = sub.add_parser("export", help="print the whole index (sections, paragraphs, quotes)")
    export.add_argument("--json", action="store_true", help="machine-readable output")
    _add_seeds_option(export)
    export.set_defaults(func=run_export)

    quote = sub.add_parser("quote", help="find a quotation (spoken, pull quote or sentence)")
    _add_search_options(quote)
    quote.add_argument("--speaker", default=None, help="only quotes by this speaker (fuzzy)")
    quote.set_defaults(func=run_quote)

    section = sub.add_parser("section", help="find a section by number, title or content")
    _add_search_options(section)
    section.set_defaults(func=run_section)

    search = sub.add_parser("search", help="find the paragraphs that best match")
    _add_search_options(search)
    search.set_defaults(func=run_search)


def _add_seeds_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="folder of essays (default: $SEEDS_DIR or ./seeds)",
    )


def _add_search_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query", metavar="QUERY", nargs="+", help="words to look for (typos and all)"
    )
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


def load_for_cli(args: argparse.Namespace) -> Library:
    """The library, with every seed problem reported on stderr (one line each)."""
    seeds = args.seeds or Path(os.environ.get("SEEDS_DIR") or "seeds")
    library = load_library(seeds)
    for problem in library.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return library


def run_export(args: argparse.Namespace) -> int:
    library = load_for_cli(args)
    if args.json:
        json.dump(library.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if library.documents else 1
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
    return 0 if library.documents else 1


Hit = QuoteHit | SectionHit | PassageHit


def _run_search(
    args: argparse.Namespace, find: Callable[[SearchIndex, str, int], Sequence[Hit]]
) -> int:
    """Shared shape of quote/section/search: validate, load, search, print.

    The query is checked before the essays are loaded, so a refused query
    answers at once (exit 2) and a missing library is a failure (exit 1).
    """
    limit = args.limit if args.limit is not None else (10 if args.json else 3)
    try:
        query = validate_query(" ".join(args.query))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    library = load_for_cli(args)
    if not library.documents:
        print("error: no essay could be loaded", file=sys.stderr)
        return 1
    index = SearchIndex.build(library)
    try:
        hits = find(index, query, limit)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        ahead = _ahead_marks(args, hits)
    except UserError as exc:  # a bad --guild (exit 2) or an unusable database (exit 1)
        print(f"error: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, StorageError) else 2
    if args.json:
        shown = [h.to_json() for h in hits]
        for row, mark in zip(shown, ahead or (), strict=False):
            row["ahead"] = mark
        json.dump(shown, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not hits:
        print(no_match_message(query, index.suggestions(query)))
        return 0
    several = len(library.documents) > 1
    marks = ahead or [False] * len(hits)
    texts = [
        _render(hit, several) + ("\n    (ahead of the server's reading plan)" if mark else "")
        for hit, mark in zip(hits, marks, strict=True)
    ]
    print("\n\n".join(texts))
    return 0


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


def no_match_message(query: str, suggestions: Sequence[str]) -> str:
    """The text answer to a query that found nothing: what was asked, and what might work."""
    message = f'No passage matches "{query}".'
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


def _render(hit: Hit, several: bool) -> str:
    if isinstance(hit, QuoteHit):
        who = hit.speaker or ("pull quote" if hit.kind == "pull" else "from the text")
        cite = _cite(hit.section, hit.section_title, hit.paragraph, hit.document, several)
        text = hit.text if hit.kind == "passage" else f"“{hit.text.strip('“”')}”"
        body = _wrap(text)
        return f"{body}\n    — {who} · {cite} · score {hit.score:.0f}"
    if isinstance(hit, SectionHit):
        return (
            f"§ {hit.number} {hit.title}"
            + (f" [{hit.document}]" if several else "")
            + (f"  (score {hit.score:.0f})")
        )
    cite = _cite(hit.section, hit.section_title, hit.paragraph, hit.document, several)
    return f"{cite}  (score {hit.score:.0f})\n{_wrap(hit.text)}"


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, break_on_hyphens=False, break_long_words=False)


def run_quote(args: argparse.Namespace) -> int:
    return _run_search(args, lambda ix, q, n: ix.quotes(q, speaker=args.speaker, limit=n))


def run_section(args: argparse.Namespace) -> int:
    return _run_search(args, lambda ix, q, n: ix.sections(q, limit=n))


def run_search(args: argparse.Namespace) -> int:
    return _run_search(args, lambda ix, q, n: ix.passages(q, limit=n))
