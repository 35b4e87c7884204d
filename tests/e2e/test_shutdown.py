"""``python -m bot run`` against the fake: a restart does not resync; SIGTERM loses no prompt.

A prompt counts as confirmed when the member was shown it as added.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import uuid
from pathlib import Path

from tests.e2e._bot import bot_process, rendered, stored_texts
from tests.fakediscord import FakeDiscord, Interaction

BOOT = 60.0


async def wait_exit(process: subprocess.Popen[bytes], within: float) -> int:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while process.poll() is None:
        if loop.time() > deadline:
            raise TimeoutError(f"the bot did not exit within {within} s")
        await asyncio.sleep(0.05)
    return process.returncode


async def test_sigterm_with_prompts_in_flight_loses_no_confirmed_prompt(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        log = tmp_path / "bot.log"
        with bot_process(fake, tmp_path, log) as process:
            await fake.wait_ready(BOOT)
            await fake.wait_until(lambda: len(fake.syncs) == 1, within=BOOT)
            records: list[tuple[str, Interaction]] = []

            async def send(n: int) -> None:
                writer = fake.add_member(f"writer{n}")
                # Unlike each other (a near-duplicate would be asked about, not added).
                text = f"What would change your mind about point {n}? ({uuid.uuid4().hex})"
                payload = fake.slash("prompt add", {"text": text}, user=writer)
                records.append((text, await fake.send_interaction(payload)))

            for n in range(8):
                await send(n)
                await asyncio.sleep(0.02)
            await fake.wait_until(
                lambda: sum(_confirmed(fake, r, t) for t, r in records) >= 3, within=10
            )
            # More arrive in the same instant as the signal: these are the ones in flight.
            process.send_signal(signal.SIGTERM)
            for n in range(8, 24):
                await send(n)
            code = await wait_exit(process, within=30)
        output = log.read_text(errors="replace")
        assert code == 0, output
        assert "database closed" in output
        # In flight means answered or politely turned away, never a crash in the log.
        assert "Traceback" not in output, output
        assert " ERROR " not in output, output
        before_signal = records[:8]
        assert all(record.response is not None for _, record in before_signal)
        answers = [rendered(m) for m in fake.messages.values()]
        assert all(text.strip() for text in answers)

        confirmed = [text for text, record in records if _confirmed(fake, record, text)]
        stored = stored_texts(tmp_path / "essay-bot.sqlite3")
        assert confirmed, "SIGTERM came before any prompt was confirmed: nothing was tested"
        assert [t for t in confirmed if t not in stored] == []


def _confirmed(fake: FakeDiscord, record: Interaction, text: str) -> bool:
    """The member was shown their prompt as added (edited deferral or direct reply)."""
    message = fake.messages.get(record.original_id or "")
    return message is not None and text in rendered(message)


async def test_restart_with_unchanged_commands_does_not_resync(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        for boot in range(2):
            with bot_process(fake, tmp_path, tmp_path / f"boot{boot}.log") as process:
                await _readies(fake, boot + 1)
                process.send_signal(signal.SIGTERM)
                assert await wait_exit(process, within=30) == 0
        assert len(fake.syncs) == 1
        assert fake.unhandled == []


async def _readies(fake: FakeDiscord, count: int) -> None:
    await fake.wait_until(lambda: fake.ready_count >= count, within=BOOT)
