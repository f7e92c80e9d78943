-- Named leases (store.LeaseStore): which replica holds the work that runs
-- once across replicas, and until when on the server's clock, so that
-- skew between the replicas' clocks cannot make two of them holders.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
