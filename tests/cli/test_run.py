from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import discord
import pytest

from bot.cli.run import apply_api_base
from bot.settings import SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_token_and_without_a_terminal_exit_2_with_one_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DISCORD_TOKEN": "", "DATABASE_PATH": str(tmp_path / "db")}
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "DISCORD_TOKEN is not set" in done.stderr


def test_api_base_points_discord_py_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    assert apply_api_base({"DISCORD_API_BASE": "http://127.0.0.1:9/api/v10/"}) == (
        "http://127.0.0.1:9/api/v10"
    )
    assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
    assert apply_api_base({}) is None
    with pytest.raises(SettingsError):
        apply_api_base({"DISCORD_API_BASE": "ftp://x"})
