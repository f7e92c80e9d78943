package engine_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// benchFleet builds hosts hosts posting memory and swap metrics for three
// minutes, and monitors host monitors, each on a rate metric that reads
// two series (memory% or swap%), with thresholds no host crosses: the
// steady state of a healthy fleet, which is what every minute costs.
func benchFleet(b *testing.B, hosts, monitors int) *backendtest.Env {
	env := backendtest.New(b)
	ids := make([]string, hosts)
	for i := range ids {
		ids[i] = env.MustCreateHost(b, store.NewHost{Name: fmt.Sprintf("host%05d", i)})
	}
	now := env.Clock.Now().Unix()
	var pts []store.SeriesPoint
	for m := int64(2); m >= 0; m-- {
		for _, id := range ids {
			for name, v := range map[string]float64{"memory.used": 400, "memory.total": 1000, "memory.swap_total": 100, "memory.swap_free": 90} {
				pts = append(pts, store.SeriesPoint{Key: store.HostSeries(id, name), Point: store.Point{Time: now - 60*m, Value: v}})
			}
		}
	}
	for len(pts) > 0 {
		n := min(len(pts), 20000)
		if _, err := env.Store.InsertPointsSince(b.Context(), pts[:n], 0); err != nil {
			b.Fatal(err)
		}
		pts = pts[n:]
	}
	for i := range monitors {
		metric := []string{"memory%", "swap%"}[i%2]
		m := monitor.Monitor{Type: monitor.TypeHost, Name: fmt.Sprintf("%s %d", metric, i), Metric: metric, Operator: ">",
			Warning: ptr(90.0 + float64(i)/10), Critical: ptr(95.0), Duration: int64(1 + i%3)}
		m.ID = store.NewID()
		m.Normalize()
		if err := env.Store.CreateMonitor(b.Context(), &store.Monitor{ID: m.ID, Type: m.Type, Name: m.Name, Body: monitor.Encode(&m)}); err != nil {
			b.Fatal(err)
		}
	}
	return env
}

// BenchmarkAdvance is one evaluation of every monitor over a healthy
// fleet: 10,000 hosts × 20 host monitors (each reading two metrics), what
// `mkr serve` does every minute (it must fit in one comfortably, on one
// core). The -short variant is 1,000 hosts.
func BenchmarkAdvance(b *testing.B) {
	hosts := 10000
	if testing.Short() {
		hosts = 1000
	}
	env := benchFleet(b, hosts, 20)
	b.ResetTimer()
	for b.Loop() {
		env.Clock.Advance(time.Second)
		if err := env.Engine.Advance(b.Context(), env.Clock.Now()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(hosts*20)*float64(b.N)/b.Elapsed().Seconds(), "evaluations/s")
}
