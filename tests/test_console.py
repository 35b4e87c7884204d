"""The console prints the same replies the cogs send, and buttons become numbers."""

from __future__ import annotations

import io
import json
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pexpect
import pytest

from bot.console import Console, parse
from bot.exts.quotes import quote_reply
from bot.services import Caller, Services
from tests.cli._process import bot_env, no_traceback, run_bot
from tests.conftest import SEEDS
from tests.exts.documents import make_document
from tests.exts.harness import open_services


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(tmp_path / "prompts.sqlite3", make_document()) as opened:
        yield opened


def make_console(services: Services, exports: Path) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    caller = Caller(user="7", guild="1", channel=None, can_moderate=True, can_manage_guild=True)
    return Console(services, caller, out=out, exports=exports), out


def test_parse_splits_named_options() -> None:
    assert parse("/quote one nation speaker: Ada Lovell") == (
        "quote",
        {"query": "one nation", "speaker": "Ada Lovell"},
    )
    assert parse("/prompt add Why now? section: 2") == (
        "prompt add",
        {"text": "Why now?", "section": "2"},
    )


async def test_quote_prints_the_cogs_embed_and_numbered_buttons(
    services: Services, tmp_path: Path
) -> None:
    console, out = make_console(services, tmp_path)
    await console.handle("/quote river")
    text = out.getvalue()
    embed = quote_reply(services, "river").current_embed()
    assert embed is not None
    assert embed.description is not None
    assert embed.description in text
    assert "┌ Ada Lovell" in text
    assert "[1] Context" in text
    assert "[3] More (1/2)" in text
    await console.handle("3")
    assert "┌ the author" in out.getvalue()
    await console.handle("1")
    assert "(only you can see this)" in out.getvalue()


async def test_prompts_round_trip_and_refusals_are_shown(
    services: Services, tmp_path: Path
) -> None:
    console, out = make_console(services, tmp_path / "exports")
    await console.handle("/prompt add What would the river say?")
    assert "Added as prompt #1." in out.getvalue()
    (added,) = await services.prompts.list(guild="1")
    assert (added.number, added.author, added.text) == (1, "7", "What would the river say?")
    await console.handle("/prompt remove 9")
    assert "This server has no prompt #9." in out.getvalue()
    await console.handle("/prompts-admin export")
    assert f"[saved {tmp_path / 'exports' / 'prompts-1.csv'}, " in out.getvalue()
    await console.handle("/nonsense")
    assert "Unknown command /nonsense." in out.getvalue()
    assert await console.handle("/quit") is False


# --- the real entry point: ``python -m bot console`` in a terminal ------------------------


def _as_a_shell_starts_it() -> None:
    """In the child: Ctrl-C as an interactive shell leaves it for a foreground command.

    A suite started in the background (``make test &``) ignores SIGINT, and a child
    would inherit that; a person at a terminal never runs the console that way.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(folder: Path, *args: str, **settings: str) -> pexpect.spawn:
    """``python -m bot …`` on a pseudo-terminal, as a person at a keyboard runs it."""
    env = bot_env(folder, TERM="dumb", **settings)
    return pexpect.spawn(
        sys.executable,
        ["-m", "bot", *args],
        cwd=str(folder),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 200),
        preexec_fn=_as_a_shell_starts_it,
    )


def finish(child: pexpect.spawn, within: float) -> str:
    """Everything printed until exit; the exit must come within ``within`` seconds."""
    child.expect(pexpect.EOF, timeout=within)
    child.close()
    return str(child.before)


@pytest.mark.parametrize("key", ["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_at_the_prompt_leave_at_once(tmp_path: Path, key: str) -> None:
    child = spawn(tmp_path, "console")
    child.expect("> ")
    if key == "ctrl-c":
        child.sendintr()
    else:
        child.sendeof()
    rest = finish(child, within=5)  # not "after the next Enter"
    assert child.exitstatus == 0
    assert "Traceback" not in rest


def test_ctrl_c_while_asked_for_the_console_leaves_quietly(tmp_path: Path) -> None:
    child = spawn(tmp_path, DISCORD_TOKEN="")
    child.expect(r"Open the offline console instead\? \[Y/n\] ")
    child.sendintr()
    rest = finish(child, within=5)
    assert child.exitstatus == 2
    assert "Traceback" not in rest


def test_the_console_is_the_same_however_it_is_started(tmp_path: Path) -> None:
    """``make run`` without a token → console, and ``make console``: the same banner and rights."""
    started = spawn(tmp_path, DISCORD_TOKEN="")
    started.expect(r"\[Y/n\] ")
    started.sendline("y")
    started.expect("> ")
    via_run = str(started.before).split("essay-bot console", 1)[1]
    started.sendeof()
    finish(started, within=10)

    direct = spawn(tmp_path, "console")
    direct.expect("> ")
    via_console = str(direct.before).split("essay-bot console", 1)[1]
    direct.sendeof()
    finish(direct, within=10)

    assert via_run == via_console
    assert "you are " in via_console
    assert "without moderator rights" in via_console


def console_run(folder: Path, lines: str, *args: str, **settings: str) -> tuple[int, str, str]:
    done = run_bot(folder, "console", *args, env=bot_env(folder, **settings), stdin=lines)
    assert no_traceback(done), done.stderr
    return done.returncode, done.stdout, done.stderr


def test_the_console_acts_as_a_named_local_member_without_rights_unless_asked(
    tmp_path: Path,
) -> None:
    code, out, _ = console_run(
        tmp_path,
        "/prompt add What makes an alliance last?\n/prompt list\n/prompts-admin export\n",
        "--user",
        "ada",
    )
    assert code == 0
    assert "you are ada, a local member of server 0, without moderator rights" in out
    assert "— ada" in out  # the author as listed, by name
    assert "<@0>" not in out
    assert "/prompts-admin is for moderators: start the console with --moderator." in out

    _, out, _ = console_run(tmp_path, "/prompt remove 1\n", "--user", "bo")
    assert "Only the author of prompt #1 or a moderator" in out
    _, out, _ = console_run(tmp_path, "/prompts-admin remove 1\n", "--user", "bo")
    assert "/prompts-admin is for moderators" in out
    moderated = "/prompt remove 1\n/prompts-admin remove 1\n"  # as on Discord: only the latter
    _, out, _ = console_run(tmp_path, moderated, "--user", "bo", "--moderator")
    assert "with moderator rights (--moderator)" in out
    assert "Only the author of prompt #1 or a moderator" in out
    assert "Prompt #1 removed." in out


def test_the_export_writes_csv_and_json_to_the_folder_it_names(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    code, out, _ = console_run(
        tmp_path,
        "/prompt add Which gesture meant the most?\n/prompts-admin export\n",
        "--moderator",
        "--exports",
        str(folder),
    )
    assert code == 0
    assert f"/prompts-admin export writes to {folder}/" in out
    for name in ("prompts-0.csv", "prompts-0.json"):
        saved = folder / name
        assert f"[saved {saved}, {saved.stat().st_size} bytes]" in out
    assert "Which gesture meant the most?" in (folder / "prompts-0.csv").read_text()
    assert json.loads((folder / "prompts-0.json").read_text())["prompts"][0]["number"] == 1

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    _, out, _ = console_run(
        tmp_path, "/prompts-admin export\n", "--moderator", "--exports", str(blocker)
    )
    assert f"[could not save {blocker}/prompts-0.csv:" in out


def test_no_essays_and_the_console_refuses_to_start(tmp_path: Path) -> None:
    empty = tmp_path / "seeds"
    empty.mkdir()
    code, out, err = console_run(tmp_path, "/section 1\n", SEEDS_DIR=str(empty))
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"error: no essay could be loaded from {empty} "
        "(no essays (*.pdf or *.txt) in the seeds folder); check SEEDS_DIR"
    ]


def test_each_bad_seed_file_is_reported_once_with_its_path_once(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "essay.txt").write_bytes((SEEDS / "azerbaijani-turkish-relations.txt").read_bytes())
    broken = seeds / "broken.txt"
    broken.write_bytes(b"")
    code, out, err = console_run(tmp_path, "/about\n", SEEDS_DIR=str(seeds))
    assert code == 0
    assert (out + err).count(str(broken)) == 1, err
    assert "the file is empty" in err


def test_an_unusable_database_and_the_console_refuses_to_start(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the database folder should be")
    code, out, err = console_run(tmp_path, "/about\n", DATABASE_PATH=str(blocker / "db.sqlite3"))
    assert (code, out) == (1, "")
    (line,) = err.strip().splitlines()
    assert line.startswith("error: Cannot create the folder for the prompt database")


async def test_a_near_duplicate_prompt_asks_first_as_on_discord(
    services: Services, tmp_path: Path
) -> None:
    console, out = make_console(services, tmp_path)
    await console.handle("/prompt add What would the river say?")
    await console.handle("/prompt add what would the RIVER say, really?")
    assert "│ Similar to #1" in out.getvalue()
    assert "[1] Add anyway   [2] Cancel" in out.getvalue()
    assert len(await services.prompts.list(guild="1")) == 1
    await console.handle("1")
    assert "│ Added as prompt #2." in out.getvalue()
    await console.handle("/prompt add What would the river say, then? force: yes")
    assert "Added as prompt #3." in out.getvalue()
    assert [p.number for p in await services.prompts.list(guild="1")] == [3, 2, 1]


async def test_look_ups_take_the_essay_option_as_on_discord(
    services: Services, tmp_path: Path
) -> None:
    console, out = make_console(services, tmp_path)
    await console.handle("/section 1 essay: moon")
    assert "No essay is called 'moon'" in out.getvalue()
    doc = services.index.library.documents[0]
    await console.handle(f"/search river essay: {doc.id}")
    assert "│ § 1 Opening Moves" in out.getvalue()
    await console.handle("/about")
    assert "Current essay here" not in out.getvalue()  # one essay: nothing to choose
