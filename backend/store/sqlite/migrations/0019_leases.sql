-- Named leases (store.LeaseStore): who holds the work that runs once
-- across processes, and until when, in real milliseconds since the epoch
-- (not the store's clock, which tests stop).
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
