"""What the front ends (Discord cogs, console) need from the core, and how they get it.

``Services`` holds the real search index, prompt service and plan service, built once at start-up
(``bot.runtime.open_services``); tests build the same objects over hand-made documents
and a temporary database, so every front end runs against the product's own logic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.core.model import Document
from bot.core.plan.service import PlanService
from bot.core.prompts import PromptService
from bot.core.search import SearchIndex


@dataclass(slots=True)
class Services:
    """Everything a command needs, built once at start-up and shared by every front end."""

    index: SearchIndex
    prompts: PromptService
    plans: PlanService
    started: float = field(default_factory=time.monotonic)

    def document(self, doc_id: str) -> Document | None:
        for doc in self.index.library.documents:
            if doc.id == doc_id:
                return doc
        return None


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking, and where: the same for a Discord interaction and the console."""

    user: str
    guild: str | None
    channel: str | None
    can_moderate: bool = False
    can_manage_guild: bool = False
