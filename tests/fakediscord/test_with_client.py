"""Prove the fake against a minimal discord.py client before trusting it with the bot.

The client here is defined in the test, so a failure points at the fake (or at
discord.py's expectations of Discord), never at the bot.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands

from tests.fakediscord import FakeDiscord, FakeUsageError, pointed_at, running

WORDS = [f"word{n:02d}" for n in range(40)]
EPHEMERAL = 1 << 6
LOADING = 1 << 7


class Pager(discord.ui.View):
    def __init__(self, owner: int) -> None:
        super().__init__(timeout=60)
        self.owner = owner
        self.page = 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner:
            await interaction.response.send_message("not yours", ephemeral=True)
            return False
        return True

    @discord.ui.button(label="Next", custom_id="pager:next")
    async def next(
        self, interaction: discord.Interaction, button: discord.ui.Button[Pager]
    ) -> None:
        self.page += 1
        await interaction.response.edit_message(content=f"page {self.page}", view=self)


class MiniBot(discord.Client):
    def __init__(self, guild_id: int) -> None:
        super().__init__(
            intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none()
        )
        self.guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        self.errors: list[BaseException] = []
        self.tree.on_error = self.on_tree_error  # type: ignore[method-assign]
        self.resumes = 0
        self.kept: list[discord.Interaction] = []

        @self.tree.command(description="Say it back")
        @app_commands.describe(text="What to say")
        async def echo(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.send_message(text)

        @echo.autocomplete("text")
        async def echo_complete(
            interaction: discord.Interaction, typed: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=w, value=w) for w in WORDS if typed in w][:25]

        @self.tree.command(description="Pages")
        async def pager(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("page 1", view=Pager(interaction.user.id))

        @self.tree.command(description="Slow work, then a file")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.edit_original_response(content="done")
            await interaction.followup.send(
                "the file", file=discord.File(io.BytesIO(b"abc"), "a.txt")
            )

        @self.tree.command(description="Think in public, then answer privately")
        async def think(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send("meant to be private", ephemeral=True)

        @self.tree.command(description="Answer, and keep the interaction for later")
        async def keep(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("kept")
            self.kept.append(interaction)

        @self.tree.command(description="For those who manage the server")
        @app_commands.default_permissions(manage_guild=True)
        async def manage(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("managed", ephemeral=True)

        @self.tree.command(description="Too long for an embed")
        async def toolong(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(embed=discord.Embed(description="x" * 4097))

    async def on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        self.errors.append(error.__cause__ or error)

    async def on_resumed(self) -> None:
        self.resumes += 1

    async def setup_hook(self) -> None:
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        yield fake


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[MiniBot]:
    client = MiniBot(int(fake.guild.id))
    async with running(client, fake):
        yield client


async def test_login_ready_and_sync(fake: FakeDiscord, bot: MiniBot) -> None:
    await fake.wait_until(lambda: bot.is_ready() and fake.heartbeats > 0, within=5)
    assert bot.user is not None
    assert str(bot.user.id) == fake.bot.id
    assert [g.id for g in bot.guilds] == [int(fake.guild.id)]
    synced = {c["name"] for c in fake.commands[fake.guild.id]}
    assert synced == {c.name for c in bot.tree.get_commands(guild=discord.Object(fake.guild.id))}
    assert fake.gateway_queries[0]["compress"] == "zlib-stream"
    assert fake.unhandled == []
    assert fake.rejected == []


async def test_slash_command_answered_without_pings(fake: FakeDiscord, bot: MiniBot) -> None:
    text = f"hello <@{fake.owner.id}> @everyone"
    record, response = await fake.interact(fake.slash("echo", {"text": text}))
    assert response["type"] == 4
    assert response["data"]["content"] == text
    message = fake.original(record)
    assert message["content"] == text
    assert message["mentions"] == []
    assert message["mention_everyone"] is False
    assert record.latency is not None


async def test_autocomplete_answered(fake: FakeDiscord, bot: MiniBot) -> None:
    _, response = await fake.interact(fake.autocomplete("echo", "text", {"text": "word"}))
    assert response["type"] == 8
    choices = response["data"]["choices"]
    assert len(choices) == 25
    assert choices[0] == {"name": "word00", "value": "word00"}


async def test_button_press_updates_message_and_checks_owner(
    fake: FakeDiscord, bot: MiniBot
) -> None:
    record, _ = await fake.interact(fake.slash("pager"))
    message = fake.original(record)
    pressed, response = await fake.interact(fake.press(message, "Next"))
    assert response["type"] == 7
    assert fake.original(pressed)["content"] == "page 2"
    assert fake.original(record)["content"] == "page 2"
    _, refused = await fake.interact(fake.press(message, "Next", user=fake.moderator))
    assert refused["type"] == 4
    assert refused["data"]["flags"] & 64


async def test_defer_edit_and_followup_with_file(fake: FakeDiscord, bot: MiniBot) -> None:
    record, response = await fake.interact(fake.slash("slow"))
    assert response["type"] == 5
    await fake.wait_until(lambda: len(record.followups) == 1)
    assert fake.original(record)["content"] == "done"
    followup = fake.messages[record.followups[0]]
    assert followup["attachments"][0]["filename"] == "a.txt"
    assert followup["attachments"][0]["size"] == 3


async def test_body_over_discord_limits_is_refused_like_discord(
    fake: FakeDiscord, bot: MiniBot
) -> None:
    record = await fake.send_interaction(fake.slash("toolong"))
    await fake.wait_until(lambda: bool(bot.errors))
    error = bot.errors[0]
    assert isinstance(error, discord.HTTPException)
    assert error.status == 400
    assert error.code == 50035
    assert "data.embeds.0.description" in error.text
    assert record.response is None
    assert len(record.rejected) == 1


async def test_resume_after_socket_close_replays_missed_events(
    fake: FakeDiscord, bot: MiniBot
) -> None:
    await fake.close_gateway()
    record = await fake.send_interaction(fake.slash("echo", {"text": "while away"}))
    await fake.wait_until(lambda: fake.resumed_count == 1, within=10)
    response = await fake.wait_response(record, within=10)
    assert response["data"]["content"] == "while away"
    assert fake.ready_count == 1
    await fake.wait_until(lambda: bot.resumes == 1)
    _, after = await fake.interact(fake.slash("echo", {"text": "after"}))
    assert after["data"]["content"] == "after"


async def test_rate_limited_callback_is_retried(fake: FakeDiscord, bot: MiniBot) -> None:
    fake.rate_limit_once("POST", r"/callback$", retry_after=0.3)
    record, response = await fake.interact(fake.slash("echo", {"text": "later"}))
    assert response["data"]["content"] == "later"
    assert record.latency is not None
    assert record.latency >= 0.3
    statuses = [r.status for r in fake.requests if r.path.endswith("/callback")]
    assert statuses == [429, 200]


async def test_rate_limited_rest_call_is_retried(fake: FakeDiscord, bot: MiniBot) -> None:
    fake.rate_limit_once("GET", r"^/channels/\d+$", retry_after=0.2)
    started = time.monotonic()
    channel = await bot.fetch_channel(int(fake.guild.channels[0].id))
    assert channel.id == int(fake.guild.channels[0].id)
    assert time.monotonic() - started >= 0.2


async def test_server_error_on_callback_is_retried(fake: FakeDiscord, bot: MiniBot) -> None:
    fake.fail_next_callbacks(500)
    _, response = await fake.interact(fake.slash("echo", {"text": "again"}), within=5)
    assert response["data"]["content"] == "again"
    assert [r.status for r in fake.requests if r.path.endswith("/callback")] == [500, 200]


async def test_refused_callback_reaches_error_handler_and_client_survives(
    fake: FakeDiscord, bot: MiniBot, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next_callbacks(404)
    await fake.send_interaction(fake.slash("echo", {"text": "lost"}))
    await fake.wait_until(lambda: bool(bot.errors))
    assert isinstance(bot.errors[0], discord.NotFound)
    _, response = await fake.interact(fake.slash("echo", {"text": "next"}))
    assert response["data"]["content"] == "next"


async def test_missing_route_is_recorded(fake: FakeDiscord, bot: MiniBot) -> None:
    with pytest.raises(discord.NotFound):
        await bot.fetch_guild(int(fake.guild.id))
    assert [r.path for r in fake.unhandled] == [f"/guilds/{fake.guild.id}"]


async def test_late_answer_is_refused_as_unknown_interaction(
    fake: FakeDiscord, bot: MiniBot
) -> None:
    fake.callback_deadline = 0.0
    record = await fake.send_interaction(fake.slash("echo", {"text": "late"}))
    await fake.wait_until(lambda: bool(bot.errors))
    assert record.late
    assert isinstance(bot.errors[0], discord.NotFound)
    assert bot.errors[0].code == 10062


async def test_fake_refuses_what_a_user_could_not_send(fake: FakeDiscord, bot: MiniBot) -> None:
    with pytest.raises(FakeUsageError, match="never synced"):
        fake.slash("nope")
    with pytest.raises(FakeUsageError, match="missing required"):
        fake.slash("echo")
    with pytest.raises(FakeUsageError, match="no option"):
        fake.slash("echo", {"text": "a", "other": 1})


async def test_wrong_token_is_refused(fake: FakeDiscord) -> None:
    client = MiniBot(int(fake.guild.id))
    with pointed_at(fake), pytest.raises(discord.LoginFailure):
        await client.start("not-" + fake.token)
    await client.close()
    assert [(r.path, r.status) for r in fake.requests] == [("/users/@me", 401)]


async def test_gateway_heartbeats(caplog: pytest.LogCaptureFixture) -> None:
    async with FakeDiscord(heartbeat_interval_ms=100) as fake:
        client = MiniBot(int(fake.guild.id))
        caplog.set_level(logging.WARNING)
        async with running(client, fake):
            await fake.wait_until(lambda: fake.heartbeats >= 3, within=5)
            await asyncio.sleep(0)
        acks = sum(1 for _, kind, _ in fake.gateway_log if kind == "out:11")
        assert acks >= 3


async def test_followup_right_after_a_deferral_edits_the_loading_message(
    fake: FakeDiscord, bot: MiniBot
) -> None:
    record, response = await fake.interact(fake.slash("think"))
    assert response["type"] == 5
    await fake.wait_until(lambda: not fake.original(record)["flags"] & LOADING)
    original = fake.original(record)
    assert original["content"] == "meant to be private"
    assert not original["flags"] & EPHEMERAL  # the deferral's state wins over the flag
    assert record.followups == []


async def test_interaction_tokens_expire() -> None:
    async with FakeDiscord(token_lifetime=0.3) as fake:
        client = MiniBot(int(fake.guild.id))
        async with running(client, fake):
            await fake.interact(fake.slash("keep"))
            (kept,) = client.kept
            await kept.edit_original_response(content="in time")
            await asyncio.sleep(0.4)
            with pytest.raises(discord.HTTPException) as refused:
                await kept.edit_original_response(content="too late")
            assert (refused.value.status, refused.value.code) == (401, 50027)
            assert len(fake.expired) == 1


async def test_every_rest_answer_takes_the_round_trip() -> None:
    async with FakeDiscord(round_trip=0.2) as fake:
        client = MiniBot(int(fake.guild.id))
        async with running(client, fake):
            started = time.monotonic()
            await client.fetch_channel(int(fake.guild.channels[0].id))
            assert time.monotonic() - started >= 0.2
            record, _ = await fake.interact(fake.slash("echo", {"text": "hi"}))
            assert record.latency is not None
            assert record.latency >= 0.1  # the callback's way there


async def test_administrators_hold_every_permission(fake: FakeDiscord, bot: MiniBot) -> None:
    moderator = fake.slash("echo", {"text": "x"}, user=fake.moderator)
    member = fake.slash("echo", {"text": "x"})
    assert discord.Permissions(int(moderator["member"]["permissions"])) >= discord.Permissions(
        manage_messages=True, manage_guild=True
    )
    assert not discord.Permissions(int(member["member"]["permissions"])).manage_messages
    helper = fake.add_member("helper", permissions=1 << 13)
    granted = fake.slash("echo", {"text": "x"}, user=helper)
    assert discord.Permissions(int(granted["member"]["permissions"])).manage_messages


async def test_commands_are_listed_by_their_default_permissions(
    fake: FakeDiscord, bot: MiniBot
) -> None:
    with pytest.raises(FakeUsageError, match="not shown to reader"):
        fake.slash("manage")
    holder = fake.add_member("holder", permissions=1 << 5)  # Manage Server, nothing else
    _, response = await fake.interact(fake.slash("manage", user=holder))
    assert response["data"]["content"] == "managed"
    _, response = await fake.interact(fake.slash("manage", user=fake.moderator))  # an admin
    assert response["data"]["content"] == "managed"
