package dashboard_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
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

// seedShowData gives the web:app role a host web1 with an hour of
// loadavg5 (a wave between 0 and 2) and of memory.used and memory.cached,
// and a host web2 with a flat loadavg5 of 0.5,
// the web service a request rate (100 to 160) and an error count, a
// service "gone" that is deleted after a dashboard draws it, and web1 an
// open critical check alert.
func seedShowData(e *cmdtest.Env) {
	e.T.Helper()
	e.SeedService("web", "app")
	e.SeedService("gone")
	host := e.SeedHost(client.CreateHostParam{Name: "web1", RoleFullnames: []string{"web:app"}})
	web2 := e.SeedHost(client.CreateHostParam{Name: "web2", RoleFullnames: []string{"web:app"}})
	now := cmdtest.Epoch.Unix()
	var hv []client.HostMetricValue
	var sv []client.MetricValue
	for i := int64(0); i <= 60; i++ {
		at := now - 3600 + i*60
		hv = append(hv,
			client.HostMetricValue{HostID: host, Name: "loadavg5", Time: at, Value: 1 + math.Sin(float64(i)/6)},
			client.HostMetricValue{HostID: web2, Name: "loadavg5", Time: at, Value: 0.5},
			client.HostMetricValue{HostID: host, Name: "memory.used", Time: at, Value: float64(2000 + 10*i)},
			client.HostMetricValue{HostID: host, Name: "memory.cached", Time: at, Value: float64(1500 - 5*i)})
		sv = append(sv,
			client.MetricValue{Name: "req", Time: at, Value: float64(100 + i)},
			client.MetricValue{Name: "err", Time: at, Value: float64(i % 7)})
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

// showBody lays widgets of every kind side by side: three 8-wide boxes
// (markdown, value with a format rule, alertStatus), then pairs of
// 12-wide graphs (role stacked, host, service, expression, query, one on a
// service deleted after the dashboard was made), then two value widgets
// (an expression, a query).
const showBody = `{"title":"Ops","urlPath":"ops/web","memo":"The web tier","widgets":[` +
	`{"type":"markdown","title":"notes","layout":{"x":0,"y":0,"width":8,"height":4},"markdown":"# Runbook\nRestart with care: page the on-call engineer when the load stays above 1.5 for ten minutes."},` +
	`{"type":"value","title":"requests","layout":{"x":8,"y":0,"width":8,"height":4},"metric":{"type":"service","serviceName":"web","name":"req"},"fractionSize":1,"suffix":" req/s","formatRules":[{"name":"hot","threshold":150,"operator":">"}]},` +
	`{"type":"alertStatus","title":"alerts","layout":{"x":16,"y":0,"width":8,"height":4},"roleFullname":"web:app"},` +
	`{"type":"graph","title":"load (role)","layout":{"x":0,"y":4,"width":12,"height":6},"graph":{"type":"role","roleFullname":"web:app","name":"loadavg5","isStacked":true},"referenceLines":[{"label":"busy","value":1.5}]},` +
	`{"type":"graph","title":"memory (host)","layout":{"x":12,"y":4,"width":12,"height":6},"graph":{"type":"host","hostId":"{web1}","name":"memory"},"valueRange":{"min":0}},` +
	`{"type":"graph","title":"requests (service)","layout":{"x":0,"y":10,"width":12,"height":6},"graph":{"type":"service","serviceName":"web","name":"req"},"range":{"type":"relative","period":1800,"offset":0}},` +
	`{"type":"graph","title":"error ratio (expression)","layout":{"x":12,"y":10,"width":12,"height":6},"graph":{"type":"expression","expression":"alias(scale(divide(service(web, err), service(web, req)), 100), \"errors %\")"}},` +
	`{"type":"graph","title":"latency (query)","layout":{"x":0,"y":16,"width":12,"height":6},"graph":{"type":"query","query":"avg(http.server.duration{service.name=\"web\"})","legend":"{{service.name}}"}},` +
	`{"type":"graph","title":"gone (service)","layout":{"x":12,"y":16,"width":12,"height":6},"graph":{"type":"service","serviceName":"gone","name":"x"}},` +
	`{"type":"value","title":"max load","layout":{"x":0,"y":22,"width":8,"height":4},"metric":{"type":"expression","expression":"max(role(web:app, loadavg5))"},"fractionSize":3},` +
	`{"type":"value","title":"p99","layout":{"x":8,"y":22,"width":8,"height":4},"metric":{"type":"query","query":"histogram_quantile(0.99, http.server.duration)"}}]}`

// ansi matches a colour code.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func noColor(ios *cmdutil.IOStreams) { ios.NoColor = true }

func terminal(columns, lines int) cmdtest.RunOpts {
	return cmdtest.RunOpts{TTY: true, IOS: noColor, Env: map[string]string{"COLUMNS": fmt.Sprint(columns), "LINES": fmt.Sprint(lines)}}
}

// On a terminal the dashboard is drawn on its grid, side by side, sized to
// the terminal (golden files at 100×40 and 80×24; at 50 columns the grid
// does not fit and the widgets are stacked); piped, it is its JSON, as
// every command prints.
func TestDashboardsShow(t *testing.T) {
	e := cmdtest.New(t)
	seedShowData(e)
	seedDashboard(e, "ops", strings.ReplaceAll(showBody, "{web1}", e.Names["web1"]))
	if _, err := e.API().DeleteService(context.Background(), "gone"); err != nil {
		t.Fatal(err)
	}

	for _, size := range []struct{ columns, lines int }{{100, 40}, {80, 24}, {50, 20}} {
		name := fmt.Sprintf("show-%dx%d.txt", size.columns, size.lines)
		t.Run(name, func(t *testing.T) {
			r := e.RunWith(terminal(size.columns, size.lines), "dashboards", "show", "ops/web")
			if r.Code != 0 || r.Stderr != "" {
				t.Fatalf("show:\n%s", r)
			}
			golden(t, name, r.Stdout)
			for i, l := range strings.Split(r.Stdout, "\n") {
				if n := twwidth.Width(l); n > size.columns {
					t.Errorf("line %d is %d columns wide on a %d-column terminal: %q", i+1, n, size.columns, l)
				}
			}
		})
	}
	// In colour the value past its rule is red, the legend marks are
	// coloured, and the boxes keep their widths.
	colour := terminal(80, 24)
	colour.IOS = nil
	r := e.RunWith(colour, "dashboards", "show", "ops/web")
	if r.Code != 0 || r.Stderr != "" || !strings.Contains(r.Stdout, "\x1b[1m\x1b[31m160.0 req/s\x1b[0m") {
		t.Fatalf("show in colour:\n%s", r)
	}
	plain := e.RunWith(terminal(80, 24), "dashboards", "show", "ops/web")
	if stripped := ansi.ReplaceAllString(r.Stdout, ""); stripped != plain.Stdout {
		t.Errorf("show in colour, without its colours, differs from show without colour:\n%s", stripped)
	}

	byPath := plain
	if byID := e.RunWith(terminal(80, 24), "dashboards", "show", "{ops}"); byID.Stdout != byPath.Stdout {
		t.Errorf("show by id differs from show by urlPath:\n%s", byID)
	}

	piped := e.Run("dashboards", "show", "ops/web", "--jq", ".widgets | length")
	e.Check(piped, cmdtest.Want{Stdout: "11\n"})
	r = e.Run("dashboards", "show", "ops/web")
	if r.Code != 0 || r.Stderr != "" || !strings.HasPrefix(r.Stdout, "{\n    \"id\": ") {
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
	r := e.RunWith(terminal(72, 16), "metrics", "--service", "web", "--name", "req", "--from", "-1h", "--chart")
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
