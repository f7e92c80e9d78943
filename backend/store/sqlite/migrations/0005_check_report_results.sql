-- A report at the same second as an accepted one is a duplicate only when
-- it also has the same status and message (a spool replay, an agent
-- retry); a different result at that second (a recovery in the same second
-- as the failure) is a new report. The key therefore gains the status and
-- a SHA-256 of the message. WITHOUT ROWID tables cannot change their key in
-- place, so the table is rebuilt.
CREATE TABLE check_reports_0005 (
    host_id      TEXT NOT NULL,
    name         TEXT NOT NULL,
    occurred_at  INTEGER NOT NULL,
    status       TEXT NOT NULL, -- '' for a report recorded before 0005: its result is unknown
    message_hash BLOB NOT NULL, -- SHA-256 of the message; empty before 0005
    PRIMARY KEY (host_id, name, occurred_at, status, message_hash)
) WITHOUT ROWID;
-- Reports recorded before this migration keep hiding any report at their
-- second, as they did: their result was not kept. They age out with the
-- usual pruning (6 hours).
INSERT INTO check_reports_0005 (host_id, name, occurred_at, status, message_hash)
    SELECT host_id, name, occurred_at, '', X'' FROM check_reports;
DROP TABLE check_reports;
ALTER TABLE check_reports_0005 RENAME TO check_reports;
