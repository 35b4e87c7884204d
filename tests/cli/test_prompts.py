"""``python -m bot prompt …``: the JSON contract, exit codes, and refusals that store nothing."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.cli import prompts as cli
from bot.core.model import Library
from bot.core.search import SearchIndex
from tests.cli._process import no_traceback, run_bot

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
KEYS = {"number", "guild", "author", "text", "section", "paragraph", "status", "created_at"}
G, U = "111111111111111111", "222222222222222222"


@pytest.fixture(scope="module")
def index(library: Library) -> SearchIndex:
    return SearchIndex.build(library)


@pytest.fixture
def db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: Library, index: SearchIndex
) -> Path:
    """A fresh database via DATABASE_PATH, and the essays loaded once per session."""
    path = tmp_path / "data" / "prompts.sqlite3"
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("SEEDS_DIR", str(SEEDS))
    monkeypatch.setattr(cli, "load_reading", lambda seeds: (library, index))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(["prompt", *argv])
    out, err = capsys.readouterr()
    parsed = json.loads(out) if "--json" in argv and code == 0 else out
    return code, parsed, err


def rows(path: Path) -> list[tuple[Any, ...]]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return (
            conn.execute("SELECT * FROM prompts ORDER BY id").fetchall()
            + conn.execute("SELECT * FROM prompt_events ORDER BY id").fetchall()
        )


def check_shape(prompt: dict[str, Any]) -> None:
    assert set(prompt) == KEYS
    assert isinstance(prompt["number"], int)
    assert all(isinstance(prompt[k], str) for k in ("guild", "author", "text"))
    assert all(prompt[k] is None or isinstance(prompt[k], int) for k in ("section", "paragraph"))
    assert prompt["status"] in ("open", "removed")
    assert datetime.fromisoformat(prompt["created_at"]).tzinfo is not None


def test_add_list_random_remove_restore_with_json(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    who = ("--guild", G, "--user", U, "--json")
    code, added, _ = run(capsys, "add", "Is a shared enemy a good basis for a friendship?", *who)
    assert code == 0
    check_shape(added)
    assert (added["number"], added["guild"], added["author"]) == (1, G, U)
    assert added["section"] is not None

    code, placed, _ = run(
        capsys, "add", "What did the football diplomacy achieve?", "--section", "5", *who
    )
    assert (code, placed["number"], placed["section"]) == (0, 2, 5)

    code, again, err = run(capsys, "add", "  what did the FOOTBALL diplomacy achieve? ", *who)
    assert (code, again["number"]) == (0, 2)
    assert "already there as prompt #2" in err

    code, listed, _ = run(capsys, "list", *who)
    assert [p["number"] for p in listed] == [2, 1]
    for prompt in listed:
        check_shape(prompt)

    code, drawn, _ = run(capsys, "random", "--section", "5", *who)
    assert code == 0
    check_shape(drawn)
    assert drawn["section"] == 5

    code, removed, _ = run(capsys, "remove", "2", *who)
    assert (code, removed["status"]) == (0, "removed")
    assert [p["number"] for p in run(capsys, "list", *who)[1]] == [1]
    assert [p["number"] for p in run(capsys, "list", "--all", *who)[1]] == [2, 1]
    code, restored, _ = run(capsys, "restore", "#2", *who)
    assert (code, restored["status"]) == (0, "open")


def test_a_near_duplicate_is_refused_unless_forced(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    who = ("--guild", G, "--user", U)
    assert run(capsys, "add", "Is a shared enemy a good basis for a friendship?", *who)[0] == 0
    code, _, err = run(capsys, "add", "is a SHARED enemy a good basis for friendship", *who)
    assert code == 2
    assert err.startswith("error: Similar to #1: Is a shared enemy")
    assert "--force" in err
    code, added, _ = run(
        capsys, "add", "is a SHARED enemy a good basis for friendship", "--force", *who, "--json"
    )
    assert (code, added["number"]) == (0, 2)


def test_plain_output_and_export(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    who = ("--guild", G, "--user", U)
    code, out, _ = run(
        capsys, "add", "Can symbols like flags say what a treaty cannot?", "--section", "6", *who
    )
    assert code == 0
    assert out.startswith("Added prompt #1 (§ 6")
    assert run(capsys, "list", "--guild", "333", "--user", U)[1] == "No prompts.\n"
    code, out, _ = run(capsys, "export", *who)
    assert out.splitlines()[0].startswith("at,event,actor,channel,number")
    assert "Can symbols like flags" in out
    code, data, _ = run(capsys, "export", "--json", *who)
    assert [p["number"] for p in data["prompts"]] == [1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add", ""), "can't be empty"),
        (("add", " \u200b\u200d "), "can't be empty"),
        (("add", "x" * 1001), "at most 1000 characters"),
        (("add", "@everyone look at this prompt"), "can't mention anyone"),
        (("add", "**__~~||**__~~||"), "needs words"),
        (("add", "A fine question about this?", "--section", "99"), "no section 99"),
        (("add", "A fine question about this?", "--section", "zzzzqqq"), "No section matches"),
        (("remove", "7"), "This server has no prompt #7."),
        (("remove", "seven"), "A prompt number is digits"),
        (("restore", "1"), "This server has no prompt #1."),
    ],
)
def test_refused_input_is_one_line_exit_2_and_stores_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    before = rows(db)
    code, out, err = run(capsys, *argv, "--guild", G, "--user", U, "--json")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert rows(db) == before


def test_other_servers_and_other_authors_are_refused(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "add", "Whose prompt is this, really?", "--guild", G, "--user", U)[0] == 0
    before = rows(db)
    code, _, err = run(capsys, "remove", "1", "--guild", "999", "--user", U)
    assert (code, err) == (2, "error: This server has no prompt #1.\n")
    code, _, err = run(capsys, "remove", "1", "--guild", G, "--user", "42")
    assert code == 2
    assert "Only the author of prompt #1 or a moderator" in err
    assert rows(db) == before
    assert run(capsys, "remove", "1", "--guild", G, "--user", "42", "--moderator")[0] == 0


@pytest.mark.parametrize("option", ["--guild", "--user"])
def test_ids_must_be_discord_ids(db: Path, capsys: pytest.CaptureFixture[str], option: str) -> None:
    ids = {"--guild": G, "--user": U, option: "my-server"}
    code, _, err = run(capsys, "list", "--guild", ids["--guild"], "--user", ids["--user"])
    assert code == 2
    assert err == f"error: {option} must be a Discord id (digits), got 'my-server'.\n"
    assert not db.exists()


def test_an_unusable_database_is_one_line_and_exit_1(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    code, out, err = run(
        capsys, "add", "A prompt that cannot be stored?", "--guild", G, "--user", U
    )
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1
    assert "newer essay-bot" in err


def test_database_path_comes_from_dotenv_and_the_real_command_runs(tmp_path: Path) -> None:
    """One end-to-end run as a user would type it: a fresh process, settings from ``.env``."""
    (tmp_path / ".env").write_text(f"DATABASE_PATH=from-dotenv.sqlite3\nSEEDS_DIR={SEEDS}\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    command = ["prompt", "add", "Does trade make neighbours closer?", "--guild", G, "--user", U]
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command, "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    check_shape(json.loads(result.stdout))
    assert (tmp_path / "from-dotenv.sqlite3").exists()


@pytest.mark.parametrize("where", ["missing folder", "a folder", "unwritable"])
@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_export_to_a_place_that_cannot_take_a_file_is_one_line_exit_2(
    tmp_path: Path, where: str, json_flag: tuple[str, ...]
) -> None:
    targets = {
        "missing folder": (tmp_path / "absent" / "prompts.csv", "does not exist"),
        "a folder": (tmp_path, "is a folder"),
        # a file no one may write, root included (a chmod'ed folder would not stop root)
        "unwritable": (Path("/proc/version"), "cannot write"),
    }
    target, message = targets[where]
    who = ("--guild", G, "--user", U)
    done = run_bot(tmp_path, "prompt", "export", *who, "--output", str(target), *json_flag)
    assert (done.returncode, done.stdout) == (2, "")
    (line,) = done.stderr.splitlines()
    error = json.loads(line)["error"] if json_flag else line.removeprefix("error: ")
    assert message in error
    assert str(target) in error
    assert no_traceback(done)


def test_export_to_a_file_writes_it(tmp_path: Path) -> None:
    who = ("--guild", G, "--user", U)
    assert run_bot(tmp_path, "prompt", "add", "Who gains from the pipeline?", *who).returncode == 0
    done = run_bot(tmp_path, "prompt", "export", *who, "--output", str(tmp_path / "p.csv"))
    assert done.returncode == 0, done.stderr
    assert "Who gains from the pipeline?" in (tmp_path / "p.csv").read_text()


def test_refusals_with_json_are_json_on_stderr(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "remove", "7", "--guild", G, "--user", U, "--json")
    assert (code, out) == (2, "")
    assert json.loads(err) == {"error": "This server has no prompt #7."}
    code, out, err = run(capsys, "list", "--guild", "my-server", "--user", U, "--json")
    assert (code, out) == (2, "")
    assert json.loads(err) == {"error": "--guild must be a Discord id (digits), got 'my-server'."}


def test_export_csv_rows_show_the_status_after_each_event(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    who = ("--guild", G, "--user", U)
    assert run(capsys, "add", "Does a shared anthem make a shared memory?", *who)[0] == 0
    assert run(capsys, "remove", "1", *who)[0] == 0
    assert run(capsys, "restore", "1", *who)[0] == 0
    code, out, _ = run(capsys, "export", *who)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["event"], r["status"]) for r in rows] == [
        ("submitted", "open"),
        ("removed", "removed"),
        ("restored", "open"),
    ]
