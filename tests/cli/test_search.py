"""``python -m bot quote|section|search``: the CLI contract, through ``main`` and as a process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.cli import main
from bot.core.search import WEAK_MATCH
from tests.conftest import ROOT, SEEDS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--seeds", str(SEEDS)])
    out, err = capsys.readouterr()
    return code, out, err


def test_quote_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quote", "ataturk joy sorrow", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits[0] == {
        "kind": "spoken",
        "speaker": "Atatürk",
        "text": "Azerbaijan’s joy is our joy; its sorrow is our sorrow.",
        "section": 1,
        "section_title": "Introduction",
        "paragraph": 7,
        "score": hits[0]["score"],
    }
    assert 0 <= hits[0]["score"] <= 100
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
