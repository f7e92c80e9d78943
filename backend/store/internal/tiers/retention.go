package tiers

import (
	"fmt"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Retention is the retention a Compact run keeps (store.CompactOptions):
// with RecordRetention, opts.Retention, once record has stored it (in
// seconds); with Retention 0, the recorded one that recorded reads (0 when
// none), else def; otherwise opts.Retention. The stores differ only in the
// SQL behind record and recorded.
func Retention(opts store.CompactOptions, def time.Duration, record func(secs int64) error, recorded func() (int64, error)) (time.Duration, error) {
	if opts.RecordRetention {
		if opts.Retention <= 0 {
			return 0, &store.Error{Kind: store.KindInvalid, Message: fmt.Sprintf("a recorded retention must be positive, not %s", opts.Retention)}
		}
		return opts.Retention, record(int64(opts.Retention / time.Second))
	}
	if opts.Retention != 0 {
		return opts.Retention, nil
	}
	secs, err := recorded()
	if err != nil {
		return 0, fmt.Errorf("reading the recorded retention: %w", err)
	}
	if secs > 0 {
		return time.Duration(secs) * time.Second, nil
	}
	return def, nil
}

// RunBatch runs fn as one transaction of a Compact run (inTx is the
// store's transaction runner), calling opts.BeforeCommit (the tests'
// interruption hook) before it commits, and counts it in res.Batches once
// committed.
func RunBatch[T any](opts store.CompactOptions, res *store.CompactResult, inTx func(func(T) error) error, fn func(T) error) error {
	n := res.Batches + 1
	err := inTx(func(tx T) error {
		if err := fn(tx); err != nil {
			return err
		}
		if opts.BeforeCommit != nil {
			return opts.BeforeCommit(n)
		}
		return nil
	})
	if err == nil {
		res.Batches = n
	}
	return err
}

// BudgetLeft reports whether a bounded run (opts.MaxBatches) may start
// another batch.
func BudgetLeft(opts store.CompactOptions, res *store.CompactResult) bool {
	return opts.MaxBatches <= 0 || res.Batches < opts.MaxBatches
}
