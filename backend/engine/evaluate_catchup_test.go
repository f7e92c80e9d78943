package engine_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// openAlertsByName describes the open alerts as "<monitor> <host name>
// <status>", sorted.
func openAlertsByName(t *testing.T, env *backendtest.Env) []string {
	t.Helper()
	list, _, err := env.Store.ListAlerts(t.Context(), false, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range list {
		m, err := env.Store.GetMonitor(t.Context(), a.MonitorID)
		if err != nil {
			t.Fatal(err)
		}
		host := ""
		if a.HostID != "" {
			h, err := env.Store.GetHost(t.Context(), a.HostID)
			if err != nil {
				t.Fatal(err)
			}
			host = h.Name
		}
		out = append(out, fmt.Sprintf("%s %s %s", m.Name, host, a.Status))
	}
	slices.Sort(out)
	return out
}

// Local mode has no daemon: it evaluates on ingest and catches up before
// reads. After hours with no command at all, its alerts are those of a
// serve process that evaluated every minute over the same data.
func TestLocalCatchUpMatchesServe(t *testing.T) {
	type world struct {
		env   *backendtest.Env
		hosts map[string]string
	}
	build := func() world {
		env := backendtest.New(t)
		env.MustCreateService(t, "shop")
		w := world{env: env, hosts: map[string]string{}}
		for _, n := range []string{"web01", "web02", "web03"} {
			w.hosts[n] = env.MustCreateHost(t, store.NewHost{Name: n})
		}
		mustMonitor(t, env, loadMonitor(func(m *monitor.Monitor) { m.MaxCheckAttempts = 3 }))
		mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeConnectivity})
		mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeService, Name: "orders", Service: "shop", Metric: "orders",
			Operator: "<", Warning: ptr(1.0), Duration: 1, MissingDurationCritical: 60})
		return w
	}
	serve, local := build(), build()
	for minute := range 60 {
		for _, w := range []world{serve, local} {
			w.env.Clock.Advance(time.Minute)
			post(t, w.env, w.hosts["web01"], map[string]float64{"loadavg5": 9}) // always high
			post(t, w.env, w.hosts["web02"], map[string]float64{"loadavg5": float64(minute % 4)})
			if minute < 30 {
				post(t, w.env, w.hosts["web03"], map[string]float64{"loadavg5": 1}) // then silent
				postService(t, w.env, "shop", "orders", 5)                          // then silent
			}
			var keys []store.SeriesKey
			for _, h := range w.hosts {
				keys = append(keys, store.HostSeries(h, "loadavg5"))
			}
			keys = append(keys, store.ServiceSeries("shop", "orders"))
			if err := w.env.Engine.AdvanceIngest(t.Context(), w.env.Clock.Now(), keys); err != nil {
				t.Fatal(err)
			}
		}
		advance(t, serve.env)
	}
	for _, w := range []world{serve, local} {
		w.env.Clock.Advance(3 * time.Hour)
	}
	for range 3 * 60 {
		tick(t, serve.env)
	}
	advance(t, local.env)
	got, want := openAlertsByName(t, local.env), openAlertsByName(t, serve.env)
	if !slices.Equal(got, want) {
		t.Fatalf("local mode after a gap:\n%q\nserve:\n%q", got, want)
	}
	wantOpen := []string{"connectivity web01 CRITICAL", "connectivity web02 CRITICAL", "connectivity web03 CRITICAL",
		"load web01 CRITICAL", "orders  CRITICAL"}
	if !slices.Equal(got, wantOpen) {
		t.Fatalf("open alerts:\n%q\nwant\n%q", got, wantOpen)
	}
}
