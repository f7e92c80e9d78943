package engine_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/anomaly/anomalytest"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// anomalyStart is midnight UTC, where the synthetic roles' days begin.
var anomalyStart = time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)

// webRole has a plain daily cycle: these tests are about the engine's
// plumbing (the mixture's worth is shown in package anomaly), and a
// small role trains fast under -race.
var webRole = anomalytest.Role{Seed: 11}

type anomalyWorld struct {
	env   *backendtest.Env
	hosts []string
	id    string // the monitor
}

// newAnomalyWorld is a role "shop: web" of n hosts with hours of normal
// data before anomalyStart (one point per metric per 5 minutes), an
// anomalyDetection monitor on it, and the clock at anomalyStart. The
// training reads 5-minute rollups, which only the SQLite store serves
// today.
func newAnomalyWorld(t *testing.T, n, hours int) *anomalyWorld {
	return newAnomalyWorldID(t, n, hours, store.NewID())
}

// newAnomalyWorldID is newAnomalyWorld with the monitor's id given (the
// training seed derives from it).
func newAnomalyWorldID(t *testing.T, n, hours int, id string) *anomalyWorld {
	t.Helper()
	env := backendtest.NewWithOptions(t, backendtest.Options{Start: anomalyStart, DBEngine: backendtest.DBSQLite})
	env.MustCreateService(t, "shop", "web")
	w := &anomalyWorld{env: env}
	for i := range n {
		w.hosts = append(w.hosts, env.MustCreateHost(t, store.NewHost{Name: fmt.Sprintf("web%02d", i),
			Roles: []store.RoleRef{{Service: "shop", Role: "web"}}}))
	}
	from := anomalyStart.Unix() - int64(hours)*3600
	w.seed(t, from, anomalyStart.Unix(), nil)
	m := monitor.Monitor{ID: id, Type: monitor.TypeAnomalyDetection, Name: "web anomalies",
		Scopes: []string{"shop: web"}, WarningSensitivity: "sensitive", CriticalSensitivity: "normal"}
	m.Normalize()
	if err := env.Store.CreateMonitor(t.Context(), &store.Monitor{ID: id, Type: m.Type, Name: m.Name, Body: monitor.Encode(&m)}); err != nil {
		t.Fatal(err)
	}
	w.id = id
	return w
}

// seed stores every host's buckets of [from, to), with inj(host index,
// bucket) laid over them.
func (w *anomalyWorld) seed(t *testing.T, from, to int64, inj func(h int, t int64) anomalytest.Injection) {
	t.Helper()
	var pts []store.SeriesPoint
	for i, id := range w.hosts {
		for b := from; b < to; b += 300 {
			kind := anomalytest.None
			if inj != nil {
				kind = inj(i, b)
			}
			for name, v := range webRole.Values(i, b, kind) {
				pts = append(pts, store.SeriesPoint{Key: store.HostSeries(id, name), Point: store.Point{Time: b + 60, Value: v}})
			}
		}
	}
	if _, err := w.env.Store.InsertPointsSince(t.Context(), pts, 0); err != nil {
		t.Fatal(err)
	}
}

// step stores the bucket starting at b and evaluates a minute after it
// ends, as the serve loop would.
func (w *anomalyWorld) step(t *testing.T, b int64, inj func(h int, t int64) anomalytest.Injection) {
	t.Helper()
	w.seed(t, b, b+300, inj)
	w.env.Clock.Set(time.Unix(b+300+60, 0))
	advance(t, w.env)
}

func injectOn(host int, kind anomalytest.Injection) func(int, int64) anomalytest.Injection {
	return func(h int, _ int64) anomalytest.Injection {
		if h == host {
			return kind
		}
		return anomalytest.None
	}
}

// A role trained on 28 hours of three hosts: a normal hour raises nothing; memory
// falling on one host opens a CRITICAL alert on that host at the third
// evaluation (maxCheckAttempts 3), naming memory used; the load rising
// with swap on another host is caught the same way; each alert closes at
// the first normal evaluation.
func TestAnomalyLifecycle(t *testing.T) {
	w := newAnomalyWorld(t, 3, 28)
	b := anomalyStart.Unix()
	for range 12 {
		w.step(t, b, nil)
		b += 300
	}
	wantAlerts(t, w.env, w.id)
	models, err := w.env.Store.AnomalyModels(t.Context(), w.id)
	// Trained at the first evaluation, a minute after the first bucket
	// ended: on that bucket too.
	if err != nil || len(models) != 1 || models[0].Status != store.AnomalyTrained || models[0].Samples != 3*(28*12+1) {
		t.Fatalf("models = %+v, %v; want one trained on %d samples", models[0], err, 3*(28*12+1))
	}
	// A role this small gets one Gaussian: a second needs 5 samples per parameter.
	if m := models[0]; m.From != anomalyStart.Unix()+300-28*86400 || m.To != anomalyStart.Unix()+300 || m.Components != 1 {
		t.Errorf("model window [%d, %d), %d components", m.From, m.To, m.Components)
	}

	for _, c := range []struct {
		host int
		inj  anomalytest.Injection
		name string
	}{{1, anomalytest.MemoryDrop, "memory used"}, {2, anomalytest.LoadSwap, "swap used"}} {
		for i := range 3 {
			if got := alertsOf(t, w.env, w.id); i < 3 && len(openOnly(got)) != 0 {
				t.Fatalf("injection %d: an alert after %d evaluations: %q", c.inj, i, got)
			}
			w.step(t, b, injectOn(c.host, c.inj))
			b += 300
		}
		open := openOnly(alertsOf(t, w.env, w.id))
		if len(open) != 1 || !strings.HasPrefix(open[0], "CRITICAL open host="+w.hosts[c.host]) ||
			!strings.Contains(open[0], "the most deviating metric: "+c.name+" ") {
			t.Fatalf("injection %d after 3 evaluations: open alerts %q; want one CRITICAL on host %d naming %s",
				c.inj, open, c.host, c.name)
		}
		w.step(t, b, nil)
		b += 300
		if open := openOnly(alertsOf(t, w.env, w.id)); len(open) != 0 {
			t.Fatalf("after a normal evaluation: %q", open)
		}
	}
	got := alertsOf(t, w.env, w.id)
	if len(got) != 2 || !strings.Contains(got[0], "closed Monitoring recovered") || !strings.HasSuffix(got[0], ": CRITICAL/monitoring OK/monitoring") {
		t.Errorf("alerts: %q", got)
	}
}

func openOnly(alerts []string) []string {
	var out []string
	for _, a := range alerts {
		if strings.Contains(a, " open ") {
			out = append(out, a)
		}
	}
	return out
}

// A role with too few samples (one host, one day: 288) stores a model
// that says so and raises nothing, however odd its data.
func TestAnomalyTooFewSamples(t *testing.T) {
	w := newAnomalyWorld(t, 1, 24)
	b := anomalyStart.Unix()
	for range 4 {
		w.step(t, b, injectOn(0, anomalytest.MemoryDrop))
		b += 300
	}
	wantAlerts(t, w.env, w.id)
	models, err := w.env.Store.AnomalyModels(t.Context(), w.id)
	if err != nil || len(models) != 1 {
		t.Fatalf("models = %v, %v", models, err)
	}
	m := models[0]
	if m.Status != store.AnomalyTooFew || m.Samples != 289 ||
		m.Message != "1 hosts gave 289 samples of 5 minutes; at least 1000 are needed" {
		t.Errorf("model: %s %d %q", m.Status, m.Samples, m.Message)
	}
	// Retried hourly, not at every tick.
	for range 6 {
		w.step(t, b, nil)
		b += 300
	}
	again, _ := w.env.Store.AnomalyModels(t.Context(), w.id)
	if again[0].TrainedAt != m.TrainedAt {
		t.Errorf("a role with too few samples was retrained within the hour (%d, then %d)", m.TrainedAt, again[0].TrainedAt)
	}
	w.env.Clock.Set(time.Unix(m.TrainedAt+3600, 0))
	advance(t, w.env)
	again, _ = w.env.Store.AnomalyModels(t.Context(), w.id)
	if again[0].TrainedAt != m.TrainedAt+3600 || again[0].Samples != 288+10 {
		t.Errorf("after an hour: trained at %d on %d samples; want %d on %d", again[0].TrainedAt, again[0].Samples,
			m.TrainedAt+3600, 288+10)
	}
}

// Two backends with the same data train the same model, bit for bit; one
// evaluating every 5 minutes (serve) and one evaluating once after the
// gap (local mode's catch-up, bounded to the last hour) hold the same
// alerts.
func TestAnomalyDeterministicAndCatchUp(t *testing.T) {
	id := store.NewID() // the seed derives from the monitor id: same id, same model
	serve, local := newAnomalyWorldID(t, 3, 28, id), newAnomalyWorldID(t, 3, 28, id)
	inj := func(h int, b int64) anomalytest.Injection {
		if h == 1 && b >= anomalyStart.Unix()+30*60 {
			return anomalytest.MemoryDrop
		}
		return anomalytest.None
	}
	// Both evaluate the first bucket (and train); then serve evaluates
	// every bucket and local mode nothing until 50 minutes later.
	b := anomalyStart.Unix()
	serve.step(t, b, inj)
	local.step(t, b, inj)
	for b += 300; b < anomalyStart.Unix()+50*60; b += 300 {
		serve.step(t, b, inj)
	}
	local.seed(t, anomalyStart.Unix()+300, b, inj)
	local.env.Clock.Set(serve.env.Clock.Now())
	advance(t, local.env)

	ms, _ := serve.env.Store.AnomalyModels(t.Context(), serve.id)
	ml, _ := local.env.Store.AnomalyModels(t.Context(), local.id)
	if len(ms) != 1 || len(ml) != 1 || !bytes.Equal(ms[0].Body, ml[0].Body) {
		t.Fatal("the same data trained different models")
	}
	if ms[0].To != ml[0].To || ms[0].From != ml[0].From {
		t.Errorf("windows differ: [%d, %d) and [%d, %d)", ms[0].From, ms[0].To, ml[0].From, ml[0].To)
	}
	got, want := alertsOf(t, local.env, local.id), alertsOf(t, serve.env, serve.id)
	got, want = hostsByName(t, local, got), hostsByName(t, serve, want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(want) != 1 {
		t.Fatalf("local after the gap:\n  %s\nserve:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// hostsByName replaces host ids by their index in w.hosts.
func hostsByName(t *testing.T, w *anomalyWorld, alerts []string) []string {
	out := make([]string, len(alerts))
	for i, a := range alerts {
		for j, id := range w.hosts {
			a = strings.ReplaceAll(a, id, fmt.Sprintf("host%d", j))
		}
		out[i] = a
	}
	return out
}
