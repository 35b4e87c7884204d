"""The spoiler guard on /quote, /search and /section, its private reveal, and its switch."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import Services
from tests.exts.harness import EPHEMERAL, Harness
from tests.exts.test_plan import due_in


async def start(harness: Harness, services: Services) -> None:
    """A daily plan whose first session (§ 1) has come and whose second (§ 2) has not."""
    fake = harness.fake
    await services.plans.set_plan(
        guild=fake.guild.id,
        user=fake.moderator.id,
        moderator=True,
        channel=fake.guild.channels[0].id,
        every="day",
        at="19:00",
        tz="Europe/Paris",
        now=datetime.now(UTC),
    )
    await due_in(services, -60, 86_400)


async def test_a_quote_from_a_section_not_reached_is_hidden_until_revealed(
    harness: Harness, services: Services
) -> None:
    await start(harness, services)
    answer = await harness.answer(harness.slash("quote", {"query": "Lamps guided them"}))
    embed = answer.data["embeds"][0]
    hidden, note = embed["description"].split("\n\n")
    assert hidden == "||“Lamps guided them.”||"
    assert note.startswith("§ 2 is scheduled for <t:")
    assert note.endswith(":D>.")
    shown = harness.message(answer)
    other = harness.fake.add_member("early reader")
    revealed = await harness.answer(harness.press(shown, "Reveal", user=other))
    assert revealed.data["flags"] & EPHEMERAL
    assert revealed.data["embeds"][0]["description"] == "“Lamps guided them.”"
    reached = await harness.answer(harness.slash("quote", {"query": "Nobody asked the river"}))
    assert reached.data["embeds"][0]["description"] == "“Nobody asked the river.”"
    assert "Reveal (only you)" not in str(reached.data["components"])


async def test_search_and_section_hide_what_is_ahead(harness: Harness, services: Services) -> None:
    await start(harness, services)
    found = await harness.answer(harness.slash("search", {"query": "ships came at night"}))
    description = found.data["embeds"][0]["description"]
    assert description.startswith("||Ships came at night.")
    assert "\n\n§ 2 is scheduled for <t:" in description
    section = await harness.answer(harness.slash("section", {"name": "2"}))
    embed = section.data["embeds"][0]
    assert embed["title"] == "§ 2 Harbour Lights"
    assert "Ships" not in embed["description"]
    assert embed["description"].startswith("§ 2 is scheduled for <t:")
    revealed = await harness.answer(harness.press(harness.message(section), "Reveal"))
    assert revealed.data["flags"] & EPHEMERAL
    assert "Ships came at night." in revealed.data["embeds"][0]["description"]
    first = await harness.answer(harness.slash("section", {"name": "1"}))
    assert "Rivers carry salt" in first.data["embeds"][0]["description"]


async def test_autocomplete_does_not_preview_sections_ahead(
    harness: Harness, services: Services
) -> None:
    await start(harness, services)
    typed = await harness.answer(harness.typing("quote", "query", {"query": ""}))
    previews = [c["name"] for c in typed.data["choices"]]
    assert "Ada Lovell: Nobody asked the river." in previews
    assert not any("Lamps" in name for name in previews)
    moderator = harness.fake.moderator
    off = await harness.answer(
        harness.slash("plan-admin spoiler-guard", {"on": False}, user=moderator)
    )
    assert (await harness.final(off))["content"] == "Spoiler guard off for this server."
    typed = await harness.answer(harness.typing("quote", "query", {"query": ""}))
    assert any("Lamps" in c["name"] for c in typed.data["choices"])
    answer = await harness.answer(harness.slash("quote", {"query": "Lamps guided them"}))
    assert answer.data["embeds"][0]["description"] == "“Lamps guided them.”"
