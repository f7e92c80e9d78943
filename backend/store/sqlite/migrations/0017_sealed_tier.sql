-- The sealed tier of the time-series store (docs/architecture.md, "Time-
-- series tiers"): one compressed block per series and UTC day, made from
-- the hot `points` rows once the day is out of the back-fill window.
--
-- A rowid table, not WITHOUT ROWID: a block is kilobytes, and SQLite keeps
-- up to ~4 KB of a rowid table's row in its leaf page (an index b-tree,
-- which is what WITHOUT ROWID is, spills past ~1 KB to overflow pages, the
-- last one half empty on average). The small columns come first, so a
-- read of the 1-hour rollups of 460 days stops before the points.
CREATE TABLE blocks (
    series_id  INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    day        INTEGER NOT NULL,  -- UTC day number: time / 86400
    points     INTEGER NOT NULL,  -- how many points the block holds
    rollup_1h  BLOB NOT NULL,     -- chunk.EncodeRollups at 1 hour
    rollup_5m  BLOB NOT NULL,     -- chunk.EncodeRollups at 5 minutes
    data       BLOB NOT NULL,     -- chunk.Encode of the day's points
    UNIQUE (series_id, day)
);
-- Retention drops whole days, oldest first.
CREATE INDEX blocks_day ON blocks (day);

-- Where sealing stands (one row): sealed_before is the cutoff (a day
-- number) up to which the last complete run sealed every series, so a
-- bounded run after each local write costs one read when there is nothing
-- new; cursor_day/cursor_series is where an unfinished run stopped.
CREATE TABLE tier_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    sealed_before INTEGER NOT NULL DEFAULT 0,
    cursor_day    INTEGER NOT NULL DEFAULT 0,
    cursor_series INTEGER NOT NULL DEFAULT 0
);
INSERT INTO tier_state (id) VALUES (1);
