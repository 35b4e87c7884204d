"""``python -m bot export``: the whole index in the promised JSON shape, as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli._process import bot_env, run_bot
from tests.conftest import ROOT, SEEDS


def run(*args: str, seeds: Path = SEEDS) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "export", "--seeds", str(seeds), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_export_json_shape() -> None:
    result = run("--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"documents"}
    (doc,) = data["documents"]
    assert set(doc) == {"id", "title", "subtitle", "author", "sections", "quotes"}
    assert doc["id"] == "azerbaijani-turkish-relations"
    for number, section in enumerate(doc["sections"], start=1):
        assert set(section) == {"number", "title", "paragraphs"}
        assert section["number"] == number
        assert all(isinstance(p, str) and p for p in section["paragraphs"])
    for quote in doc["quotes"]:
        assert set(quote) == {"id", "kind", "speaker", "text", "section", "paragraph"}
        assert quote["kind"] in {"spoken", "pull"}
        section = doc["sections"][quote["section"] - 1]
        assert 1 <= quote["paragraph"] <= len(section["paragraphs"])
    assert "“" in result.stdout  # Unicode as printed, not escaped


def test_export_outline_and_a_bad_seed_beside_a_good_one(tmp_path: Path) -> None:
    (tmp_path / "essay.txt").write_bytes((SEEDS / "azerbaijani-turkish-relations.txt").read_bytes())
    (tmp_path / "broken.txt").write_bytes(b"")
    result = run(seeds=tmp_path)
    assert result.returncode == 0
    assert "§ 7 Further Consolidation" in result.stdout
    assert result.stderr == f"warning: {tmp_path / 'broken.txt'}: the file is empty\n"


def test_export_with_nothing_to_export(tmp_path: Path) -> None:
    result = run("--json", seeds=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {"documents": []}
    assert "no essays" in result.stderr


def test_a_reader_that_goes_away_is_no_error() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already stopped reading
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "export", "--json", "--seeds", str(SEEDS)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr


def test_export_reads_seeds_dir_from_dotenv_like_every_command(tmp_path: Path) -> None:
    seeds = tmp_path / "essays"
    seeds.mkdir()
    (seeds / "only.txt").write_bytes((SEEDS / "azerbaijani-turkish-relations.txt").read_bytes())
    (tmp_path / ".env").write_text(f"SEEDS_DIR={seeds}\n")
    env = bot_env(tmp_path)
    del env["SEEDS_DIR"]
    done = run_bot(tmp_path, "export", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert [d["id"] for d in json.loads(done.stdout)["documents"]] == ["only"]


def test_no_essays_with_json_is_a_json_error_exit_1(tmp_path: Path) -> None:
    result = run("--json", seeds=tmp_path)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert json.loads(line) == {
        "error": f"no essay could be loaded from {tmp_path} "
        "(no essays (*.pdf or *.txt) in the seeds folder); check SEEDS_DIR"
    }
