package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Leases: one holder at a time; the holder renews; another holder is
// refused while the lease runs and takes it once it expired (real time,
// not the store's clock, which stays stopped here) or was released; the
// holder whose lease expired and was taken over is refused (a paused
// replica waking up); releasing someone else's lease changes nothing;
// leases of different names are independent; of many holders racing for
// a free lease exactly one gets it.
func testLeases(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	const long = time.Minute

	try := func(name, holder string, ttl time.Duration, want bool) {
		t.Helper()
		got, err := st.TryLease(ctx, name, holder, ttl)
		if err != nil || got != want {
			t.Fatalf("TryLease(%s, %s, %s) = %v, %v; want %v", name, holder, ttl, got, err, want)
		}
	}
	holderOf := func(name string) string {
		t.Helper()
		l, err := st.Lease(ctx, name)
		if err != nil {
			t.Fatalf("Lease(%s): %v", name, err)
		}
		if l == nil {
			return ""
		}
		if l.Name != name || l.Remaining <= 0 || l.Remaining > long {
			t.Fatalf("Lease(%s) = %+v; want that name, 0 < remaining <= %s", name, *l, long)
		}
		return l.Holder
	}

	if h := holderOf("evaluation"); h != "" {
		t.Fatalf("a lease never taken is held by %q", h)
	}
	try("evaluation", "a", long, true)
	try("evaluation", "b", long, false)
	try("evaluation", "a", long, true) // a renewal
	if h := holderOf("evaluation"); h != "a" {
		t.Fatalf("holder = %q; want a", h)
	}
	try("probes", "b", long, true) // another name
	if err := st.ReleaseLease(ctx, "evaluation", "b"); err != nil {
		t.Fatalf("ReleaseLease by a non-holder: %v", err)
	}
	try("evaluation", "b", long, false)
	if err := st.ReleaseLease(ctx, "evaluation", "a"); err != nil {
		t.Fatalf("ReleaseLease: %v", err)
	}
	if h := holderOf("evaluation"); h != "" {
		t.Fatalf("holder after release = %q; want none", h)
	}
	try("evaluation", "b", long, true)
	if h := holderOf("probes"); h != "b" {
		t.Fatalf("holder of probes = %q; want b (untouched by evaluation's release)", h)
	}

	// Expiry, on real time.
	const short = 150 * time.Millisecond
	try("short", "a", short, true)
	try("short", "b", short, false)
	time.Sleep(2 * short)
	if h := holderOf("short"); h != "" {
		t.Fatalf("holder of an expired lease = %q; want none", h)
	}
	try("short", "b", long, true)
	try("short", "a", short, false) // a paused holder wakes: refused
	if h := holderOf("short"); h != "b" {
		t.Fatalf("holder after takeover = %q; want b", h)
	}

	for _, bad := range []struct {
		name, holder string
		ttl          time.Duration
	}{{"", "a", long}, {"x", "", long}, {"x", "a", 0}, {"x", "a", -time.Second}} {
		_, err := st.TryLease(ctx, bad.name, bad.holder, bad.ttl)
		if _, ok := store.IsKind(err, store.KindInvalid); !ok {
			t.Errorf("TryLease(%q, %q, %s) error = %v; want KindInvalid", bad.name, bad.holder, bad.ttl, err)
		}
	}
	if h := holderOf("x"); h != "" {
		t.Errorf("a refused TryLease left holder %q", h)
	}

	// A race for a free lease: exactly one winner.
	const racers = 16
	won := make([]bool, racers)
	errs := make([]error, racers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range racers {
		wg.Go(func() {
			<-start
			won[i], errs[i] = st.TryLease(ctx, "race", fmt.Sprint("racer-", i), long)
		})
	}
	close(start)
	wg.Wait()
	winners := 0
	for i := range racers {
		if errs[i] != nil {
			t.Fatalf("racer %d: %v", i, errs[i])
		}
		if won[i] {
			winners++
			if h := holderOf("race"); h != fmt.Sprint("racer-", i) {
				t.Errorf("racer %d won but the holder is %q", i, h)
			}
		}
	}
	if winners != 1 {
		t.Errorf("%d racers won a free lease; want exactly 1", winners)
	}
}
