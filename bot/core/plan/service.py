"""Everything a server does with its reading plan, for every front end.

Discord's plan cog, the console and ``python -m bot plan`` call these methods; the
scheduler (``bot.core.plan.scheduler``) posts what falls due. Times come in as aware
datetimes (``now``), so callers and tests pass the instant they mean.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from bot.core.errors import Forbidden, InvalidInput, NotFound
from bot.core.model import Document
from bot.core.plan.model import Plan, PlanView, Session
from bot.core.plan.store import NewPlan, PlanStore
from bot.core.plan.times import Rhythm, parse_day, parse_every, parse_time, parse_zone, today_in
from bot.core.prompts import PromptService
from bot.core.search import SearchIndex

#: A session missed by less than this is posted late after a restart; older ones are missed.
GRACE = timedelta(hours=6)
#: Posted more than this after its time, a session is marked late.
LATE_AFTER = timedelta(minutes=1)
#: Reading speed for "about N minutes".
WORDS_PER_MINUTE = 230
OPENING_CHARS = 400
#: How long a server's reading point is kept in memory (autocomplete reads it per keystroke).
POINT_LIFETIME = 30.0

Decision = Literal["wait", "post", "late", "missed"]
MODERATORS_ONLY = "Only moderators (Manage Server) can change the reading plan."


def decide(due_at: datetime, now: datetime, grace: timedelta = GRACE) -> Decision:
    """What to do with an open session at ``now``: the one rule for on time, late and missed."""
    if now < due_at:
        return "wait"
    if now - due_at > grace:
        return "missed"
    return "late" if now - due_at > LATE_AFTER else "post"


@dataclass(frozen=True, slots=True)
class DueSession:
    session: Session
    late: bool


@dataclass(frozen=True, slots=True)
class DueReport:
    """What the timer would do at ``at``: post these (late or not), mark those missed."""

    plan: Plan
    at: datetime
    post: tuple[DueSession, ...]
    missed: tuple[Session, ...]

    def to_json(self) -> dict[str, Any]:
        zone = self.plan.zone
        return {
            "at": self.at.astimezone(UTC).isoformat(),
            "sessions": [
                {
                    "number": d.session.number,
                    "sections": d.session.sections,
                    "at": d.session.due_at.isoformat(),
                    "local": d.session.due_at.astimezone(zone).isoformat(),
                    "late": d.late,
                }
                for d in self.post
            ],
            "missed": [s.number for s in self.missed],
        }


@dataclass(frozen=True, slots=True)
class SessionPost:
    """What a session's post says; the Discord layer turns it into an embed."""

    title: str
    document: str
    sections: tuple[int, ...]
    opening: str
    words: int
    minutes: int
    prompt: str | None
    prompt_label: str | None
    key: str


@dataclass(frozen=True, slots=True)
class ReadingPoint:
    """Where a server is in its plan: the sections of sessions not yet dealt with.

    Whether such a section is ahead also depends on the clock (its session's time may
    have come), so one point answers for any instant and can be kept for a while.
    """

    document: str
    running: bool
    pending: dict[int, datetime]

    def scheduled(self, document: str, section: int, now: datetime) -> datetime | None:
        """The section's time if it is ahead of the group at ``now``, else ``None``."""
        if document != self.document:
            return None
        due = self.pending.get(section)
        if due is None or (self.running and due <= now):
            return None
        return due


async def reading_point(store: PlanStore, guild: str) -> ReadingPoint | None:
    """The server's reading point, or ``None`` when nothing is guarded.

    Nothing is guarded without a live plan or with the guard turned off. Needs only the
    store, so a one-shot command can ask without loading the essays' prompts.
    """
    plan = await store.current_plan(guild)
    if plan is None or not plan.live or not await store.spoiler_guard(guild):
        return None
    pending: dict[int, datetime] = {}
    for session in await store.sessions(plan.id):
        if session.status == "pending":
            for section in session.sections:
                pending[section] = session.due_at
    return ReadingPoint(plan.document, plan.state == "running", pending)


def chunk_sections(count: int, per_session: int) -> list[tuple[int, int]]:
    """Consecutive sections, ``per_session`` at a time (the last session may have fewer)."""
    return [
        (first, min(first + per_session - 1, count)) for first in range(1, count + 1, per_session)
    ]


class PlanService:
    """Start, show, pause, resume, skip and stop a server's plan; compose session posts."""

    def __init__(
        self, store: PlanStore, index: SearchIndex, prompts: PromptService, grace: timedelta = GRACE
    ) -> None:
        self.store = store
        self.grace = grace
        self._index = index
        self._prompts = prompts
        self._points: dict[str, tuple[float, ReadingPoint | None]] = {}
        self._changes: dict[str, int] = {}

    # -- moderator actions --

    async def set_plan(
        self,
        *,
        guild: str,
        user: str,
        moderator: bool,
        channel: str,
        every: str,
        at: str,
        tz: str,
        day: str | None = None,
        start: str | None = None,
        per_session: int = 1,
        essay: str | None = None,
        now: datetime,
    ) -> PlanView:
        """Create or replace the server's plan; its sessions start at the first slot to come."""
        if not moderator:
            raise Forbidden(MODERATORS_ONLY)
        zone = parse_zone(tz)
        rhythm = Rhythm(parse_every(every), parse_time(at), zone, parse_day(day) if day else None)
        document = self.document(essay)
        if not 1 <= per_session <= len(document.sections):
            raise InvalidInput(
                f"Sections per session must be between 1 and {len(document.sections)}."
            )
        first_day = _parse_date(start) if start else today_in(zone, now)
        groups = chunk_sections(len(document.sections), per_session)
        slots = rhythm.slots(first_day, not_before=now)
        sessions = [(first, last, next(slots)) for first, last in groups]
        await self.store.replace_plan(
            NewPlan(
                guild=guild,
                document=document.id,
                channel=channel,
                every=rhythm.every,
                day=rhythm.day,
                at=rhythm.at,
                zone=zone,
                start=first_day,
                per_session=per_session,
                created_by=user,
                sessions=sessions,
            ),
            now,
        )
        self._changed(guild)
        return await self.show(guild)

    async def pause(self, *, guild: str, moderator: bool, now: datetime) -> PlanView:
        plan = await self._live(guild, moderator)
        if not await self.store.set_state(plan.id, "paused", now, expect=("running",)):
            raise InvalidInput("The reading plan is paused already.")
        self._changed(guild)
        return await self.show(guild)

    async def resume(self, *, guild: str, moderator: bool, now: datetime) -> PlanView:
        """Run again: the remaining sessions move to the rhythm's next slots from now."""
        plan = await self._live(guild, moderator)
        if plan.state != "paused":
            raise InvalidInput("The reading plan is running already.")
        pending = [s for s in await self.store.sessions(plan.id) if s.status == "pending"]
        slots = plan.rhythm.slots(today_in(plan.zone, now), not_before=now)
        moves = [(s.number, next(slots)) for s in pending]
        await self.store.resume(plan.id, moves, now)
        self._changed(guild)
        return await self.show(guild)

    async def skip(self, *, guild: str, moderator: bool) -> Session:
        """Skip the next session (it is not posted); later sessions keep their times."""
        plan = await self._live(guild, moderator)
        skipped = await self.store.skip_next(plan.id)
        self._changed(guild)
        if skipped is None:
            raise NotFound("No session is left to skip.")
        return skipped

    async def stop(self, *, guild: str, moderator: bool, now: datetime) -> PlanView:
        plan = await self._live(guild, moderator)
        await self.store.set_state(plan.id, "stopped", now, expect=("running", "paused"))
        self._changed(guild)
        return await self.show(guild)

    async def set_spoiler_guard(self, *, guild: str, moderator: bool, on: bool) -> bool:
        if not moderator:
            raise Forbidden(MODERATORS_ONLY)
        await self.store.set_spoiler_guard(guild, on)
        self._changed(guild)
        return on

    async def note_problem(self, plan_id: int, problem: str | None) -> None:
        """Record (or clear) what keeps the bot from posting, for ``/plan show``."""
        await self.store.set_problem(plan_id, problem)

    # -- anyone --

    async def show(self, guild: str) -> PlanView:
        plan = await self.store.current_plan(guild)
        if plan is None:
            raise NotFound("This server has no reading plan; a moderator can start one.")
        doc = self._index_document(plan.document)
        return PlanView(
            plan=plan,
            sessions=tuple(await self.store.sessions(plan.id)),
            spoiler_guard=await self.store.spoiler_guard(guild),
            document_title=doc.title if doc else plan.document,
        )

    async def due(self, guild: str, at: datetime) -> DueReport:
        """What the timer would post (and mark missed) at ``at``, without doing it."""
        view = await self.show(guild)
        post: list[DueSession] = []
        missed: list[Session] = []
        if view.plan.state == "running":
            for session in view.sessions:
                if session.status not in ("pending", "posting"):
                    continue
                decision = decide(session.due_at, at, self.grace)
                if decision == "missed":
                    missed.append(session)
                elif decision != "wait":
                    post.append(DueSession(session, late=decision == "late"))
        return DueReport(view.plan, at, tuple(post), tuple(missed))

    async def reading_point(self, guild: str) -> ReadingPoint | None:
        """The server's reading point, or ``None`` when nothing is guarded.

        Kept in memory for ``POINT_LIFETIME`` seconds, so autocomplete (a request per
        keystroke) reads the database at most that often per server; every change made
        through this service drops it at once. A point answers for any instant (see
        ``ReadingPoint.scheduled``), so the clock moving on never makes it stale.
        """
        kept = self._points.get(guild)
        clock = time.monotonic()
        if kept is not None and kept[0] > clock:
            return kept[1]
        changes = self._changes.get(guild, 0)
        point = await reading_point(self.store, guild)
        if self._changes.get(guild, 0) == changes:  # nothing changed while it was read
            self._points[guild] = (clock + POINT_LIFETIME, point)
        return point

    def _changed(self, guild: str) -> None:
        """Forget the server's reading point; called after each write, never before it."""
        self._points.pop(guild, None)
        self._changes[guild] = self._changes.get(guild, 0) + 1

    # -- posts --

    async def compose(self, plan: Plan, session: Session, total: int) -> SessionPost:
        """The post for ``session``: title, opening lines, length, and one prompt."""
        doc = self._index_document(plan.document)
        if doc is None:
            raise NotFound(f"The plan's essay ({plan.document}) is no longer loaded.")
        sections = [doc.section(n) for n in session.sections if n <= len(doc.sections)]
        names = " · ".join(f"§ {s.number} {s.title}" for s in sections)
        words = sum(len(p.text.split()) for s in sections for p in s.paragraphs)
        prompt, label = await self._prompt_for(plan, session)
        return SessionPost(
            title=f"Session {session.number} of {total} · {names}",
            document=doc.title,
            sections=tuple(session.sections),
            opening=_opening(sections[0].paragraphs[0].sentences) if sections else "",
            words=words,
            minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
            prompt=prompt,
            prompt_label=label,
            key=session.key,
        )

    async def _prompt_for(self, plan: Plan, session: Session) -> tuple[str | None, str | None]:
        """The server's own oldest open prompt on these sections, else the first built-in."""
        for number in session.sections:
            own = await self._prompts.store.list(plan.guild, document=plan.document, section=number)
            if own:
                oldest = min(own, key=lambda p: p.number)
                return oldest.text, f"Prompt #{oldest.number}"
        for builtin in self._prompts.builtins:
            if builtin.document == plan.document and builtin.section in session.sections:
                return builtin.text, "Prompt"
        return None, None

    # -- helpers --

    def document(self, essay: str | None) -> Document:
        """The essay a plan reads: the one named, or the only one loaded."""
        documents = self._index.library.documents
        if not documents:
            raise NotFound("No essay is loaded.")
        if essay:
            wanted = essay.strip().casefold()
            for doc in documents:
                if wanted in (doc.id.casefold(), doc.title.casefold()):
                    return doc
            raise NotFound(f"No essay is called {essay!r}; loaded: " + _names(documents) + ".")
        if len(documents) > 1:
            raise InvalidInput("Several essays are loaded; choose one: " + _names(documents) + ".")
        return documents[0]

    def _index_document(self, doc_id: str) -> Document | None:
        return next((d for d in self._index.library.documents if d.id == doc_id), None)

    async def _live(self, guild: str, moderator: bool) -> Plan:
        if not moderator:
            raise Forbidden(MODERATORS_ONLY)
        plan = await self.store.current_plan(guild)
        if plan is None or not plan.live:
            raise NotFound("This server has no running reading plan.")
        return plan


def _names(documents: tuple[Document, ...]) -> str:
    return ", ".join(d.id for d in documents)


def sections_per_session(raw: str | None) -> int:
    """``--per-session`` / ``per-session:``: a whole number of sections, 1 when left out."""
    if raw is None:
        return 1
    if not raw.strip().isdigit():
        raise InvalidInput(f"Sections per session is a number, like 2; got {raw!r}.")
    return int(raw.strip())


def _parse_date(typed: str) -> date:
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise InvalidInput(f"{typed!r} is not a date; use YYYY-MM-DD.") from None


def _opening(sentences: tuple[str, ...]) -> str:
    """The first sentences of the section, up to about ``OPENING_CHARS`` characters."""
    text = ""
    for sentence in sentences:
        if text and len(text) + len(sentence) > OPENING_CHARS:
            break
        text = f"{text} {sentence}".strip()
    if len(text) > OPENING_CHARS:
        text = text[: OPENING_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text
