"""Opening the core services from settings: the one wiring shared by the bot and the console."""

from __future__ import annotations

import logging

from bot.app import Closer
from bot.core.library import load_library
from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore
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
    library = load_library(settings.seeds_dir)
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
    plans = PlanService(PlanStore(store, shards=settings.shards), index, service)
    return Services(index=index, prompts=service, plans=plans), store.close
