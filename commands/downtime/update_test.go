package downtime_test

import (
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// An update changes what its flags say and keeps everything else.
func TestDowntimesUpdate(t *testing.T) {
	base := client.Downtime{Name: "nightly", Memo: "backups", Start: epoch, Duration: 60,
		Recurrence:    &client.DowntimeRecurrence{Type: "weekly", Interval: 2, Weekdays: []string{"Monday"}, Until: epoch + 86400*30},
		ServiceScopes: []string{"web"}, RoleExcludeScopes: []string{"web: app"}}
	tests := []struct {
		name string
		args []string
		want string // without the id
	}{
		{"name only", []string{"-n", "renamed"},
			`{"name":"renamed","memo":"backups","start":1714979289,"duration":60,"recurrence":{"type":"weekly","interval":2,"weekdays":["Monday"],"until":1717571289},"serviceScopes":["web"],"roleExcludeScopes":["web: app"]}`},
		{"duration and start", []string{"--duration", "3h", "--start", "now+1h"},
			`{"name":"nightly","memo":"backups","start":1714982889,"duration":180,"recurrence":{"type":"weekly","interval":2,"weekdays":["Monday"],"until":1717571289},"serviceScopes":["web"],"roleExcludeScopes":["web: app"]}`},
		{"weekdays replace, interval kept", []string{"--weekday", "tue", "--weekday", "fri"},
			`{"name":"nightly","memo":"backups","start":1714979289,"duration":60,"recurrence":{"type":"weekly","interval":2,"weekdays":["Tuesday","Friday"],"until":1717571289},"serviceScopes":["web"],"roleExcludeScopes":["web: app"]}`},
		{"another type drops weekdays", []string{"--recurrence-type", "monthly", "--no-until"},
			`{"name":"nightly","memo":"backups","start":1714979289,"duration":60,"recurrence":{"type":"monthly","interval":2},"serviceScopes":["web"],"roleExcludeScopes":["web: app"]}`},
		{"no recurrence", []string{"--no-recurrence"},
			`{"name":"nightly","memo":"backups","start":1714979289,"duration":60,"serviceScopes":["web"],"roleExcludeScopes":["web: app"]}`},
		{"a scope list replaced, another emptied", []string{"--service-scope", "db", "--role-exclude-scope", ""},
			`{"name":"nightly","memo":"backups","start":1714979289,"duration":60,"recurrence":{"type":"weekly","interval":2,"weekdays":["Monday"],"until":1717571289},"serviceScopes":["db"]}`},
		{"memo emptied", []string{"--memo", ""},
			`{"name":"nightly","start":1714979289,"duration":60,"recurrence":{"type":"weekly","interval":2,"weekdays":["Monday"],"until":1717571289},"serviceScopes":["web"],"roleExcludeScopes":["web: app"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t)
			e.SeedService("web", "app")
			e.SeedService("db")
			seed(e, client.Downtime{Name: "first", Start: epoch, Duration: 1})
			b := base
			r := *base.Recurrence
			b.Recurrence = &r
			id := seed(e, b)
			out := e.MustRun(append([]string{"downtimes", "update", id, "--jq", "tojson"}, tt.args...)...)
			want := `{"id":"` + id + `",` + tt.want[1:]
			// --jq prints objects with sorted keys; compare the stored form.
			list := stored(e)
			if len(list) != 2 || list[0].Name != "first" || toJSON(t, list[1]) != want {
				t.Fatalf("stored %s\nwant %s", toJSON(t, list), want)
			}
			if out == "" {
				t.Error("printed nothing")
			}
		})
	}
}

func TestDowntimesUpdateErrors(t *testing.T) {
	e := cmdtest.New(t)
	once := seed(e, client.Downtime{Name: "once", Start: epoch, Duration: 60})
	daily := seed(e, client.Downtime{Name: "daily", Start: epoch, Duration: 60, Recurrence: &client.DowntimeRecurrence{Type: "daily", Interval: 1}})
	before := toJSON(t, stored(e))
	tests := []struct {
		name string
		args []string
		want cmdtest.Want
	}{
		{"no id", []string{"--duration", "1h"}, cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "update takes exactly one downtime id", "downtimes", "update")}},
		{"two ids", []string{once, daily}, cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "update takes exactly one downtime id", "downtimes", "update")}},
		{"unknown id", []string{"nosuch", "-n", "x"}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `no downtime has the id "nosuch"`)}},
		{"weekday on a one-off", []string{once, "--weekday", "mon"}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "--weekday needs --recurrence-type: the downtime does not recur")}},
		{"weekday on daily", []string{daily, "--weekday", "mon"}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "--weekday needs --recurrence-type weekly, not daily")}},
		{"no-recurrence with a type", []string{daily, "--no-recurrence", "--recurrence-type", "hourly"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "--no-recurrence cannot be combined with --recurrence-type", "downtimes", "update")}},
		{"no-until with until", []string{daily, "--no-until", "--until", "now+1d"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "--no-until cannot be combined with --until", "downtimes", "update")}},
		{"the API refuses", []string{daily, "--name", " "}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: name is required.")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.CheckT(t, e.Run(append([]string{"downtimes", "update"}, tt.args...)...), tt.want)
			if after := toJSON(t, stored(e)); after != before {
				t.Fatalf("changed:\n%s\nwas\n%s", after, before)
			}
		})
	}
}
