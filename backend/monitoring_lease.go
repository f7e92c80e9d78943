package backend

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Replicas of `mkr serve` on one database run the work that must happen
// once — evaluating every monitor on the clock, probing external monitors,
// sealing and expiring metric points — only while they hold the lease
// called MonitoringLease (store.LeaseStore). The holder renews it every
// third of its TTL; a replica that dies or stalls stops renewing and
// another takes the lease over once it expires, within one TTL. What every
// replica still does: evaluate the series posted to it (AdvanceIngest,
// idempotent: the engine's rules run in serializable transactions over
// stored states and cursors, so two evaluators agree) and deliver
// notifications (each delivery is claimed by one dispatcher).

// MonitoringLease names the lease of the once-only monitoring work.
const MonitoringLease = "monitoring"

// DefaultLeaseTTL is how long the monitoring lease runs unrenewed: the
// longest a dead replica's share of the work waits for another replica.
const DefaultLeaseTTL = 30 * time.Second

// LeaseTTLEnv, when set to a Go duration, overrides DefaultLeaseTTL for
// StartMonitoring (operators tuning failover; the tests that kill a
// replica).
const LeaseTTLEnv = "MKR_SERVE_LEASE_TTL"

// leaseKeeper takes and renews one lease and tells the leased work when
// it may run: a term is a context that lives while the lease is ours.
//
// A term ends at the lease's local end of validity unless a renewal moved
// it: that end is measured from the moment the renewal was sent, on this
// process's monotonic clock, minus a tenth for clocks that run at slightly
// different rates, so it comes before the database's own expiry. A
// replica paused past it (a stopped process, a long GC, a VM migration)
// finds its term over when it wakes — its work's next statement fails on
// the ended context — and must win the lease again to go on.
type leaseKeeper struct {
	st     store.LeaseStore
	name   string
	holder string
	ttl    time.Duration

	mu      sync.Mutex
	term    context.Context // nil or ended: not holding
	endTerm context.CancelFunc
	expiry  *time.Timer
	changed chan struct{} // closed and replaced when a term starts
	// contended is set once another holder was seen: from then on taking
	// the lease is a takeover, worth an info line. A lone serve takes it
	// at start and never loses it, so it logs that at debug level only
	// (its stderr stays the lines an operator reads).
	contended bool
}

func newLeaseKeeper(st store.LeaseStore, name string, ttl time.Duration) *leaseKeeper {
	return &leaseKeeper{st: st, name: name, holder: replicaID(), ttl: ttl, changed: make(chan struct{})}
}

// replicaID names this process among replicas: host, pid and a random
// part (a restarted container may reuse both).
func replicaID() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// run keeps trying and renewing until ctx ends, then gives the lease up
// so that another replica need not wait for its expiry.
func (k *leaseKeeper) run(ctx context.Context) {
	every := k.ttl / 3
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		k.attempt(ctx, every)
		select {
		case <-ctx.Done():
			k.end()
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := k.st.ReleaseLease(rctx, k.name, k.holder); err != nil {
				slog.Warn("releasing the monitoring lease", "error", err)
			}
			return
		case <-tick.C:
		}
	}
}

// attempt takes or renews the lease once.
func (k *leaseKeeper) attempt(ctx context.Context, timeout time.Duration) {
	sent := time.Now()
	actx, cancel := context.WithTimeout(ctx, timeout)
	ok, err := k.st.TryLease(actx, k.name, k.holder, k.ttl)
	cancel()
	switch {
	case err != nil:
		// The term (if any) runs to its end: a failed renewal may be a
		// blip, and the lease is ours until then anyway.
		if ctx.Err() == nil {
			slog.Warn("renewing the monitoring lease", "error", err)
		}
	case !ok:
		k.mu.Lock()
		k.contended = true
		k.mu.Unlock()
		k.end() // another replica holds it
	default:
		k.extend(ctx, sent.Add(k.ttl-k.ttl/10))
	}
}

// extend starts a term, or moves the current one's end, to validUntil.
func (k *leaseKeeper) extend(ctx context.Context, validUntil time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	left := time.Until(validUntil)
	if left <= 0 {
		return // the answer came too late to be worth anything
	}
	if k.term != nil && k.term.Err() == nil && k.expiry.Reset(left) {
		return // renewed before the timer fired
	}
	if k.endTerm != nil {
		k.endTerm()
	}
	term, end := context.WithCancel(ctx)
	k.term, k.endTerm = term, end
	k.expiry = time.AfterFunc(left, end)
	close(k.changed)
	k.changed = make(chan struct{})
	level := slog.LevelDebug
	if k.contended {
		level = slog.LevelInfo
	}
	slog.Log(ctx, level, "holding the monitoring lease", "holder", k.holder)
}

// end ends the current term, if any.
func (k *leaseKeeper) end() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.endTerm != nil && k.term.Err() == nil {
		slog.Info("lost the monitoring lease", "holder", k.holder)
	}
	if k.endTerm != nil {
		k.endTerm()
		k.expiry.Stop()
	}
}

// current returns the running term, nil when the lease is not ours.
func (k *leaseKeeper) current() context.Context {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.term == nil || k.term.Err() != nil {
		return nil
	}
	return k.term
}

// await returns the next running term, nil when ctx ends first.
func (k *leaseKeeper) await(ctx context.Context) context.Context {
	for {
		k.mu.Lock()
		term, changed := k.term, k.changed
		k.mu.Unlock()
		if term != nil && term.Err() == nil {
			return term
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		}
	}
}

// whileHolding runs work for each term of the lease until ctx ends; work
// must return once its context ends.
func (k *leaseKeeper) whileHolding(ctx context.Context, work func(context.Context)) {
	for {
		term := k.await(ctx)
		if term == nil {
			return
		}
		work(term)
		// Work that returned on its own waits for the next term rather
		// than spinning through this one.
		select {
		case <-term.Done():
		case <-ctx.Done():
			return
		}
	}
}

// started returns a channel closed when the next term starts.
func (k *leaseKeeper) started() <-chan struct{} {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.changed
}

// leaseTTL is the TTL StartMonitoring uses.
func leaseTTL() time.Duration {
	if v := os.Getenv(LeaseTTLEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err == nil && d >= 300*time.Millisecond {
			return d
		}
		slog.Warn("ignoring "+LeaseTTLEnv+": not a duration of at least 300ms", "value", v)
	}
	return DefaultLeaseTTL
}
