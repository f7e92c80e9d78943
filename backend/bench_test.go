package backend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// benchHostCount is the fleet size of the listing benchmarks (issue: "mkr
// hosts over 10,000 hosts").
const benchHostCount = 10000

// benchSeedHosts registers n realistic hosts (two roles, one interface,
// agent meta; working or standby so all of them are listed by default)
// directly through the store.
func benchSeedHosts(tb testing.TB, st *store.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	for i := range n {
		svc := fmt.Sprintf("service-%02d", i%10)
		meta, _ := json.Marshal(map[string]any{
			"agent-name":    "mackerel-agent/0.87.0 (Revision 1a2b3c4)",
			"agent-version": "0.87.0",
			"kernel":        map[string]string{"name": "Linux", "release": "6.8.0-45-generic", "machine": "x86_64", "os": "GNU/Linux"},
			"memory":        map[string]string{"total": "16311832kB"},
			"cpu":           []map[string]any{{"model_name": "Intel(R) Xeon(R) CPU", "cores": "4", "mhz": "2300.000"}},
		})
		ifaces, _ := json.Marshal([]map[string]any{{
			"name":          "eth0",
			"ipAddress":     fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255),
			"ipv4Addresses": []string{fmt.Sprintf("10.%d.%d.%d/16", i>>16&255, i>>8&255, i&255)},
			"macAddress":    fmt.Sprintf("02:00:00:%02x:%02x:%02x", i>>16&255, i>>8&255, i&255),
		}})
		status := client.HostStatusWorking
		if i%4 == 3 {
			status = client.HostStatusStandby
		}
		_, err := st.CreateHost(ctx, store.NewHost{
			Name:       fmt.Sprintf("host-%05d.example.internal", i),
			Status:     status,
			Memo:       "seeded for benchmarks",
			Meta:       meta,
			Interfaces: ifaces,
			Roles: []store.RoleRef{
				{Service: svc, Role: fmt.Sprintf("role-%d", i%5)},
				{Service: svc, Role: "common"},
			},
		})
		if err != nil {
			tb.Fatalf("seeding host %d: %v", i, err)
		}
	}
}

// BenchmarkListHosts10k lists 10,000 hosts through the typed client and the
// in-process transport: the backend and client cost of `mkr hosts` in local
// mode without process start-up, database open or output formatting.
func BenchmarkListHosts10k(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	start := time.Now()
	benchSeedHosts(b, st, benchHostCount)
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
