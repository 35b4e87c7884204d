"""Replies as data: the embeds, text and buttons a command answers with.

Every command builds a ``Reply`` here, away from Discord's transport, so that the
Discord view and the offline console show the very same objects. A reply with
buttons carries a ``Screen``: the state behind the buttons, which both front ends
drive with ``press``.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.core.model import Document
from bot.core.search import Choice
from bot.core.text import ELLIPSIS, shorten

# Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
MESSAGE_CONTENT = 2000
CHOICES = 25
BUTTON_LABEL = 80

COLOUR = discord.Colour.from_rgb(0x3B, 0x6E, 0xA5)


def escape(text: str) -> str:
    """User or essay text made inert: no markdown formatting, no mention syntax."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def cut(text: str, limit: int, sentences: Sequence[str] = ()) -> tuple[str, bool]:
    """``text`` within ``limit`` characters, cut after a whole sentence where possible.

    Returns the text and whether anything was cut (see ``bot.core.text.shorten``,
    the one truncation rule); a cut never leaves half of a markdown escape behind.
    """
    if len(text) <= limit:
        return text, False
    shown = shorten(text, limit, sentences=list(sentences))
    if shown[: -len(ELLIPSIS)].endswith("\\"):
        shown = shown[: -len(ELLIPSIS) - 1] + ELLIPSIS
    return shown, True


def cut_escaped(text: str, limit: int) -> tuple[str, bool]:
    """Escape, then cut: the limit applies to what Discord counts."""
    return cut(escape(text), limit)


def embed_length(embed: discord.Embed) -> int:
    """The character count Discord checks against the 6000 total."""
    return len(embed)


@dataclass(frozen=True, slots=True)
class Button:
    key: str
    label: str
    disabled: bool = False
    owner_only: bool = True  # paging belongs to the invoker; reading context is for anyone
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes


#: Where a press happened: the Discord interaction, or ``None`` in the console.
Where = Any


@dataclass(frozen=True, slots=True)
class LaterUpdate:
    """A press whose work is async (the database, Discord): the screen changes after it.

    The view acknowledges the press at once (it may take longer than Discord's 3 s),
    awaits ``run``, then shows the screen in place.
    """

    run: Callable[[Where], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class LaterReply:
    """A press whose answer is a new reply built by async work; private, after a "thinking"."""

    run: Callable[[Where], Awaitable[Reply]]


class Screen(abc.ABC):
    """The state behind a message's buttons."""

    @abc.abstractmethod
    def embed(self) -> discord.Embed:
        """What the message shows now."""

    @abc.abstractmethod
    def buttons(self) -> list[Button]:
        """The buttons under it now, in order."""

    @abc.abstractmethod
    def press(self, key: str) -> Reply | LaterUpdate | LaterReply | None:
        """Act on a button: ``None`` means "this screen changed, show it in place".

        A ``LaterUpdate`` or ``LaterReply`` is work to await first (see each).
        """


@dataclass(slots=True)
class Reply:
    content: str | None = None
    embed: discord.Embed | None = None
    ephemeral: bool = False
    screen: Screen | None = None
    files: tuple[Attachment, ...] = ()
    thread_name: str | None = None  # open a thread on the posted message, if allowed

    @classmethod
    def of(cls, screen: Screen, *, ephemeral: bool = False) -> Reply:
        return cls(embed=screen.embed(), screen=screen, ephemeral=ephemeral)

    def current_embed(self) -> discord.Embed | None:
        return self.screen.embed() if self.screen is not None else self.embed


def notice(text: str) -> Reply:
    """A short private answer (errors, refusals, confirmations nobody else needs)."""
    return Reply(content=cut(text, MESSAGE_CONTENT)[0], ephemeral=True)


def plural(count: int, noun: str) -> str:
    """ "1 prompt", "2 prompts": counts a reader sees."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def no_match(what: str, query: str, suggestions: Sequence[str]) -> Reply:
    shown = cut_escaped(query, 100)[0]
    text = f"No {what} matches “{shown}”."
    if suggestions:
        text += " Did you mean " + ", ".join(f"“{escape(s)}”" for s in suggestions[:3]) + "?"
    return notice(text)


def citation(doc: Document | None, section: int, section_title: str, paragraph: int | None) -> str:
    """essay title · § n title · ¶ n: enough to find the passage in print."""
    parts = [doc.title] if doc is not None else []
    parts.append(f"§ {section} {section_title}")
    if paragraph is not None:
        parts.append(f"¶ {paragraph}")
    return cut(" · ".join(parts), 512)[0]


def paragraph_reply(doc: Document | None, section: int, paragraph: int) -> Reply:
    """The whole paragraph, privately: what a "Context" button shows."""
    if doc is None or not 1 <= section <= len(doc.sections):
        return notice("That passage is no longer in the index.")
    sec = doc.section(section)
    if not 1 <= paragraph <= len(sec.paragraphs):
        return notice("That passage is no longer in the index.")
    para = sec.paragraphs[paragraph - 1]
    text, _ = cut(escape(para.text), EMBED_DESCRIPTION)
    embed = discord.Embed(description=text, colour=COLOUR)
    embed.set_footer(text=citation(doc, sec.number, sec.title, para.number))
    return Reply(embed=embed, ephemeral=True)


class Pager(Screen):
    """Pages stepped through with Previous/Next; subclasses say what a page shows."""

    previous_label = "Previous"
    next_label = "Next"

    def __init__(self) -> None:
        self.position = 0

    @abc.abstractmethod
    def page_count(self) -> int: ...

    @abc.abstractmethod
    def page(self, number: int) -> discord.Embed: ...

    def page_extra(self, number: int) -> list[Button]:
        return []

    def on_extra(self, key: str, number: int) -> Reply | LaterUpdate | LaterReply | None:
        return None

    def embed(self) -> discord.Embed:
        return self.page(self.position)

    def buttons(self) -> list[Button]:
        buttons = list(self.page_extra(self.position))
        if self.page_count() > 1:
            buttons.append(Button("prev", self.previous_label, disabled=self.position == 0))
            buttons.append(
                Button(
                    "next",
                    f"{self.next_label} ({self.position + 1}/{self.page_count()})",
                    disabled=self.position >= self.page_count() - 1,
                    primary=True,
                )
            )
        return buttons

    def press(self, key: str) -> Reply | LaterUpdate | LaterReply | None:
        if key == "prev":
            self.position = max(0, self.position - 1)
            return None
        if key == "next":
            self.position = min(self.page_count() - 1, self.position + 1)
            return None
        return self.on_extra(key, self.position)


def choices(options: Sequence[Choice]) -> list[discord.app_commands.Choice[str]]:
    """At most 25 autocomplete choices; the core's ``Choice`` already holds 1-100 characters."""
    return [discord.app_commands.Choice(name=o.name, value=o.value) for o in options[:CHOICES]]
