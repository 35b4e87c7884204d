"""A plan service over a real temporary database (SQLite and PostgreSQL) and a small essay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore
from bot.core.prompts import PromptService, PromptStore
from bot.core.search import SearchIndex
from tests.core.test_prompts import BUILTINS, make_library


@pytest.fixture
async def db(db_target: Path | str) -> AsyncIterator[PromptStore]:
    opened = await PromptStore.open(db_target)
    yield opened
    await opened.close()


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(make_library())


@pytest.fixture
def prompts(db: PromptStore, index: SearchIndex) -> PromptService:
    return PromptService(db, index, BUILTINS)


@pytest.fixture
def plans(db: PromptStore, index: SearchIndex, prompts: PromptService) -> PlanService:
    return PlanService(PlanStore(db), index, prompts)
