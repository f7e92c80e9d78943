package backend

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// A holder that stops renewing (a paused process) sees its term end
// before the lease expires in the store, so its work stops before anyone
// else can take over; once another holder has the lease, waking up and
// trying again starts no term.
func TestLeaseTermEndsBeforeTheLease(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "mkr.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	const ttl = 400 * time.Millisecond
	k := newLeaseKeeper(st, MonitoringLease, ttl)

	k.attempt(ctx, ttl)
	term := k.current()
	if term == nil {
		t.Fatal("no term after taking a free lease")
	}
	select {
	case <-term.Done():
	case <-time.After(2 * ttl):
		t.Fatal("the term outlived the lease without renewals")
	}
	// The term ended first: the store still has the lease as the holder's.
	if l, err := st.Lease(ctx, MonitoringLease); err != nil || l == nil || l.Holder != k.holder {
		t.Fatalf("lease when the term ended = %+v, %v; want still %s's", l, err, k.holder)
	}
	time.Sleep(ttl) // now it expired
	if ok, err := st.TryLease(ctx, MonitoringLease, "other", time.Minute); err != nil || !ok {
		t.Fatalf("another holder taking the expired lease: %v, %v", ok, err)
	}
	k.attempt(ctx, ttl) // the paused holder wakes
	if k.current() != nil {
		t.Fatal("a term started while another holder has the lease")
	}

	// Renewals keep one term running past the TTL.
	if err := st.ReleaseLease(ctx, MonitoringLease, "other"); err != nil {
		t.Fatal(err)
	}
	k.attempt(ctx, ttl)
	term = k.current()
	for range 4 {
		time.Sleep(ttl / 3)
		k.attempt(ctx, ttl)
	}
	if term.Err() != nil || k.current() != term {
		t.Fatal("renewals did not keep the term running")
	}
}
