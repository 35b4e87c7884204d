"""What a new user reads first: ``make help`` and ``python -m bot --help``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_make_help_lists_every_target_with_a_line_of_its_own() -> None:
    make = shutil.which("make")
    assert make is not None, "make is how the README starts everything"
    done = subprocess.run(
        [make, "-s", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE)
    listed = dict(line.split(maxsplit=2)[1:] for line in done.stdout.splitlines() if line.strip())
    assert set(listed) == set(targets)
    assert all(listed.values())


def test_every_sub_command_is_in_the_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    for command in ("run", "console", "export", "quote", "section", "search", "prompt"):
        assert re.search(rf"^\s+{command}\s", done.stdout, flags=re.MULTILINE), command
    assert "--version" in done.stdout


def test_one_shot_commands_do_not_load_discord() -> None:
    """``quote``, ``section``, ``search`` never open a Discord client: no need to load one."""
    probe = (
        "import sys; from bot.cli import main; "
        "code = main(['section', '3', '--seeds', sys.argv[1]]); "
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('discord', 'aiohttp')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(ROOT / "seeds")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
