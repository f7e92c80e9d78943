-- Notification deliveries: one row per (outbox event, channel), created by
-- routing in the transaction that moves the routing cursor, so a restart
-- never routes an event twice.
CREATE TABLE delivery_cursor (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO delivery_cursor (id, seq) VALUES (1, 0);

-- lease_owner/lease_until: a dispatcher claims a row before sending it,
-- so two processes on one database never send it at the same time; an
-- expired claim (a dispatcher that died mid-send) can be taken again.
CREATE TABLE deliveries (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    event_seq   INTEGER NOT NULL,
    channel_id  TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (event_seq, channel_id)
);

-- Only pending rows are ever looked for.
CREATE INDEX deliveries_pending ON deliveries (next_at) WHERE status = 'pending';
