-- The monitoring half of the schema (check monitors, series and host
-- contacts are 0001's): check results, alerts and their logs,
-- monitor definitions, downtimes, what evaluation remembers, the outbox,
-- channels, notification groups, deliveries and alert groups. It mirrors
-- SQLite's migrations 0003–0013 as they stand after all of them (see the
-- comments there for why each table exists); the differences are
-- PostgreSQL's: bodies are bytea (kept verbatim, byte for byte, which
-- jsonb would not do), flags are boolean, creation order comes from
-- identity columns, and the outbox's order from a counter row.

-- The latest result of each check on each host.
CREATE TABLE check_states (
    host_id               TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    monitor_id            TEXT NOT NULL REFERENCES check_monitors (id) ON DELETE CASCADE,
    status                TEXT NOT NULL,
    message               TEXT NOT NULL DEFAULT '',
    occurred_at           BIGINT NOT NULL,
    failures              INTEGER NOT NULL DEFAULT 0, -- consecutive non-OK reports
    notification_interval INTEGER NOT NULL DEFAULT 0,
    max_check_attempts    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (host_id, monitor_id)
);

-- Reports already accepted: a true repeat (same host, name, second, status
-- and message) is ignored; message_hash is the SHA-256 of the message.
CREATE TABLE check_reports (
    host_id      TEXT NOT NULL,
    name         TEXT NOT NULL,
    occurred_at  BIGINT NOT NULL,
    status       TEXT NOT NULL,
    message_hash BYTEA NOT NULL,
    PRIMARY KEY (host_id, name, occurred_at, status, message_hash)
);

CREATE TABLE alerts (
    id          TEXT PRIMARY KEY,
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- creation order; lists are newest first
    status      TEXT NOT NULL,                              -- CRITICAL, WARNING, UNKNOWN while open; OK once closed
    monitor_id  TEXT NOT NULL,
    type        TEXT NOT NULL,
    host_id     TEXT,
    value       DOUBLE PRECISION,
    message     TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    memo        TEXT NOT NULL DEFAULT '',
    opened_at   BIGINT NOT NULL,
    closed_at   BIGINT,
    notified_at BIGINT NOT NULL DEFAULT 0
);
-- At most one open alert per monitor and host.
CREATE UNIQUE INDEX alerts_one_open ON alerts (monitor_id, COALESCE(host_id, '')) WHERE closed_at IS NULL;
CREATE INDEX alerts_open_by_seq ON alerts (seq) WHERE closed_at IS NULL;
CREATE INDEX alerts_host ON alerts (host_id) WHERE closed_at IS NULL;

CREATE TABLE alert_logs (
    id           TEXT PRIMARY KEY,
    seq          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    alert_id     TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    status       TEXT NOT NULL,
    trigger      TEXT NOT NULL,
    monitor_id   TEXT,
    target_value DOUBLE PRECISION,
    detail_type  TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL DEFAULT '',
    memo         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_logs_alert ON alert_logs (alert_id, seq);

-- Monitor definitions: body is the canonical wire JSON, type and name are
-- copied out of it for the list order.
CREATE TABLE monitors (
    id   TEXT PRIMARY KEY,
    seq  BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- creation order, the tie-break of equal names
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    body BYTEA NOT NULL
);
CREATE INDEX monitors_type_name ON monitors (type, name, seq);

CREATE TABLE downtimes (
    id   TEXT PRIMARY KEY,
    seq  BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- creation order: the list order
    body BYTEA NOT NULL
);

-- What the engine remembers between evaluations of a monitor on a target
-- (a host id, or '' for a monitor with one target).
CREATE TABLE monitor_states (
    monitor_id   TEXT NOT NULL,
    target       TEXT NOT NULL,
    status       TEXT NOT NULL,
    violations   INTEGER NOT NULL,
    evaluated_at BIGINT NOT NULL,
    value        DOUBLE PRECISION,
    message      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (monitor_id, target)
);

-- The last tick each monitor was evaluated at, moved in the transaction
-- that writes the tick's results, so no tick is evaluated twice.
CREATE TABLE evaluation_cursors (
    monitor_id TEXT PRIMARY KEY,
    at         BIGINT NOT NULL
);

-- The outbox: one row per change worth notifying, written in the change's
-- transaction; delivery reads it in seq order and remembers the last seq
-- it routed. An identity column would not do: two transactions can commit
-- in the other order than they drew their numbers, and a reader that saw
-- the later one would move past the earlier one for ever. seq is drawn
-- from alert_event_counter instead, whose row lock is held until commit,
-- so seq order is commit order.
CREATE TABLE alert_events (
    seq         BIGINT PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL DEFAULT 'alert',
    payload     BYTEA,
    alert_id    TEXT NOT NULL,
    monitor_id  TEXT NOT NULL,
    host_id     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    prev_status TEXT NOT NULL DEFAULT '',
    trigger     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    notify      BOOLEAN NOT NULL
);
CREATE TABLE alert_event_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO alert_event_counter (id, seq) VALUES (1, 0);

-- Notification channels: body is the canonical wire JSON without
-- suspendedAt (0 when not suspended), which delivery sets apart.
CREATE TABLE channels (
    id           TEXT PRIMARY KEY,
    seq          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- creation order, the list order
    type         TEXT NOT NULL,
    name         TEXT NOT NULL,
    body         BYTEA NOT NULL,
    suspended_at BIGINT NOT NULL DEFAULT 0
);

-- Notification groups and alert group settings (bodies: canonical wire
-- JSON of package notifygroup).
CREATE TABLE notification_groups (
    id         TEXT PRIMARY KEY,
    seq        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- creation order, the list order
    is_default BOOLEAN NOT NULL DEFAULT false,
    body       BYTEA NOT NULL
);
-- One default group per organization.
CREATE UNIQUE INDEX notification_groups_one_default ON notification_groups (is_default) WHERE is_default;

-- The default group exists from the start, with a random 11-character
-- base58 id like every other. Its body is exactly what
-- notifygroup.EncodeGroup(notifygroup.NewDefault(id)) gives (a store
-- contract test holds the two together).
WITH id AS (SELECT mkr_new_id() AS s)
INSERT INTO notification_groups (is_default, id, body)
SELECT true, s, convert_to('{"id":"' || s || '","type":"group-default","name":"Default","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":[],"monitors":[],"services":[]}', 'UTF8')
FROM id;

CREATE TABLE alert_group_settings (
    id   TEXT PRIMARY KEY,
    seq  BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- creation order, the list order
    body BYTEA NOT NULL
);

-- Notification deliveries: one row per (outbox event, channel), created
-- by routing in the transaction that moves the routing cursor.
CREATE TABLE delivery_cursor (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO delivery_cursor (id, seq) VALUES (1, 0);

-- lease_owner/lease_until: a dispatcher claims rows (FOR UPDATE SKIP
-- LOCKED, so replicas claiming at once take different rows) before
-- sending them; an expired claim can be taken again.
CREATE TABLE deliveries (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    event_seq   BIGINT NOT NULL,
    channel_id  TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    sent_at     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (event_seq, channel_id)
);
-- Only pending rows are ever looked for.
CREATE INDEX deliveries_pending ON deliveries (next_at) WHERE status = 'pending';

-- Alert groups: one opening of an alert group setting.
CREATE TABLE alert_groups (
    id          TEXT PRIMARY KEY,
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    setting_id  TEXT NOT NULL,
    status      TEXT NOT NULL,
    opened_at   BIGINT NOT NULL,
    closed_at   BIGINT,
    notified_at BIGINT NOT NULL DEFAULT 0
);
-- At most one open group per setting.
CREATE UNIQUE INDEX alert_groups_one_open ON alert_groups (setting_id) WHERE closed_at IS NULL;
