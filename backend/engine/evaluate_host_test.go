package engine_test

import (
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// step moves the clock a minute, posts the host's loadavg5 and advances.
func step(t *testing.T, env *backendtest.Env, hostID string, load float64) {
	t.Helper()
	env.Clock.Advance(time.Minute)
	post(t, env, hostID, map[string]float64{"loadavg5": load})
	advance(t, env)
}

// A host metric monitor opens at the first violation, changes status as
// the value crosses thresholds (each change logged and recorded in the
// outbox) and closes at the first OK. A value exactly at a threshold is
// not a violation, and advancing again over the same data changes
// nothing.
func TestHostMonitorLifecycle(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	id := mustMonitor(t, env, loadMonitor())

	step(t, env, h, 2) // at the warning threshold: OK
	wantAlerts(t, env, id)
	step(t, env, h, 3)
	wantAlerts(t, env, id, "WARNING open host="+h+" value=3: WARNING/monitoring")
	step(t, env, h, 5)
	advance(t, env)
	advance(t, env)
	wantAlerts(t, env, id, "CRITICAL open host="+h+" value=5: WARNING/monitoring CRITICAL/monitoring")
	step(t, env, h, 4.5) // still CRITICAL: the value changes, nothing is logged
	wantAlerts(t, env, id, "CRITICAL open host="+h+" value=4.5: WARNING/monitoring CRITICAL/monitoring")
	step(t, env, h, 1)
	wantAlerts(t, env, id, "OK closed Monitoring recovered host="+h+" value=1: WARNING/monitoring CRITICAL/monitoring OK/monitoring")
	wantEvents(t, env,
		"->WARNING monitoring notify=true",
		"WARNING->CRITICAL monitoring notify=true",
		"CRITICAL->OK monitoring notify=true")
}

// duration averages the latest N points; with fewer than N the rule is
// not applied.
func TestHostMonitorDurationAverages(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	id := mustMonitor(t, env, loadMonitor(func(m *monitor.Monitor) { m.Duration = 3 }))
	step(t, env, h, 9) // one point of three: not applied
	step(t, env, h, 9) // two
	wantAlerts(t, env, id)
	step(t, env, h, 0) // (9+9+0)/3 = 6
	wantAlerts(t, env, id, "CRITICAL open host="+h+" value=6: CRITICAL/monitoring")
	step(t, env, h, 0) // (9+0+0)/3 = 3
	wantAlerts(t, env, id, "WARNING open host="+h+" value=3: CRITICAL/monitoring WARNING/monitoring")
	step(t, env, h, 0) // 0
	wantAlerts(t, env, id, "OK closed Monitoring recovered host="+h+" value=0: CRITICAL/monitoring WARNING/monitoring OK/monitoring")
}

// maxCheckAttempts: N consecutive violations open the alert; an OK in
// between starts the count again; repeated Advances over the same point
// count once.
func TestHostMonitorMaxCheckAttempts(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	id := mustMonitor(t, env, loadMonitor(func(m *monitor.Monitor) { m.MaxCheckAttempts = 3 }))
	step(t, env, h, 5)
	advance(t, env)
	step(t, env, h, 5)
	advance(t, env)
	wantAlerts(t, env, id)
	step(t, env, h, 1) // resets
	step(t, env, h, 5)
	step(t, env, h, 3)
	wantAlerts(t, env, id)
	step(t, env, h, 5)
	wantAlerts(t, env, id, "CRITICAL open host="+h+" value=5: CRITICAL/monitoring")
}

// Scopes pick hosts by service or role; exclude scopes win.
func TestHostMonitorScopes(t *testing.T) {
	env := backendtest.New(t)
	env.MustCreateService(t, "shop", "web", "db")
	web := env.MustCreateHost(t, store.NewHost{Name: "web01", Roles: []store.RoleRef{{Service: "shop", Role: "web"}}})
	db := env.MustCreateHost(t, store.NewHost{Name: "db01", Roles: []store.RoleRef{{Service: "shop", Role: "db"}}})
	other := env.MustCreateHost(t, store.NewHost{Name: "other"})
	id := mustMonitor(t, env, loadMonitor(func(m *monitor.Monitor) {
		m.Scopes, m.ExcludeScopes = []string{"shop"}, []string{"shop: db"}
	}))
	env.Clock.Advance(time.Minute)
	for _, h := range []string{web, db, other} {
		post(t, env, h, map[string]float64{"loadavg5": 9})
	}
	advance(t, env)
	wantAlerts(t, env, id, "CRITICAL open host="+web+" value=9: CRITICAL/monitoring")
}

// Hosts in maintenance or poweroff are not evaluated: an open alert stays
// open (it closes once the host is back and the value recovers); standby
// hosts are evaluated and alerted but not notified; a muted monitor opens
// and closes alerts without notifying.
func TestHostStatusesAndMute(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	id := mustMonitor(t, env, loadMonitor())
	step(t, env, h, 9)
	if err := env.Store.SetHostStatus(t.Context(), []string{h}, "maintenance"); err != nil {
		t.Fatal(err)
	}
	step(t, env, h, 0)
	wantAlerts(t, env, id, "CRITICAL open host="+h+" value=9: CRITICAL/monitoring")
	if err := env.Store.SetHostStatus(t.Context(), []string{h}, "standby"); err != nil {
		t.Fatal(err)
	}
	step(t, env, h, 0)
	wantAlerts(t, env, id, "OK closed Monitoring recovered host="+h+" value=0: CRITICAL/monitoring OK/monitoring")
	step(t, env, h, 3)

	muted := mustMonitor(t, env, loadMonitor(func(m *monitor.Monitor) { m.Name, m.IsMute = "muted", true }))
	if err := env.Store.SetHostStatus(t.Context(), []string{h}, "working"); err != nil {
		t.Fatal(err)
	}
	step(t, env, h, 9)
	wantAlerts(t, env, muted, "CRITICAL open host="+h+" value=9: CRITICAL/monitoring")
	wantEvents(t, env,
		"->CRITICAL monitoring notify=true",    // working
		"CRITICAL->OK monitoring notify=false", // standby
		"->WARNING monitoring notify=false",    // standby
		"WARNING->CRITICAL monitoring notify=true",
		"->CRITICAL monitoring notify=false") // muted
}

// Rate metrics are computed from the agent's metrics.
func TestHostMonitorRateMetrics(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	rate := func(metric string) string {
		return mustMonitor(t, env, monitor.Monitor{Type: monitor.TypeHost, Name: metric, Metric: metric, Operator: ">",
			Warning: ptr(70.0), Critical: ptr(90.0), Duration: 1})
	}
	cpu, mem, swap, disk := rate("cpu%"), rate("memory%"), rate("swap%"), rate("disk%")
	env.Clock.Advance(time.Minute)
	post(t, env, h, map[string]float64{
		// Two cores: the percentages sum to 200; 40 idle → 80% busy.
		"cpu.user.percentage": 150, "cpu.system.percentage": 10, "cpu.idle.percentage": 40,
		"memory.total": 1000, "memory.used": 950,
		"memory.swap_total": 0, "memory.swap_free": 0, // no swap: not evaluated
		"filesystem.sda1.used": 50, "filesystem.sda1.size": 100,
		"filesystem.sdb1.used": 72, "filesystem.sdb1.size": 100,
	})
	advance(t, env)
	wantAlerts(t, env, cpu, "WARNING open host="+h+" value=80: WARNING/monitoring")
	wantAlerts(t, env, mem, "CRITICAL open host="+h+" value=95: CRITICAL/monitoring")
	wantAlerts(t, env, swap)
	wantAlerts(t, env, disk, "WARNING open host="+h+" value=72: WARNING/monitoring")
}

// A stale newest point (older than 20 minutes) is not evaluated.
func TestHostMonitorSkipsStaleData(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	post(t, env, h, map[string]float64{"loadavg5": 9})
	id := mustMonitor(t, env, loadMonitor())
	env.Clock.Advance(21 * time.Minute)
	advance(t, env)
	wantAlerts(t, env, id)
}
