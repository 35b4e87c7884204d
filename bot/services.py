"""What the front ends (Discord cogs, console) need from the core, and how they get it.

The search index and the prompt service are written to the agreed interfaces in
``bot/core/search.py`` and ``bot/core/prompts.py``. The front ends depend on the
narrow structural types below rather than on those classes, so a test can hand a
cog a small typed fake and the real objects fit without adapters.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from bot.core.model import Document, Library


class ChoiceLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> str: ...


class QuoteHitLike(Protocol):
    @property
    def kind(self) -> Literal["spoken", "pull", "passage"]: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def document(self) -> str: ...
    @property
    def section(self) -> int: ...
    @property
    def section_title(self) -> str: ...
    @property
    def paragraph(self) -> int: ...


class SectionHitLike(Protocol):
    @property
    def document(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...


class PassageHitLike(Protocol):
    @property
    def document(self) -> str: ...
    @property
    def section(self) -> int: ...
    @property
    def section_title(self) -> str: ...
    @property
    def paragraph(self) -> int: ...
    @property
    def text(self) -> str: ...


class Index(Protocol):
    """The part of ``SearchIndex`` the front ends call."""

    @property
    def library(self) -> Library: ...
    def quotes(
        self, query: str, *, speaker: str | None = None, limit: int = 10
    ) -> Sequence[QuoteHitLike]: ...
    def sections(self, query: str, *, limit: int = 10) -> Sequence[SectionHitLike]: ...
    def passages(
        self,
        query: str,
        *,
        document: str | None = None,
        section: int | None = None,
        limit: int = 10,
    ) -> Sequence[PassageHitLike]: ...
    def suggestions(self, query: str, *, limit: int = 3) -> Sequence[str]: ...
    def speakers(self) -> Sequence[str]: ...
    def complete_sections(self, typed: str) -> Sequence[ChoiceLike]: ...
    def complete_speakers(self, typed: str) -> Sequence[ChoiceLike]: ...
    def complete_quotes(self, typed: str) -> Sequence[ChoiceLike]: ...


class PromptLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def guild(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def document(self) -> str | None: ...
    @property
    def section(self) -> int | None: ...
    @property
    def paragraph(self) -> int | None: ...
    @property
    def status(self) -> Literal["open", "removed"]: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def builtin(self) -> bool: ...
    def to_json(self) -> dict[str, Any]: ...


class Prompts(Protocol):
    """The part of ``PromptService`` the front ends call."""

    async def add(
        self, *, guild: str, channel: str | None, author: str, text: str, section: str | None
    ) -> tuple[PromptLike, bool]: ...
    async def random(
        self, *, guild: str, channel: str | None, actor: str, section: str | None
    ) -> PromptLike: ...
    async def list(
        self,
        *,
        guild: str,
        section: str | None = None,
        author: str | None = None,
        include_removed: bool = False,
    ) -> Sequence[PromptLike]: ...
    async def remove(
        self, *, guild: str, number: int, actor: str, can_moderate: bool, channel: str | None
    ) -> PromptLike: ...
    async def restore(
        self, *, guild: str, number: int, actor: str, can_moderate: bool, channel: str | None
    ) -> PromptLike: ...
    async def export(self, *, guild: str) -> tuple[bytes, bytes]: ...


@dataclass(slots=True)
class Services:
    """Everything a command needs, built once at start-up and shared by every front end."""

    index: Index
    prompts: Prompts
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
