-- Monitor definitions of /api/v0/monitors. body is the canonical wire JSON
-- (package monitor), kept verbatim; type and name are copied out of it for
-- the list order (type, then name).
CREATE TABLE monitors (
    id   TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL UNIQUE, -- creation order, the tie-break of equal names
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX monitors_type_name ON monitors (type, name, seq);
