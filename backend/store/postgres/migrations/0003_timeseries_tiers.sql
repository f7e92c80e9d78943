-- The time-series tiers on PostgreSQL (docs/architecture.md, "PostgreSQL",
-- time series): the same semantics as SQLite's migration 0017, in SQL of
-- its own.
--
-- The hot tier is partitioned by UTC day (range on time): one partition
-- per day, named points_d<day number>, created ahead by the store
-- (ensurePartitions, at open and in every Compact) and dropped whole once
-- its day is sealed or expired, so old rows are never deleted one by one.
-- Points of days without a partition (back-fills, seeds of old data) land
-- in the default partition, whose rows are moved into a day's partition
-- when that is created. The primary key (series_id, time) b-tree serves
-- every read (all are by series) and ON CONFLICT; no index on time alone.
ALTER TABLE points RENAME TO points_0002;
ALTER INDEX points_pkey RENAME TO points_0002_pkey;
ALTER TABLE points_0002 RENAME CONSTRAINT points_series_id_fkey TO points_0002_series_id_fkey;

CREATE TABLE points (
    series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    time      BIGINT NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series_id, time)
) PARTITION BY RANGE (time);
CREATE TABLE points_default PARTITION OF points DEFAULT;
-- Sealing finds the days the default partition holds.
CREATE INDEX points_default_time ON points_default (time);

-- Every row of 0002's plain table moves over; the store then moves those
-- of recent days into day partitions as it creates them.
INSERT INTO points (series_id, time, value) SELECT series_id, time, value FROM points_0002;
DROP TABLE points_0002;

-- Points posted for a frozen day (tier_state.frozen_before): a day whose
-- partition is being sealed takes no more rows, so late posts (a back-fill
-- window wider than the hot window, InsertPoints of old data) wait here
-- until a seal merges them into their block; sealing deletes them (they
-- are few).
CREATE TABLE late_points (
    series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    time      BIGINT NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series_id, time)
);
CREATE INDEX late_points_time ON late_points (time);

-- The sealed tier: one chunk block per series and UTC day, with its
-- rollups (chunk.EncodeRollups) before it. The block is already
-- compressed: stored out of line without TOAST's compression attempt, so
-- a read of rollups never touches it.
CREATE TABLE blocks (
    series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    day       BIGINT NOT NULL,   -- UTC day number: floor(time / 86400)
    points    INTEGER NOT NULL,  -- how many points the block holds
    rollup_1h BYTEA NOT NULL,
    rollup_5m BYTEA NOT NULL,
    data      BYTEA NOT NULL,
    PRIMARY KEY (series_id, day)
);
ALTER TABLE blocks ALTER COLUMN data SET STORAGE EXTERNAL;
-- Retention drops whole days, oldest first.
CREATE INDEX blocks_day ON blocks (day);

-- Where sealing stands (one row). frozen_before (epoch seconds): points
-- before it go to late_points, never to points (every insert reads it in
-- its SERIALIZABLE transaction, so one racing a freeze is retried).
-- sealed_before (a day number): the cutoff up to which the last complete
-- run sealed everything, so a bounded run with nothing new costs a read.
CREATE TABLE tier_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    frozen_before BIGINT NOT NULL DEFAULT -9223372036854775808,
    sealed_before BIGINT NOT NULL DEFAULT -9223372036854775808
);
INSERT INTO tier_state (id) VALUES (1);

-- Days being sealed: the rows of series_id <= sealed_through in the day's
-- partition (and in the default partition) are in their blocks already,
-- so every read skips them, until the day is done and its rows dropped
-- with the partition.
CREATE TABLE sealing_days (
    day            BIGINT PRIMARY KEY,
    sealed_through BIGINT NOT NULL
);
