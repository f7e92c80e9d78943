-- The core schema on PostgreSQL: what package sqlite's migrations 0001,
-- 0002, 0014, 0015 and 0016 built, less the monitoring tables (0002 of
-- this directory). Timestamps are epoch-second BIGINTs as on SQLite, so
-- the two stores share their Go-side rules; JSON documents the store keeps
-- verbatim are BYTEA (jsonb would reformat them). Text columns compare
-- and sort bytewise (COLLATE "C"), as SQLite does, whatever the database's
-- locale: list orders and paging cursors are the same on both engines.

-- A random 11-character base58 id, as store.NewID makes them, for rows a
-- migration creates (the owner user here, the default notification group
-- in 0002).
CREATE FUNCTION mkr_new_id() RETURNS TEXT LANGUAGE SQL VOLATILE AS $$
    SELECT string_agg(substr('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', 1 + floor(random() * 58)::int, 1), '')
    FROM generate_series(1, 11)
$$;

-- Organization: a single row.
CREATE TABLE org (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    name         TEXT COLLATE "C" NOT NULL,
    display_name TEXT COLLATE "C"
);
INSERT INTO org (id, name) VALUES (1, 'local');

CREATE TABLE hosts (
    id                TEXT COLLATE "C" PRIMARY KEY,
    -- Creation order (SQLite's rowid): listings and the streaming walk
    -- follow it.
    seq               BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    name              TEXT COLLATE "C" NOT NULL,
    display_name      TEXT COLLATE "C" NOT NULL DEFAULT '',
    custom_identifier TEXT COLLATE "C",              -- NULL when unset
    size              TEXT COLLATE "C" NOT NULL DEFAULT 'standard',
    status            TEXT COLLATE "C" NOT NULL,
    memo              TEXT COLLATE "C" NOT NULL DEFAULT '',
    meta              BYTEA NOT NULL DEFAULT '{}', -- JSON, verbatim
    interfaces        BYTEA NOT NULL DEFAULT '[]', -- JSON array
    checks            BYTEA NOT NULL DEFAULT '[]', -- JSON array of {name, memo}
    is_retired        BOOLEAN NOT NULL DEFAULT FALSE,
    retired_at        BIGINT,
    created_at        BIGINT NOT NULL,
    status_changed_at BIGINT NOT NULL
);
CREATE INDEX hosts_live_status ON hosts (is_retired, status);
CREATE INDEX hosts_name ON hosts (name);
CREATE INDEX hosts_custom_identifier ON hosts (custom_identifier) WHERE custom_identifier IS NOT NULL;
CREATE INDEX hosts_custom_identifier_lower ON hosts (lower(custom_identifier)) WHERE custom_identifier IS NOT NULL;

CREATE TABLE services (
    name       TEXT COLLATE "C" PRIMARY KEY,
    memo       TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE roles (
    service    TEXT COLLATE "C" NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    name       TEXT COLLATE "C" NOT NULL,
    memo       TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (service, name)
);

CREATE TABLE host_roles (
    host_id TEXT COLLATE "C" NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    service TEXT COLLATE "C" NOT NULL,
    role    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (host_id, service, role),
    FOREIGN KEY (service, role) REFERENCES roles (service, name) ON DELETE CASCADE
);
CREATE INDEX host_roles_by_role ON host_roles (service, role);

-- Metadata of hosts, services and roles. owner is the host id, the service
-- name, or "service:role".
CREATE TABLE metadata (
    kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('host', 'service', 'role')),
    owner      TEXT COLLATE "C" NOT NULL,
    namespace  TEXT COLLATE "C" NOT NULL,
    value      BYTEA NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, owner, namespace)
);

-- API keys of `mkr serve`. Only a SHA-256 of each key is stored.
CREATE TABLE api_keys (
    id         TEXT COLLATE "C" PRIMARY KEY,
    seq        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- creation order
    name       TEXT COLLATE "C" NOT NULL DEFAULT '',
    key_hash   TEXT COLLATE "C" NOT NULL UNIQUE,
    read_only  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Check monitors are organization-wide and identified by name; hosts
-- create them for the checks they declare.
CREATE TABLE check_monitors (
    id   TEXT COLLATE "C" PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL UNIQUE
);

-- Time series: a dictionary of series and (series, time) rows. An identity
-- is never handed out again after its series is deleted, so an id another
-- replica still caches can only be missing, never someone else's.
CREATE TABLE series (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind  TEXT COLLATE "C" NOT NULL CHECK (kind IN ('host', 'service')),
    owner TEXT COLLATE "C" NOT NULL,            -- host id or service name
    name  TEXT COLLATE "C" NOT NULL,            -- metric name
    UNIQUE (kind, owner, name)
);
-- Evaluation reads one metric name across every host.
CREATE INDEX series_kind_name ON series (kind, name);

CREATE TABLE points (
    series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    time      BIGINT NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series_id, time)
);

-- When each host last had metric points stored (store clock): what
-- connectivity monitors watch. Apart from hosts so that ingest writes one
-- narrow row per host.
CREATE TABLE host_contacts (
    host_id        TEXT COLLATE "C" PRIMARY KEY,
    last_metric_at BIGINT NOT NULL
);

CREATE TABLE graph_defs (
    name         TEXT COLLATE "C" PRIMARY KEY,
    display_name TEXT COLLATE "C" NOT NULL DEFAULT '',
    unit         TEXT COLLATE "C" NOT NULL DEFAULT '',
    metrics      BYTEA NOT NULL DEFAULT '[]', -- JSON array of {name, displayName, isStacked}
    updated_at   BIGINT NOT NULL
);

CREATE TABLE graph_annotations (
    id          TEXT COLLATE "C" PRIMARY KEY,
    service     TEXT COLLATE "C" NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    title       TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL DEFAULT '',
    from_time   BIGINT NOT NULL,
    to_time     BIGINT NOT NULL,
    roles       BYTEA NOT NULL DEFAULT '[]'   -- JSON array of role names
);
CREATE INDEX graph_annotations_window ON graph_annotations (service, from_time, to_time);

-- Users and invitations. The embedded backend has one owner user from the
-- start.
CREATE TABLE users (
    id                     TEXT COLLATE "C" PRIMARY KEY,
    seq                    BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- the list order
    screen_name            TEXT COLLATE "C" NOT NULL,
    email                  TEXT COLLATE "C" NOT NULL UNIQUE,
    authority              TEXT COLLATE "C" NOT NULL,           -- owner|manager|collaborator|viewer
    is_owner               BOOLEAN NOT NULL DEFAULT FALSE,
    authentication_methods BYTEA NOT NULL DEFAULT '[]', -- JSON array of strings
    joined_at              BIGINT NOT NULL
);
INSERT INTO users (id, screen_name, email, authority, is_owner, authentication_methods, joined_at)
VALUES (mkr_new_id(), 'owner', 'owner@localhost', 'owner', TRUE, '["password"]', extract(epoch FROM now())::bigint);

CREATE TABLE invitations (
    email      TEXT COLLATE "C" PRIMARY KEY,
    seq        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- the list order
    authority  TEXT COLLATE "C" NOT NULL,          -- manager|collaborator|viewer
    expires_at BIGINT NOT NULL
);

-- AWS integration settings: canonical wire JSON without secrets.
CREATE TABLE aws_integrations (
    id   TEXT COLLATE "C" PRIMARY KEY,
    seq  BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    name TEXT COLLATE "C" NOT NULL UNIQUE,
    body BYTEA NOT NULL
);

-- Custom dashboards: canonical wire JSON, verbatim; url_path copied out so
-- that the database refuses two dashboards with one urlPath.
CREATE TABLE dashboards (
    id       TEXT COLLATE "C" PRIMARY KEY,
    seq      BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- creation order
    url_path TEXT COLLATE "C" NOT NULL UNIQUE,
    body     BYTEA NOT NULL
);
