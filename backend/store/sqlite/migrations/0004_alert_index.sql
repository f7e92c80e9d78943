-- GET /alerts lists open alerts newest first: a partial index on seq serves
-- both the first page and "seq <= ?" pages without touching closed alerts
-- (the expression index of 0003 was never chosen by the planner).
DROP INDEX alerts_open_seq;
CREATE INDEX alerts_open_by_seq ON alerts (seq) WHERE closed_at IS NULL;
