package backend_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// BenchmarkIngestWithMonitors is agents' ingest with 0 and 100 host
// monitors defined, in the same run: one op is one agent's POST
// /api/v0/tsdb of 30 metrics (what mackerel-agent sends each minute), the
// agents taking turns over 200 hosts. "local" evaluates in the request
// (local mode); "serve" runs the background loop of `mkr serve`, where
// ingest only queues evaluation. Evaluation on ingest must not halve the
// rate: compare points/s of monitors=100 with monitors=0.
func BenchmarkIngestWithMonitors(b *testing.B) {
	for _, mode := range []string{"local", "serve"} {
		for _, monitors := range []int{0, 100} {
			b.Run(fmt.Sprintf("%s/monitors=%d", mode, monitors), func(b *testing.B) {
				benchIngest(b, mode == "serve", monitors)
			})
		}
	}
}

func benchIngest(b *testing.B, serve bool, monitors int) {
	env := backendtest.New(b)
	const hosts, metrics = 200, 30
	ids := make([]string, hosts)
	for i := range ids {
		ids[i] = env.MustCreateHost(b, store.NewHost{Name: fmt.Sprintf("host%03d", i)})
	}
	for i := range monitors {
		m := monitor.Monitor{Type: monitor.TypeHost, Name: fmt.Sprintf("m%d", i), Metric: fmt.Sprintf("custom.agent.m%d", i%metrics),
			Operator: ">", Warning: pf(1e9), Duration: 3}
		m.ID = store.NewID()
		m.Normalize()
		if err := env.Store.CreateMonitor(b.Context(), &store.Monitor{ID: m.ID, Type: m.Type, Name: m.Name, Body: monitor.Encode(&m)}); err != nil {
			b.Fatal(err)
		}
	}
	if serve {
		stop := env.Backend.StartMonitoringWith(b.Context(), backend.MonitoringOptions{Interval: time.Minute})
		defer stop()
	}
	body := func(host string, at int64) string {
		var sb strings.Builder
		sb.WriteByte('[')
		for m := range metrics {
			if m > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"hostId":%q,"name":"custom.agent.m%d","time":%d,"value":%d}`, host, m, at, m)
		}
		sb.WriteByte(']')
		return sb.String()
	}
	b.ResetTimer()
	for n := 0; b.Loop(); n++ {
		if n%hosts == 0 {
			env.Clock.Advance(time.Minute) // each round of agents is a minute later
		}
		at := env.Clock.Now().Unix()
		req := httptest.NewRequest("POST", "/api/v0/tsdb", strings.NewReader(body(ids[n%hosts], at)))
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(b.N*metrics)/b.Elapsed().Seconds(), "points/s")
}
