-- Time series: a dictionary of series and compact (series, time) rows.
-- A series is one metric name of one host or one service. AUTOINCREMENT:
-- an id is never handed out again after its series is deleted, so an id
-- another process still caches can only be missing, never someone else's.
CREATE TABLE series (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT NOT NULL CHECK (kind IN ('host', 'service')),
    owner TEXT NOT NULL,            -- host id or service name
    name  TEXT NOT NULL,            -- metric name
    UNIQUE (kind, owner, name)
);

-- WITHOUT ROWID clusters the rows on (series_id, time): a range read is one
-- contiguous b-tree scan, and a re-posted timestamp overwrites in place.
CREATE TABLE points (
    series_id INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    time      INTEGER NOT NULL,
    value     REAL NOT NULL,
    PRIMARY KEY (series_id, time)
) WITHOUT ROWID;

CREATE TABLE graph_defs (
    name         TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL DEFAULT '',
    metrics      TEXT NOT NULL DEFAULT '[]', -- JSON array of {name, displayName, isStacked}
    updated_at   INTEGER NOT NULL
);

CREATE TABLE graph_annotations (
    id          TEXT PRIMARY KEY,
    service     TEXT NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    from_time   INTEGER NOT NULL,
    to_time     INTEGER NOT NULL,
    roles       TEXT NOT NULL DEFAULT '[]'   -- JSON array of role names
);
CREATE INDEX graph_annotations_window ON graph_annotations (service, from_time, to_time);
