-- Notification channels of /api/v0/channels. body is the canonical wire
-- JSON (package channel) without suspendedAt, kept verbatim; type and name
-- are copied out of it. suspended_at (epoch seconds, 0 when not
-- suspended) is apart because delivery sets it and an update clears it.
CREATE TABLE channels (
    id           TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL UNIQUE, -- creation order, the list order
    type         TEXT NOT NULL,
    name         TEXT NOT NULL,
    body         BLOB NOT NULL,
    suspended_at INTEGER NOT NULL DEFAULT 0
);
