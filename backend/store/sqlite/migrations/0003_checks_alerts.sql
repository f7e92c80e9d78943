-- Check monitors are organization-wide and identified by name, as
-- GET /monitoring/checks ({id, name}) suggests.
CREATE TABLE check_monitors (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- The latest result of each check on each host.
CREATE TABLE check_states (
    host_id               TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    monitor_id            TEXT NOT NULL REFERENCES check_monitors (id) ON DELETE CASCADE,
    status                TEXT NOT NULL,
    message               TEXT NOT NULL DEFAULT '',
    occurred_at           INTEGER NOT NULL,
    failures              INTEGER NOT NULL DEFAULT 0, -- consecutive non-OK reports
    notification_interval INTEGER NOT NULL DEFAULT 0,
    max_check_attempts    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (host_id, monitor_id)
);

-- Reports already accepted, to ignore exact duplicates (same host, name,
-- time), which spool replays and agent retries produce.
CREATE TABLE check_reports (
    host_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    PRIMARY KEY (host_id, name, occurred_at)
) WITHOUT ROWID;

CREATE TABLE alerts (
    id         TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL UNIQUE, -- creation order; lists are newest first
    status     TEXT NOT NULL,           -- CRITICAL, WARNING, UNKNOWN while open; OK once closed
    monitor_id TEXT NOT NULL,
    type       TEXT NOT NULL,
    host_id    TEXT,
    value      REAL,
    message    TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT '',
    memo       TEXT NOT NULL DEFAULT '',
    opened_at  INTEGER NOT NULL,
    closed_at  INTEGER
);
-- At most one open alert per monitor and host.
CREATE UNIQUE INDEX alerts_one_open ON alerts (monitor_id, COALESCE(host_id, '')) WHERE closed_at IS NULL;
CREATE INDEX alerts_open_seq ON alerts (closed_at IS NULL, seq);
CREATE INDEX alerts_host ON alerts (host_id) WHERE closed_at IS NULL;

CREATE TABLE alert_logs (
    id           TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL UNIQUE,
    alert_id     TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    status       TEXT NOT NULL,
    trigger      TEXT NOT NULL,
    monitor_id   TEXT,
    target_value REAL,
    detail_type  TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL DEFAULT '',
    memo         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_logs_alert ON alert_logs (alert_id, seq);
