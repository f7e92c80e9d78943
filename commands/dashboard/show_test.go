package dashboard_test

import (
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// golden compares got with testdata/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update after checking):\n%s", path, got)
	}
}

// seedShowData gives the web:app role a host with an hour of loadavg5 (a
// wave between 0 and 2), the web service a request rate, and the host an
// open critical check alert.
func seedShowData(e *cmdtest.Env) {
	e.T.Helper()
	e.SeedService("web", "app")
	host := e.SeedHost(client.CreateHostParam{Name: "web1", RoleFullnames: []string{"web:app"}})
	now := cmdtest.Epoch.Unix()
	var hv []client.HostMetricValue
	var sv []client.MetricValue
	for i := int64(0); i <= 60; i++ {
		at := now - 3600 + i*60
		hv = append(hv, client.HostMetricValue{HostID: host, Name: "loadavg5", Time: at, Value: 1 + math.Sin(float64(i)/6)})
		sv = append(sv, client.MetricValue{Name: "req", Time: at, Value: float64(100 + i)})
	}
	ctx := context.Background()
	if err := e.API().PostHostMetricValues(ctx, hv); err != nil {
		e.T.Fatal(err)
	}
	if err := e.API().PostServiceMetricValues(ctx, "web", sv); err != nil {
		e.T.Fatal(err)
	}
	e.Report(e.CheckReport(host, "disk", "CRITICAL", "disk full\nsecond line"))
}

const showBody = `{"title":"Ops","urlPath":"ops/web","memo":"The web tier","widgets":[` +
	`{"type":"markdown","title":"notes","layout":{"x":0,"y":0,"width":24,"height":3},"markdown":"# Runbook\nRestart with care."},` +
	`{"type":"graph","title":"load","layout":{"x":0,"y":3,"width":24,"height":9},"graph":{"type":"role","roleFullname":"web:app","name":"loadavg5"},"referenceLines":[{"label":"busy","value":1.5}]},` +
	`{"type":"value","title":"requests","layout":{"x":0,"y":12,"width":12,"height":4},"metric":{"type":"service","serviceName":"web","name":"req"},"fractionSize":1,"suffix":" req/s","formatRules":[{"name":"hot","threshold":150,"operator":">"}]},` +
	`{"type":"alertStatus","title":"alerts","layout":{"x":12,"y":12,"width":12,"height":4},"roleFullname":"web:app"},` +
	`{"type":"graph","title":"errors","layout":{"x":0,"y":16,"width":12,"height":6},"graph":{"type":"expression","expression":"service(web,err)"}}]}`

func noColor(ios *cmdutil.IOStreams) { ios.NoColor = true }

// On a terminal of 80×24 the dashboard is drawn (golden file); piped, it
// is its JSON, as every command prints.
func TestDashboardsShow(t *testing.T) {
	e := cmdtest.New(t)
	seedShowData(e)
	seedDashboard(e, "ops", showBody)
	term := cmdtest.RunOpts{TTY: true, IOS: noColor, Env: map[string]string{"COLUMNS": "80", "LINES": "24"}}

	r := e.RunWith(term, "dashboards", "show", "ops/web")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("show:\n%s", r)
	}
	golden(t, "show-80x24.txt", r.Stdout)
	if byID := e.RunWith(term, "dashboards", "show", "{ops}"); byID.Stdout != r.Stdout {
		t.Errorf("show by id differs from show by urlPath:\n%s", byID)
	}

	narrow := term
	narrow.Env = map[string]string{"COLUMNS": "50", "LINES": "20"}
	r = e.RunWith(narrow, "dashboards", "show", "ops/web")
	if r.Code != 0 {
		t.Fatalf("show on 50 columns:\n%s", r)
	}
	golden(t, "show-50x20.txt", r.Stdout)

	piped := e.Run("dashboards", "show", "ops/web", "--jq", ".widgets | length")
	e.Check(piped, cmdtest.Want{Stdout: "5\n"})
	r = e.Run("dashboards", "show", "ops/web")
	if r.Code != 0 || r.Stdout[:12] != "{\n    \"id\": " {
		t.Fatalf("piped show is not the JSON:\n%s", r)
	}
	e.Check(e.Run("dashboards", "show", "nope"), cmdtest.Want{Code: 1,
		Stderr: cmdtest.LogLine(false, "error", `no dashboard has the id or urlPath "nope"`)})
}

// metrics --chart draws one series with the same drawing; piped, it is
// the JSON as without --chart.
func TestMetricsChart(t *testing.T) {
	e := cmdtest.New(t)
	seedShowData(e)
	term := cmdtest.RunOpts{TTY: true, IOS: noColor, Env: map[string]string{"COLUMNS": "72", "LINES": "16"}}
	r := e.RunWith(term, "metrics", "--service", "web", "--name", "req", "--from", "-1h", "--chart")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("metrics --chart:\n%s", r)
	}
	golden(t, "metrics-chart-72x16.txt", r.Stdout)
	piped := e.Run("metrics", "--service", "web", "--name", "req", "--from", "-2m", "--chart")
	plain := e.Run("metrics", "--service", "web", "--name", "req", "--from", "-2m")
	if piped.Code != 0 || piped.Stdout != plain.Stdout || piped.Stdout == "" {
		t.Fatalf("piped metrics --chart is not the JSON:\n%s\nwant\n%s", piped, plain)
	}
}
