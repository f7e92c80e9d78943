-- The trained models of anomalyDetection monitors, one per monitor and
-- scope (a role). body is package anomaly's encoding, kept verbatim;
-- the other columns say what it is without decoding it (what a retrain
-- answers, and whether the model is stale). A monitor's models go with it.
CREATE TABLE anomaly_models (
    monitor_id TEXT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    scope      TEXT NOT NULL,
    status     TEXT NOT NULL,
    message    TEXT NOT NULL DEFAULT '',
    trained_at INTEGER NOT NULL,
    window_from INTEGER NOT NULL,
    window_to  INTEGER NOT NULL,
    samples    INTEGER NOT NULL,
    components INTEGER NOT NULL,
    key        TEXT NOT NULL,
    body       BLOB NOT NULL,
    PRIMARY KEY (monitor_id, scope)
) WITHOUT ROWID;
