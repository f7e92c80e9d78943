-- What the engine remembers between evaluations of a monitor on a target
-- (a host id, or '' for a monitor with one target). Rows exist only while
-- something is pending or open: an OK target with no alert has none.
CREATE TABLE monitor_states (
    monitor_id   TEXT NOT NULL,
    target       TEXT NOT NULL,
    status       TEXT NOT NULL,
    violations   INTEGER NOT NULL,
    evaluated_at INTEGER NOT NULL,
    value        REAL,
    message      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (monitor_id, target)
) WITHOUT ROWID;

-- The last tick each monitor was evaluated at: two engines (a local command
-- and another, or serve's ticker and its ingest hook) never evaluate one
-- tick twice, because each moves the cursor in the transaction that writes
-- the tick's results.
CREATE TABLE evaluation_cursors (
    monitor_id TEXT PRIMARY KEY,
    at         INTEGER NOT NULL
) WITHOUT ROWID;

-- When each host last had metric points stored (store clock): what
-- connectivity monitors watch. Kept apart from hosts so that ingest writes
-- one narrow row per host.
CREATE TABLE host_contacts (
    host_id        TEXT PRIMARY KEY,
    last_metric_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The outbox: one row per alert change, written in the change's
-- transaction. Notification delivery reads it in seq order.
CREATE TABLE alert_events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    alert_id    TEXT NOT NULL,
    monitor_id  TEXT NOT NULL,
    host_id     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    prev_status TEXT NOT NULL DEFAULT '',
    trigger     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    notify      INTEGER NOT NULL
);

-- Evaluation reads one metric name across every host.
CREATE INDEX series_kind_name ON series (kind, name);
