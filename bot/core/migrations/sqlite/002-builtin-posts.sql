-- Built-in prompts (shipped in seeds/, not stored per server) can be posted by /prompt random
-- too, and every post is logged, so an event names either a server prompt (number) or a
-- built-in one (builtin id). SQLite cannot drop a NOT NULL constraint in place, so the
-- events table is rebuilt as https://sqlite.org/lang_altertable.html#otheralter describes.

CREATE TABLE prompt_events_new (
    id      INTEGER PRIMARY KEY,
    guild   TEXT NOT NULL,
    number  INTEGER,
    builtin TEXT,
    kind    TEXT NOT NULL CHECK (kind IN ('submitted', 'posted', 'removed', 'restored')),
    actor   TEXT NOT NULL,
    channel TEXT,
    at      TEXT NOT NULL,
    FOREIGN KEY (guild, number) REFERENCES prompts (guild, number),
    CHECK ((number IS NULL) <> (builtin IS NULL)),
    CHECK (builtin IS NULL OR kind = 'posted')
);

INSERT INTO prompt_events_new (id, guild, number, builtin, kind, actor, channel, at)
    SELECT id, guild, number, NULL, kind, actor, channel, at FROM prompt_events;

DROP TABLE prompt_events;

ALTER TABLE prompt_events_new RENAME TO prompt_events;

CREATE INDEX prompt_events_by_prompt ON prompt_events (guild, number, id);
-- the export reads a server's whole log in order
CREATE INDEX prompt_events_by_guild ON prompt_events (guild, id);
