"""Opening the core services from settings: the one wiring shared by the bot and the console."""

from __future__ import annotations

import asyncio
import logging

from bot.app import Closer
from bot.core.library import load_library
from bot.core.prompts import PromptService, PromptStore, load_builtin_prompts
from bot.core.search import SearchIndex
from bot.services import Services
from bot.settings import Settings

log = logging.getLogger(__name__)


async def open_services(settings: Settings) -> tuple[Services, Closer]:
    """The index (from the seeds) and the prompt service (database opened and migrated).

    Seed problems are logged and skipped, so one bad file never keeps the bot down;
    an unusable database raises ``StorageError`` with a message fit for the operator.
    """
    library = await asyncio.to_thread(load_library, settings.seeds_dir)
    for problem in library.problems:
        log.warning("seed problem: %s", problem)
    index = SearchIndex.build(library)
    builtins, problems = load_builtin_prompts(settings.seeds_dir)
    for problem in problems:
        log.warning("built-in prompts problem: %s", problem)
    store = await PromptStore.open(settings.database_path)
    service = PromptService(store, index, builtins)
    log.info(
        "indexed %d essays; prompt database %s", len(library.documents), settings.database_path
    )
    return Services(index=index, prompts=service), store.close
