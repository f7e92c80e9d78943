// Package engine holds the monitoring rules of the embedded backend: the
// check-report state machine, what retiring a host does to its alerts,
// closing an alert by hand, and Advance, the periodic step that local mode
// and `mkr serve` both call.
//
// The rules are plain Go over store.Tx primitives and run inside one
// store transaction each, so a rejected or failed batch changes nothing.
// No SQL lives here; any store.Store implementation gets the same rules.
package engine

import (
	"context"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Engine applies the rules to a store. It keeps no state of its own, so
// any number of engines over one store agree.
type Engine struct {
	st store.Store
}

// New returns an engine over st.
func New(st store.Store) *Engine { return &Engine{st: st} }

// Advance brings time-driven state up to now: the work that is due
// whether or not a request arrives. It is idempotent, so local mode may
// call it before each command and `mkr serve` on a ticker. Check monitors
// have nothing time-driven yet; monitor evaluation will live here.
func (e *Engine) Advance(ctx context.Context, now time.Time) error {
	return ctx.Err()
}
