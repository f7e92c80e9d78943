package backendtest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// SeedFleet registers n realistic hosts directly through the store, for
// listing benchmarks: agent meta, one interface, two roles in one of ten
// services, and working or standby status, so `mkr hosts` lists every one.
func SeedFleet(ctx context.Context, st store.HostStore, n int) error {
	for i := range n {
		svc := fmt.Sprintf("service-%02d", i%10)
		meta, err := json.Marshal(map[string]any{
			"agent-name":    "mackerel-agent/0.87.0 (Revision 1a2b3c4)",
			"agent-version": "0.87.0",
			"kernel":        map[string]string{"name": "Linux", "release": "6.8.0-45-generic", "machine": "x86_64", "os": "GNU/Linux"},
			"memory":        map[string]string{"total": "16311832kB"},
			"cpu":           []map[string]any{{"model_name": "Intel(R) Xeon(R) CPU", "cores": "4", "mhz": "2300.000"}},
		})
		if err != nil {
			return err
		}
		ip := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		ifaces, err := json.Marshal([]map[string]any{{
			"name":          "eth0",
			"ipAddress":     ip,
			"ipv4Addresses": []string{ip + "/16"},
			"macAddress":    fmt.Sprintf("02:00:00:%02x:%02x:%02x", i>>16&255, i>>8&255, i&255),
		}})
		if err != nil {
			return err
		}
		status := client.HostStatusWorking
		if i%4 == 3 {
			status = client.HostStatusStandby
		}
		_, err = st.CreateHost(ctx, store.NewHost{
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
			return fmt.Errorf("seeding host %d: %w", i, err)
		}
	}
	return nil
}
