"""The plan as members and moderators see it: set, show, due, pause, resume, skip, stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import Forbidden, InvalidInput, NotFound
from bot.core.plan.service import GRACE, PlanService, chunk_sections, decide
from bot.core.prompts import PromptService

PARIS = ZoneInfo("Europe/Paris")
# Monday 1 June 2026, 10:00 in Paris.
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


async def start(plans: PlanService, **kw: Any) -> None:
    options: dict[str, Any] = {
        "guild": "G1",
        "user": "1",
        "moderator": True,
        "channel": "55",
        "every": "day",
        "at": "19:00",
        "tz": "Europe/Paris",
        "now": NOW,
    }
    options.update(kw)
    await plans.set_plan(**options)


async def test_a_daily_plan_has_one_session_per_section_at_19_00_local(
    plans: PlanService,
) -> None:
    await start(plans)
    shown = (await plans.show("G1")).to_json()
    assert shown["timezone"] == "Europe/Paris"
    assert shown["channel"] == "55"
    assert shown["spoiler_guard"] is True
    sessions = shown["sessions"]
    assert [s["sections"] for s in sessions] == [[1], [2], [3]]
    assert [s["local"] for s in sessions] == [
        "2026-06-01T19:00:00+02:00",
        "2026-06-02T19:00:00+02:00",
        "2026-06-03T19:00:00+02:00",
    ]
    assert sessions[0]["at"] == "2026-06-01T17:00:00+00:00"
    assert {s["status"] for s in sessions} == {"pending"}


async def test_weekly_plan_with_two_sections_per_session_from_a_start_date(
    plans: PlanService,
) -> None:
    await start(plans, every="week", day="thu", start="2026-06-10", per_session=2)
    sessions = (await plans.show("G1")).to_json()["sessions"]
    assert [s["sections"] for s in sessions] == [[1, 2], [3]]
    assert [s["local"][:16] for s in sessions] == ["2026-06-11T19:00", "2026-06-18T19:00"]


async def test_members_cannot_change_the_plan(plans: PlanService) -> None:
    with pytest.raises(Forbidden, match="Manage Server"):
        await start(plans, moderator=False)
    await start(plans)
    for action in (plans.pause, plans.stop, plans.resume):
        with pytest.raises(Forbidden):
            await action(guild="G1", moderator=False, now=NOW)
    with pytest.raises(Forbidden):
        await plans.skip(guild="G1", moderator=False)
    with pytest.raises(Forbidden):
        await plans.set_spoiler_guard(guild="G1", moderator=False, on=False)


async def test_bad_settings_are_refused_and_nothing_is_stored(plans: PlanService) -> None:
    with pytest.raises(InvalidInput, match="Did you mean Europe/Paris"):
        await start(plans, tz="Paris")
    with pytest.raises(InvalidInput, match="between 1 and 3"):
        await start(plans, per_session=4)
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        await start(plans, start="next week")
    with pytest.raises(NotFound, match="no reading plan"):
        await plans.show("G1")


async def test_setting_a_plan_again_replaces_it(plans: PlanService) -> None:
    await start(plans)
    await start(plans, at="08:30", channel="66")
    shown = (await plans.show("G1")).to_json()
    assert shown["channel"] == "66"
    assert shown["sessions"][0]["local"] == "2026-06-02T08:30:00+02:00"  # today's 08:30 passed


async def test_plans_are_per_server(plans: PlanService) -> None:
    await start(plans)
    with pytest.raises(NotFound):
        await plans.show("G2")


async def test_due_reports_on_time_late_and_missed(plans: PlanService) -> None:
    await start(plans)
    first = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)
    assert (await plans.due("G1", first - timedelta(seconds=1))).to_json()["sessions"] == []
    on_time = (await plans.due("G1", first)).to_json()
    assert [(s["number"], s["late"]) for s in on_time["sessions"]] == [(1, False)]
    late = (await plans.due("G1", first + timedelta(hours=5))).to_json()
    assert [(s["number"], s["late"]) for s in late["sessions"]] == [(1, True)]
    day_later = (await plans.due("G1", first + timedelta(days=1, minutes=30))).to_json()
    assert day_later["missed"] == [1]
    assert [(s["number"], s["late"]) for s in day_later["sessions"]] == [(2, True)]


def test_the_grace_rule() -> None:
    due = NOW
    assert decide(due, due - timedelta(microseconds=1)) == "wait"
    assert decide(due, due + timedelta(seconds=59)) == "post"
    assert decide(due, due + timedelta(minutes=2)) == "late"
    assert decide(due, due + GRACE) == "late"
    assert decide(due, due + GRACE + timedelta(seconds=1)) == "missed"


async def test_pause_then_resume_moves_the_remaining_sessions(plans: PlanService) -> None:
    await start(plans)
    await plans.pause(guild="G1", moderator=True, now=NOW)
    with pytest.raises(InvalidInput, match="paused already"):
        await plans.pause(guild="G1", moderator=True, now=NOW)
    assert (await plans.due("G1", NOW + timedelta(days=2))).post == ()
    later = datetime(2026, 6, 5, 18, 0, tzinfo=UTC)  # Friday 20:00 in Paris
    shown = (await plans.resume(guild="G1", moderator=True, now=later)).to_json()
    assert shown["state"] == "running"
    assert [s["local"][:16] for s in shown["sessions"]] == [
        "2026-06-06T19:00",
        "2026-06-07T19:00",
        "2026-06-08T19:00",
    ]


async def test_skip_marks_the_next_session_and_keeps_the_others(plans: PlanService) -> None:
    await start(plans)
    before = (await plans.show("G1")).to_json()["sessions"]
    skipped = await plans.skip(guild="G1", moderator=True)
    assert skipped.number == 1
    after = (await plans.show("G1")).to_json()["sessions"]
    assert [s["status"] for s in after] == ["skipped", "pending", "pending"]
    assert [s["at"] for s in after] == [s["at"] for s in before]
    await plans.skip(guild="G1", moderator=True)
    await plans.skip(guild="G1", moderator=True)
    with pytest.raises(NotFound, match="No session is left"):
        await plans.skip(guild="G1", moderator=True)


async def test_stop_ends_the_plan_and_the_guard(plans: PlanService) -> None:
    await start(plans)
    assert await plans.reading_point("G1") is not None
    shown = (await plans.stop(guild="G1", moderator=True, now=NOW)).to_json()
    assert shown["state"] == "stopped"
    assert await plans.reading_point("G1") is None
    assert (await plans.due("G1", NOW + timedelta(days=1))).post == ()
    with pytest.raises(NotFound, match="no running"):
        await plans.pause(guild="G1", moderator=True, now=NOW)


async def test_reading_point_follows_the_clock_and_the_guard(plans: PlanService) -> None:
    await start(plans)
    point = await plans.reading_point("G1")
    assert point is not None
    second = datetime(2026, 6, 2, 17, 0, tzinfo=UTC)
    assert [point.scheduled("test-essay", n, NOW) is not None for n in (1, 2, 3)] == [True] * 3
    assert point.scheduled("test-essay", 2, NOW) == second
    assert point.scheduled("other-essay", 2, NOW) is None
    # A section is reached when its session's time has come.
    assert point.scheduled("test-essay", 2, second - timedelta(seconds=1)) == second
    assert point.scheduled("test-essay", 2, second) is None
    # ... or when its session was dealt with (here: skipped).
    await plans.skip(guild="G1", moderator=True)
    skipped = await plans.reading_point("G1")
    assert skipped is not None
    assert skipped.scheduled("test-essay", 1, NOW) is None
    # While paused, time does not move the group on.
    await plans.pause(guild="G1", moderator=True, now=NOW)
    paused = await plans.reading_point("G1")
    assert paused is not None
    assert paused.scheduled("test-essay", 2, second + timedelta(days=9)) == second
    await plans.set_spoiler_guard(guild="G1", moderator=True, on=False)
    assert await plans.reading_point("G1") is None
    assert (await plans.show("G1")).spoiler_guard is False


async def test_a_post_uses_the_servers_own_prompt_before_the_built_in_one(
    plans: PlanService, prompts: PromptService
) -> None:
    await start(plans)
    view = await plans.show("G1")
    post = await plans.compose(view.plan, view.sessions[0], len(view.sessions))
    assert post.title == "Session 1 of 3 · § 1 Opening Remarks"
    assert post.opening.startswith("Two towns share a river")
    assert post.words > 0
    assert post.minutes == 1
    assert post.prompt == "Who should maintain a bridge that two towns share?"
    await prompts.add(
        guild="G1", channel="55", author="9", text="What do the festivals say?", section="1"
    )
    own = await plans.compose(view.plan, view.sessions[0], len(view.sessions))
    assert (own.prompt, own.prompt_label) == ("What do the festivals say?", "Prompt #1")


def test_sections_are_chunked_in_order() -> None:
    assert chunk_sections(5, 2) == [(1, 2), (3, 4), (5, 5)]
    assert chunk_sections(3, 3) == [(1, 3)]
