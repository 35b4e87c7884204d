-- Built-in prompts (shipped in seeds/) can be posted too, and every post is logged, so an
-- event names either a server prompt (number) or a built-in one (builtin id).
-- PostgreSQL changes the table in place (SQLite has to rebuild it).

ALTER TABLE prompt_events ALTER COLUMN number DROP NOT NULL;

ALTER TABLE prompt_events ADD COLUMN builtin TEXT;

ALTER TABLE prompt_events ADD CONSTRAINT prompt_events_one_subject
    CHECK ((number IS NULL) <> (builtin IS NULL));

ALTER TABLE prompt_events ADD CONSTRAINT prompt_events_builtin_posted
    CHECK (builtin IS NULL OR kind = 'posted');

-- the export reads a server's whole log in order
CREATE INDEX prompt_events_by_guild ON prompt_events (guild, id);
