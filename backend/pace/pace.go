// Package pace rests background work between its steps so that it takes
// only a share of the time: serve's sealing loop and its evaluations of a
// large fleet, which would otherwise hold both cores while posts wait.
package pace

import (
	"context"
	"time"
)

// Pacer rests a run of work between its steps so that it works at most
// share of its wall time.
type Pacer struct {
	share float64
	since time.Time // when the current stretch of work began
}

// New starts measuring work now; with a share outside (0, 1) its Rest
// never waits.
func New(share float64) *Pacer {
	return &Pacer{share: share, since: time.Now()}
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
