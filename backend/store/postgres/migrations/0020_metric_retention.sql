-- The metric retention a database is kept with (docs/architecture.md,
-- "Time-series tiers"; numbered as SQLite's): mkr serve --retention
-- records the one it runs with, and a compaction run given none (mkr db
-- compact) keeps that. 0: none recorded (the store's default).
ALTER TABLE tier_state ADD COLUMN retention_seconds BIGINT NOT NULL DEFAULT 0;
