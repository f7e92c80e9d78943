-- Users and invitations of /api/v0/users and /api/v0/invitations. The
-- embedded backend has one owner user from the start: the hosted API never
-- lets the owner be deleted, and GET /users is never empty there either.
CREATE TABLE users (
    id                     TEXT PRIMARY KEY,
    seq                    INTEGER NOT NULL UNIQUE, -- the list order
    screen_name            TEXT NOT NULL,
    email                  TEXT NOT NULL UNIQUE,
    authority              TEXT NOT NULL,           -- owner|manager|collaborator|viewer
    is_owner               INTEGER NOT NULL DEFAULT 0,
    authentication_methods TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    joined_at              INTEGER NOT NULL
);

-- An 11-character base58 id, as store.NewID makes them.
INSERT INTO users (id, seq, screen_name, email, authority, is_owner, authentication_methods, joined_at)
SELECT s, 1, 'owner', 'owner@localhost', 'owner', 1, '["password"]', CAST(strftime('%s', 'now') AS INTEGER)
FROM (
    WITH RECURSIVE chars(n, s) AS (
        SELECT 0, ''
        UNION ALL
        SELECT n + 1, s || substr('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', 1 + abs(random()) % 58, 1)
        FROM chars WHERE n < 11
    )
    SELECT s FROM chars WHERE n = 11
);

CREATE TABLE invitations (
    email      TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL UNIQUE, -- the list order
    authority  TEXT NOT NULL,           -- manager|collaborator|viewer
    expires_at INTEGER NOT NULL
);

-- AWS integration settings of /api/v0/aws-integrations. body is the
-- canonical wire JSON (package awsintegration) without secrets: the
-- embedded backend never calls AWS, so a secret access key is not kept.
CREATE TABLE aws_integrations (
    id   TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    body BLOB NOT NULL
);
