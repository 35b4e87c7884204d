"""What a reading plan is: its settings, its sessions, and the shapes the CLI promises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.core.plan.times import DAYS, Every, Rhythm

PlanState = Literal["running", "paused", "stopped", "replaced"]
#: ``posting`` is the recorded intent (claimed, perhaps sent); members see it as pending.
SessionStatus = Literal["pending", "posting", "posted", "late", "missed", "skipped"]
PublicStatus = Literal["pending", "posted", "late", "missed", "skipped"]


@dataclass(frozen=True, slots=True)
class Plan:
    id: int
    guild: str
    document: str
    channel: str
    every: Every
    day: int | None
    at: time
    zone: ZoneInfo
    start: date
    per_session: int
    state: PlanState
    created_by: str
    problem: str | None = None

    @property
    def rhythm(self) -> Rhythm:
        return Rhythm(self.every, self.at, self.zone, self.day)

    @property
    def live(self) -> bool:
        return self.state in ("running", "paused")


@dataclass(frozen=True, slots=True)
class Session:
    plan: int
    number: int
    first_section: int
    last_section: int
    due_at: datetime
    next_at: datetime
    status: SessionStatus
    nonce: str | None = None
    attempts: int = 0
    message: str | None = None
    thread: str | None = None
    posted_at: datetime | None = None
    error: str | None = None

    @property
    def sections(self) -> list[int]:
        return list(range(self.first_section, self.last_section + 1))

    @property
    def public_status(self) -> PublicStatus:
        return "pending" if self.status == "posting" else self.status

    @property
    def key(self) -> str:
        """Names this session in its post, so a restart can find a post it did not record.

        Also the message nonce (Discord allows 25 characters).
        """
        return f"plan{self.plan}-s{self.number}"


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan with its sessions and the server's guard setting: what ``show`` prints."""

    plan: Plan
    sessions: tuple[Session, ...]
    spoiler_guard: bool
    document_title: str

    @property
    def next(self) -> Session | None:
        for session in self.sessions:
            if session.status in ("pending", "posting"):
                return session
        return None

    def to_json(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "timezone": plan.zone.key,
            "channel": plan.channel,
            "spoiler_guard": self.spoiler_guard,
            "state": plan.state,
            "document": plan.document,
            "every": plan.every,
            "day": DAYS[plan.day] if plan.day is not None else None,
            "at": f"{plan.at:%H:%M}",
            "per_session": plan.per_session,
            "problem": plan.problem,
            "sessions": [session_json(s, plan.zone) for s in self.sessions],
        }


def session_json(session: Session, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "number": session.number,
        "sections": session.sections,
        "at": session.due_at.isoformat(),
        "local": session.due_at.astimezone(zone).isoformat(),
        "status": session.public_status,
        "message": session.message,
        "thread": session.thread,
        "posted_at": session.posted_at.isoformat() if session.posted_at else None,
        "error": session.error,
    }
