-- Custom dashboards of /api/v0/dashboards. body is the canonical wire JSON
-- (package dashboard) with id, createdAt and updatedAt, kept verbatim;
-- url_path is copied out of it so that the database itself refuses two
-- dashboards with one urlPath.
CREATE TABLE dashboards (
    id       TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL UNIQUE, -- creation order, the list order
    url_path TEXT NOT NULL UNIQUE,
    body     BLOB NOT NULL
);
