-- The trained models of anomalyDetection monitors, one per monitor and
-- scope (a role), as SQLite's migration 0018 keeps them (see the comments
-- there). The number follows SQLite's so the two are easy to pair; the
-- versions are recorded one by one, so the gap is harmless.
CREATE TABLE anomaly_models (
    monitor_id  TEXT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    scope       TEXT NOT NULL,
    status      TEXT NOT NULL,
    message     TEXT NOT NULL DEFAULT '',
    trained_at  BIGINT NOT NULL,
    window_from BIGINT NOT NULL,
    window_to   BIGINT NOT NULL,
    samples     INTEGER NOT NULL,
    components  INTEGER NOT NULL,
    key         TEXT NOT NULL,
    body        BYTEA NOT NULL,
    PRIMARY KEY (monitor_id, scope)
);
