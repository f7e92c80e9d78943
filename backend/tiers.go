package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// When the time-series store seals and expires (docs/architecture.md,
// "Time-series tiers"): mkr serve in a background loop; local mode a
// little after each write request; mkr db compact at once, to completion.

const (
	// compactInterval is how often serve's loop looks for work: a day
	// becomes due once a day, so this only bounds how late that is.
	compactInterval = 10 * time.Minute
	// compactLoopBatches is how many batches serve's loop runs per
	// Compact call before looking at its context again.
	compactLoopBatches = 16
	// compactLoopShare is the part of its time serve's loop works: a
	// daily pass looks at every series (5,000,000 under 50,000 agents,
	// about ten CPU seconds), and at full speed it took a quarter of
	// serve's CPU from ingest for as long (BenchmarkServeAgents' profile).
	compactLoopShare = 0.2
	// Local mode seals at most this much after a write request, so that
	// a command that writes never waits long; what is left is done by
	// the next writes (or mkr db compact).
	localCompactBatches = 2
	localCompactBudget  = 2 * time.Second
	// MinMetricRetention: a shorter retention would drop days before
	// they leave the hot tier.
	MinMetricRetention = 48 * time.Hour
)

// ConfigureRetention sets how long metric points are kept (mkr serve
// --retention); days that ended longer ago are dropped whole by the
// background loop and by CompactMetrics. The loop records it in the
// database when it starts, so that a later CompactMetrics without one (mkr
// db compact) keeps as much. Call it before StartMonitoring.
func (b *Backend) ConfigureRetention(d time.Duration) error {
	if d < MinMetricRetention {
		return fmt.Errorf("retention must be at least %s, not %s", MinMetricRetention, d)
	}
	b.eval.retention.Store(int64(d))
	return nil
}

// retention is the configured retention (0: the store's default).
func (b *Backend) retention() time.Duration {
	return time.Duration(b.eval.retention.Load())
}

// CompactMetrics seals and expires now, to completion, keeping
// retention (0: the configured one, else the one recorded in the database
// by serve's loop, else 460 days), and answers what it
// did as JSON (store.CompactResult's fields), so that the CLI, which
// links no backend package, reads it as an API answer.
func (b *Backend) CompactMetrics(ctx context.Context, retention time.Duration) (json.RawMessage, error) {
	if retention == 0 {
		retention = b.retention()
	} else if retention < MinMetricRetention {
		return nil, fmt.Errorf("retention must be at least %s, not %s", MinMetricRetention, retention)
	}
	res, err := b.store.Compact(ctx, store.CompactOptions{Retention: retention})
	if err != nil {
		return nil, err
	}
	return json.Marshal(res)
}

// compactAfterWrite is local mode's share: a bounded seal after a write
// request (serve's loop does it there). It never expires data: a local
// command does not know the retention serve was given, so only serve's
// loop and mkr db compact drop old days. Failing never fails the request.
func (b *Backend) compactAfterWrite(ctx context.Context) {
	if b.eval.background.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), localCompactBudget)
	defer cancel()
	_, err := b.store.Compact(ctx, store.CompactOptions{Retention: -1, MaxBatches: localCompactBatches})
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		slog.Warn("sealing metric points", "error", err)
	}
}

// runCompaction is serve's loop: soon after start, then every
// compactInterval, seal and expire until done, a few batches at a time
// (each batch is its own short transaction, so posts interleave). Its
// first run records the configured retention in the database.
func (b *Backend) runCompaction(ctx context.Context) {
	tick := time.NewTicker(compactInterval)
	defer tick.Stop()
	record := b.retention() > 0
	for {
		for {
			res, err := b.store.Compact(ctx, store.CompactOptions{Retention: b.retention(), RecordRetention: record, MaxBatches: compactLoopBatches, Share: compactLoopShare})
			if err == nil {
				record = false
			}
			if err != nil {
				if ctx.Err() == nil {
					slog.Warn("sealing metric points", "error", err)
				}
				break
			}
			if res.SealedBlocks > 0 || res.ExpiredBlocks > 0 {
				slog.Debug("sealed metric points", "blocks", res.SealedBlocks, "points", res.SealedPoints, "expiredBlocks", res.ExpiredBlocks)
			}
			if res.Done || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
