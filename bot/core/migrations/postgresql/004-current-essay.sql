-- The essay a server reads now, when several are loaded: chosen by a moderator
-- (/plan-admin essay) or by starting a plan; NULL means the plan's, or the only one.
ALTER TABLE guild_settings ADD COLUMN essay TEXT;
