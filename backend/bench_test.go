package backend_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/client"
)

// benchHostCount is the fleet size of the listing benchmarks (issue: "mkr
// hosts over 10,000 hosts").
const benchHostCount = 10000

// BenchmarkListHosts10k lists 10,000 hosts through the typed client and the
// in-process transport: the backend and client cost of `mkr hosts` in local
// mode without process start-up, database open or output formatting.
func BenchmarkListHosts10k(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	start := time.Now()
	if err := backendtest.SeedFleet(context.Background(), st, benchHostCount); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d hosts in %v", benchHostCount, time.Since(start))

	c, err := client.New(client.Options{
		BaseURL:   "http://mkr.local",
		Transport: client.NewInProcessTransport(backend.New(st, backend.Options{}).Handler()),
	})
	if err != nil {
		b.Fatal(err)
	}
	// Warm up, and check the listing is complete.
	hosts, err := c.FindHosts(ctx, client.FindHostsParam{})
	if err != nil {
		b.Fatal(err)
	}
	if len(hosts) != benchHostCount || len(hosts[0].Roles) != 1 || len(hosts[0].Interfaces) != 1 {
		b.Fatalf("listed %d hosts (first: %+v), want %d with roles and interfaces", len(hosts), hosts[0], benchHostCount)
	}

	b.ReportAllocs()
	for b.Loop() { // b.Loop starts the timer afresh: setup is not measured
		hosts, err := c.FindHosts(ctx, client.FindHostsParam{})
		if err != nil {
			b.Fatal(err)
		}
		if len(hosts) != benchHostCount {
			b.Fatalf("listed %d hosts", len(hosts))
		}
	}
}
