package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/pace"
	"github.com/mkr-dev/mkr/backend/store"
)

// hostChunk is how many hosts a host pass evaluates at once. Memory
// follows the chunk, not the fleet: a full evaluation of 50,000 hosts
// once held every host and every host's recent points at the same time
// (Go's heap then doubled that, and mkr serve's RSS rose by ~80 MB every
// 15 s). A chunk is also one read of points and one pace step.
const hostChunk = 2000

// perHost reports whether a monitor's rule judges each host on its own
// (so a fleet can be evaluated a chunk of hosts at a time).
func perHost(m *monitor.Monitor) bool {
	return m.Type == monitor.TypeHost || m.Type == monitor.TypeConnectivity
}

// hostPass evaluates per-host monitors over the hosts in scope (every
// live host, or an ingest's), a chunk of hosts at a time: it reads the
// chunk's hosts without meta, their recent points of every input the
// monitors read in one call, and applies each monitor's results for the
// chunk. When the engine is paced (SetShare) it rests between chunks.
//
// One monitor's failure on a chunk does not stop the others, nor the
// next chunks: the errors are returned together.
func (e *Engine) hostPass(ctx context.Context, base *snapshot, sc *ingestScope, monitors []*monitor.Monitor) error {
	var inputs []string
	points := 1 // the most points a host monitor looks back at
	for _, m := range monitors {
		if m.Type == monitor.TypeHost {
			inputs = append(inputs, hostMetricInputs(m.Metric)...)
			points = max(points, int(max(min(m.Duration, maxDuration), 1)))
		}
	}
	rests := pace.New(e.shareNow())
	chunks := 0
	var errs []error
	evaluate := func(hosts []*store.Host) error {
		if chunks++; chunks > 1 {
			if err := rests.Rest(ctx); err != nil {
				return err
			}
		}
		snap := base.forHosts(hosts, sc != nil)
		if err := snap.prefetch(ctx, inputs, points); err != nil {
			return err
		}
		for _, m := range monitors {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := e.evaluate(ctx, m, snap); err != nil {
				errs = append(errs, fmt.Errorf("monitor %s: %w", m.ID, err))
			}
		}
		return nil
	}
	size := hostChunk
	if e.chunk > 0 {
		size = e.chunk
	}
	err := eachHostChunk(ctx, e.st, sc, size, evaluate)
	return errors.Join(append(errs, err)...)
}

// eachHostChunk calls fn with the live hosts in scope (without meta), at
// most size at a time: every live host in creation order, or an ingest's
// hosts in id order.
func eachHostChunk(ctx context.Context, st store.Store, sc *ingestScope, size int, fn func([]*store.Host) error) error {
	chunk := make([]*store.Host, 0, size)
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		err := fn(chunk)
		chunk = make([]*store.Host, 0, size) // not reused: fn's results may keep hosts
		return err
	}
	add := func(h *store.Host) error {
		chunk = append(chunk, h)
		if len(chunk) == size {
			return flush()
		}
		return nil
	}
	if sc == nil {
		if err := st.EachHost(ctx, store.HostFilter{Statuses: allStatuses, SkipMeta: true}, add); err != nil {
			return err
		}
		return flush()
	}
	if err := eachHostByID(ctx, st, slices.Collect(maps.Keys(sc.hosts)), add); err != nil {
		return err
	}
	return flush()
}

// hostPassMark is a per-host monitor's last full pass: the interval it
// ran in, and the definition it ran with (a changed one runs again).
type hostPassMark struct {
	slot int64
	m    *monitor.Monitor
}

// duePasses returns the per-host monitors a full evaluation at now runs:
// all of them, or under a pass interval those that have not run in now's
// interval with their current definition.
func (e *Engine) duePasses(monitors []*monitor.Monitor, now time.Time) []*monitor.Monitor {
	e.cacheMu.Lock()
	defer e.cacheMu.Unlock()
	if e.passEvery <= 0 {
		return monitors
	}
	slot := now.UnixNano() / int64(e.passEvery)
	if !e.passBegun { // the first full evaluation: hold what exists
		e.passBegun = true
		if now.Before(e.passHold) {
			e.markPasses(monitors, slot)
			return nil
		}
	}
	var due []*monitor.Monitor
	for _, m := range monitors {
		mark, ok := e.passes[m.ID]
		switch {
		case !ok || mark.m != m: // new or changed: at once
			due = append(due, m)
		case mark.slot != slot && !now.Before(e.passHold):
			due = append(due, m)
		}
	}
	return due
}

// notePasses records that monitors ran over the whole fleet at now.
func (e *Engine) notePasses(monitors []*monitor.Monitor, now time.Time) {
	e.cacheMu.Lock()
	defer e.cacheMu.Unlock()
	if e.passEvery <= 0 {
		return
	}
	e.markPasses(monitors, now.UnixNano()/int64(e.passEvery))
}

// markPasses records monitors as run in slot (cacheMu held).
func (e *Engine) markPasses(monitors []*monitor.Monitor, slot int64) {
	if e.passes == nil || len(e.passes) > 10000 {
		e.passes = map[string]hostPassMark{}
	}
	for _, m := range monitors {
		e.passes[m.ID] = hostPassMark{slot: slot, m: m}
	}
}
