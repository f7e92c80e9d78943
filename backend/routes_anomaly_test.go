package backend_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/anomaly/anomalytest"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/client"
)

// Anomaly detection end to end, through the API only: four hosts of a
// role post their system metrics every minute as mackerel-agent does, an
// anomalyDetection monitor is created, the memory of one host falls, and
// the alert is read back — opened at the third 5-minute evaluation, on
// that host, naming memory; retraining through the API closes it.
func TestAnomalyDetectionThroughAPI(t *testing.T) {
	start := time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC) // midnight: the synthetic day's start
	env := backendtest.NewWithOptions(t, backendtest.Options{Start: start, DBEngine: backendtest.DBSQLite})
	ctx, cl := t.Context(), env.Client
	if _, err := cl.CreateService(ctx, "shop", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.CreateRole(ctx, "shop", "web", ""); err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for i := range 4 {
		id, err := cl.CreateHost(ctx, &client.CreateHostParam{Name: fmt.Sprintf("web%02d", i), RoleFullnames: []string{"shop:web"}})
		if err != nil {
			t.Fatal(err)
		}
		hosts = append(hosts, id)
	}
	role := anomalytest.Role{Seed: 3, Batch: true}
	// post sends each host's minutes of the buckets of [from, to), with
	// host 2's memory falling from dropAt on, in one request per bucket.
	dropAt := start.Unix() + 22*3600 + 15*60
	post := func(from, to int64) {
		t.Helper()
		for b := from; b < to; b += 300 {
			var vals []client.HostMetricValue
			for i, id := range hosts {
				inj := anomalytest.None
				if i == 2 && b >= dropAt {
					inj = anomalytest.MemoryDrop
				}
				for name, v := range role.Values(i, b, inj) {
					for m := range int64(5) {
						vals = append(vals, client.HostMetricValue{HostID: id, Name: name, Time: b + 60*m, Value: v})
					}
				}
			}
			if err := cl.PostHostMetricValues(ctx, vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	// 22 hours of history (the API takes points up to 24 h old): 4 × 264
	// samples of 5 minutes, enough to train (1,000).
	env.Clock.Set(start.Add(22 * time.Hour))
	post(start.Unix(), start.Unix()+22*3600)

	var created client.Monitor
	if err := json.Unmarshal([]byte(`{"type":"anomalyDetection","name":"web","scopes":["shop: web"],
		"warningSensitivity":"sensitive","criticalSensitivity":"insensitive"}`), &created); err != nil {
		t.Fatal(err)
	}
	mon, err := cl.CreateMonitor(ctx, &created)
	if err != nil {
		t.Fatal(err)
	}
	monID := mon.String("id")
	if raw, _ := json.Marshal(mon); !strings.Contains(string(raw), `"maxCheckAttempts":3`) {
		t.Errorf("created monitor %s, want the default maxCheckAttempts 3", raw)
	}

	openAlerts := func() []*client.Alert {
		t.Helper()
		page, err := cl.FindAlerts(ctx, false, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		return page.Alerts
	}
	// Normal buckets, then the drop: each bucket posted, then alerts read
	// a minute after it ends (the read evaluates, as local mode does).
	b := start.Unix() + 22*3600
	for i := range 6 {
		post(b, b+300)
		env.Clock.Set(time.Unix(b+360, 0))
		alerts := openAlerts()
		drops := int((b-dropAt)/300) + 1 // evaluations of the fallen memory so far
		if i < 3 || drops < 3 {
			if len(alerts) != 0 {
				t.Fatalf("bucket %d (%d evaluations of the drop): alerts %+v", i, drops, alerts[0])
			}
		} else {
			if len(alerts) != 1 {
				t.Fatalf("bucket %d (%d evaluations of the drop): %d alerts, want 1", i, drops, len(alerts))
			}
			a := alerts[0]
			if a.Type != "anomalyDetection" || a.MonitorID != monID || a.HostID != hosts[2] || a.Status != "CRITICAL" ||
				a.Value <= 0 || !strings.Contains(a.Message, "the most deviating metric: memory used ") {
				t.Fatalf("alert %+v", a)
			}
			break
		}
		b += 300
	}

	res, err := cl.RetrainMonitor(ctx, monID)
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := json.Marshal(res); len(res.Models) != 1 || res.Models[0].Status != "trained" || res.Models[0].Samples < 1000 ||
		len(res.Models[0].Thresholds) != 3 || res.Models[0].Components < 1 || res.Models[0].Scope != "shop: web" {
		t.Fatalf("retrain: %s", raw)
	}
	if n := len(openAlerts()); n != 0 {
		t.Fatalf("retraining left %d alerts open", n)
	}
	page, _ := cl.FindAlerts(ctx, true, "", 100)
	logs, err := cl.FindAlertLogs(ctx, page.Alerts[0].ID, "", 100)
	if err != nil || len(logs.Logs) == 0 || logs.Logs[0].Trigger != "anomalyDetectionManuallyRetraining" {
		t.Fatalf("logs of the closed alert: %+v, %v", logs, err)
	}

	// Another type of monitor is not trained: 400, naming why.
	var host client.Monitor
	_ = json.Unmarshal([]byte(`{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1,"duration":1}`), &host)
	hm, err := cl.CreateMonitor(ctx, &host)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.RetrainMonitor(ctx, hm.String("id"))
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "only anomalyDetection monitors are trained") {
		t.Errorf("retrain of a host monitor: %v", err)
	}
}
