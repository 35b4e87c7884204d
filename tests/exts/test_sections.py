from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import EXPIRED
from bot.exts import views
from tests.exts.conftest import Harness, bot_over
from tests.exts.documents import long_document
from tests.exts.harness import (
    CHANNEL_MESSAGE,
    EPHEMERAL,
    OTHER_ID,
    UPDATE_MESSAGE,
    FakeHTTP,
    button,
    buttons,
    option,
    press,
    slash,
)


@pytest.fixture
async def long_harness(tmp_path: Path, fake_http: FakeHTTP) -> AsyncIterator[Harness]:
    async with bot_over(tmp_path, fake_http, long_document()) as h:
        yield h


async def test_section_by_number_shows_its_paragraphs(harness: Harness) -> None:
    callback = await harness.answer(slash("section", option("name", "2")))
    assert callback.body["type"] == CHANNEL_MESSAGE
    (embed,) = callback.data["embeds"]
    assert embed["title"] == "§ 2 Harbour Lights"
    assert embed["description"] == "**¶ 1** Ships came at night. Lamps guided them."
    assert buttons(callback.data) == []  # one page: nothing to press


async def test_long_section_pages_within_limits_and_cuts_at_a_sentence(
    long_harness: Harness,
) -> None:
    h = long_harness
    payload = slash("section", option("name", "deep"))
    first = (await h.answer(payload)).data
    (embed,) = first["embeds"]
    assert len(embed["description"]) <= 4096
    assert embed["description"].endswith("salt.…")  # a whole sentence, then the ellipsis
    assert button(first, "Context")["disabled"] is False
    assert button(first, "Previous")["disabled"] is True
    message = h.message(payload)
    pages = 1
    data = first
    while not button(data, "Next")["disabled"]:
        update = await h.answer(press(message, button(data, "Next")["custom_id"]))
        assert update.body["type"] == UPDATE_MESSAGE
        data = update.data
        pages += 1
        size = sum(len(data["embeds"][0].get(k, "")) for k in ("title", "description"))
        assert size + len(data["embeds"][0]["footer"]["text"]) <= 6000
    assert pages > 2
    assert f"page {pages} of {pages}" in data["embeds"][0]["footer"]["text"]


async def test_context_shows_the_whole_cut_paragraph_privately(long_harness: Harness) -> None:
    h = long_harness
    payload = slash("section", option("name", "deep"))
    first = (await h.answer(payload)).data
    context = await h.answer(
        press(h.message(payload), button(first, "Context")["custom_id"], user_id=OTHER_ID)
    )
    assert context.data["flags"] & EPHEMERAL
    assert len(context.data["embeds"][0]["description"]) <= 4096


async def test_unknown_section_suggests_names(harness: Harness) -> None:
    callback = await harness.answer(slash("section", option("name", "nowhere")))
    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"].startswith("No section matches “nowhere”.")


async def test_a_section_number_out_of_range_says_which_exist(harness: Harness) -> None:
    callback = await harness.answer(slash("section", option("name", "§ 9")))
    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"] == "There is no section 9; sections run from 1 to 2."


async def test_a_live_view_answers_its_own_press_once(long_harness: Harness) -> None:
    h = long_harness
    payload = slash("section", option("name", "deep"))
    first = (await h.answer(payload)).data
    turn = press(h.message(payload), button(first, "Next")["custom_id"])
    # Every task the press starts (the view's, and the bot's on_interaction) runs to its
    # end: any second, wrong answer has been sent by then.
    handling = h.dispatch(turn)
    _, unfinished = await asyncio.wait(handling, timeout=5)
    assert handling
    assert not unfinished
    answers = [r for r in h.http.requests if r.path.endswith(f"/{turn['token']}/callback")]
    assert [r.body["type"] for r in answers] == [UPDATE_MESSAGE]


async def test_buttons_from_before_a_restart_say_they_expired(
    tmp_path: Path, fake_http: FakeHTTP
) -> None:
    payload = slash("section", option("name", "deep"))
    async with bot_over(tmp_path / "before", fake_http, long_document()) as before:
        first = (await before.answer(payload)).data
        message = before.message(payload)
    async with bot_over(tmp_path / "after", fake_http, long_document()) as after:
        pressed = await after.answer(press(message, button(first, "Next")["custom_id"]))
    assert pressed.data["flags"] & EPHEMERAL
    assert pressed.data["content"] == EXPIRED


async def test_buttons_are_disabled_when_the_view_times_out(
    long_harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "VIEW_TIMEOUT", 0.2)
    h = long_harness
    payload = slash("section", option("name", "deep"))
    await h.answer(payload)
    (edit,) = await h.http.wait_for("PATCH", f"/{payload['token']}/messages/@original")
    assert buttons(edit.body)
    assert all(b["disabled"] for b in buttons(edit.body))


async def test_section_autocomplete(harness: Harness) -> None:
    payload = slash("section", option("name", "har", focused=True), autocomplete=True)
    callback = await harness.answer(payload)
    (choice,) = callback.data["choices"]
    assert choice == {"name": "§ 2 · Harbour Lights", "value": "Harbour Lights"}
    chosen = await harness.answer(slash("section", option("name", choice["value"])))
    assert chosen.data["embeds"][0]["title"] == "§ 2 Harbour Lights"


async def test_section_autocomplete_respects_discords_limits(crowded_harness: Harness) -> None:
    payload = slash("section", option("name", "", focused=True), autocomplete=True)
    found = (await crowded_harness.answer(payload)).data["choices"]
    assert len(found) == 25  # of 30 sections
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in found)
    assert found[0]["name"].startswith("§ 1 · Crossing number 1,")
    assert found[0]["name"].endswith("…")
