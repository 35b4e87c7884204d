"""Replies for the reading plan: the schedule, moderator confirmations, a session's post.

Shared by the plan cog and the offline console, so both show the same embeds. Times are
Discord timestamps (``<t:…:F>``, ``<t:…:R>``): each member reads them in their own zone.
"""

from __future__ import annotations

from datetime import datetime

import discord

from bot.core.errors import UserError
from bot.core.model import Document, Section
from bot.core.plan.model import PlanView, Session
from bot.core.plan.service import DueReport, SessionPost
from bot.exts.sections import paginate
from bot.services import Caller
from bot.ui.render import (
    COLOUR,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    FIELD_VALUE,
    Pager,
    Reply,
    cut,
    escape,
    plural,
)

PER_PAGE = 10
NO_SERVER = "Reading plans are kept per server: use /plan in a server channel."
STATUS_WORDS = {
    "pending": "scheduled",
    "posted": "posted",
    "late": "posted late",
    "missed": "missed",
    "skipped": "skipped",
}


def require_guild(caller: Caller) -> str:
    if caller.guild is None:
        raise UserError(NO_SERVER)
    return caller.guild


def stamp(instant: datetime, style: str) -> str:
    return f"<t:{int(instant.timestamp())}:{style}>"


def message_link(guild: str, channel: str, message: str) -> str:
    return f"https://discord.com/channels/{guild}/{channel}/{message}"


def session_line(view: PlanView, session: Session) -> str:
    """``**3.** § 3 · <t:…:F> (<t:…:R>) · posted (link)``."""
    plan = view.plan
    sections = ", ".join(f"§ {n}" for n in session.sections)
    status = STATUS_WORDS[session.public_status]
    if session.message is not None:
        status = f"[{status}]({message_link(plan.guild, plan.channel, session.message)})"
    line = (
        f"**{session.number}.** {sections} · {stamp(session.due_at, 'F')} "
        f"({stamp(session.due_at, 'R')}) · {status}"
    )
    if session.error and session.public_status in ("pending", "missed"):
        line += f" — {escape(session.error)}"
    return line


class ScheduleScreen(Pager):
    """The plan's sessions, ten to a page."""

    def __init__(self, view: PlanView) -> None:
        super().__init__()
        self.view = view

    def page_count(self) -> int:
        return max(1, -(-len(self.view.sessions) // PER_PAGE))

    def page(self, number: int) -> discord.Embed:
        view, plan = self.view, self.view.plan
        title = cut(f"Reading plan: {view.document_title}", EMBED_TITLE)[0]
        head = [
            f"{plan.rhythm.describe()} in <#{plan.channel}> · "
            f"{plural(len(view.sessions), 'session')} · {plan.state}",
            f"Spoiler guard: {'on' if view.spoiler_guard else 'off'}",
        ]
        upcoming = view.next
        if upcoming is not None and plan.state == "running":
            head.append(f"Next: session {upcoming.number}, {stamp(upcoming.due_at, 'R')}")
        if plan.problem:
            head.append(f"⚠ {escape(plan.problem)}")
        shown = view.sessions[number * PER_PAGE : (number + 1) * PER_PAGE]
        body = "\n".join(head) + "\n\n" + "\n".join(session_line(view, s) for s in shown)
        embed = discord.Embed(
            title=title, description=cut(body, EMBED_DESCRIPTION)[0], colour=COLOUR
        )
        if self.page_count() > 1:
            embed.set_footer(text=f"page {number + 1} of {self.page_count()}")
        return embed


def schedule_reply(view: PlanView, note: str | None = None, *, ephemeral: bool = True) -> Reply:
    reply = Reply.of(ScheduleScreen(view), ephemeral=ephemeral)
    reply.content = note
    return reply


def due_reply(report: DueReport) -> Reply:
    lines = [
        f"Session {d.session.number} would be posted" + (" late" if d.late else "")
        for d in report.post
    ]
    lines += [f"Session {s.number} would be marked missed" for s in report.missed]
    text = "\n".join(lines) or "Nothing would be posted then."
    return Reply(content=f"At {stamp(report.at, 'F')}:\n{text}", ephemeral=True)


def session_embed(post: SessionPost) -> discord.Embed:
    """The post of a session; its footer ends with the session key, found again by restarts."""
    embed = discord.Embed(
        title=cut(post.title, EMBED_TITLE)[0],
        description=cut("> " + escape(post.opening), 1024)[0] if post.opening else None,
        colour=COLOUR,
    )
    embed.add_field(
        name="Length", value=f"{post.words:,} words · about {post.minutes} min", inline=True
    )
    if post.prompt is not None:
        embed.add_field(
            name=post.prompt_label or "Prompt",
            value=cut(escape(post.prompt), FIELD_VALUE)[0],
            inline=False,
        )
    embed.set_footer(text=cut(post.document, 200)[0] + " · " + post.key)
    return embed


def is_session_post(embed: discord.Embed, key: str) -> bool:
    return bool(embed.footer.text) and str(embed.footer.text).endswith(" · " + key)


class ReadingScreen(Pager):
    """The sections of one session, whole, page by page (the "Read § N" button)."""

    def __init__(self, doc: Document, sections: list[Section]) -> None:
        super().__init__()
        self.doc = doc
        self.pages: list[tuple[Section, str]] = []
        for section in sections:
            for page in paginate(section.paragraphs) or [[]]:
                body = "\n\n".join(s.text for s in page) or "(This section has no paragraphs.)"
                self.pages.append((section, body))

    def page_count(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> discord.Embed:
        section, body = self.pages[number]
        title = cut(f"§ {section.number} {section.title}", EMBED_TITLE)[0]
        embed = discord.Embed(title=title, description=body, colour=COLOUR)
        footer = f"{self.doc.title} · page {number + 1} of {len(self.pages)}"
        embed.set_footer(text=cut(footer, 512)[0])
        return embed
