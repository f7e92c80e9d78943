package store

import (
	"context"
	"time"
)

// LeaseStore hands out named leases: at most one holder at a time, for a
// bounded time. `mkr serve` replicas sharing a database hold the lease of
// the work that must run exactly once across them (evaluating monitors,
// probing external monitors, sealing and expiring metric points), so that
// a replica that dies or stalls gives that work up within the lease's
// TTL, with no one having to notice.
//
// A lease's time is real time, not the store's clock (Options.Now, which
// tests stop): it is measured where every replica reads the same clock —
// PostgreSQL's own clock on PostgreSQL, so clock skew between replicas
// cannot make two of them holders; the machine's on SQLite, whose
// processes share one machine.
type LeaseStore interface {
	// TryLease makes holder the holder of the lease called name until ttl
	// from now, and reports whether it is: true when the lease was free,
	// expired, or already holder's (which renews it), false while another
	// holder's lease runs. ttl must be positive.
	TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease gives the lease up if holder holds it (another holder's
	// lease is left as it is), so the next TryLease of anyone succeeds
	// without waiting for the expiry.
	ReleaseLease(ctx context.Context, name, holder string) error
	// Lease returns who holds the lease called name and for how much
	// longer; nil when no one does (never taken, released or expired).
	Lease(ctx context.Context, name string) (*Lease, error)
}

// Lease is one held lease, as LeaseStore.Lease reports it.
type Lease struct {
	Name   string
	Holder string
	// Remaining is how long the lease runs unless renewed, measured on
	// the lease's clock at the time of the read.
	Remaining time.Duration
}
