-- When each host's status last changed (epoch seconds), so that hosts left
-- in standby or maintenance can be found (mkr checks status-drift). Hosts
-- that existed before this column have had their status, as far as anyone
-- can tell, since they were created.
ALTER TABLE hosts ADD COLUMN status_changed_at INTEGER NOT NULL DEFAULT 0;
UPDATE hosts SET status_changed_at = created_at;
