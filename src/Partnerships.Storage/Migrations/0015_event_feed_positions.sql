-- The feed is read by position, assigned once an event's write has committed (PostgreSQL: by one assigner at a time,
-- so writers hold no feed-wide lock; SQLite: as it is inserted, its single writer already ordering commits). Existing
-- events keep their seq as their position, so cursors handed out before stay valid.
ALTER TABLE events ADD COLUMN position BIGINT NULL;
UPDATE events SET position = seq;
CREATE UNIQUE INDEX ix_events_position ON events(position);
CREATE INDEX ix_events_unpositioned ON events(seq) WHERE position IS NULL;
