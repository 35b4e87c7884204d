"""What each /plan command answers, for the cog and the console alike."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.errors import InvalidInput
from bot.exts.plan.render import (
    ReadingScreen,
    due_reply,
    require_guild,
    schedule_reply,
    stamp,
)
from bot.services import Caller, Services
from bot.ui.render import Reply, notice


def utc_now() -> datetime:
    return datetime.now(UTC)


async def show_reply(services: Services, caller: Caller) -> Reply:
    return schedule_reply(await services.plans.show(require_guild(caller)))


async def start_reply(
    services: Services,
    caller: Caller,
    *,
    channel: str,
    every: str,
    at: str,
    tz: str,
    day: str | None = None,
    start: str | None = None,
    per_session: int = 1,
    essay: str | None = None,
    missing: str | None = None,
) -> Reply:
    """Start (or replace) the plan; ``missing`` names permissions the bot lacks there."""
    view = await services.plans.set_plan(
        guild=require_guild(caller),
        user=caller.user,
        moderator=caller.can_manage_guild,
        channel=channel,
        every=every,
        at=at,
        tz=tz,
        day=day,
        start=start,
        per_session=per_session,
        essay=essay,
        now=utc_now(),
    )
    await services.plans.note_problem(view.plan.id, missing)
    if missing:
        view = await services.plans.show(view.plan.guild)
    first = view.next
    note = f"Reading plan started: {len(view.sessions)} sessions"
    if first is not None:
        note += f", the first {stamp(first.due_at, 'F')}"
    note += "."
    if missing:
        note += f"\n⚠ {missing}"
    return schedule_reply(view, note)


async def pause_reply(services: Services, caller: Caller) -> Reply:
    view = await services.plans.pause(
        guild=require_guild(caller), moderator=caller.can_manage_guild, now=utc_now()
    )
    return schedule_reply(view, "Reading plan paused; /plan-admin resume moves what is left.")


async def resume_reply(services: Services, caller: Caller) -> Reply:
    view = await services.plans.resume(
        guild=require_guild(caller), moderator=caller.can_manage_guild, now=utc_now()
    )
    return schedule_reply(view, "Reading plan resumed; the remaining sessions moved.")


async def skip_reply(services: Services, caller: Caller) -> Reply:
    skipped = await services.plans.skip(
        guild=require_guild(caller), moderator=caller.can_manage_guild
    )
    sections = ", ".join(f"§ {n}" for n in skipped.sections)
    return notice(f"Session {skipped.number} ({sections}) skipped; it will not be posted.")


async def stop_reply(services: Services, caller: Caller) -> Reply:
    view = await services.plans.stop(
        guild=require_guild(caller), moderator=caller.can_manage_guild, now=utc_now()
    )
    return schedule_reply(view, "Reading plan stopped; nothing more will be posted.")


async def guard_reply(services: Services, caller: Caller, on: bool) -> Reply:
    await services.plans.set_spoiler_guard(
        guild=require_guild(caller), moderator=caller.can_manage_guild, on=on
    )
    return notice(f"Spoiler guard {'on' if on else 'off'} for this server.")


async def due_at_reply(services: Services, caller: Caller, at: str) -> Reply:
    try:
        instant = datetime.fromisoformat(at.strip())
    except ValueError:
        raise InvalidInput(f"{at!r} is not an ISO-8601 instant like 2026-06-01T17:00Z.") from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return due_reply(await services.plans.due(require_guild(caller), instant))


async def read_reply(services: Services, plan_id: int, number: int) -> Reply:
    """A session's sections, privately and paged: what its "Read § N" button shows."""
    plan = await services.plans.store.plan(plan_id)
    sessions = await services.plans.store.sessions(plan_id) if plan is not None else []
    session = next((s for s in sessions if s.number == number), None)
    doc = services.document(plan.document) if plan is not None else None
    if plan is None or session is None or doc is None:
        return notice("That session's essay is no longer loaded.")
    sections = [doc.section(n) for n in session.sections if 1 <= n <= len(doc.sections)]
    if not sections:
        return notice("That session's sections are no longer in the index.")
    return Reply.of(ReadingScreen(doc, sections), ephemeral=True)
