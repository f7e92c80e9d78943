-- The metric retention a database is kept with (docs/architecture.md,
-- "Time-series tiers"): mkr serve --retention records the one it runs
-- with, and a compaction run given none (mkr db compact) keeps that, so it
-- never drops days serve would keep. 0: none recorded (460 days).
ALTER TABLE tier_state ADD COLUMN retention_seconds INTEGER NOT NULL DEFAULT 0;
