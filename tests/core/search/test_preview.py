"""Autocomplete previews: short, and showing the words that matched."""

from __future__ import annotations

from bot.core.search.preview import trim_around
from bot.core.text import ELLIPSIS

LONG = (
    "In the opening years nothing much happened and the chronicle records mostly weather, "
    "harvests and the comings and goings of merchants, until at last the Zurich Protocols were "
    "signed in October and everything changed for the two neighbouring countries involved."
)


def test_short_text_is_left_alone() -> None:
    assert trim_around("A short line.", {"short"}, 100) == "A short line."


def test_window_is_centred_on_the_matched_words() -> None:
    preview = trim_around(LONG, {"zurich", "protocols"}, 100)
    assert len(preview) <= 100
    assert "Zurich Protocols" in preview
    assert preview.startswith(ELLIPSIS)
    assert preview.endswith(ELLIPSIS)


def test_window_cuts_at_word_boundaries() -> None:
    preview = trim_around(LONG, {"october"}, 60)
    inner = preview.strip(ELLIPSIS)
    assert inner == inner.strip()
    assert set(inner.split()) <= set(LONG.split())


def test_no_match_keeps_the_beginning() -> None:
    preview = trim_around(LONG, {"absent"}, 50)
    assert preview.startswith("In the opening")
    assert preview.endswith(ELLIPSIS)
    assert len(preview) <= 50


def test_match_at_the_very_end() -> None:
    preview = trim_around(LONG, {"involved"}, 80)
    assert preview.startswith(ELLIPSIS)
    assert preview.endswith("involved.")
    assert len(preview) <= 80
