package engine_test

import (
	"errors"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/downtime"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// Connectivity: a working host silent for 10 minutes is gone; data
// returning closes the alert; a host that never posted is not watched;
// alertStatusOnGone picks the status.
func TestConnectivity(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	env.MustCreateHost(t, store.NewHost{Name: "never-posted"})
	id := mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeConnectivity})
	warn := mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeConnectivity, Name: "warn", AlertStatusOnGone: "WARNING"})
	post(t, env, h, map[string]float64{"loadavg5": 1})
	env.Clock.Advance(9*time.Minute + 59*time.Second)
	advance(t, env)
	wantAlerts(t, env, id)
	env.Clock.Advance(time.Second)
	advance(t, env)
	advance(t, env)
	wantAlerts(t, env, id, "CRITICAL open host="+h+": CRITICAL/monitoring")
	wantAlerts(t, env, warn, "WARNING open host="+h+": WARNING/monitoring")
	tick(t, env)
	post(t, env, h, map[string]float64{"loadavg5": 1})
	advance(t, env)
	wantAlerts(t, env, id, "OK closed Connectivity recovered host="+h+": CRITICAL/monitoring OK/monitoring")
}

// Service monitors: thresholds on the service metric, and missing data
// alerts after missingDurationWarning/Critical minutes.
func TestServiceMonitor(t *testing.T) {
	env := backendtest.New(t)
	env.MustCreateService(t, "shop")
	id := mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeService, Name: "errors", Service: "shop", Metric: "errors",
		Operator: ">", Warning: ptr(10.0), Critical: ptr(20.0), Duration: 1, MissingDurationWarning: 20, MissingDurationCritical: 30})
	postService(t, env, "shop", "errors", 15)
	advance(t, env)
	wantAlerts(t, env, id, "WARNING open host= value=15: WARNING/monitoring")
	tick(t, env)
	postService(t, env, "shop", "errors", 1)
	advance(t, env)
	wantAlerts(t, env, id, "OK closed Monitoring recovered host= value=1: WARNING/monitoring OK/monitoring")
	env.Clock.Advance(19 * time.Minute)
	advance(t, env)
	if got := alertsOf(t, env, id); len(got) != 1 {
		t.Fatalf("alerts after 20 silent minutes: %v", got)
	}
	tick(t, env) // 20 minutes without data
	tick(t, env)
	env.Clock.Advance(10 * time.Minute) // 30
	advance(t, env)
	got := alertsOf(t, env, id)
	if len(got) != 2 || got[1] != "CRITICAL open host=: WARNING/monitoring CRITICAL/monitoring" {
		t.Fatalf("alerts:\n%q", got)
	}
}

// mustDowntime stores a downtime.
func mustDowntime(t *testing.T, env *backendtest.Env, d downtime.Downtime) {
	t.Helper()
	d.ID = store.NewID()
	body, err := downtime.Encode(&d)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Store.CreateDowntime(t.Context(), &store.Downtime{ID: d.ID, Body: body}); err != nil {
		t.Fatalf("CreateDowntime: %v", err)
	}
}

// A downtime prevents alerts from opening while it is in force, but an
// alert already open keeps changing and closes; a violation that
// outlasts the downtime opens at the next evaluation after it.
func TestDowntimeMidAlert(t *testing.T) {
	env := backendtest.New(t)
	env.MustCreateService(t, "shop", "web")
	h := env.MustCreateHost(t, store.NewHost{Name: "web01", Roles: []store.RoleRef{{Service: "shop", Role: "web"}}})
	other := env.MustCreateHost(t, store.NewHost{Name: "other"})
	id := mustMonitor(t, env, loadMonitor())
	step(t, env, h, 3) // WARNING before the downtime
	start := env.Clock.Now().Add(time.Minute)
	mustDowntime(t, env, downtime.Downtime{Name: "deploy", Start: start.Unix(), Duration: 10, RoleScopes: []string{"shop: web"}})
	step(t, env, h, 5) // in the downtime: the open alert still changes
	env.Clock.Advance(time.Minute)
	post(t, env, other, map[string]float64{"loadavg5": 9}) // out of scope: opens
	post(t, env, h, map[string]float64{"loadavg5": 0})     // closes
	advance(t, env)
	step(t, env, h, 9) // in scope, in the downtime: no alert
	wantAlerts(t, env, id,
		"OK closed Monitoring recovered host="+h+" value=0: WARNING/monitoring CRITICAL/monitoring OK/monitoring",
		"CRITICAL open host="+other+" value=9: CRITICAL/monitoring")
	env.Clock.Set(start.Add(10 * time.Minute)) // the downtime has ended
	post(t, env, h, map[string]float64{"loadavg5": 9})
	advance(t, env)
	got := alertsOf(t, env, id)
	if len(got) != 3 || got[2] != "CRITICAL open host="+h+" value=9: CRITICAL/monitoring" {
		t.Fatalf("after the downtime:\n%q", got)
	}
}

// A daily downtime recurring across a month end silences the first of the
// next month too.
func TestDowntimeRecurrenceAcrossMonthEnd(t *testing.T) {
	env := backendtest.NewWithOptions(t, backendtest.Options{Start: time.Date(2025, 1, 31, 23, 0, 0, 0, time.UTC)})
	env.Engine.SetLocation(time.UTC)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	id := mustMonitor(t, env, loadMonitor())
	mustDowntime(t, env, downtime.Downtime{Name: "nightly", Start: time.Date(2025, 1, 10, 23, 30, 0, 0, time.UTC).Unix(),
		Duration: 60, Recurrence: &downtime.Recurrence{Type: "daily", Interval: 1}})
	env.Clock.Set(time.Date(2025, 2, 1, 0, 15, 0, 0, time.UTC))
	post(t, env, h, map[string]float64{"loadavg5": 9})
	advance(t, env)
	wantAlerts(t, env, id)
	env.Clock.Set(time.Date(2025, 2, 1, 0, 31, 0, 0, time.UTC))
	post(t, env, h, map[string]float64{"loadavg5": 9})
	advance(t, env)
	wantAlerts(t, env, id, "CRITICAL open host="+h+" value=9: CRITICAL/monitoring")
}

// Retiring a host and deleting a monitor close the alerts they own, with
// their triggers, and notify nothing.
func TestRetireAndDeleteCloseAlerts(t *testing.T) {
	env := backendtest.New(t)
	h1 := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	h2 := env.MustCreateHost(t, store.NewHost{Name: "web02"})
	id := mustMonitor(t, env, loadMonitor())
	env.Clock.Advance(time.Minute)
	post(t, env, h1, map[string]float64{"loadavg5": 9})
	post(t, env, h2, map[string]float64{"loadavg5": 9})
	advance(t, env)
	if err := env.Engine.RetireHosts(t.Context(), []string{h1}); err != nil {
		t.Fatal(err)
	}
	step(t, env, h1, 9) // refused for a retired host, and not evaluated
	if _, err := env.Engine.DeleteMonitor(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	wantAlerts(t, env, id,
		"OK closed Host retired host="+h1+" value=9: CRITICAL/monitoring OK/hostRetire",
		"OK closed Monitor deleted host="+h2+" value=9: CRITICAL/monitoring OK/monitorDelete")
	wantEvents(t, env,
		"->CRITICAL monitoring notify=true",
		"->CRITICAL monitoring notify=true",
		`hostRetire {"hostId":"`+h1+`"} notify=true`,
		"CRITICAL->OK hostRetire notify=false",
		"CRITICAL->OK monitorDelete notify=false")
	states, err := env.Store.MonitorStates(t.Context(), id)
	if err != nil || len(states) != 0 {
		t.Fatalf("states of a deleted monitor: %v, %v", states, err)
	}
}

// The state survives a restart: a serve process stopped mid-alert and
// started again continues the same alert and the same attempt count.
func TestStateSurvivesRestart(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	id := mustMonitor(t, env, loadMonitor(func(m *monitor.Monitor) { m.MaxCheckAttempts = 2 }))
	step(t, env, h, 9)
	step(t, env, h, 9)
	step(t, env, h, 3)

	st := backendtest.MustOpenStore(t, env.Path, env.Clock) // a new process on the same file
	eng := engineOver(st)
	env.Clock.Advance(time.Minute)
	post(t, env, h, map[string]float64{"loadavg5": 1})
	if err := eng.Advance(t.Context(), env.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	wantAlerts(t, env, id, "OK closed Monitoring recovered host="+h+" value=1: CRITICAL/monitoring WARNING/monitoring OK/monitoring")
}

// Deleting a service deletes its service monitors and closes their
// alerts with the serviceDelete trigger; other monitors are untouched.
func TestDeleteServiceClosesItsAlerts(t *testing.T) {
	env := backendtest.New(t)
	env.MustCreateService(t, "shop")
	env.MustCreateService(t, "blog")
	errorsMonitor := func(svc string) string {
		return mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeService, Name: svc + " errors", Service: svc, Metric: "errors",
			Operator: ">", Critical: ptr(1.0), Duration: 1})
	}
	shop, blog := errorsMonitor("shop"), errorsMonitor("blog")
	postService(t, env, "shop", "errors", 5)
	postService(t, env, "blog", "errors", 5)
	advance(t, env)
	if _, err := env.Engine.DeleteService(t.Context(), "shop"); err != nil {
		t.Fatal(err)
	}
	wantAlerts(t, env, shop, "OK closed Service deleted host= value=5: CRITICAL/monitoring OK/serviceDelete")
	wantAlerts(t, env, blog, "CRITICAL open host= value=5: CRITICAL/monitoring")
	if _, err := env.Store.GetMonitor(t.Context(), shop); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the deleted service's monitor: err = %v", err)
	}
	if _, err := env.Engine.DeleteService(t.Context(), "shop"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleting it again: err = %v", err)
	}
}
