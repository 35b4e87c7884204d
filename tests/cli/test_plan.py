"""``python -m bot plan set|show|due`` and ``--guild`` on look-ups: the offline contract."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
G, U, C = "111111111111111111", "222222222222222222", "333333333333333333"
SESSION_KEYS = {"number", "sections", "at", "local", "status"}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "plan.sqlite3"
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("SEEDS_DIR", str(SEEDS))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    parsed = json.loads(out) if "--json" in argv and code == 0 else out
    return code, parsed, err


def start(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Any, str]:
    return run(
        capsys,
        *("plan", "set", "--guild", G, "--user", U, "--channel", C, "--every", "week"),
        *("--day", "thu", "--at", "19:00", "--tz", "Europe/Paris", "--json", *extra),
    )


def test_set_then_show_prints_the_promised_shape(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, made, err = start(capsys, "--moderator")
    assert (code, err) == (0, "")
    code, shown, _ = run(capsys, "plan", "show", "--guild", G, "--json")
    assert code == 0
    assert shown == made
    assert (shown["timezone"], shown["channel"], shown["spoiler_guard"]) == (
        "Europe/Paris",
        C,
        True,
    )
    sessions = shown["sessions"]
    assert len(sessions) >= 2
    for number, session in enumerate(sessions, start=1):
        assert set(session) >= SESSION_KEYS
        assert session["number"] == number
        assert session["sections"] == [number]
        assert session["status"] == "pending"
        at = datetime.fromisoformat(session["at"])
        local = datetime.fromisoformat(session["local"])
        assert at.utcoffset() == timedelta(0)
        assert at == local
        assert local.strftime("%a %H:%M") == "Thu 19:00"


def test_a_member_or_a_bad_zone_is_refused_and_nothing_is_stored(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = start(capsys)
    assert code == 2
    assert "Manage Server" in err
    code, _, err = run(
        capsys,
        *("plan", "set", "--guild", G, "--user", U, "--channel", C, "--every", "day"),
        *("--at", "19:00", "--tz", "Paris", "--moderator"),
    )
    assert code == 2
    assert "Did you mean Europe/Paris?" in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM plans").fetchone() == (0,)
    code, _, err = run(capsys, "plan", "show", "--guild", G, "--json")
    assert code == 2
    assert "no reading plan" in err
    code, _, err = run(capsys, "plan", "show", "--guild", "not-an-id")
    assert (code, err.strip()) == (
        2,
        "error: --guild must be a Discord id (digits), got 'not-an-id'.",
    )


def test_due_says_what_would_be_posted_and_whether_late(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, made, _ = start(capsys, "--moderator")
    first = datetime.fromisoformat(made["sessions"][0]["at"])
    code, due, _ = run(capsys, "plan", "due", "--guild", G, "--at", first.isoformat(), "--json")
    assert code == 0
    assert [(s["number"], s["late"]) for s in due["sessions"]] == [(1, False)]
    later = (first + timedelta(hours=3)).isoformat()
    _, due, _ = run(capsys, "plan", "due", "--guild", G, "--at", later, "--json")
    assert [(s["number"], s["late"]) for s in due["sessions"]] == [(1, True)]
    next_week = (first + timedelta(days=7, minutes=1)).isoformat()
    _, due, _ = run(capsys, "plan", "due", "--guild", G, "--at", next_week, "--json")
    assert due["missed"] == [1]
    assert [s["number"] for s in due["sessions"]] == [2]
    _, shown, _ = run(capsys, "plan", "show", "--guild", G, "--json")
    assert {s["status"] for s in shown["sessions"]} == {"pending"}  # nothing was posted


def test_lookups_with_a_guild_say_which_hits_are_ahead(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, hits, _ = run(capsys, "section", "1", "--guild", G, "--json")
    assert code == 0
    assert [h["ahead"] for h in hits] == [False]  # no plan: nothing is ahead
    start(capsys, "--moderator")
    _, hits, _ = run(capsys, "section", "1", "--guild", G, "--json")
    assert [h["ahead"] for h in hits] == [True]
    _, hits, _ = run(capsys, "search", "pipeline", "--guild", G, "--json")
    assert hits
    assert all(h["ahead"] is True for h in hits)
    _, hits, _ = run(capsys, "search", "pipeline", "--json")
    assert all("ahead" not in h for h in hits)
    # The group reaches § 1 when its session is dealt with (here: skipped by a moderator).
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE plan_sessions SET status = 'skipped' WHERE number = 1")
    _, hits, _ = run(capsys, "quote", "pipeline", "--guild", G, "--json")
    assert hits
    assert all(h["ahead"] is (h["section"] != 1) for h in hits)
    _, hits, _ = run(capsys, "section", "1", "--guild", G, "--json")
    assert [h["ahead"] for h in hits] == [False]
    _, text, _ = run(capsys, "section", "2", "--guild", G)
    assert text.rstrip().endswith("(ahead of the server's reading plan)")
    _, text, _ = run(capsys, "section", "1", "--guild", G)
    assert "ahead" not in text


def test_the_contract_works_from_a_fresh_process(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        "SEEDS_DIR": str(SEEDS),
        "PYTHONPATH": str(ROOT),
    }
    start_day = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "plan",
            "set",
            "--guild",
            G,
            "--user",
            U,
            "--channel",
            C,
            "--every",
            "weekday",
            "--at",
            "08:00",
            "--tz",
            "Asia/Tokyo",
            "--start",
            start_day,
            "--per-session",
            "2",
            "--moderator",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    sessions = json.loads(made.stdout)["sessions"]
    assert sessions[0]["sections"] == [1, 2]
    assert all(datetime.fromisoformat(s["local"]).weekday() < 5 for s in sessions)
    assert all(s["local"].endswith("T08:00:00+09:00") for s in sessions)
