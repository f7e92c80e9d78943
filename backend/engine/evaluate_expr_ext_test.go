package engine_test

import (
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// Expression monitors are evaluated every 5 minutes at the value
// evaluateBackwardMinutes before the tick; a tick is evaluated once
// however many Advances run in it; a metric that cannot be read is
// UNKNOWN.
func TestExpressionMonitor(t *testing.T) {
	// Start on a 5-minute boundary so the ticks are easy to follow.
	env := backendtest.NewWithOptions(t, backendtest.Options{Start: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)})
	env.MustCreateService(t, "shop", "web")
	web := []store.RoleRef{{Service: "shop", Role: "web"}}
	h1 := env.MustCreateHost(t, store.NewHost{Name: "web01", Roles: web})
	h2 := env.MustCreateHost(t, store.NewHost{Name: "web02", Roles: web})
	id := mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeExpression, Name: "avg load",
		Expression: `avg(roleSlots("shop:web", "loadavg5"))`, Operator: ">", Warning: ptr(2.0), Critical: ptr(4.0)})
	gone := mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeExpression, Name: "gone",
		Expression: `host("nohost", "loadavg5")`, Operator: ">", Critical: ptr(1.0)})

	// Points each minute; the 12:05 tick reads 12:03 (2 minutes back).
	for m := range 6 {
		post(t, env, h1, map[string]float64{"loadavg5": float64(m)})
		post(t, env, h2, map[string]float64{"loadavg5": 2})
		if m < 5 {
			env.Clock.Advance(time.Minute)
		}
	}
	advance(t, env)
	advance(t, env)
	// avg(3, 2) at 12:03 = 2.5
	wantAlerts(t, env, id, "WARNING open host= value=2.5: WARNING/monitoring")
	wantAlerts(t, env, gone, "UNKNOWN open host=: UNKNOWN/monitoring")

	// Within the tick nothing is evaluated again, even with new data.
	env.Clock.Advance(time.Minute)
	post(t, env, h1, map[string]float64{"loadavg5": 100})
	advance(t, env)
	wantAlerts(t, env, id, "WARNING open host= value=2.5: WARNING/monitoring")
}

// External monitors: a probe's verdict goes through the alert rules; the
// response time is posted as the service metric and its average over
// responseTimeDuration is judged too; the alert carries the message.
func TestExternalProbeResults(t *testing.T) {
	env := backendtest.New(t)
	env.MustCreateService(t, "shop")
	id := mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeExternal, Name: "site", URL: "https://example.com/",
		Service: "shop", ResponseTimeWarning: ptr(500.0), ResponseTimeDuration: 2, MaxCheckAttempts: 1})
	probe := func(status, msg string, ms float64) {
		t.Helper()
		err := env.Engine.ApplyProbeResults(t.Context(), []engine.ProbeResult{{MonitorID: id, At: env.Clock.Now().Unix(),
			Status: status, Message: msg, ResponseTime: &ms}})
		if err != nil {
			t.Fatal(err)
		}
		env.Clock.Advance(time.Minute)
	}
	probe("CRITICAL", "500", 100)
	wantAlerts(t, env, id, "CRITICAL open host= value=100 message=500: CRITICAL/monitoring")
	probe("OK", "200", 100)
	probe("OK", "200", 1000) // average (100+1000)/2 = 550 > 500
	wantAlerts(t, env, id,
		"OK closed Monitoring recovered host= value=100 message=500: CRITICAL/monitoring OK/monitoring",
		"WARNING open host= value=550 message=200: WARNING/monitoring")
	pts, err := env.Store.Points(t.Context(), store.ServiceSeries("shop", engine.ResponseTimeMetric(id)), 0, 1<<40)
	if err != nil || len(pts) != 3 {
		t.Fatalf("response time points: %v, %v", pts, err)
	}
}

// An expression whose data stops turns its open alert UNKNOWN: the same
// alert changes status, it is not closed and reopened.
func TestExpressionAlertTurnsUnknown(t *testing.T) {
	env := backendtest.NewWithOptions(t, backendtest.Options{Start: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)})
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	id := mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeExpression, Name: "load",
		Expression: `host("` + h + `", "loadavg5")`, Operator: ">", Warning: ptr(2.0)})
	for range 5 {
		post(t, env, h, map[string]float64{"loadavg5": 3})
		env.Clock.Advance(time.Minute)
	}
	advance(t, env) // 12:05
	wantAlerts(t, env, id, "WARNING open host= value=3: WARNING/monitoring")
	env.Clock.Advance(15 * time.Minute)
	advance(t, env)
	wantAlerts(t, env, id, "UNKNOWN open host=: WARNING/monitoring UNKNOWN/monitoring")
}
