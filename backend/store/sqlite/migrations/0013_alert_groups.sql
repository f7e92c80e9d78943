-- When an open alert was last notified (0: never): notificationInterval
-- repeats count from it.
ALTER TABLE alerts ADD COLUMN notified_at INTEGER NOT NULL DEFAULT 0;

-- Alert groups: the open alerts an alert group setting's scopes match,
-- as one group that opens with its first alert, takes the worst status of
-- its alerts and closes when the last one does.
CREATE TABLE alert_groups (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL UNIQUE,
    setting_id  TEXT NOT NULL,
    status      TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    closed_at   INTEGER,
    notified_at INTEGER NOT NULL DEFAULT 0
);
-- At most one open group per setting.
CREATE UNIQUE INDEX alert_groups_one_open ON alert_groups (setting_id) WHERE closed_at IS NULL;
