"""The offline console: type slash commands, see what the bot would post.

It calls the very functions the cogs call (``quote_reply``, ``section_reply``,
``add_reply``, …) and prints the embeds they build, so what you read here is what
Discord would show. Buttons become numbered choices; attached files are saved in a
folder the console names. The commands are those of ``bot.commands.SPECS``, each
with its handler in ``COMMANDS``.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import discord

from bot.commands import SPECS, CommandSpec
from bot.core.errors import Forbidden, InvalidInput, UserError
from bot.core.plan.service import sections_per_session
from bot.exts.about import about_reply
from bot.exts.plan import actions as plan
from bot.exts.prompts import (
    add_reply,
    as_member,
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
from bot.ui.render import Attachment, Reply, Screen
from bot.ui.spoilers import guard_for

log = logging.getLogger(__name__)

Handler = Callable[[Services, Caller, dict[str, str]], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    """A command of ``bot.commands.SPECS`` and the reply function that answers it here."""

    spec: CommandSpec
    run: Handler


# Look-ups answer behind the server's spoiler guard, as on Discord.


async def _quote(s: Services, c: Caller, v: dict[str, str]) -> Reply:
    guard = await guard_for(s, c.guild)
    return quote_reply(s, _need(v, "query"), v.get("speaker"), guard)


async def _section(s: Services, c: Caller, v: dict[str, str]) -> Reply:
    return section_reply(s, _need(v, "name"), await guard_for(s, c.guild))


async def _search(s: Services, c: Caller, v: dict[str, str]) -> Reply:
    return search_reply(s, _need(v, "query"), await guard_for(s, c.guild))


def _plan_set(s: Services, c: Caller, v: dict[str, str]) -> Awaitable[Reply]:
    return plan.start_reply(
        s,
        c,
        channel=_need(v, "channel").removeprefix("<#").removesuffix(">"),
        every=_need(v, "every"),
        at=_need(v, "at"),
        tz=_need(v, "tz"),
        day=v.get("day"),
        start=v.get("start"),
        per_session=sections_per_session(v.get("per-session")),
        essay=v.get("essay"),
    )


def _about(s: Services, c: Caller, v: dict[str, str]) -> Awaitable[Reply]:
    return _now(about_reply(s))


def _prompt_list(s: Services, c: Caller, v: dict[str, str]) -> Awaitable[Reply]:
    everything = v.get("all", "").lower() in ("yes", "true", "1")
    return list_reply(s, c, v.get("section"), v.get("author"), include_removed=everything)


_HANDLERS: dict[str, Handler] = {
    "quote": _quote,
    "section": _section,
    "search": _search,
    "about": _about,
    "prompt add": lambda s, c, v: add_reply(s, c, _need(v, "text"), v.get("section")),
    "prompt random": lambda s, c, v: random_reply(s, c, v.get("section")),
    "prompt list": _prompt_list,
    "prompt remove": lambda s, c, v: remove_reply(s, as_member(c), _number(v)),
    "prompt restore": lambda s, c, v: restore_reply(s, as_member(c), _number(v)),
    "prompts-admin remove": lambda s, c, v: remove_reply(s, _moderator(c), _number(v)),
    "prompts-admin restore": lambda s, c, v: restore_reply(s, _moderator(c), _number(v)),
    "prompts-admin export": lambda s, c, v: export_reply(s, _moderator(c)),
    "plan show": lambda s, c, v: plan.show_reply(s, c),
    "plan due": lambda s, c, v: plan.due_at_reply(s, c, _need(v, "at")),
    "plan set": _plan_set,
    "plan pause": lambda s, c, v: plan.pause_reply(s, c),
    "plan resume": lambda s, c, v: plan.resume_reply(s, c),
    "plan skip": lambda s, c, v: plan.skip_reply(s, c),
    "plan stop": lambda s, c, v: plan.stop_reply(s, c),
    "plan guard": lambda s, c, v: plan.guard_reply(s, c, _switch(_need(v, "on"))),
}
#: Every command of the registry, in its order, with the handler that answers it here.
COMMANDS: dict[str, Command] = {name: Command(SPECS[name], _HANDLERS[name]) for name in SPECS}
GROUPS = sorted({name.split()[0] for name in COMMANDS if " " in name})

HELP = (
    "Commands (as on Discord; options as name: value):\n"
    + "\n".join(f"  {command.spec.usage()}" for command in COMMANDS.values())
    + "\nUnder a reply with buttons, type a button's number to press it.  /help  /quit"
)


def parse(line: str) -> tuple[str, dict[str, str]]:
    """``/quote words speaker: Name`` → ``("quote", {"query": "words", "speaker": "Name"})``."""
    body = line.strip().removeprefix("/")
    words = body.split(maxsplit=2)
    if not words:
        raise InvalidInput("Type a command, e.g. /quote a few words. /help lists them.")
    name = words[0].lower()
    rest = body[len(words[0]) :].strip()
    if name in GROUPS:
        actions = ", ".join(n.split()[1] for n in COMMANDS if n.startswith(f"{name} "))
        if len(words) < 2:
            raise InvalidInput(f"Which /{name}? {actions}.")
        name = f"{name} {words[1].lower()}"
        rest = rest[len(words[1]) :].strip()
    command = COMMANDS.get(name)
    if command is None:
        raise InvalidInput(f"Unknown command /{name}. /help lists them.")
    spec = command.spec
    names = tuple(option.name for option in spec.all_options)
    marker = re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, names)) + r"):") if names else None
    values: dict[str, str] = {}
    pieces = marker.split(rest) if marker else [rest]
    head = pieces[0].strip()
    if head:
        if spec.first is None:
            raise InvalidInput(f"/{name} takes no text.")
        values[spec.first.name] = head
    for key, value in zip(pieces[1::2], pieces[2::2], strict=True):
        values[key] = value.strip()
    return name, values


def render(reply: Reply, files: Sequence[str] | None = None) -> str:
    """A reply as plain text: content, embed, attachments (or ``files``: what became of them),
    buttons."""
    lines: list[str] = []
    if reply.ephemeral:
        lines.append("(only you can see this)")
    if reply.content:
        lines.append(reply.content)
    embed = reply.current_embed()
    if embed is not None:
        lines.extend(render_embed(embed))
    if files is not None:
        lines.extend(files)
    else:
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

    def __init__(
        self,
        services: Services,
        caller: Caller,
        *,
        exports: Path,
        out: TextIO = sys.stdout,
    ) -> None:
        self.services = services
        self.caller = caller
        self.out = out
        self.exports = exports  # where a reply's files (the export's CSV and JSON) are saved
        self.screen: Screen | None = None

    async def reply_to(self, line: str) -> Reply:
        name, values = parse(line)
        return await COMMANDS[name].run(self.services, self.caller, values)

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
        self.print(render(reply, self.save(reply.files) if reply.files else None))

    def save(self, files: Sequence[Attachment]) -> list[str]:
        """Write what Discord would attach into the exports folder; one line per file."""
        lines: list[str] = []
        for attachment in files:
            path = (self.exports / attachment.filename).resolve()
            try:
                self.exports.mkdir(parents=True, exist_ok=True)
                path.write_bytes(attachment.data)
            except OSError as exc:
                lines.append(f"[could not save {path}: {exc.strerror or exc}]")
            else:
                lines.append(f"[saved {path}, {len(attachment.data)} bytes]")
        return lines

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


async def _now(reply: Reply) -> Reply:
    """A reply built synchronously, as an awaitable like the prompt commands' replies."""
    return reply


def _moderator(caller: Caller) -> Caller:
    """``/prompts-admin`` as Discord has it: for members with Manage Messages only."""
    if not caller.can_moderate:
        raise Forbidden("/prompts-admin is for moderators: start the console with --moderator.")
    return caller


def _switch(raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("on", "off"):
        raise InvalidInput("Say on or off, e.g. /plan guard off.")
    return value == "on"


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
