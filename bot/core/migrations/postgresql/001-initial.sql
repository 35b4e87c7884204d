-- Prompts proposed in each server, numbered per server, and the log of what happened to them.
-- The same tables as sqlite/001-initial.sql; times are fixed-width UTC ISO-8601 text in
-- both dialects, so text order is time order and one SQL statement serves both.

-- The last number handed out in each server. Bumped in the same transaction as the insert,
-- and its row lock serialises adds per server, so numbers never repeat and never skip
-- with any number of writers in any number of processes.
CREATE TABLE guild_counters (
    guild       TEXT PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number >= 1)
);

CREATE TABLE prompts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild      TEXT NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),
    channel    TEXT,
    author     TEXT NOT NULL,
    text       TEXT NOT NULL CHECK (length(text) >= 1),
    -- case- and whitespace-folded text: one prompt per wording per server
    text_key   TEXT NOT NULL,
    document   TEXT,
    section    INTEGER CHECK (section >= 1),
    paragraph  INTEGER CHECK (paragraph >= 1),
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'removed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (guild, number),
    UNIQUE (guild, text_key)
);

CREATE INDEX prompts_by_status ON prompts (guild, status, number);
CREATE INDEX prompts_by_author ON prompts (guild, author, status, number);
CREATE INDEX prompts_by_section ON prompts (guild, document, section, status, number);

CREATE TABLE prompt_events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild   TEXT NOT NULL,
    number  INTEGER NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('submitted', 'posted', 'removed', 'restored')),
    actor   TEXT NOT NULL,
    channel TEXT,
    at      TEXT NOT NULL,
    FOREIGN KEY (guild, number) REFERENCES prompts (guild, number)
);

CREATE INDEX prompt_events_by_prompt ON prompt_events (guild, number, id);
