package engine_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

func ptr[T any](v T) *T { return &v }

// mustMonitor stores m (normalized, with a fresh id) and returns its id.
func mustMonitor(t *testing.T, env *backendtest.Env, m monitor.Monitor) string {
	t.Helper()
	m.ID = store.NewID()
	m.Normalize()
	if err := env.Store.CreateMonitor(t.Context(), &store.Monitor{ID: m.ID, Type: m.Type, Name: m.Name, Body: monitor.Encode(&m)}); err != nil {
		t.Fatalf("CreateMonitor: %v", err)
	}
	return m.ID
}

// post stores one point per metric of the host at the clock's time.
func post(t *testing.T, env *backendtest.Env, hostID string, values map[string]float64) {
	t.Helper()
	now := env.Clock.Now().Unix()
	var pts []store.SeriesPoint
	for name, v := range values {
		pts = append(pts, store.SeriesPoint{Key: store.HostSeries(hostID, name), Point: store.Point{Time: now, Value: v}})
	}
	if _, err := env.Store.InsertPointsSince(t.Context(), pts, 0); err != nil {
		t.Fatalf("InsertPoints: %v", err)
	}
}

func postService(t *testing.T, env *backendtest.Env, service, name string, v float64) {
	t.Helper()
	p := store.SeriesPoint{Key: store.ServiceSeries(service, name), Point: store.Point{Time: env.Clock.Now().Unix(), Value: v}}
	if _, err := env.Store.InsertPointsSince(t.Context(), []store.SeriesPoint{p}, 0); err != nil {
		t.Fatalf("InsertPoints: %v", err)
	}
}

func advance(t *testing.T, env *backendtest.Env) {
	t.Helper()
	if err := env.Engine.Advance(t.Context(), env.Clock.Now()); err != nil {
		t.Fatalf("Advance: %v", err)
	}
}

// tick moves the clock a minute on and advances the engine.
func tick(t *testing.T, env *backendtest.Env) {
	t.Helper()
	env.Clock.Advance(time.Minute)
	advance(t, env)
}

// alertsOf describes every alert of a monitor, oldest first, as
// "<status> <open|closed[ reason]> host=<id> value=<v>: <log statuses>".
func alertsOf(t *testing.T, env *backendtest.Env, monitorID string) []string {
	t.Helper()
	all, _, err := env.Store.ListAlerts(t.Context(), true, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(all) - 1; i >= 0; i-- {
		a := all[i]
		if a.MonitorID != monitorID {
			continue
		}
		state := "open"
		if a.ClosedAt != 0 {
			state = "closed " + a.Reason
		}
		logs, _, err := env.Store.AlertLogs(t.Context(), a.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var ls []string
		for j := len(logs) - 1; j >= 0; j-- {
			ls = append(ls, logs[j].Status+"/"+logs[j].Trigger)
		}
		s := fmt.Sprintf("%s %s host=%s", a.Status, state, a.HostID)
		if a.Value != nil {
			s += fmt.Sprintf(" value=%g", *a.Value)
		}
		if a.Message != "" {
			s += " message=" + a.Message
		}
		out = append(out, s+": "+strings.Join(ls, " "))
	}
	return out
}

func wantAlerts(t *testing.T, env *backendtest.Env, monitorID string, want ...string) {
	t.Helper()
	got := alertsOf(t, env, monitorID)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("alerts:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// events describes the outbox, oldest first, as
// "<prev>-><status> <trigger> notify=<bool>" for alert changes and
// "<kind> <payload> notify=<bool>" for other events.
func events(t *testing.T, env *backendtest.Env) []string {
	t.Helper()
	list, err := env.Store.AlertEvents(t.Context(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range list {
		if e.Kind != store.EventAlert {
			out = append(out, fmt.Sprintf("%s %s notify=%v", e.Kind, e.Payload, e.Notify))
			continue
		}
		out = append(out, fmt.Sprintf("%s->%s %s notify=%v", e.PrevStatus, e.Status, e.Trigger, e.Notify))
	}
	return out
}

func wantEvents(t *testing.T, env *backendtest.Env, want ...string) {
	t.Helper()
	got := events(t, env)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("outbox:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// loadMonitor watches loadavg5 on every host: WARNING above 2, CRITICAL
// above 4.
func loadMonitor(mods ...func(*monitor.Monitor)) monitor.Monitor {
	m := monitor.Monitor{Type: monitor.TypeHost, Name: "load", Metric: "loadavg5", Operator: ">",
		Warning: ptr(2.0), Critical: ptr(4.0), Duration: 1}
	for _, f := range mods {
		f(&m)
	}
	return m
}
