from __future__ import annotations

from bot.core.search import Choice
from bot.ui.render import choices, cut, escape, plural


def test_cut_keeps_whole_sentences_and_marks_the_cut() -> None:
    text = "First one here. Second one follows. Third is long enough to overflow."
    shown, was_cut = cut(text, 40)
    assert was_cut
    assert shown == "First one here. Second one follows.…"
    assert len(shown) <= 40


def test_cut_falls_back_to_a_word_boundary() -> None:
    shown, was_cut = cut("word " * 100, 50)
    assert was_cut
    assert len(shown) <= 50
    assert shown.endswith("word…")


def test_short_text_is_untouched() -> None:
    assert cut("Short.", 10) == ("Short.", False)


def test_escape_neutralises_markdown_and_mentions() -> None:
    shown = escape("**bold** @everyone <@123> `code`")
    assert "\\*\\*bold\\*\\*" in shown
    assert "@everyone" not in shown
    assert "\\`code\\`" in shown


def test_choices_stop_at_discords_25() -> None:
    # ``Choice`` itself refuses labels over 100 characters; the count is the cog's to cap.
    shown = choices([Choice(f"Label {n}", str(n)) for n in range(40)])
    assert [(c.name, c.value) for c in shown] == [(f"Label {n}", str(n)) for n in range(25)]


def test_plural() -> None:
    assert plural(1, "prompt") == "1 prompt"
    assert plural(0, "prompt") == "0 prompts"
    assert plural(12, "speaker") == "12 speakers"
