"""The offline console: type slash commands, see what the bot would post.

It calls the very functions the cogs call (``quote_reply``, ``section_reply``,
``add_reply``, …) and prints the embeds they build, so what you read here is what
Discord would show. Buttons become numbered choices.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TextIO

import discord

from bot.core.errors import InvalidInput, UserError
from bot.exts.about import about_reply
from bot.exts.plan import actions as plan
from bot.exts.prompts import (
    add_reply,
    export_reply,
    list_reply,
    random_reply,
    remove_reply,
    restore_reply,
)
from bot.exts.quotes import quote_reply
from bot.exts.search import search_reply
from bot.exts.sections import section_reply
from bot.services import Caller, Services
from bot.ui.errors import describe
from bot.ui.render import Reply, Screen
from bot.ui.spoilers import Guard, guard_for

log = logging.getLogger(__name__)

HELP = """\
Commands (as on Discord; options as name: value):
  /quote QUERY [speaker: NAME]      /section NAME       /search QUERY      /about
  /prompt add TEXT [section: S]     /prompt random [section: S]
  /prompt list [section: S] [author: ID] [all: yes]
  /prompt remove NUMBER             /prompt restore NUMBER      /prompt export
  /plan show    /plan due AT (ISO-8601)
  /plan set CHANNEL every: day|weekday|week [day: mon..sun] at: HH:MM tz: ZONE
            [start: YYYY-MM-DD] [per_session: N] [essay: ID]
  /plan pause   /plan resume   /plan skip   /plan stop   /plan guard on|off
Under a reply with buttons, type a button's number to press it.  /help  /quit"""


@dataclass(frozen=True, slots=True)
class Spec:
    first: str | None  # the option filled by text before any "name:"
    options: tuple[str, ...]


SPECS: dict[str, Spec] = {
    "quote": Spec("query", ("speaker",)),
    "section": Spec("name", ()),
    "search": Spec("query", ()),
    "about": Spec(None, ()),
    "prompt add": Spec("text", ("section",)),
    "prompt random": Spec("section", ()),
    "prompt list": Spec("section", ("author", "all")),
    "prompt remove": Spec("number", ()),
    "prompt restore": Spec("number", ()),
    "prompt export": Spec(None, ()),
    "plan show": Spec(None, ()),
    "plan due": Spec("at", ()),
    "plan set": Spec("channel", ("every", "day", "at", "tz", "start", "per_session", "essay")),
    "plan pause": Spec(None, ()),
    "plan resume": Spec(None, ()),
    "plan skip": Spec(None, ()),
    "plan stop": Spec(None, ()),
    "plan guard": Spec("on", ()),
}
GROUPS = {
    "prompt": "Which /prompt? add, random, list, remove, restore or export.",
    "plan": "Which /plan? show, due, set, pause, resume, skip, stop or guard.",
}


def parse(line: str) -> tuple[str, dict[str, str]]:
    """``/quote words speaker: Name`` → ``("quote", {"query": "words", "speaker": "Name"})``."""
    body = line.strip().removeprefix("/")
    words = body.split(maxsplit=2)
    if not words:
        raise InvalidInput("Type a command, e.g. /quote a few words. /help lists them.")
    name = words[0].lower()
    rest = body[len(words[0]) :].strip()
    if name in GROUPS:
        if len(words) < 2:
            raise InvalidInput(GROUPS[name])
        name = f"{name} {words[1].lower()}"
        rest = rest[len(words[1]) :].strip()
    spec = SPECS.get(name)
    if spec is None:
        raise InvalidInput(f"Unknown command /{name}. /help lists them.")
    names = ((spec.first,) if spec.first else ()) + spec.options
    marker = re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, names)) + r"):") if names else None
    values: dict[str, str] = {}
    pieces = marker.split(rest) if marker else [rest]
    head = pieces[0].strip()
    if head:
        if spec.first is None:
            raise InvalidInput(f"/{name} takes no text.")
        values[spec.first] = head
    for key, value in zip(pieces[1::2], pieces[2::2], strict=True):
        values[key] = value.strip()
    return name, values


def render(reply: Reply) -> str:
    """A reply as plain text: content, embed, attachments, buttons."""
    lines: list[str] = []
    if reply.ephemeral:
        lines.append("(only you can see this)")
    if reply.content:
        lines.append(reply.content)
    embed = reply.current_embed()
    if embed is not None:
        lines.extend(render_embed(embed))
    for attachment in reply.files:
        lines.append(f"[attachment {attachment.filename}, {len(attachment.data)} bytes]")
    if reply.thread_name:
        lines.append(f"[a thread opens on this message: {reply.thread_name}]")
    if reply.screen is not None:
        lines.append(render_buttons(reply.screen))
    return "\n".join(lines)


def render_embed(embed: discord.Embed) -> list[str]:
    lines: list[str] = []
    if embed.author.name:
        lines.append(f"┌ {embed.author.name}")
    if embed.title:
        lines.append(f"│ {embed.title}")
    if embed.description:
        lines.extend(f"│ {line}" for line in embed.description.splitlines())
    for field in embed.fields:
        lines.append(f"│ {field.name}:")
        lines.extend(f"│   {line}" for line in (field.value or "").splitlines())
    if embed.footer.text:
        lines.append(f"└ {embed.footer.text}")
    return lines


def render_buttons(screen: Screen) -> str:
    shown = []
    for number, button in enumerate(screen.buttons(), start=1):
        label = f"[{number}] {button.label}"
        shown.append(f"({label}, disabled)" if button.disabled else label)
    return "   ".join(shown)


class Console:
    """One person's session: the same replies as Discord, printed."""

    def __init__(self, services: Services, caller: Caller, out: TextIO = sys.stdout) -> None:
        self.services = services
        self.caller = caller
        self.out = out
        self.screen: Screen | None = None

    async def reply_to(self, line: str) -> Reply:
        name, values = parse(line)
        s, c = self.services, self.caller
        handlers: dict[str, Callable[[], Awaitable[Reply]]] = {
            "quote": _guarded(
                s, c, lambda g: quote_reply(s, _need(values, "query"), values.get("speaker"), g)
            ),
            "section": _guarded(s, c, lambda g: section_reply(s, _need(values, "name"), g)),
            "search": _guarded(s, c, lambda g: search_reply(s, _need(values, "query"), g)),
            "about": _now(lambda: about_reply(s)),
            "prompt add": lambda: add_reply(s, c, _need(values, "text"), values.get("section")),
            "prompt random": lambda: random_reply(s, c, values.get("section")),
            "prompt list": lambda: list_reply(
                s,
                c,
                values.get("section"),
                values.get("author"),
                include_removed=values.get("all", "").lower() in ("yes", "true", "1"),
            ),
            "prompt remove": lambda: remove_reply(s, c, _number(values)),
            "prompt restore": lambda: restore_reply(s, c, _number(values)),
            "prompt export": lambda: export_reply(s, c),
            "plan show": lambda: plan.show_reply(s, c),
            "plan due": lambda: plan.due_at_reply(s, c, _need(values, "at")),
            "plan set": lambda: plan.start_reply(
                s,
                c,
                channel=_need(values, "channel").removeprefix("<#").removesuffix(">"),
                every=_need(values, "every"),
                at=_need(values, "at"),
                tz=_need(values, "tz"),
                day=values.get("day"),
                start=values.get("start"),
                per_session=_count(values.get("per_session", "1")),
                essay=values.get("essay"),
            ),
            "plan pause": lambda: plan.pause_reply(s, c),
            "plan resume": lambda: plan.resume_reply(s, c),
            "plan skip": lambda: plan.skip_reply(s, c),
            "plan stop": lambda: plan.stop_reply(s, c),
            "plan guard": lambda: plan.guard_reply(s, c, _switch(_need(values, "on"))),
        }
        return await handlers[name]()

    async def handle(self, line: str) -> bool:
        """Act on one line; ``False`` when the session should end."""
        text = line.strip()
        if not text:
            return True
        if text in ("/quit", "/exit", "quit", "exit"):
            return False
        if text in ("/help", "help", "?"):
            self.print(HELP)
            return True
        if text.isdigit() and self.screen is not None:
            self.press(int(text))
            return True
        try:
            reply = await self.reply_to(text)
        except UserError as exc:
            self.print(f"(only you can see this)\n{exc}")
            return True
        except Exception as exc:
            self.print(describe(exc, f"console {text.split()[0]}"))
            return True
        self.show(reply)
        return True

    def press(self, number: int) -> None:
        assert self.screen is not None
        buttons = self.screen.buttons()
        if not 1 <= number <= len(buttons) or buttons[number - 1].disabled:
            self.print("No such button here.")
            return
        result = self.screen.press(buttons[number - 1].key)
        if result is None:
            self.print(render(Reply.of(self.screen)))
        else:
            self.show(result)

    def show(self, reply: Reply) -> None:
        if reply.screen is not None:
            self.screen = reply.screen
        self.print(render(reply))

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _now(make: Callable[[], Reply]) -> Callable[[], Awaitable[Reply]]:
    async def run() -> Reply:
        return make()

    return run


def _guarded(
    services: Services, caller: Caller, make: Callable[[Guard | None], Reply]
) -> Callable[[], Awaitable[Reply]]:
    """A look-up answered behind the server's spoiler guard, as on Discord."""

    async def run() -> Reply:
        return make(await guard_for(services, caller.guild))

    return run


def _need(values: dict[str, str], name: str) -> str:
    value = values.get(name, "").strip()
    if not value:
        raise InvalidInput(f"This command needs {name}.")
    return value


def _number(values: dict[str, str]) -> int:
    raw = _need(values, "number").lstrip("#")
    if not raw.isdigit():
        raise InvalidInput("Give the prompt's number, e.g. /prompt remove 3.")
    return int(raw)


def _count(raw: str) -> int:
    if not raw.strip().isdigit():
        raise InvalidInput(f"per_session is a number of sections, like 2; got {raw!r}.")
    return int(raw.strip())


def _switch(raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("on", "off"):
        raise InvalidInput("Say on or off, e.g. /plan guard off.")
    return value == "on"
