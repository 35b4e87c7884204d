"""``python -m bot quote|section|search``: the CLI contract, through ``main`` and as a process."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot import __version__
from bot.cli import main
from bot.core.model import Document
from bot.core.plan.store import PlanStore
from bot.core.prompt_store import PromptStore
from bot.core.search import WEAK_MATCH, absent_words_note
from tests.conftest import ROOT, SEEDS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--seeds", str(SEEDS)])
    out, err = capsys.readouterr()
    return code, out, err


def test_quote_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quote", "ataturk joy sorrow", "--json")
    assert code == 0
    hits = json.loads(out)
    top = dict(hits[0])
    score = top.pop("score")
    assert top == {
        "kind": "spoken",
        "speaker": "Atatürk",
        "text": "Azerbaijan’s joy is our joy; its sorrow is our sorrow.",
        "section": 1,
        "section_title": "Introduction",
        "paragraph": 7,
    }
    assert isinstance(score, float)
    assert 0 <= score <= 100
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_quote_speaker_and_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quote", "table", "--speaker", "cavusoglu", "--limit", "1", "--json")
    assert code == 0
    (hit,) = json.loads(out)
    assert hit["speaker"] == "Mevlüt Çavuşoglu"


def test_section_and_search_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "section", "turbulance", "--json")
    assert code == 0
    top = json.loads(out)[0]
    assert set(top) == {"number", "title", "score"}
    assert (top["number"], top["title"]) == (5, "A Period of Turbulence")
    code, out, _ = run(capsys, "search", "3650", "--json")
    assert code == 0
    top = json.loads(out)[0]
    assert set(top) == {
        "kind",
        "section",
        "section_title",
        "paragraph",
        "text",
        "score",
        "confident",
    }
    assert (top["kind"], top["section"], top["paragraph"]) == ("passage", 4, 2)
    assert "3,650" in top["text"]


def test_query_may_be_several_words_unquoted(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "zurich", "protocols", "--json")
    assert code == 0
    assert json.loads(out)[0]["section"] == 5


def test_no_match_is_an_empty_array_or_a_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "qwertyuiop", "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run(capsys, "quote", "skolarshipz")
    assert code == 0
    assert out == 'No passage matches "skolarshipz".\nDid you mean "scholarships"?\n'
    code, out, _ = run(capsys, "section", "sorces of comonality")
    assert code == 0
    assert "Sources of Commonality" in out


def test_text_output_cites_section_and_paragraph(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quote", "we stand with azerbaijan in the field")
    assert code == 0
    assert out.startswith("“We stand with Azerbaijan in the field and on the table.”")
    assert "Mevlüt Çavuşoglu · § 6 The Karabakh Conflict, ¶ 3" in out
    code, out, _ = run(capsys, "search", "football diplomacy")
    assert "§ 5 A Period of Turbulence, ¶ 2" in out


@pytest.mark.parametrize("query", ["", "   ", "x" * 301])
@pytest.mark.parametrize("command", ["quote", "section", "search"])
def test_bad_query_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], command: str, query: str
) -> None:
    code, out, err = run(capsys, command, query)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1


def test_unknown_speaker_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "quote", "joy", "--speaker", "Napoleon")
    assert code == 2
    assert "No speaker matches" in err


def test_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "section", "3", "--json", "--seeds", str(SEEDS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"number": 3, "title": "Societal Dialogue", "score": 100.0}
    ]


def test_a_weakly_matched_question_says_it_is_a_guess(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "search", "what", "do", "you", "think", "about", "football", "today?"
    )
    assert code == 0
    assert out.startswith(WEAK_MATCH)
    assert "§ " in out


def test_a_question_sharing_no_word_with_the_essay_names_the_absent_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "search", "what did the soldiers eat in the trenches?")
    assert code == 0
    assert out.strip() == absent_words_note(["soldiers", "eat", "trenches"])


@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_section_99_is_no_section_exit_2_as_in_the_console(
    capsys: pytest.CaptureFixture[str], json_flag: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "section", "99", *json_flag)
    assert (code, out) == (2, "")
    message = "There is no section 99; sections run from 1 to 7."
    if json_flag:
        assert json.loads(err) == {"error": message}
    else:
        assert err == f"error: {message}\n"


def test_a_name_like_no_section_is_refused_as_in_the_console(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "section", "qqqq zzzz xxxx")
    assert (code, out) == (2, "")
    assert err.startswith("error: No section matches")


def test_section_can_print_its_paragraphs(
    capsys: pytest.CaptureFixture[str], essay: Document
) -> None:
    section = essay.section(3)
    code, out, _ = run(capsys, "section", "3", "--paragraphs")
    assert code == 0
    assert out.startswith(f"§ 3 {section.title}")
    flat = " ".join(out.split())
    for paragraph in section.paragraphs:
        assert f"¶ {paragraph.number} {' '.join(paragraph.text.split())}" in flat
    code, out, _ = run(capsys, "section", "3", "--paragraphs", "--json")
    (hit,) = json.loads(out)
    assert hit["paragraphs"] == [p.text for p in section.paragraphs]


def exit_code(argv: list[str]) -> int:
    """``main``'s result, or the code argparse exits with on a usage error."""
    try:
        return main(argv)
    except SystemExit as exit_:
        return int(str(exit_.code))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("quote", "   "), "Type a few words"),
        (("quote", "joy", "--speaker", "Napoleon"), "No speaker matches"),
        (("section", "99"), "There is no section 99"),
        (("search", "joy", "--limit", "many"), "invalid int value"),
        (("search",), "the following arguments are required: QUERY"),
    ],
)
def test_json_errors_are_json_on_stderr_with_the_same_exit_codes(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    text_code = exit_code([*argv, "--seeds", str(SEEDS)])
    _, text_err = capsys.readouterr()
    json_code = exit_code([*argv, "--seeds", str(SEEDS), "--json"])
    out, err = capsys.readouterr()
    assert text_code == json_code == 2
    assert message in text_err
    assert out == ""
    (line,) = err.splitlines()
    assert message in json.loads(line)["error"]


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"essay-bot {__version__}\n")


def test_with_several_essays_the_servers_current_one_answers_or_essay(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shelf = tmp_path / "seeds"
    shelf.mkdir()
    for name in ("first", "second"):  # the same essay twice, under two ids
        for seed in SEEDS.glob("*.txt"):
            shutil.copy(seed, shelf / f"{name}.txt")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite3"))
    seeds = ("--seeds", str(shelf))
    assert main(["section", "3", *seeds]) == 2
    assert "Several essays have a section 3" in capsys.readouterr().err
    assert main(["section", "3", "--essay", "second", *seeds]) == 0
    assert "[second]" in capsys.readouterr().out
    assert main(["section", "3", "--essay", "moon", *seeds]) == 2
    assert "No essay is called 'moon'" in capsys.readouterr().err

    async def choose() -> None:
        store = await PromptStore.open(tmp_path / "db.sqlite3")
        await PlanStore(store).set_essay("123", "first")
        await store.close()

    asyncio.run(choose())
    assert main(["search", "3650", "--guild", "123", *seeds]) == 0
    out = capsys.readouterr().out
    assert "[first]" in out
    assert "[second]" not in out
