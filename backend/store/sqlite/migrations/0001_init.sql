-- Organization: a single row, created on first open.
CREATE TABLE org (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    name         TEXT NOT NULL,
    display_name TEXT
);

CREATE TABLE hosts (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    display_name      TEXT NOT NULL DEFAULT '',
    custom_identifier TEXT,              -- NULL when unset
    size              TEXT NOT NULL DEFAULT 'standard',
    status            TEXT NOT NULL,
    memo              TEXT NOT NULL DEFAULT '',
    meta              TEXT NOT NULL DEFAULT '{}', -- stored verbatim (JSON)
    interfaces        TEXT NOT NULL DEFAULT '[]', -- JSON array
    checks            TEXT NOT NULL DEFAULT '[]', -- JSON array of {name, memo}
    is_retired        INTEGER NOT NULL DEFAULT 0,
    retired_at        INTEGER,
    created_at        INTEGER NOT NULL
);
-- Listings follow rowid, i.e. creation order.
CREATE INDEX hosts_live_status ON hosts (is_retired, status);
CREATE INDEX hosts_name ON hosts (name);
CREATE INDEX hosts_custom_identifier ON hosts (custom_identifier) WHERE custom_identifier IS NOT NULL;

CREATE TABLE services (
    name       TEXT PRIMARY KEY,
    memo       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE roles (
    service    TEXT NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    memo       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (service, name)
);

CREATE TABLE host_roles (
    host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    role    TEXT NOT NULL,
    PRIMARY KEY (host_id, service, role),
    FOREIGN KEY (service, role) REFERENCES roles (service, name) ON DELETE CASCADE
);
CREATE INDEX host_roles_by_role ON host_roles (service, role);

-- Metadata of hosts, services and roles. owner is the host id, the service
-- name, or "service:role".
CREATE TABLE metadata (
    kind       TEXT NOT NULL CHECK (kind IN ('host', 'service', 'role')),
    owner      TEXT NOT NULL,
    namespace  TEXT NOT NULL,
    value      BLOB NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, owner, namespace)
);

-- API keys of `mkr serve`. Only a SHA-256 of each key is stored.
CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    key_hash   TEXT NOT NULL UNIQUE,
    read_only  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
