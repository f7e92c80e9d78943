-- Downtimes of /api/v0/downtimes. body is the canonical wire JSON (package
-- downtime), kept verbatim.
CREATE TABLE downtimes (
    id   TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL UNIQUE, -- creation order: the list order
    body BLOB NOT NULL
);
