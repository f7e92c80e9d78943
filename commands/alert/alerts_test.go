package alert_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// alertsFixture is two hosts with two open alerts and a closed one:
//
//	{disk}  web01 disk         CRITICAL, opened at cmdtest.Epoch
//	{repl}  db01  replication  WARNING,  opened a minute later
//	{bak}   web01 backup       opened at +2m, closed by an OK report at +3m
type alertsFixture struct {
	e   *cmdtest.Env
	ids map[string]string // placeholder → id
}

func newAlertsFixture(t *testing.T) *alertsFixture {
	t.Helper()
	e := cmdtest.New(t)
	web := e.CreateHost("web01", "-R", "svc:app")
	db := e.CreateHost("db01", "--status", "standby", "-R", "db:main")
	e.Report(e.CheckReport(web, "disk", "CRITICAL", "disk full\nsda1 99%"))
	e.Clock.Advance(time.Minute)
	e.Report(e.CheckReport(db, "replication", "WARNING", "lag 30s"))
	e.Clock.Advance(time.Minute)
	e.Report(e.CheckReport(web, "backup", "CRITICAL", "failed"))
	e.Clock.Advance(time.Minute)
	e.Report(e.CheckReport(web, "backup", "OK", "done"))
	e.Clock.Advance(time.Minute)

	all := e.Alerts(true)
	if len(all) != 3 {
		t.Fatalf("fixture: %d alerts, want 3", len(all))
	}
	ids := map[string]string{"{web}": web, "{db}": db,
		"{bak}": all[0].ID, "{repl}": all[1].ID, "{disk}": all[2].ID,
		"{m-bak}": all[0].MonitorID, "{m-repl}": all[1].MonitorID, "{m-disk}": all[2].MonitorID}
	return &alertsFixture{e: e, ids: ids}
}

// run runs mkr with placeholders in args expanded, and puts the
// placeholders back into the output.
func (fx *alertsFixture) run(o cmdtest.RunOpts, args ...string) cmdtest.Result {
	fx.e.T.Helper()
	expanded := make([]string, len(args))
	for i, a := range args {
		for p, id := range fx.ids {
			a = strings.ReplaceAll(a, p, id)
		}
		expanded[i] = a
	}
	r := fx.e.RunWith(o, expanded...)
	r.Stdout, r.Stderr = cmdtest.Unexpand(r.Stdout, fx.ids), cmdtest.Unexpand(r.Stderr, fx.ids)
	return r
}

const alertsOpenJSON = `[
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

const alertsClosedJSON = `    {
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

const alertsTable = `ID       STATUS     TYPE    HOST    OPENED AT             CLOSED AT             MESSAGE
{bak}    OK         check   {web}   2024-05-06 07:10:09   2024-05-06 07:11:09   failed
{repl}   WARNING    check   {db}    2024-05-06 07:09:09                         lag 30s
{disk}   CRITICAL   check   {web}   2024-05-06 07:08:09                         disk full
`

// TestAlerts covers `mkr alerts`: JSON in upstream's field order, a table
// on a terminal, --with-closed, --limit and its validation.
func TestAlerts(t *testing.T) {
	fx := newAlertsFixture(t)
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
		want cmdtest.Result
	}{
		{"open alerts as JSON", false, []string{"alerts"}, cmdtest.Result{Stdout: alertsOpenJSON}},
		{"--with-closed", false, []string{"alerts", "--with-closed"}, cmdtest.Result{Stdout: "[\n" + alertsClosedJSON + alertsOpenJSON[2:]}},
		{"--limit", false, []string{"alerts", "-w", "-l", "1", "--jq", ".[].id"}, cmdtest.Result{Stdout: "{bak}\n"}},
		{"--limit 0 means every open alert", false, []string{"alerts", "--limit", "0", "--jq", "length"}, cmdtest.Result{Stdout: "2\n"}},
		{"a table on a terminal", true, []string{"alerts", "-w"}, cmdtest.Result{Stdout: alertsTable}},
		{"JSON on a terminal when asked", true, []string{"alerts", "--output", "json"}, cmdtest.Result{Stdout: alertsOpenJSON}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fx.run(cmdtest.RunOpts{TTY: tt.tty}, tt.args...)
			if tt.tty {
				r.Stdout, tt.want.Stdout = squeeze(r.Stdout), squeeze(tt.want.Stdout)
			}
			cmdtest.Equal(t, strings.Join(tt.args, " "), r, tt.want)
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
			r := fx.run(cmdtest.RunOpts{}, tt.args...)
			if r.Code != 1 || r.Stdout != "" || r.Stderr != cmdtest.UsageError(false, tt.msg, usagePath(tt.args)...) {
				t.Errorf("want usage and %q, exit 1:\n%s", tt.msg, r)
			}
		})
	}
}

// TestAlertsPaging creates 150 alerts through check reports and follows
// the API's pages (at most 100 alerts each).
func TestAlertsPaging(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	reports := make([]client.CheckReport, 150)
	for i := range reports {
		reports[i] = e.CheckReport(host, fmt.Sprintf("check-%03d", i), "CRITICAL", fmt.Sprint("failure ", i))
	}
	e.Report(reports...)
	// Close the oldest so that --with-closed has something more to show.
	e.Clock.Advance(time.Minute)
	e.Report(e.CheckReport(host, "check-000", "OK", "fine"))

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
		r := e.Run(tt.args...)
		cmdtest.Equal(t, strings.Join(tt.args, " "), r, cmdtest.Result{Stdout: tt.want})
	}
	r := e.Run("alerts", "list")
	if lines := strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n"); r.Code != 0 || len(lines) != 149 ||
		!strings.Contains(lines[0], " CRITICAL check-149 failure 149 web01 working []") {
		t.Errorf("alerts list over 149 open alerts: exit %d, %d lines, first %q", r.Code, len(lines), lines[0])
	}
}

// TestAlertsList covers the one-line format, colours and filters.
func TestAlertsList(t *testing.T) {
	fx := newAlertsFixture(t)
	const (
		repl = "{repl} 2024-05-06 07:09:09 WARNING replication lag 30s db01 standby [db:main]\n"
		// The message has a second line: upstream marks the cut with "...".
		disk = "{disk} 2024-05-06 07:08:09 CRITICAL disk disk full... web01 working [svc:app]\n"
		bak  = "{bak} 2024-05-06 07:10:09 OK backup failed web01 working [svc:app]\n"
	)
	const (
		red, yellow, green, blue, reset = "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[0m"
	)
	tests := []struct {
		name string
		o    cmdtest.RunOpts
		args []string
		want string
	}{
		{"plain when not a terminal", cmdtest.RunOpts{}, nil, repl + disk},
		{"colours on a terminal", cmdtest.RunOpts{TTY: true}, nil,
			"{repl} 2024-05-06 07:09:09 " + yellow + "WARNING" + reset + " replication lag 30s db01 " + green + "standby" + reset + " [db:main]\n" +
				"{disk} 2024-05-06 07:08:09 " + red + "CRITICAL" + reset + " disk disk full... web01 " + blue + "working" + reset + " [svc:app]\n"},
		{"NO_COLOR on a terminal", cmdtest.RunOpts{TTY: true, Env: map[string]string{"NO_COLOR": "1"}}, nil, repl + disk},
		{"--color=false on a terminal", cmdtest.RunOpts{TTY: true}, []string{"--color=false"}, repl + disk},
		{"--with-closed", cmdtest.RunOpts{}, []string{"-w"}, bak + repl + disk},
		{"-s service", cmdtest.RunOpts{}, []string{"-s", "db"}, repl},
		{"-s another service", cmdtest.RunOpts{}, []string{"-s", "svc", "-w"}, bak + disk},
		{"-s repeated", cmdtest.RunOpts{}, []string{"-s", "svc", "-s", "db"}, repl + disk},
		{"-s unknown service", cmdtest.RunOpts{}, []string{"-s", "nope"}, ""},
		{"-S host status", cmdtest.RunOpts{}, []string{"-S", "standby"}, repl},
		{"-S repeated", cmdtest.RunOpts{}, []string{"-S", "working", "-S", "standby"}, repl + disk},
		{"-S and -s together", cmdtest.RunOpts{}, []string{"-S", "working", "-s", "db"}, ""},
		{"--limit", cmdtest.RunOpts{}, []string{"-l", "1"}, repl},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fx.run(tt.o, append([]string{"alerts", "list"}, tt.args...)...)
			cmdtest.Equal(t, "alerts list", r, cmdtest.Result{Stdout: tt.want})
		})
	}
}

// TestAlertsCloseLogsMemo closes an alert by hand, reads its logs and sets
// its memo.
func TestAlertsCloseLogsMemo(t *testing.T) {
	fx := newAlertsFixture(t)

	r := fx.run(cmdtest.RunOpts{}, "alerts", "close", "-r", "fixed by hand", "{disk}")
	cmdtest.Equal(t, "alerts close", r, cmdtest.Result{Stderr: "Alert closed {disk}\n"})
	r = fx.run(cmdtest.RunOpts{}, "alerts", "-w", "--jq", `.[] | select(.id == "{disk}") | [.status, .reason, .closedAt] | map(tostring) | join(" | ")`)
	cmdtest.Equal(t, "closed alert", r, cmdtest.Result{Stdout: "OK | fixed by hand | 1714979529\n"})
	r = fx.run(cmdtest.RunOpts{}, "alerts", "--jq", ".[].id")
	cmdtest.Equal(t, "open alerts after close", r, cmdtest.Result{Stdout: "{repl}\n"})

	r = fx.run(cmdtest.RunOpts{}, "alerts", "close", "-v", "-r", "done", "{repl}")
	cmdtest.Equal(t, "alerts close -v", r, cmdtest.Result{Stdout: `{
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
`, Stderr: "Alert closed {repl}\n"})

	r = fx.run(cmdtest.RunOpts{}, "alerts", "close", "-r", "x", "nosuchalert")
	cmdtest.Equal(t, "closing an unknown alert", r, cmdtest.Result{Code: 1, Stderr: "     error API request failed: Alert not found.\n"})

	r = fx.run(cmdtest.RunOpts{}, "alerts", "logs", "{disk}")
	if r.Code != 0 || r.Stderr != "" {
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
	logIDs := logIDsOf(r.Stdout)
	if len(logIDs) != 2 {
		t.Fatalf("alerts logs: want 2 entries:\n%s", r.Stdout)
	}
	cmdtest.Equal(t, "alerts logs", cmdtest.Unexpand(r.Stdout, map[string]string{"{log2}": logIDs[0], "{log1}": logIDs[1]}), wantLogs)
	r = fx.run(cmdtest.RunOpts{}, "alerts", "logs", "-l", "1", "--jq", ".[].trigger", "{disk}")
	cmdtest.Equal(t, "alerts logs -l 1", r, cmdtest.Result{Stdout: "manual\n"})

	r = fx.run(cmdtest.RunOpts{}, "alerts", "memo", "{disk}", "see ticket #42")
	cmdtest.Equal(t, "alerts memo", r, cmdtest.Result{Stderr: "   updated memo of alert {disk}\n"})
	r = fx.run(cmdtest.RunOpts{}, "alerts", "-w", "--jq", `.[] | select(.id == "{disk}") | .memo`)
	cmdtest.Equal(t, "memo", r, cmdtest.Result{Stdout: "see ticket #42\n"})
}

// logIDsOf returns the "id" values of an alerts-logs JSON array, in order.
func logIDsOf(s string) []string {
	var ids []string
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), `"id": "`); ok {
			ids = append(ids, strings.TrimSuffix(v, `",`))
		}
	}
	return ids
}

// TestAlertsHostRetire: retiring a host closes its open alerts, logged
// with the trigger hostRetire; other hosts' alerts stay open.
func TestAlertsHostRetire(t *testing.T) {
	fx := newAlertsFixture(t)
	r := fx.run(cmdtest.RunOpts{}, "retire", "--force", "{web}")
	if r.Code != 0 {
		t.Fatalf("retire:\n%s", r)
	}
	r = fx.run(cmdtest.RunOpts{}, "alerts", "--jq", ".[].id")
	cmdtest.Equal(t, "open alerts", r, cmdtest.Result{Stdout: "{repl}\n"})
	r = fx.run(cmdtest.RunOpts{}, "alerts", "-w", "--jq", `.[] | select(.id == "{disk}") | [.status, .reason, .closedAt] | map(tostring) | join(" | ")`)
	cmdtest.Equal(t, "retired host's alert", r, cmdtest.Result{Stdout: "OK | Host retired | 1714979529\n"})
	r = fx.run(cmdtest.RunOpts{}, "alerts", "logs", "--jq", `.[0] | [.status, .trigger] | join(" ")`, "{disk}")
	cmdtest.Equal(t, "last log", r, cmdtest.Result{Stdout: "OK hostRetire\n"})
	// The closed backup alert was not touched again.
	r = fx.run(cmdtest.RunOpts{}, "alerts", "logs", "--jq", `map(.trigger) | join(",")`, "{bak}")
	cmdtest.Equal(t, "closed alert's logs", r, cmdtest.Result{Stdout: "monitoring,monitoring\n"})
	// A retired host's alerts still list, with the host shown as retired.
	r = fx.run(cmdtest.RunOpts{}, "alerts", "list", "-w", "-l", "1")
	cmdtest.Equal(t, "alerts list", r, cmdtest.Result{Stdout: "{bak} 2024-05-06 07:10:09 OK backup failed web01 retired [svc:app]\n"})
	// Its checks report no more.
	fx.e.Report(fx.e.CheckReport(fx.ids["{web}"], "disk", "CRITICAL", "again"))
	r = fx.run(cmdtest.RunOpts{}, "alerts", "--jq", ".[].id")
	cmdtest.Equal(t, "open alerts after a report about the retired host", r, cmdtest.Result{Stdout: "{repl}\n"})
}

// usagePath is the command path of args: the words before the first flag
// or argument that names no subcommand of alerts.
func usagePath(args []string) []string {
	if len(args) > 1 && (args[1] == "list" || args[1] == "logs" || args[1] == "close" || args[1] == "memo") {
		return args[:2]
	}
	return args[:1]
}
