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
