"""Sub-commands that show the essay's content: export (and, later, quote/section/search)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from bot.core.library import load_library
from bot.core.model import Library


def add_parsers(sub: Any) -> None:
    export = sub.add_parser("export", help="print the whole index (sections, paragraphs, quotes)")
    export.add_argument("--json", action="store_true", help="machine-readable output")
    _add_seeds_option(export)
    export.set_defaults(func=run_export)


def _add_seeds_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="folder of essays (default: $SEEDS_DIR or ./seeds)",
    )


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
