package upstream_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// monitorRules are one monitor of each of the seven types, as a person
// would post them. %s is the URL of the external monitor's target. The
// memo holds <, > and & (upstream prints < and > raw, & as \u0026).
const monitorRules = `[
{"type":"host","name":"load <high> & rising","memo":"see <runbook> & page","metric":"loadavg5","operator":">","warning":2,"critical":4,"duration":1,"scopes":["shop"],"notificationInterval":60},
{"type":"connectivity","name":"connectivity","scopes":["shop"],"alertStatusOnGone":"WARNING"},
{"type":"service","name":"orders","service":"shop","metric":"orders.count","operator":">","warning":50,"critical":100,"duration":1},
{"type":"external","name":"shop top","url":"%s","method":"GET","service":"shop","responseTimeWarning":5000,"responseTimeCritical":10000,"responseTimeDuration":1,"headers":[{"name":"X-Probe","value":"compat"}]},
{"type":"expression","name":"app load","expression":"max(\n  role(\"shop:app\", \"loadavg5\")\n)","operator":">","warning":2,"critical":3},
{"type":"anomalyDetection","name":"anomaly","scopes":["shop: app"],"warningSensitivity":"sensitive","maxCheckAttempts":3},
{"type":"query","name":"query","query":"container.cpu.utilization{service.name=\"shop\"}","operator":">","warning":70,"critical":90,"legend":"{{service.name}}"}
]`

// seeded is what seedFleet made.
type seeded struct {
	hosts    map[string]string // name → id
	external *httptest.Server  // the external monitor's target (answers 503)
}

// seedFleet fills the Env's database in local mode, where evaluation runs
// synchronously on the Env's fake clock, so the real engine opens the
// alerts deterministically: a host monitor and the expression over a
// loaded app host, a service metric over its threshold, a connectivity
// loss after 11 silent minutes, and a failing check. The external monitor's
// alert opens only under serve, which probes (local mode never does).
func seedFleet(t *testing.T, e *cmdtest.Env) seeded {
	t.Helper()
	ctx := context.Background()
	b, err := backend.Open(ctx, e.DBPath(), backend.Options{Now: e.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	api, err := client.New(client.Options{BaseURL: "http://seed.local", Transport: client.NewInProcessTransport(b.Handler()),
		Retry: client.RetryPolicy{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Store().CreateService(ctx, "shop", ""); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"app", "db"} {
		if _, err := b.Store().CreateRole(ctx, "shop", r, ""); err != nil {
			t.Fatal(err)
		}
	}
	s := seeded{hosts: map[string]string{}}
	for name, roles := range map[string][]string{"web01": {"shop:app"}, "db01": {"shop:db"}, "idle01": nil} {
		id, err := api.CreateHost(ctx, &client.CreateHostParam{Name: name, RoleFullnames: roles})
		must(err)
		s.hosts[name] = id
		e.Names[name] = id
	}

	s.external = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(s.external.Close)
	var rules []json.RawMessage
	must(json.Unmarshal(fmt.Appendf(nil, monitorRules, s.external.URL), &rules))
	for _, raw := range rules {
		var m client.Monitor
		must(json.Unmarshal(raw, &m))
		created, err := api.CreateMonitor(ctx, &m)
		must(err)
		e.Names["m-"+created.Name()] = created.ID()
	}

	// Eleven minutes of data: web01 loaded (CRITICAL for the host monitor
	// and the expression), orders over their critical threshold, db01
	// silent after the first minute (connectivity), idle01 never posting.
	for minute := 0; minute <= 11; minute++ {
		now := e.Clock.Now().Unix()
		points := []client.HostMetricValue{{HostID: s.hosts["web01"], Name: "loadavg5", Time: now, Value: 5.5}}
		if minute == 0 {
			points = append(points, client.HostMetricValue{HostID: s.hosts["db01"], Name: "loadavg5", Time: now, Value: 0.25})
		}
		must(api.PostHostMetricValues(ctx, points))
		must(api.PostServiceMetricValues(ctx, "shop", []client.MetricValue{{Name: "orders.count", Time: now, Value: 120}}))
		if minute == 3 {
			must(api.PostCheckReports(ctx, []client.CheckReport{{Source: client.HostCheckSource(s.hosts["web01"]), Name: "disk-health",
				Status: "CRITICAL", Message: "disk /dev/sda is failing\nSMART: reallocated sectors", OccurredAt: now}}))
		}
		if minute < 11 {
			e.Clock.Advance(time.Minute)
		}
	}
	// A read catches evaluation up (local mode has no loop).
	if _, err := api.FindAlerts(ctx, false, "", 100); err != nil {
		t.Fatal(err)
	}
	return s
}
