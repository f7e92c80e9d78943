package commands

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// twAlertsFixture is two hosts with two open alerts and a closed one:
//
//	{disk}  web01 disk         CRITICAL, opened at twEpoch
//	{repl}  db01  replication  WARNING,  opened a minute later
//	{bak}   web01 backup       opened at +2m, closed by an OK report at +3m
type twAlertsFixture struct {
	e   *twEnv
	ids map[string]string // placeholder → id
}

func twNewAlertsFixture(t *testing.T) *twAlertsFixture {
	t.Helper()
	e := twNewEnv(t)
	web := e.createHost("web01", "-R", "svc:app")
	db := e.createHost("db01", "--status", "standby", "-R", "db:main")
	e.report(e.check(web, "disk", "CRITICAL", "disk full\nsda1 99%"))
	e.clock.Advance(time.Minute)
	e.report(e.check(db, "replication", "WARNING", "lag 30s"))
	e.clock.Advance(time.Minute)
	e.report(e.check(web, "backup", "CRITICAL", "failed"))
	e.clock.Advance(time.Minute)
	e.report(e.check(web, "backup", "OK", "done"))
	e.clock.Advance(time.Minute)

	all := e.alerts(true)
	if len(all) != 3 {
		t.Fatalf("fixture: %d alerts, want 3", len(all))
	}
	ids := map[string]string{"{web}": web, "{db}": db,
		"{bak}": all[0].ID, "{repl}": all[1].ID, "{disk}": all[2].ID,
		"{m-bak}": all[0].MonitorID, "{m-repl}": all[1].MonitorID, "{m-disk}": all[2].MonitorID}
	return &twAlertsFixture{e: e, ids: ids}
}

// run runs mkr with placeholders in args expanded, and puts the
// placeholders back into the output.
func (fx *twAlertsFixture) run(o twOpts, args ...string) twResult {
	fx.e.t.Helper()
	expanded := make([]string, len(args))
	for i, a := range args {
		for p, id := range fx.ids {
			a = strings.ReplaceAll(a, p, id)
		}
		expanded[i] = a
	}
	r := fx.e.runWith(o, expanded...)
	r.stdout, r.stderr = twIDs(r.stdout, fx.ids), twIDs(r.stderr, fx.ids)
	return r
}

const twAlertsOpenJSON = `[
    {
        "id": "{repl}",
        "status": "WARNING",
        "monitorId": "{m-repl}",
        "type": "check",
        "hostId": "{db}",
        "message": "lag 30s",
        "openedAt": 1714979349
    },
    {
        "id": "{disk}",
        "status": "CRITICAL",
        "monitorId": "{m-disk}",
        "type": "check",
        "hostId": "{web}",
        "message": "disk full\nsda1 99%",
        "openedAt": 1714979289
    }
]
`

const twAlertsClosedJSON = `    {
        "id": "{bak}",
        "status": "OK",
        "monitorId": "{m-bak}",
        "type": "check",
        "hostId": "{web}",
        "message": "failed",
        "reason": "Check recovered: done",
        "openedAt": 1714979409,
        "closedAt": 1714979469
    },
`

const twAlertsTable = `ID       STATUS     TYPE    HOST    OPENED AT             CLOSED AT             MESSAGE
{bak}    OK         check   {web}   2024-05-06 07:10:09   2024-05-06 07:11:09   failed
{repl}   WARNING    check   {db}    2024-05-06 07:09:09                         lag 30s
{disk}   CRITICAL   check   {web}   2024-05-06 07:08:09                         disk full
`

// TestWAlerts covers `mkr alerts`: JSON in upstream's field order, a table
// on a terminal, --with-closed, --limit and its validation.
func TestWAlerts(t *testing.T) {
	fx := twNewAlertsFixture(t)
	// Ids differ in length from their placeholders: compare the table with
	// padding squeezed.
	squeeze := func(s string) string {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = strings.Join(strings.Fields(l), " ")
		}
		return strings.Join(lines, "\n")
	}
	tests := []struct {
		name string
		tty  bool
		args []string
		want twResult
	}{
		{"open alerts as JSON", false, []string{"alerts"}, twResult{stdout: twAlertsOpenJSON}},
		{"--with-closed", false, []string{"alerts", "--with-closed"}, twResult{stdout: "[\n" + twAlertsClosedJSON + twAlertsOpenJSON[2:]}},
		{"--limit", false, []string{"alerts", "-w", "-l", "1", "--jq", ".[].id"}, twResult{stdout: "{bak}\n"}},
		{"--limit 0 means every open alert", false, []string{"alerts", "--limit", "0", "--jq", "length"}, twResult{stdout: "2\n"}},
		{"a table on a terminal", true, []string{"alerts", "-w"}, twResult{stdout: twAlertsTable}},
		{"JSON on a terminal when asked", true, []string{"alerts", "--output", "json"}, twResult{stdout: twAlertsOpenJSON}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fx.run(twOpts{tty: tt.tty}, tt.args...)
			if tt.tty {
				r.stdout, tt.want.stdout = squeeze(r.stdout), squeeze(tt.want.stdout)
			}
			twWant(t, strings.Join(tt.args, " "), r, tt.want)
		})
	}

	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"alerts", "--limit", "-1"}, "limit should not be negative"},
		{[]string{"alerts", "-w", "-l", "1000001"}, "limit should not exceed 1000000"},
		{[]string{"alerts", "list", "-l", "-5"}, "limit should not be negative"},
		{[]string{"alerts", "logs", "-l", "0", "{disk}"}, "limit must be between 1 and 1000000"},
		{[]string{"alerts", "logs"}, "alerts logs needs exactly one <alertId>"},
		{[]string{"alerts", "close"}, "alerts close needs at least one <alertId>"},
		{[]string{"alerts", "memo", "{disk}"}, "alerts memo needs <alertId> and <memo>"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := fx.run(twOpts{}, tt.args...)
			if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "USAGE:") ||
				!strings.HasSuffix(r.stderr, "     error "+tt.msg+"\n") {
				t.Errorf("want usage and %q, exit 1:\n%s", tt.msg, r)
			}
		})
	}
}

// TestWAlertsPaging creates 150 alerts through check reports and follows
// the API's pages (at most 100 alerts each).
func TestWAlertsPaging(t *testing.T) {
	e := twNewEnv(t)
	host := e.createHost("web01")
	reports := make([]client.CheckReport, 150)
	for i := range reports {
		reports[i] = e.check(host, fmt.Sprintf("check-%03d", i), "CRITICAL", fmt.Sprint("failure ", i))
	}
	e.report(reports...)
	// Close the oldest so that --with-closed has something more to show.
	e.clock.Advance(time.Minute)
	e.report(e.check(host, "check-000", "OK", "fine"))

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"alerts", "--jq", `[length, .[0].message, .[-1].message] | map(tostring) | join(",")`}, "149,failure 149,failure 1\n"},
		{[]string{"alerts", "-l", "120", "--jq", `[length, .[-1].message] | map(tostring) | join(",")`}, "120,failure 30\n"},
		{[]string{"alerts", "-w", "--jq", "length"}, "100\n"},
		{[]string{"alerts", "-w", "-l", "1000", "--jq", `[length, .[-1].status] | map(tostring) | join(",")`}, "150,OK\n"},
	}
	for _, tt := range tests {
		r := e.run(tt.args...)
		twWant(t, strings.Join(tt.args, " "), r, twResult{stdout: tt.want})
	}
	r := e.run("alerts", "list")
	if lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); r.code != 0 || len(lines) != 149 ||
		!strings.Contains(lines[0], " CRITICAL check-149 failure 149 web01 working []") {
		t.Errorf("alerts list over 149 open alerts: exit %d, %d lines, first %q", r.code, len(lines), lines[0])
	}
}

// TestWAlertsList covers the one-line format, colours and filters.
func TestWAlertsList(t *testing.T) {
	fx := twNewAlertsFixture(t)
	const (
		repl = "{repl} 2024-05-06 07:09:09 WARNING replication lag 30s db01 standby [db:main]\n"
		disk = "{disk} 2024-05-06 07:08:09 CRITICAL disk disk full web01 working [svc:app]\n"
		bak  = "{bak} 2024-05-06 07:10:09 OK backup failed web01 working [svc:app]\n"
	)
	const (
		red, yellow, green, blue, reset = "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[0m"
	)
	tests := []struct {
		name string
		o    twOpts
		args []string
		want string
	}{
		{"plain when not a terminal", twOpts{}, nil, repl + disk},
		{"colours on a terminal", twOpts{tty: true}, nil,
			"{repl} 2024-05-06 07:09:09 " + yellow + "WARNING" + reset + " replication lag 30s db01 " + green + "standby" + reset + " [db:main]\n" +
				"{disk} 2024-05-06 07:08:09 " + red + "CRITICAL" + reset + " disk disk full web01 " + blue + "working" + reset + " [svc:app]\n"},
		{"NO_COLOR on a terminal", twOpts{tty: true, env: map[string]string{"NO_COLOR": "1"}}, nil, repl + disk},
		{"--color=false on a terminal", twOpts{tty: true}, []string{"--color=false"}, repl + disk},
		{"--with-closed", twOpts{}, []string{"-w"}, bak + repl + disk},
		{"-s service", twOpts{}, []string{"-s", "db"}, repl},
		{"-s another service", twOpts{}, []string{"-s", "svc", "-w"}, bak + disk},
		{"-s repeated", twOpts{}, []string{"-s", "svc", "-s", "db"}, repl + disk},
		{"-s unknown service", twOpts{}, []string{"-s", "nope"}, ""},
		{"-S host status", twOpts{}, []string{"-S", "standby"}, repl},
		{"-S repeated", twOpts{}, []string{"-S", "working", "-S", "standby"}, repl + disk},
		{"-S and -s together", twOpts{}, []string{"-S", "working", "-s", "db"}, ""},
		{"--limit", twOpts{}, []string{"-l", "1"}, repl},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fx.run(tt.o, append([]string{"alerts", "list"}, tt.args...)...)
			twWant(t, "alerts list", r, twResult{stdout: tt.want})
		})
	}
}

// TestWAlertsCloseLogsMemo closes an alert by hand, reads its logs and sets
// its memo.
func TestWAlertsCloseLogsMemo(t *testing.T) {
	fx := twNewAlertsFixture(t)

	r := fx.run(twOpts{}, "alerts", "close", "-r", "fixed by hand", "{disk}")
	twWant(t, "alerts close", r, twResult{stderr: "Alert closed {disk}\n"})
	r = fx.run(twOpts{}, "alerts", "-w", "--jq", `.[] | select(.id == "{disk}") | [.status, .reason, .closedAt] | map(tostring) | join(" | ")`)
	twWant(t, "closed alert", r, twResult{stdout: "OK | fixed by hand | 1714979529\n"})
	r = fx.run(twOpts{}, "alerts", "--jq", ".[].id")
	twWant(t, "open alerts after close", r, twResult{stdout: "{repl}\n"})

	r = fx.run(twOpts{}, "alerts", "close", "-v", "-r", "done", "{repl}")
	twWant(t, "alerts close -v", r, twResult{stdout: `{
    "id": "{repl}",
    "status": "OK",
    "monitorId": "{m-repl}",
    "type": "check",
    "hostId": "{db}",
    "message": "lag 30s",
    "reason": "done",
    "openedAt": 1714979349,
    "closedAt": 1714979529
}
`, stderr: "Alert closed {repl}\n"})

	r = fx.run(twOpts{}, "alerts", "close", "-r", "x", "nosuchalert")
	twWant(t, "closing an unknown alert", r, twResult{code: 1, stderr: "     error API request failed: Alert not found.\n"})

	r = fx.run(twOpts{}, "alerts", "logs", "{disk}")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("alerts logs:\n%s", r)
	}
	wantLogs := `[
    {
        "id": "{log2}",
        "createdAt": 1714979529,
        "status": "OK",
        "trigger": "manual",
        "monitorId": "{m-disk}",
        "targetValue": null
    },
    {
        "id": "{log1}",
        "createdAt": 1714979289,
        "status": "CRITICAL",
        "trigger": "monitoring",
        "monitorId": "{m-disk}",
        "targetValue": null,
        "statusDetail": {
            "type": "check",
            "detail": {
                "message": "disk full\nsda1 99%",
                "memo": ""
            }
        }
    }
]
`
	logIDs := twLogIDs(r.stdout)
	if len(logIDs) != 2 {
		t.Fatalf("alerts logs: want 2 entries:\n%s", r.stdout)
	}
	twWant(t, "alerts logs", twIDs(r.stdout, map[string]string{"{log2}": logIDs[0], "{log1}": logIDs[1]}), wantLogs)
	r = fx.run(twOpts{}, "alerts", "logs", "-l", "1", "--jq", ".[].trigger", "{disk}")
	twWant(t, "alerts logs -l 1", r, twResult{stdout: "manual\n"})

	r = fx.run(twOpts{}, "alerts", "memo", "{disk}", "see ticket #42")
	twWant(t, "alerts memo", r, twResult{stderr: "   updated memo of alert {disk}\n"})
	r = fx.run(twOpts{}, "alerts", "-w", "--jq", `.[] | select(.id == "{disk}") | .memo`)
	twWant(t, "memo", r, twResult{stdout: "see ticket #42\n"})
}

// twLogIDs returns the "id" values of an alerts-logs JSON array, in order.
func twLogIDs(s string) []string {
	var ids []string
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), `"id": "`); ok {
			ids = append(ids, strings.TrimSuffix(v, `",`))
		}
	}
	return ids
}

// TestWAlertsHostRetire: retiring a host closes its open alerts, logged
// with the trigger hostRetire; other hosts' alerts stay open.
func TestWAlertsHostRetire(t *testing.T) {
	fx := twNewAlertsFixture(t)
	r := fx.run(twOpts{}, "retire", "--force", "{web}")
	if r.code != 0 {
		t.Fatalf("retire:\n%s", r)
	}
	r = fx.run(twOpts{}, "alerts", "--jq", ".[].id")
	twWant(t, "open alerts", r, twResult{stdout: "{repl}\n"})
	r = fx.run(twOpts{}, "alerts", "-w", "--jq", `.[] | select(.id == "{disk}") | [.status, .reason, .closedAt] | map(tostring) | join(" | ")`)
	twWant(t, "retired host's alert", r, twResult{stdout: "OK | Host retired | 1714979529\n"})
	r = fx.run(twOpts{}, "alerts", "logs", "--jq", `.[0] | [.status, .trigger] | join(" ")`, "{disk}")
	twWant(t, "last log", r, twResult{stdout: "OK hostRetire\n"})
	// The closed backup alert was not touched again.
	r = fx.run(twOpts{}, "alerts", "logs", "--jq", `map(.trigger) | join(",")`, "{bak}")
	twWant(t, "closed alert's logs", r, twResult{stdout: "monitoring,monitoring\n"})
	// A retired host's alerts still list, with the host shown as retired.
	r = fx.run(twOpts{}, "alerts", "list", "-w", "-l", "1")
	twWant(t, "alerts list", r, twResult{stdout: "{bak} 2024-05-06 07:10:09 OK backup failed web01 retired [svc:app]\n"})
	// Its checks report no more.
	fx.e.report(fx.e.check(fx.ids["{web}"], "disk", "CRITICAL", "again"))
	r = fx.run(twOpts{}, "alerts", "--jq", ".[].id")
	twWant(t, "open alerts after a report about the retired host", r, twResult{stdout: "{repl}\n"})
}
