package backend_test

// Evaluation as the API's users see it: through mackerel-client-go, in
// local mode (evaluation in the request) and with the background loops
// of `mkr serve` (StartMonitoringWith).

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// openAlerts lists the open alerts as "<type> <status>" through the
// official client.
func openAlerts(t *testing.T, mc *mackerel.Client) []string {
	t.Helper()
	resp, err := mc.FindAlerts()
	if err != nil {
		t.Fatalf("FindAlerts: %v", err)
	}
	var out []string
	for _, a := range resp.Alerts {
		out = append(out, a.Type+" "+a.Status)
	}
	return out
}

// waitAlerts polls until the open alerts are want (the background loop
// runs on its own schedule), failing after a generous deadline.
func waitAlerts(t *testing.T, mc *mackerel.Client, want ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := openAlerts(t, mc)
		if equalStrings(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("open alerts = %q, want %q", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func postLoad(t *testing.T, env *backendtest.Env, mc *mackerel.Client, hostID string, v float64) {
	t.Helper()
	err := mc.PostHostMetricValues([]*mackerel.HostMetricValue{{HostID: hostID,
		MetricValue: &mackerel.MetricValue{Name: "loadavg5", Time: env.Clock.Now().Unix(), Value: v}}})
	if err != nil {
		t.Fatalf("PostHostMetricValues: %v", err)
	}
}

// Local mode: ingest evaluates before it answers (two violating posts
// reach maxCheckAttempts 2 although nothing reads in between), and a read
// of alerts catches up with time-driven rules (a connectivity loss).
func TestLocalModeEvaluatesOnIngestAndRead(t *testing.T) {
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	if _, err := mc.CreateMonitor(&mackerel.MonitorHostMetric{Type: "host", Name: "load", Metric: "loadavg5",
		Operator: ">", Critical: pf(4), Duration: 1, MaxCheckAttempts: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.CreateMonitor(&mackerel.MonitorConnectivity{Type: "connectivity"}); err != nil {
		t.Fatal(err)
	}
	postLoad(t, env, mc, h, 9)
	env.Clock.Advance(time.Minute)
	postLoad(t, env, mc, h, 9)
	if got := openAlerts(t, mc); !equalStrings(got, []string{"host CRITICAL"}) {
		t.Fatalf("after two violating posts: %q", got)
	}
	env.Clock.Advance(10 * time.Minute)
	if got := openAlerts(t, mc); !equalStrings(got, []string{"connectivity CRITICAL", "host CRITICAL"}) {
		t.Fatalf("after 10 silent minutes: %q", got)
	}
	statuses, err := mc.ListMonitoredStatues(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(statuses) != 2 || statuses[0].Status != "CRITICAL" || statuses[1].Status != "CRITICAL" {
		t.Fatalf("monitored statuses = %+v", statuses)
	}
}

// `mkr serve`'s background loops: the connectivity loss of a host that
// stopped posting opens an alert with no request at all, and data coming
// back closes it; an external monitor's URL is probed.
func TestBackgroundMonitoring(t *testing.T) {
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	if _, err := mc.CreateMonitor(&mackerel.MonitorConnectivity{Type: "connectivity"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.CreateMonitor(&mackerel.MonitorExternalHTTP{Type: "external", Name: "site", URL: failing.URL, Method: "GET"}); err != nil {
		t.Fatal(err)
	}
	stop := env.Backend.StartMonitoringWith(t.Context(), backend.MonitoringOptions{Interval: 10 * time.Millisecond})
	defer stop()
	postLoad(t, env, mc, h, 1)
	waitAlerts(t, mc, "external CRITICAL")
	env.Clock.Advance(10 * time.Minute)
	waitAlerts(t, mc, "connectivity CRITICAL", "external CRITICAL")
	resp, err := mc.FindAlerts()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range resp.Alerts {
		if a.Type == "external" && a.Message != "503" {
			t.Errorf("external alert message = %q, want 503", a.Message)
		}
	}
	postLoad(t, env, mc, h, 1)
	waitAlerts(t, mc, "external CRITICAL")
}

// Host registration, status changes and monitor changes are recorded in
// the outbox for channels subscribed to those events.
func TestHostAndMonitorEventsInOutbox(t *testing.T) {
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	res, err := mc.CreateHost(&mackerel.CreateHostParam{Name: "web01"})
	if err != nil {
		t.Fatal(err)
	}
	if err := mc.UpdateHostStatus(res, "maintenance"); err != nil {
		t.Fatal(err)
	}
	m, err := mc.CreateMonitor(&mackerel.MonitorConnectivity{Type: "connectivity"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mc.DeleteMonitor(m.MonitorID()); err != nil {
		t.Fatal(err)
	}
	if err := mc.RetireHost(res); err != nil {
		t.Fatal(err)
	}
	evs, err := env.Store.AlertEvents(t.Context(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, e.Kind+" "+string(e.Payload))
	}
	want := []string{
		`hostRegister {"hostId":"` + res + `"}`,
		`hostStatus {"hostId":"` + res + `","status":"maintenance"}`,
		`monitor {"monitorId":"` + m.MonitorID() + `","action":"create","name":"connectivity","type":"connectivity"}`,
		`monitor {"monitorId":"` + m.MonitorID() + `","action":"delete","name":"connectivity","type":"connectivity"}`,
		`hostRetire {"hostId":"` + res + `"}`,
	}
	if !equalStrings(got, want) {
		t.Fatalf("outbox:\n%q\nwant\n%q", got, want)
	}
}

// In serve, a post is evaluated by the background loop soon after it is
// stored, without waiting for the clock's round (an hour here): the loop
// gathers the names and hosts posted and evaluates the monitors reading
// them.
func TestBackgroundEvaluatesSoonAfterIngest(t *testing.T) {
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	if _, err := mc.CreateMonitor(&mackerel.MonitorHostMetric{Type: "host", Name: "load", Metric: "loadavg5",
		Operator: ">", Critical: pf(4), Duration: 1, MaxCheckAttempts: 1}); err != nil {
		t.Fatal(err)
	}
	stop := env.Backend.StartMonitoringWith(t.Context(), backend.MonitoringOptions{Interval: time.Hour})
	defer stop()
	postLoad(t, env, mc, h, 1)
	postLoad(t, env, mc, h, 9)
	waitAlerts(t, mc, "host CRITICAL")
}
