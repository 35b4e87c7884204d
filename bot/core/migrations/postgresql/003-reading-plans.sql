-- Reading plans: a server's schedule of sessions, each posted once in the plan's channel.
-- Times are UTC ISO-8601 strings of one fixed width, so text order is time order.

-- Per-server choices that outlive any one plan.
CREATE TABLE guild_settings (
    guild         TEXT PRIMARY KEY,
    spoiler_guard INTEGER NOT NULL DEFAULT 1 CHECK (spoiler_guard IN (0, 1))
);

CREATE TABLE plans (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild       TEXT NOT NULL,
    document    TEXT NOT NULL,
    channel     TEXT NOT NULL,
    every       TEXT NOT NULL CHECK (every IN ('day', 'weekday', 'week')),
    day         INTEGER CHECK (day BETWEEN 0 AND 6),
    at_local    TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    per_session INTEGER NOT NULL CHECK (per_session >= 1),
    state       TEXT NOT NULL CHECK (state IN ('running', 'paused', 'stopped', 'replaced')),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    -- what keeps the bot from posting here (missing permissions), shown in /plan show
    problem     TEXT,
    CHECK ((every = 'week') = (day IS NOT NULL))
);

-- At most one live plan per server; replaced and stopped plans stay for the record.
CREATE UNIQUE INDEX plans_live ON plans (guild) WHERE state IN ('running', 'paused');
CREATE INDEX plans_by_guild ON plans (guild, id);

-- 'posting' is the recorded intent: claimed, maybe sent, not yet confirmed. A session in
-- that state is checked against the channel before it is ever sent again.
CREATE TABLE plan_sessions (
    plan          BIGINT NOT NULL REFERENCES plans (id),
    number        INTEGER NOT NULL CHECK (number >= 1),
    first_section INTEGER NOT NULL CHECK (first_section >= 1),
    last_section  INTEGER NOT NULL CHECK (last_section >= first_section),
    due_at        TEXT NOT NULL,
    -- when the timer should next act on it: due_at, or a retry after a failed post
    next_at       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'posting', 'posted', 'late', 'missed', 'skipped')),
    nonce         TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    message       TEXT,
    thread        TEXT,
    posted_at     TEXT,
    error         TEXT,
    PRIMARY KEY (plan, number)
);

-- the timer's question: what is the next session to act on?
CREATE INDEX plan_sessions_next ON plan_sessions (status, next_at);

-- One discussion thread per passage per channel ("Discuss" on /quote and /search).
CREATE TABLE passage_threads (
    guild      TEXT NOT NULL,
    channel    TEXT NOT NULL,
    passage    TEXT NOT NULL,
    thread     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (guild, channel, passage)
);
