"""Discussion prompts: the one place for prompt behaviour, for every front end.

The Discord cog, the console and the CLI all call ``PromptService``: validation,
duplicates, linking a prompt to the passage it is about, random draws from the
server's prompts plus the built-in ones (``seeds/<essay>.prompts.json``), who may
remove what, export. Storage is ``bot.core.prompt_store``; its public names are
re-exported here so front ends need one import.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import random as _random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.core.errors import Forbidden, InvalidInput, NotFound, UserError
from bot.core.model import SeedProblem
from bot.core.prompt_store import (
    EventKind,
    Migration,
    Prompt,
    PromptEvent,
    PromptList,
    PromptStore,
    Status,
    load_migrations,
    text_key,
)
from bot.core.search import SearchIndex
from bot.core.text import clean_user_text, fold, shorten

__all__ = [
    "BUILTIN_AUTHOR",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "BuiltinPrompt",
    "BuiltinPromptError",
    "EventKind",
    "Migration",
    "Prompt",
    "PromptEvent",
    "PromptService",
    "PromptStore",
    "SimilarPrompt",
    "Status",
    "load_builtin_prompts",
    "load_migrations",
    "parse_builtin_prompts",
    "text_key",
    "validate_prompt_text",
]

log = logging.getLogger(__name__)

MIN_LENGTH = 10
MAX_LENGTH = 1000
BUILTIN_AUTHOR = "built-in"
BUILTIN_SUFFIX = ".prompts.json"

# The retrieval core refuses queries over 300 characters; a prompt can be longer.
_LINK_QUERY_LENGTH = 300
_MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>", re.IGNORECASE)
_BUILTIN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
#: ``token_set_ratio`` (0-100) of the folded texts at which a new prompt is "nearly the same".
SIMILARITY = 90
_EventJson = list[dict[str, Any]]  # spelled here: inside PromptService, ``list`` is a method


class SimilarPrompt(UserError):
    """A proposed prompt nearly repeats one the server has; ``force`` adds it anyway."""

    def __init__(self, similar: Prompt, *, hint: str | None = None) -> None:
        message = f"Similar to #{similar.number}: {shorten(similar.text, 300)}"
        super().__init__(f"{message} ({hint})" if hint else message)
        self.similar = similar


@dataclass(frozen=True, slots=True)
class BuiltinPrompt:
    """A prompt shipped beside an essay in ``seeds/``; ``id`` is ``<document>/<slug>``."""

    id: str
    document: str
    section: int
    text: str
    paragraph: int | None = None


# --- text rules --------------------------------------------------------------------------


def validate_prompt_text(raw: str) -> str:
    """The cleaned text of a proposed prompt, or ``InvalidInput`` saying what to fix.

    Mentions are refused rather than escaped: a prompt is posted publicly later, by the
    bot, so "@everyone" in it would be a ping by proxy (or, escaped, just noise).
    """
    text = clean_user_text(raw)
    if not text:
        raise InvalidInput("A prompt can't be empty.")
    if len(text) < MIN_LENGTH:
        raise InvalidInput(
            f"A prompt needs at least {MIN_LENGTH} characters (this one has {len(text)})."
        )
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            f"A prompt can be at most {MAX_LENGTH} characters (this one has {len(text)})."
        )
    if _MENTION.search(text):
        raise InvalidInput("A prompt can't mention anyone: remove @everyone, @here or <@…>.")
    if sum(ch.isalpha() for ch in text) < 3:
        raise InvalidInput("A prompt needs words, not only symbols or numbers.")
    return text


# --- built-in prompts --------------------------------------------------------------------


class BuiltinPromptError(ValueError):
    """A built-in prompts file is malformed; the message names the entry."""


def load_builtin_prompts(
    seeds_dir: Path,
) -> tuple[tuple[BuiltinPrompt, ...], tuple[SeedProblem, ...]]:
    """Every ``<essay>.prompts.json`` in the seeds folder; a bad file is reported, not fatal.

    The problems are returned, not logged: the caller reports each once.
    """
    prompts: list[BuiltinPrompt] = []
    problems: list[SeedProblem] = []
    for path in sorted(seeds_dir.glob(f"*{BUILTIN_SUFFIX}")):
        try:
            prompts.extend(parse_builtin_prompts(path))
        except BuiltinPromptError as exc:
            problems.append(SeedProblem(str(path), str(exc)))
    return tuple(prompts), tuple(problems)


def parse_builtin_prompts(path: Path) -> list[BuiltinPrompt]:
    """Read and validate one file: ``{"prompts": [{"id", "section", "text"[, "paragraph"]}]}``.

    The document is named by the file (``X.prompts.json`` belongs to ``X.txt``), so the
    two cannot disagree.
    """
    document = path.name.removesuffix(BUILTIN_SUFFIX)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BuiltinPromptError(f"cannot read: {exc}") from exc
    if not isinstance(data, dict) or set(data) - {"note", "prompts"}:
        raise BuiltinPromptError('expected an object with "prompts" (and optionally "note")')
    entries = data.get("prompts")
    if not isinstance(entries, list) or not entries:
        raise BuiltinPromptError('"prompts" must be a non-empty list')
    seen: set[str] = set()
    keys: set[str] = set()
    result: list[BuiltinPrompt] = []
    for position, entry in enumerate(entries, start=1):
        where = f"prompt {position}"
        if not isinstance(entry, dict) or set(entry) - {"id", "section", "paragraph", "text"}:
            raise BuiltinPromptError(f"{where}: expected keys id, section, text (and paragraph)")
        slug, section, text = entry.get("id"), entry.get("section"), entry.get("text")
        paragraph = entry.get("paragraph")
        if not isinstance(slug, str) or not _BUILTIN_ID.match(slug) or slug in seen:
            raise BuiltinPromptError(f"{where}: id must be a unique lowercase slug, got {slug!r}")
        if not isinstance(section, int) or not _positive_int(section):
            raise BuiltinPromptError(f"{where} ({slug}): section must be a number >= 1")
        if not (paragraph is None or _positive_int(paragraph)):
            raise BuiltinPromptError(f"{where} ({slug}): paragraph must be a number >= 1")
        if not isinstance(text, str):
            raise BuiltinPromptError(f"{where} ({slug}): text must be a string")
        try:
            clean = validate_prompt_text(text)
        except InvalidInput as exc:
            raise BuiltinPromptError(f"{where} ({slug}): {exc}") from exc
        if clean != text:
            raise BuiltinPromptError(f"{where} ({slug}): text has stray spaces or invisibles")
        if text_key(clean) in keys:
            raise BuiltinPromptError(f"{where} ({slug}): same text as an earlier prompt")
        seen.add(slug)
        keys.add(text_key(clean))
        result.append(BuiltinPrompt(f"{document}/{slug}", document, section, clean, paragraph))
    return result


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


# --- behaviour ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    document: str | None = None
    section: int | None = None
    paragraph: int | None = None


@dataclass(slots=True)
class _Builtins:
    prompts: tuple[BuiltinPrompt, ...] = ()
    by_key: dict[str, BuiltinPrompt] = field(default_factory=dict)
    by_id: dict[str, BuiltinPrompt] = field(default_factory=dict)


class PromptService:
    """Everything a member can do with prompts, for every front end.

    ``guild``, ``author`` and ``actor`` are ids as strings; ``section`` is whatever the
    member typed (a number or part of a title). Refusals are ``UserError``s whose message
    is meant to be shown as it is.
    """

    def __init__(
        self,
        store: PromptStore,
        index: SearchIndex,
        builtins: Iterable[BuiltinPrompt] = (),
        *,
        rng: _random.Random | None = None,
    ) -> None:
        self.store = store
        self._index = index
        self._rng = rng or _random.Random()
        self._loaded_at = datetime.now(UTC)
        self._builtins = self._check_builtins(builtins)

    @property
    def builtins(self) -> tuple[BuiltinPrompt, ...]:
        """The built-in prompts in use (with paragraphs linked), in file order."""
        return self._builtins.prompts

    async def add(
        self,
        *,
        guild: str,
        channel: str | None,
        author: str,
        text: str,
        section: str | None = None,
        essay: str | None = None,
        force: bool = False,
    ) -> tuple[Prompt, bool]:
        """Propose a prompt; ``(prompt, True)`` if new, ``(existing, False)`` if a duplicate.

        A text nearly the same as one of the server's open prompts is refused with
        ``SimilarPrompt`` (so the member can look before repeating it), unless ``force``.
        ``essay`` (the server's current one) is where a section name is looked up and
        where the prompt is linked when no section is named.
        """
        clean = validate_prompt_text(text)
        builtin = self._builtins.by_key.get(text_key(clean))
        if builtin is not None:
            return self._as_prompt(builtin, guild), False
        if not force:
            similar = await self.similar_to(guild=guild, text=clean)
            if similar is not None:
                raise SimilarPrompt(similar)
        if section is not None and clean_user_text(section):
            document, number = self.resolve_section(section, essay)
            place = self._best_place(clean, document, number)
        else:
            place = self._best_place(clean, essay)
        return await self.store.add(
            guild=guild,
            channel=channel,
            author=author,
            text=clean,
            document=place.document,
            section=place.section,
            paragraph=place.paragraph,
        )

    async def similar_to(self, *, guild: str, text: str) -> Prompt | None:
        """The server's open prompt most like ``text``, if nearly the same (``SIMILARITY``).

        Texts are compared folded (case, diacritics, punctuation); an exact repeat is
        not "similar": the store answers it as the existing prompt.
        """
        key, folded = text_key(text), fold(text)
        best: tuple[float, Prompt] | None = None
        for prompt in await self.store.list(guild):
            if text_key(prompt.text) == key:
                return None
            score = fuzz.token_set_ratio(folded, fold(prompt.text))
            if score >= SIMILARITY and (best is None or score > best[0]):
                best = (score, prompt)
        return best[1] if best is not None else None

    async def check_random(
        self, *, guild: str, section: str | None = None, essay: str | None = None
    ) -> None:
        """Raise what ``random`` would refuse with (an unknown section, no prompts), and no more.

        A front end that answers ``random`` publicly asks this first, so that a
        refusal can still be said privately.
        """
        await self._random_pool(guild, section, essay)

    async def random(
        self,
        *,
        guild: str,
        channel: str | None,
        actor: str,
        section: str | None = None,
        essay: str | None = None,
    ) -> Prompt:
        """Draw one open prompt (the server's or a built-in one) and log that it was posted.

        With ``essay`` (the server's current one), only prompts about it or about no
        passage at all: a group reading one essay is not handed another's questions.
        """
        place, pool, own = await self._random_pool(guild, section, essay)
        pick = self._rng.randrange(own + len(pool))
        if pick < own:
            found = await self.store.list(
                guild, document=place.document, section=place.section, limit=1, offset=pick
            )
            if found:
                prompt = found[0]
                await self.store.log_posted(
                    guild=guild, number=prompt.number, actor=actor, channel=channel
                )
                return prompt
            # Removed between the count and the read: fall back to a built-in prompt.
            if not pool:
                raise NotFound("There are no prompts for that section yet.")
            pick = own + self._rng.randrange(len(pool))
        builtin = pool[pick - own]
        await self.store.log_posted(guild=guild, builtin=builtin.id, actor=actor, channel=channel)
        return self._as_prompt(builtin, guild)

    async def list(
        self,
        *,
        guild: str,
        section: str | None = None,
        essay: str | None = None,
        author: str | None = None,
        include_removed: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> PromptList:
        """This server's prompts, newest first (``limit``/``offset`` for paging).

        The whole log, of every essay; ``essay`` only says where a section name is
        looked up.
        """
        place = self._section_filter(section, essay)
        return await self.store.list(
            guild,
            document=place.document,
            section=place.section,
            author=self._author_filter(author),
            include_removed=include_removed,
            limit=limit,
            offset=offset,
        )

    async def count(
        self,
        *,
        guild: str,
        section: str | None = None,
        essay: str | None = None,
        author: str | None = None,
        include_removed: bool = False,
    ) -> int:
        """How many prompts ``list`` would return without a limit (for "page 2 of 7")."""
        place = self._section_filter(section, essay)
        return await self.store.count(
            guild,
            document=place.document,
            section=place.section,
            author=self._author_filter(author),
            include_removed=include_removed,
        )

    async def remove(
        self,
        *,
        guild: str,
        number: int,
        actor: str,
        can_moderate: bool,
        channel: str | None = None,
    ) -> Prompt:
        """Soft-delete, by the prompt's author or a moderator (``can_moderate``)."""
        await self._check_may_change(guild, number, actor, can_moderate, "remove")
        return await self.store.remove(guild=guild, number=number, actor=actor, channel=channel)

    async def restore(
        self,
        *,
        guild: str,
        number: int,
        actor: str,
        can_moderate: bool,
        channel: str | None = None,
    ) -> Prompt:
        await self._check_may_change(guild, number, actor, can_moderate, "restore")
        return await self.store.restore(guild=guild, number=number, actor=actor, channel=channel)

    async def export(self, *, guild: str) -> tuple[bytes, bytes]:
        """``(csv, json)`` of this server's prompts and their whole log.

        The CSV has one row per event with its prompt beside it (a spreadsheet of the
        log), its status the one the prompt had just after that event; the JSON has
        the prompts, each with its events, and the built-in posts.
        """
        prompts = await self.store.list(guild, include_removed=True)
        events = await self.store.events(guild)
        by_number = {p.number: p for p in prompts}
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_CSV_HEADER)
        status_now: dict[int, str] = {}  # each prompt's status as the log replays
        for event in events:
            prompt = (
                by_number.get(event.number)
                if event.number is not None
                else self._builtin_prompt(event.builtin, guild)
            )
            status: str = prompt.status if prompt else ""
            if event.number is not None:
                status = _STATUS_AFTER.get(event.kind, status_now.get(event.number, status))
                status_now[event.number] = status
            writer.writerow(
                _csv_safe(
                    [
                        event.at.isoformat(),
                        event.kind,
                        event.actor,
                        event.channel or "",
                        event.number if event.number is not None else "",
                        event.builtin or "",
                        status,
                        prompt.author if prompt else "",
                        _blank(prompt.section if prompt else None),
                        _blank(prompt.paragraph if prompt else None),
                        prompt.text if prompt else "",
                    ]
                )
            )
        history: dict[int, _EventJson] = {}
        for event in events:
            if event.number is not None:
                history.setdefault(event.number, []).append(event.to_json())
        document = {
            "guild": guild,
            "exported_at": datetime.now(UTC).isoformat(),
            "prompts": [
                {
                    **p.to_json(),
                    "channel": p.channel,
                    "document": p.document,
                    "updated_at": p.updated_at.isoformat(),
                    "events": history.get(p.number, []),
                }
                for p in sorted(prompts, key=lambda p: p.number)
            ],
            "builtin_posts": [e.to_json() for e in events if e.builtin is not None],
        }
        as_json = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        return buffer.getvalue().encode("utf-8"), as_json.encode("utf-8")

    def resolve_section(self, typed: str, essay: str | None = None) -> tuple[str, int]:
        """``(document id, section number)`` for what a member typed: "3", "§ 3" or a title;
        in ``essay`` when given (the server's current one), else in any loaded essay."""
        if not clean_user_text(typed):
            raise InvalidInput("Name a section (its number or title), or leave it out.")
        hit = self._index.resolve_section(typed, document=essay)
        return hit.document, hit.number

    # -- helpers --

    async def _random_pool(
        self, guild: str, section: str | None, essay: str | None
    ) -> tuple[_Place, tuple[BuiltinPrompt, ...], int]:
        """The filter (section, else the essay), the built-ins in it and how many of the
        server's own prompts are."""
        place = self._section_filter(section, essay)
        if place.section is None:
            place = _Place(essay)
        pool = tuple(b for b in self._builtins.prompts if _within(b, place))
        own = await self.store.count(guild, document=place.document, section=place.section)
        if own + len(pool) == 0:
            raise NotFound("There are no prompts for that section yet.")
        return place, pool, own

    def _section_filter(self, section: str | None, essay: str | None) -> _Place:
        if section is None or not clean_user_text(section):
            return _Place()
        document, number = self.resolve_section(section, essay)
        return _Place(document, number)

    @staticmethod
    def _author_filter(author: str | None) -> str | None:
        if author is None:
            return None
        return clean_user_text(author) or None

    def _best_place(
        self, text: str, document: str | None = None, section: int | None = None
    ) -> _Place:
        """The passage a prompt is about: best match in ``section`` if given, else anywhere.

        Linking is a convenience; if retrieval finds nothing, the prompt is stored with
        just the section (or nothing) rather than refused.
        """
        query = _link_query(text)
        try:
            hits = self._index.passages(query, document=document, section=section, limit=1)
        except UserError as exc:
            log.debug("no passage for prompt (%s)", exc)
            hits = []
        if hits:
            hit = hits[0]
            return _Place(hit.document, hit.section, hit.paragraph)
        return _Place(document, section)

    async def _check_may_change(
        self, guild: str, number: int, actor: str, can_moderate: bool, verb: str
    ) -> None:
        prompt = await self.store.get(guild, number) if number >= 1 else None
        if prompt is None:
            raise NotFound(f"This server has no prompt #{number}.")
        if prompt.author != actor and not can_moderate:
            raise Forbidden(f"Only the author of prompt #{number} or a moderator can {verb} it.")

    def _check_builtins(self, builtins: Iterable[BuiltinPrompt]) -> _Builtins:
        """Keep built-ins whose section exists in the library, each linked to a paragraph."""
        documents = {d.id: d for d in self._index.library.documents}
        kept: list[BuiltinPrompt] = []
        for builtin in builtins:
            doc = documents.get(builtin.document)
            if doc is None or builtin.section > len(doc.sections):
                log.warning("built-in prompt %s names a missing section; skipped", builtin.id)
                continue
            paragraph = builtin.paragraph
            if paragraph is not None and paragraph > len(doc.section(builtin.section).paragraphs):
                log.warning("built-in prompt %s names a missing paragraph; unlinked", builtin.id)
                paragraph = None
            if paragraph is None:
                paragraph = self._best_place(builtin.text, doc.id, builtin.section).paragraph
            kept.append(
                BuiltinPrompt(
                    builtin.id, builtin.document, builtin.section, builtin.text, paragraph
                )
            )
        return _Builtins(
            prompts=tuple(kept),
            by_key={text_key(b.text): b for b in kept},
            by_id={b.id: b for b in kept},
        )

    def _builtin_prompt(self, builtin_id: str | None, guild: str) -> Prompt | None:
        builtin = self._builtins.by_id.get(builtin_id or "")
        return self._as_prompt(builtin, guild) if builtin else None

    def _as_prompt(self, builtin: BuiltinPrompt, guild: str) -> Prompt:
        return Prompt(
            number=0,
            guild=guild,
            channel=None,
            author=BUILTIN_AUTHOR,
            text=builtin.text,
            document=builtin.document,
            section=builtin.section,
            paragraph=builtin.paragraph,
            status="open",
            created_at=self._loaded_at,
            updated_at=self._loaded_at,
            builtin=True,
        )


def _within(builtin: BuiltinPrompt, place: _Place) -> bool:
    """Whether a built-in prompt passes a filter: its section, else its essay, else any."""
    if place.section is not None:
        return (builtin.document, builtin.section) == (place.document, place.section)
    return place.document is None or builtin.document == place.document


def _link_query(text: str) -> str:
    """The prompt cut to what retrieval accepts, at a word boundary."""
    return shorten(text, _LINK_QUERY_LENGTH, mark="")


_CSV_HEADER = (
    "at",
    "event",
    "actor",
    "channel",
    "number",
    "builtin",
    "status",
    "author",
    "section",
    "paragraph",
    "text",
)
#: The status an event leaves its prompt in; a "posted" event leaves it as it was.
_STATUS_AFTER = {"submitted": "open", "removed": "removed", "restored": "open"}


def _blank(value: int | None) -> str | int:
    return "" if value is None else value


def _csv_safe(row: Sequence[object]) -> list[object]:
    """Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection)."""
    return [
        "'" + value
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")
        else value
        for value in row
    ]
