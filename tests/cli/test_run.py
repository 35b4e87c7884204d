from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


class _Unauthorized(BaseHTTPRequestHandler):
    """Answers every request as Discord answers a bad token."""

    def do_GET(self) -> None:
        body = b'{"message": "401: Unauthorized", "code": 0}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_rejected_token_is_one_line_exit_1_and_never_logged(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    token = "MTIz.secret-token-never-shown.xyz"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env={
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(ROOT),
                "DISCORD_TOKEN": token,
                "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
                "SEEDS_DIR": str(ROOT / "seeds"),
                "LOG_LEVEL": "DEBUG",
                "DISCORD_API_BASE": f"http://127.0.0.1:{server.server_port}/api/v10",
            },
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    assert done.returncode == 1, done.stderr
    assert "secret-token" not in done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1
    assert "token" in errors[0].lower()
