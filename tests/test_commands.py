"""The console and the command line offer the same commands with the same options."""

from __future__ import annotations

import pytest

from bot.cli import build_parser
from bot.commands import SPECS, CommandSpec
from bot.console import COMMANDS, HELP, parse


def cli_argv(spec: CommandSpec) -> list[str]:
    argv = spec.name.split()
    for option in spec.all_options:
        if option.required:
            argv.append(f"{option.name}-value")
        elif option.flag:
            argv.append(f"--{option.name}")
        else:
            argv += [f"--{option.name}", f"{option.name}-value"]
    if spec.name.startswith(("prompt ", "plan ")):
        argv += ["--guild", "1", "--user", "2"]  # who acts: the console knows that already
    return argv


def console_line(spec: CommandSpec) -> str:
    line = f"/{spec.name}"
    if spec.first is not None:
        line += f" {spec.first.name}-value"
    for option in spec.options:
        line += f" {option.name}: " + ("yes" if option.flag else f"{option.name}-value")
    return line


def test_the_console_answers_every_command_of_the_registry() -> None:
    assert list(COMMANDS) == list(SPECS)
    for spec in SPECS.values():
        assert spec.usage() in HELP


@pytest.mark.parametrize("spec", [s for s in SPECS.values() if s.cli], ids=lambda s: s.name)
def test_the_cli_takes_each_command_with_the_consoles_options(spec: CommandSpec) -> None:
    args = build_parser().parse_args(cli_argv(spec))
    name, typed = parse(console_line(spec))
    assert name == spec.name
    for option in spec.all_options:
        value = getattr(args, option.name)
        if option.flag:
            assert (value, typed[option.name]) == (True, "yes")
        else:
            joined = " ".join(value) if isinstance(value, list) else value
            assert joined == typed[option.name] == f"{option.name}-value"
