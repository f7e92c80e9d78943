package downtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestDowntimesCreate(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // the stored downtime, without its id
	}{
		{"start defaults to now", []string{"--duration", "90m"},
			`{"name":"m","start":1714979289,"duration":90}`},
		{"relative start, hours", []string{"--start", "now+1h", "--duration", "2h"},
			`{"name":"m","start":1714982889,"duration":120}`},
		{"past relative start, days and a memo", []string{"--start", "now-30m", "--duration", "1d12h", "--memo", "why"},
			`{"name":"m","memo":"why","start":1714977489,"duration":2160}`},
		{"local wall clock (Tokyo)", []string{"--start", "2024-12-24 09:00", "--duration", "45"},
			`{"name":"m","start":1734998400,"duration":45}`},
		{"RFC 3339 and epoch until", []string{"--start", "2024-05-07T00:00:00Z", "--duration", "1h30m", "--recurrence-type", "daily", "--until", "1717200000"},
			`{"name":"m","start":1715040000,"duration":90,"recurrence":{"type":"daily","interval":1,"until":1717200000}}`},
		{"weekly with days in any spelling", []string{"--duration", "1h", "--recurrence-type", "weekly", "--recurrence-interval", "2", "--weekday", "thu", "--weekday", "MONDAY,Mon"},
			`{"name":"m","start":1714979289,"duration":60,"recurrence":{"type":"weekly","interval":2,"weekdays":["Thursday","Monday"]}}`},
		{"every scope", []string{"--duration", "5m", "--service-scope", "web", "--service-exclude-scope", "db",
			"--role-scope", "batch:worker", "--role-exclude-scope", "web: app", "--monitor-scope", "{disk}", "--monitor-exclude-scope", "{load}"},
			`{"name":"m","start":1714979289,"duration":5,"serviceScopes":["web"],"serviceExcludeScopes":["db"],"roleScopes":["batch: worker"],"roleExcludeScopes":["web: app"],"monitorScopes":["{disk}"],"monitorExcludeScopes":["{load}"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			e.SeedService("web", "app")
			e.SeedService("db")
			e.SeedService("batch", "worker")
			host := e.CreateHost("h1")
			e.Report(e.CheckReport(host, "disk", "OK", ""), e.CheckReport(host, "load", "OK", ""))
			monitors, err := e.API().FindCheckMonitors(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range monitors {
				e.Names[m.Name] = m.ID
			}
			r := e.Run(append([]string{"downtimes", "create", "--name", "m"}, tt.args...)...)
			list := stored(e)
			if r.Code != 0 || r.Stderr != "" || len(list) != 1 {
				t.Fatalf("got:\n%s\nstored %d downtimes", r, len(list))
			}
			id := list[0].ID
			if want := strings.Replace(e.Expand(tt.want), "{", `{"id":"`+id+`",`, 1); toJSON(t, list[0]) != want {
				t.Errorf("stored %s\nwant   %s", toJSON(t, list[0]), want)
			}
			// What is printed is the created downtime, upstream-style JSON.
			if !strings.HasPrefix(r.Stdout, "{\n    \"id\": \""+id+"\",\n    \"name\": \"m\",\n") {
				t.Errorf("printed %s", r.Stdout)
			}
		})
	}
}

func TestDowntimesCreateJQ(t *testing.T) {
	e := cmdtest.New(t)
	r := e.Run("downtimes", "create", "-n", "deploy", "--duration", "10m", "--jq", ".id")
	if list := stored(e); len(list) != 1 || r.Stdout != list[0].ID+"\n" {
		t.Fatalf("got:\n%s", r)
	}
}

func TestDowntimesCreateErrors(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		usage bool // the error comes with the command's help
		msg   string
	}{
		{"no name", []string{"--duration", "1h"}, true, "`name` is a required field to create a downtime."},
		{"no duration", []string{"-n", "x"}, true, "`duration` is a required field to create a downtime."},
		{"seconds", []string{"-n", "x", "--duration", "90s"}, true, `--duration: invalid duration "90s": downtimes last whole minutes`},
		{"zero", []string{"-n", "x", "--duration", "0"}, true, `--duration: invalid duration "0": use 90m, 2h, 1h30m, 1d or a number of minutes`},
		{"garbage duration", []string{"-n", "x", "--duration", "soon"}, true, `--duration: invalid duration "soon": use 90m, 2h, 1h30m, 1d or a number of minutes`},
		{"garbage start", []string{"-n", "x", "--duration", "1h", "--start", "tomorrow"}, true,
			`--start: invalid time "tomorrow": use now, now+1h, now-30m, "2026-12-24 09:00" (local time), RFC 3339 or epoch seconds`},
		{"bad type", []string{"-n", "x", "--duration", "1h", "--recurrence-type", "fortnightly"}, true,
			`--recurrence-type must be one of hourly, daily, weekly, monthly, yearly, not "fortnightly"`},
		{"bad interval", []string{"-n", "x", "--duration", "1h", "--recurrence-type", "daily", "--recurrence-interval", "0"}, true, "--recurrence-interval must be at least 1"},
		{"bad weekday", []string{"-n", "x", "--duration", "1h", "--recurrence-type", "weekly", "--weekday", "tu"}, true, `--weekday: "tu" is not a day of the week (Monday, Mon, …)`},
		{"weekday without a recurrence", []string{"-n", "x", "--duration", "1h", "--weekday", "mon"}, true, "--weekday needs --recurrence-type: the downtime does not recur"},
		{"until and interval without a recurrence", []string{"-n", "x", "--duration", "1h", "--recurrence-interval", "2", "--until", "now+1d"}, true,
			"--recurrence-interval, --until need --recurrence-type: the downtime does not recur"},
		{"weekday on daily", []string{"-n", "x", "--duration", "1h", "--recurrence-type", "daily", "--weekday", "mon"}, true, "--weekday needs --recurrence-type weekly, not daily"},
		{"the API's checks", []string{"-n", "x", "--duration", "1h", "--service-scope", "nosuch"}, false, `API request failed: serviceScopes has "nosuch", which is not a service.`},
		{"the API's until check", []string{"-n", "x", "--duration", "1h", "--recurrence-type", "daily", "--until", "now-1h"}, false, "API request failed: recurrence.until must be after start."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t)
			want := cmdtest.LogLine(false, "error", tt.msg)
			if tt.usage {
				want = cmdtest.UsageError(false, tt.msg, "downtimes", "create")
			}
			e.Check(e.Run(append([]string{"downtimes", "create"}, tt.args...)...), cmdtest.Want{Code: 1, Stderr: want})
			if n := len(stored(e)); n != 0 {
				t.Errorf("%d downtimes stored", n)
			}
		})
	}
}
