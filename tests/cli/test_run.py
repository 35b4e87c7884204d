"""``python -m bot run``: every way start-up can fail is one line and a non-zero exit.

Each test starts the real entry point in a process, aimed at a server on 127.0.0.1
(or at a name that cannot resolve); nothing reaches the real Discord.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError
from tests.cli._process import bot_env, no_traceback, run_bot
from tests.conftest import ROOT

TOKEN = "MTIz.secret-token-never-shown.xyz"


class _Discord(BaseHTTPRequestHandler):
    """Answers as Discord answers a bad token, and records every request it gets."""

    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path.endswith("/gateway"):
            self._send(200, b'{"url": "ws://127.0.0.1:9"}')
        else:
            self._send(401, b'{"message": "401: Unauthorized", "code": 0}')

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def fake_discord() -> Iterator[tuple[str, list[str]]]:
    """``(api base, requests seen)`` of a local stand-in that rejects every token."""
    seen: list[str] = []
    handler = type("Handler", (_Discord,), {"requests": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/v10", seen
    finally:
        server.shutdown()
        server.server_close()


def run_env(tmp_path: Path, api_base: str, **more: str) -> dict[str, str]:
    # LOG_LEVEL=ERROR unless told otherwise: stderr then holds only what the user is told.
    settings = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE": api_base, "LOG_LEVEL": "ERROR"}
    return bot_env(tmp_path, **{**settings, **more})


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_without_a_token_and_without_a_terminal_exit_2_with_one_line(tmp_path: Path) -> None:
    done = run_bot(tmp_path, env=bot_env(tmp_path, DISCORD_TOKEN=""))
    assert done.returncode == 2
    assert "DISCORD_TOKEN is not set" in one_error_line(done.stderr)


def test_a_rejected_token_is_one_line_exit_1_and_never_logged(tmp_path: Path) -> None:
    with fake_discord() as (base, seen):
        done = run_bot(tmp_path, "run", env=run_env(tmp_path, base, LOG_LEVEL="DEBUG"))
    assert done.returncode == 1, done.stderr
    assert "secret-token" not in done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1
    assert "token" in errors[0].lower()
    assert any(path.endswith("/users/@me") for path in seen)  # it did ask, through the setting


def _refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def _silent_server() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


@pytest.mark.parametrize("failure", ["dns", "refused", "timeout"])
def test_an_unreachable_discord_is_one_line_naming_what_to_check(
    tmp_path: Path, failure: str
) -> None:
    if failure == "dns":
        done = run_bot(tmp_path, "run", env=run_env(tmp_path, "http://discord.invalid/api/v10"))
        expected = ("discord.invalid could not be resolved", "DNS")
    elif failure == "refused":
        base = f"http://127.0.0.1:{_refused_port()}/api/v10"
        done = run_bot(tmp_path, "run", env=run_env(tmp_path, base))
        expected = ("refused the connection", "firewall")
    else:
        with _silent_server() as port:
            base = f"http://127.0.0.1:{port}/api/v10"
            done = run_bot(tmp_path, "run", env=run_env(tmp_path, base, DISCORD_TIMEOUT="1"))
        expected = ("did not answer within 1 s", "DISCORD_TIMEOUT")
    assert done.returncode == 1, done.stderr
    line = one_error_line(done.stderr)
    assert all(part in line for part in expected), line
    assert "cannot reach Discord" in line
    assert no_traceback(done)


@pytest.mark.parametrize("problem", ["a folder", "under a file"])
def test_the_database_is_checked_before_connecting(tmp_path: Path, problem: str) -> None:
    blocker = tmp_path / "blocker"
    if problem == "a folder":
        blocker.mkdir()
        database = blocker
    else:
        blocker.write_text("a file where a folder should be")
        database = blocker / "db.sqlite3"
    with fake_discord() as (base, seen):
        done = run_bot(tmp_path, "run", env=run_env(tmp_path, base, DATABASE_PATH=str(database)))
    assert done.returncode == 1
    assert str(blocker) in one_error_line(done.stderr)
    assert seen == []  # Discord was never asked
    assert no_traceback(done)


def test_no_essays_and_the_bot_refuses_to_start(tmp_path: Path) -> None:
    empty = tmp_path / "seeds"
    empty.mkdir()
    with fake_discord() as (base, seen):
        done = run_bot(tmp_path, "run", env=run_env(tmp_path, base, SEEDS_DIR=str(empty)))
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert f"no essay could be loaded from {empty}" in line
    assert line.count(str(empty)) == 1
    assert seen == []


def test_a_bad_setting_is_one_line_exit_2(tmp_path: Path) -> None:
    done = run_bot(tmp_path, "run", env=run_env(tmp_path, "ftp://example"))
    assert done.returncode == 2
    assert "DISCORD_API_BASE must be an http(s) URL" in one_error_line(done.stderr)


def test_every_setting_comes_from_dotenv_or_the_environment(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "DISCORD_API_BASE=http://127.0.0.1:9/api/v10/\nDISCORD_TIMEOUT=3\nSEEDS_DIR=essays\n"
    )
    loaded = Settings.load(tmp_path / ".env", environ={"SEEDS_DIR": "elsewhere"})
    assert loaded.discord_api_base == "http://127.0.0.1:9/api/v10"
    assert loaded.discord_timeout == 3.0
    assert loaded.seeds_dir == Path("elsewhere")  # the environment wins
    default = Settings.load(tmp_path / "absent.env", environ={})
    assert (default.discord_api_base, default.discord_timeout) == (None, 20.0)
    for bad in ("0", "-1", "soon", "nan"):
        with pytest.raises(SettingsError, match="DISCORD_TIMEOUT"):
            Settings.load(tmp_path / "absent.env", environ={"DISCORD_TIMEOUT": bad})


def test_every_setting_is_documented_in_the_readme_and_env_example() -> None:
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    for field in fields(Settings):
        name = field.name.upper()
        assert f"`{name}`" in readme, name
        assert re.search(rf"^#? ?{name}=", example, flags=re.MULTILINE), name
