-- The outbox carries more than alert changes: host registrations, status
-- changes and retirements, monitor changes and alert groups, each with
-- what it is about as JSON.
ALTER TABLE alert_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'alert';
ALTER TABLE alert_events ADD COLUMN payload BLOB;
