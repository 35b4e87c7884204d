"""Opening the core services from settings: the one wiring shared by the bot and the console."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.library import load_library
from bot.core.model import SeedProblem
from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore
from bot.core.prompts import PromptService, PromptStore, load_builtin_prompts
from bot.core.search import SearchIndex
from bot.core.search.semantic import load_ranker, resolve_model_dir
from bot.services import Services
from bot.settings import Settings

if TYPE_CHECKING:  # the one-shot CLI commands import this module: no discord.py for them
    from bot.app import Closer

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot or the console cannot start; the message is one line for the operator."""


def no_essays(seeds_dir: Path, problems: Sequence[SeedProblem]) -> str:
    """One line for an empty library: where we looked and why nothing loaded."""
    folder = str(seeds_dir)
    why = "; ".join(p.reason if p.path == folder else str(p) for p in problems)
    return f"no essay could be loaded from {seeds_dir} ({why or 'nothing found'}); check SEEDS_DIR"


async def open_services(settings: Settings) -> tuple[Services, Closer]:
    """The index (from the seeds) and the prompt service (database opened and migrated).

    Seed problems are logged once each and skipped, so one bad file never keeps the
    bot down; no essay at all raises ``StartupError``, since a bot with nothing to
    quote would only answer every command with "not found". An unusable database
    raises ``StorageError`` with a message fit for the operator.
    """
    library = await asyncio.to_thread(load_library, settings.seeds_dir)
    if not library.documents:
        raise StartupError(no_essays(settings.seeds_dir, library.problems))
    for problem in library.problems:
        log.warning("seed problem: %s", problem)
    index = SearchIndex.build(library)
    builtins, problems = load_builtin_prompts(settings.seeds_dir)
    for problem in problems:
        log.warning("built-in prompts problem: %s", problem)
    store = await PromptStore.open(settings.database)
    service = PromptService(store, index, builtins)
    log.info(
        "indexed %d essays; prompt database %s (%s)",
        len(library.documents),
        store.db.where,
        store.db.dialect,
    )
    semantic = start_semantic(settings, index)

    async def close() -> None:
        await store.close()
        if semantic is not None:
            await semantic  # a worker thread cannot be cancelled; it ends within seconds

    plans = PlanService(PlanStore(store, shards=settings.shards), index, service)
    return Services(index=index, prompts=service, plans=plans), close


def start_semantic(settings: Settings, index: SearchIndex) -> asyncio.Future[object] | None:
    """Embed the library for the semantic ranker in a worker thread, if one is configured.

    /search answers lexically until the ranker is attached, and autocomplete
    never uses it; the vectors are cached in ``<database dir>/semantic-cache``.
    """
    if settings.semantic_model is None:
        return None
    data_dir = settings.database_path.parent
    folder = resolve_model_dir(settings.semantic_model, data_dir)
    return asyncio.ensure_future(
        asyncio.to_thread(load_ranker, index, folder, data_dir / "semantic-cache")
    )
