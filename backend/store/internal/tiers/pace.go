package tiers

import (
	"context"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Pacer rests a Compact run between its steps so that it works at most
// opts.Share of its wall time (store.CompactOptions.Share).
type Pacer struct {
	share float64
	since time.Time // when the current stretch of work began
}

// NewPacer starts measuring work now; with a Share outside (0, 1) its
// Rest never waits.
func NewPacer(opts store.CompactOptions) *Pacer {
	return &Pacer{share: opts.Share, since: time.Now()}
}

// Rest waits for as long as the work since the last rest, scaled so that
// work stays share of the whole, then starts a new stretch. It returns
// ctx's error when ctx ends first.
func (p *Pacer) Rest(ctx context.Context) error {
	if p.share <= 0 || p.share >= 1 {
		return ctx.Err()
	}
	busy := time.Since(p.since)
	rest := time.Duration(float64(busy) * (1 - p.share) / p.share)
	t := time.NewTimer(rest)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	}
	p.since = time.Now()
	return nil
}
