"""What a member can ask, declared once for the console and the command line.

Each front end wires these to its own code (the console to the ``*_reply``
functions, the CLI to text and JSON printers), but names, options and help come
from here, so the two cannot drift apart: ``/prompt list author: X`` in the
console is ``prompt list --author X`` on the command line. A new command is an
entry here, then a handler in each front end (``tests/test_commands.py`` checks
that both exist and accept the same options).

The rule between the two syntaxes: the ``first`` option is typed without its name
in the console (``/quote joy``); on the command line it is positional when
``required``, else ``--name`` like the other options.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    help: str
    metavar: str = "TEXT"
    required: bool = False
    words: bool = False  # on the command line, several unquoted words make one value
    flag: bool = False  # yes or no: ``all: yes`` in the console, ``--all`` on the command line


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str  # "quote", or "group action" as in "prompt add"
    help: str
    first: Option | None = None
    options: tuple[Option, ...] = ()
    cli: bool = True  # also a sub-command of ``python -m bot``

    @property
    def all_options(self) -> tuple[Option, ...]:
        return ((self.first,) if self.first else ()) + self.options

    def usage(self) -> str:
        """As the console's /help shows it: ``/quote QUERY [speaker: NAME]``."""
        parts = [f"/{self.name}"]
        if self.first is not None:
            shown = self.first.metavar
            parts.append(shown if self.first.required else f"[{shown}]")
        for option in self.options:
            parts.append(f"[{option.name}: {'yes' if option.flag else option.metavar}]")
        return " ".join(parts)


_QUERY = Option("query", "words to look for (typos and all)", "QUERY", required=True, words=True)
_SECTION_NAME = "section number or title"
_NUMBER = Option("number", "the prompt's number in this server", "NUMBER", required=True)

SPECS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec(
            "quote",
            "find a quotation (spoken, pull quote or sentence)",
            _QUERY,
            (Option("speaker", "only quotes by this speaker (fuzzy)", "NAME"),),
        ),
        CommandSpec(
            "section",
            "find a section by number, title or content",
            Option("name", _SECTION_NAME, "NAME", required=True, words=True),
        ),
        CommandSpec("search", "find the paragraphs that best match", _QUERY),
        CommandSpec("about", "the essays indexed, counts, version, uptime", cli=False),
        CommandSpec(
            "prompt add",
            "propose a prompt (linked to its best passage)",
            Option("text", "the prompt, 10-1000 characters", "TEXT", required=True),
            (Option("section", f"{_SECTION_NAME} to link it to", "S"),),
        ),
        CommandSpec(
            "prompt random",
            "draw a prompt and log it as posted",
            Option("section", "draw only from this section", "S"),
        ),
        CommandSpec(
            "prompt list",
            "this server's prompts, newest first",
            Option("section", "only prompts about this section", "S"),
            (
                Option("author", "only prompts by this member", "NAME"),
                Option("all", "include removed prompts", flag=True),
            ),
        ),
        CommandSpec("prompt remove", "remove one of your prompts (soft delete)", _NUMBER),
        CommandSpec("prompt restore", "bring back one of your removed prompts", _NUMBER),
        # Moderators' commands: on the command line, prompt remove/restore --moderator
        # and prompt export (there is no Discord member to hide them from).
        CommandSpec("prompts-admin remove", "remove any prompt in this server", _NUMBER, cli=False),
        CommandSpec("prompts-admin restore", "bring back any removed prompt", _NUMBER, cli=False),
        CommandSpec(
            "prompts-admin export",
            "this server's prompts and their history, CSV and JSON",
            cli=False,
        ),
        CommandSpec("plan show", "the reading plan: every session, its time and status"),
        CommandSpec(
            "plan due",
            "what would be posted at an instant, and whether late (posts nothing)",
            Option("at", "the instant, ISO-8601 (UTC unless it names an offset)", "AT"),
        ),
        # Moderators' actions (Discord: /plan-admin); the command line needs --moderator.
        CommandSpec(
            "plan set",
            "start or replace the reading plan",
            Option("channel", "id of the channel the sessions are posted in", "CHANNEL"),
            (
                Option("every", "the rhythm: day, weekday or week", "RHYTHM"),
                Option("day", "for a weekly plan: mon, tue, … sun", "DAY"),
                Option("at", "local time of each session, HH:MM", "HH:MM"),
                Option("tz", "IANA time zone, e.g. Europe/Paris", "ZONE"),
                Option("start", "first day, YYYY-MM-DD (default: today there)", "DATE"),
                Option("per-session", "sections per session (default 1)", "N"),
                Option("essay", "which essay, when several are loaded", "ID"),
            ),
        ),
        CommandSpec("plan pause", "pause the plan; nothing is posted until resumed", cli=False),
        CommandSpec("plan resume", "resume; the remaining sessions move", cli=False),
        CommandSpec("plan skip", "skip the next session (it is not posted)", cli=False),
        CommandSpec("plan stop", "stop the plan", cli=False),
        CommandSpec(
            "plan guard",
            "turn the spoiler guard on or off",
            Option("on", "on or off", "on|off", required=True),
            cli=False,
        ),
    )
}


def add_cli_arguments(parser: argparse.ArgumentParser, spec: CommandSpec) -> None:
    """The spec's options on an ``argparse`` parser, by the rule in the module docstring."""
    for option in spec.all_options:
        if option.required:
            nargs = "+" if option.words else None
            parser.add_argument(option.name, metavar=option.metavar, nargs=nargs, help=option.help)
        elif option.flag:
            parser.add_argument(f"--{option.name}", action="store_true", help=option.help)
        else:  # dest as named, so "per-session" is read back under that name
            parser.add_argument(
                f"--{option.name}", dest=option.name, metavar=option.metavar, help=option.help
            )
