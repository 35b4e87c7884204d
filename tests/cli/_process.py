"""``python -m bot …`` as a user runs it: a fresh process, in a folder of its own.

The folder is the working directory, so the checkout's own ``.env`` (if any) is never
read; settings come from ``env`` (and a ``.env`` the test writes there).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEEDS


def bot_env(folder: Path, **settings: str) -> dict[str, str]:
    """A minimal environment: the seeds, a scratch database, nothing from the developer's."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "HOME": str(folder),
        "LANG": "C.UTF-8",
        "DATABASE_PATH": str(folder / "data" / "essay-bot.sqlite3"),
        "SEEDS_DIR": str(SEEDS),
    }
    env.update(settings)
    return {k: v for k, v in env.items() if v is not None}


def run_bot(
    folder: Path,
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=folder,
        env=bot_env(folder) if env is None else env,
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def no_traceback(done: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in done.stdout + done.stderr
