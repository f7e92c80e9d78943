package check_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/wrap"
)

// checksConf is an agent config with one plugin of every outcome, in an
// order that is neither alphabetical nor by duration, plus an include that
// overrides one plugin and adds another.
const checksConf = `include = "conf.d/*.conf"

[plugin.checks.uptime]
command = "echo fine"
memo = "the memo"

[plugin.checks.load]
command = ["sh", "-c", "echo warned; echo oops >&2; exit 1"]

[plugin.checks.disk]
command = "echo $DISK_LEFT; exit 2"
env = { DISK_LEFT = "3% left" }

[plugin.checks.ntp]
command = ["sh", "-c", "exit 3"]

[plugin.checks.slow]
command = "sleep 10"
timeout_seconds = 1

[plugin.checks.replaced]
command = "exit 2"

[plugin.checks.quoted]
command = ["echo", "a, b", "yes"]
`

const checksInclude = `[plugin.checks.replaced]
command = "echo replaced"

[plugin.checks.added]
command = ["true"]
`

const checksTAP = `TAP version 13
1..8
ok 1 - uptime
  ---
  memo: the memo
  command: [echo fine]
  status: OK
  stdout: fine
  ...
not ok 2 - load
  ---
  command: [sh, -c, echo warned; echo oops >&2; exit 1]
  status: WARNING
  stdout: warned
  stderr: oops
  exitCode: 1
  ...
not ok 3 - disk
  ---
  command: [echo $DISK_LEFT; exit 2]
  status: CRITICAL
  stdout: 3% left
  exitCode: 2
  ...
not ok 4 - ntp
  ---
  command: [sh, -c, exit 3]
  status: UNKNOWN
  exitCode: 3
  ...
not ok 5 - slow
  ---
  command: [sleep 10]
  status: UNKNOWN
  exitCode: 143
  error: command timed out
  ...
ok 6 - replaced
  ---
  command: [echo replaced]
  status: OK
  stdout: replaced
  ...
ok 7 - quoted
  ---
  command: [echo, 'a, b', "yes"]
  status: OK
  stdout: a, b yes
  ...
ok 8 - added
  ---
  command: ["true"]
  status: OK
  ...
`

// TestChecksRun runs the plugins of an agent config and prints TAP.
func TestChecksRun(t *testing.T) {
	e := cmdtest.New(t)
	full := e.WriteFile("full.conf", checksConf)
	e.WriteFile("conf.d/10-override.conf", checksInclude)
	allOK := e.WriteFile("ok.conf", "[plugin.checks.b]\ncommand = \"true\"\n[plugin.checks.a]\ncommand = [\"echo\", \"x\"]\n")
	none := e.WriteFile("none.conf", "apikey = \"\"\n")
	broken := e.WriteFile("broken.conf", "[plugin.checks.x\n")

	oneFails := e.WriteFile("fail.conf", "[plugin.checks.f]\ncommand = \"exit 2\"\n")
	tests := []struct {
		name string
		conf string
		tty  bool
		want cmdtest.Result
	}{
		{"every outcome, in config order", full, false, cmdtest.Result{Code: 1, Stdout: checksTAP, Stderr: "     error Failed 4/8 tests, 50.00% okay\n"}},
		{"on a terminal only the log line is coloured", oneFails, true, cmdtest.Result{Code: 1,
			Stdout: "TAP version 13\n1..1\nnot ok 1 - f\n  ---\n  command: [exit 2]\n  status: CRITICAL\n  exitCode: 2\n  ...\n",
			Stderr: "\x1b[1m\x1b[31m     error\x1b[0m Failed 1/1 tests, 0.00% okay\n"}},
		{"all OK", allOK, false, cmdtest.Result{Stdout: "TAP version 13\n1..2\nok 1 - b\n  ---\n  command: [\"true\"]\n  status: OK\n  ...\n" +
			"ok 2 - a\n  ---\n  command: [echo, x]\n  status: OK\n  stdout: x\n  ...\n"}},
		{"no checks", none, false, cmdtest.Result{Stdout: "TAP version 13\n1..0\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.RunWith(cmdtest.RunOpts{Conf: tt.conf, TTY: tt.tty}, "checks", "run")
			cmdtest.Equal(t, "mkr checks run", r, tt.want)
		})
	}

	t.Run("errors", func(t *testing.T) {
		for _, tt := range []struct {
			name, conf, stderr string
		}{
			{"missing config", e.Dir + "/nope.conf", "     error config file not found: " + e.Dir + "/nope.conf\n"},
			{"broken config", broken, "     error failed to load the config \"" + broken + "\": "},
		} {
			r := e.RunWith(cmdtest.RunOpts{Conf: tt.conf}, "checks", "run")
			if r.Code != 1 || r.Stdout != "" || !strings.HasPrefix(r.Stderr, tt.stderr) {
				t.Errorf("%s:\n%s", tt.name, r)
			}
		}
	})
}

// TestChecksRunReport posts the results as check reports: the non-OK ones
// open alerts, OK ones only record their monitor.
func TestChecksRunReport(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	conf := e.WriteFile("checks.conf", fmt.Sprintf("root = %q\n", e.AgentRoot())+checksConf)
	e.WriteFile("conf.d/10-override.conf", checksInclude)

	r := e.RunWith(cmdtest.RunOpts{Conf: conf}, "checks", "run", "--report", "-H", host)
	cmdtest.Equal(t, "checks run --report", r, cmdtest.Result{Code: 1, Stdout: checksTAP,
		Stderr: "      info reported 8 check results for host " + host + "\n     error Failed 4/8 tests, 50.00% okay\n"})

	var got []string
	names := map[string]string{}
	monitors, err := e.API().FindCheckMonitors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range monitors {
		names[m.ID] = m.Name
	}
	for _, a := range e.Alerts(false) {
		got = append(got, fmt.Sprintf("%s %s %s %q", names[a.MonitorID], a.Status, a.HostID, a.Message))
	}
	sort.Strings(got)
	want := []string{
		fmt.Sprintf("disk CRITICAL %s %q", host, "3% left"),
		fmt.Sprintf("load WARNING %s %q", host, "warned"),
		fmt.Sprintf("ntp UNKNOWN %s %q", host, ""),
		fmt.Sprintf("slow UNKNOWN %s %q", host, "command timed out"),
	}
	cmdtest.Equal(t, "alerts", got, want)
	if len(names) != 8 {
		t.Errorf("%d check monitors, want 8: %v", len(names), names)
	}

	// Without a host id there is nothing to report for: the TAP still
	// prints, and the missing host is an error.
	r = e.RunWith(cmdtest.RunOpts{Conf: conf}, "checks", "run", "--report")
	if r.Code != 1 || r.Stdout != checksTAP ||
		!strings.Contains(r.Stderr, "error --report needs a host: pass --host or run where mackerel-agent has registered (<root>/id)\n") {
		t.Errorf("--report without a host:\n%s", r)
	}
}

// A plugin that leaves a process running in the background (holding its
// output) is judged by its own exit, within about a second.
func TestChecksRunBackgroundProcess(t *testing.T) {
	e := cmdtest.New(t)
	conf := e.WriteFile("agent-bg.conf", "[plugin.checks.daemon]\ncommand = \"sleep 30 & echo started\"\ntimeout_seconds = 10\n")
	start := time.Now()
	r := e.RunWith(cmdtest.RunOpts{Conf: conf}, "checks", "run")
	if r.Code != 0 || !strings.Contains(r.Stdout, "ok 1 - daemon") || time.Since(start) > 5*time.Second {
		t.Fatalf("checks run with a background process (%v):\n%s", time.Since(start), r)
	}
}

// checks run --report delivers what an earlier mkr wrap spooled for the
// same backend before its own results; reads such as mkr hosts do not.
func TestChecksRunReportReplaysTheSpool(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	spooled := e.CheckReport(host, "nightly", "CRITICAL", "backup failed")
	if err := (&wrap.Spool{Dir: e.SpoolDir()}).Add(spooled); err != nil {
		t.Fatal(err)
	}
	e.Check(e.Run("hosts", "--jq", "length"), cmdtest.Want{Stdout: "1\n"})
	cmdtest.Equal(t, "spooled after a read", len(e.Spooled()), 1)

	conf := e.WriteFile("one.conf", fmt.Sprintf("root = %q\n[plugin.checks.ok]\ncommand = \"true\"\n", e.AgentRoot()))
	r := e.RunWith(cmdtest.RunOpts{Conf: conf}, "checks", "run", "--report", "-H", host)
	cmdtest.Equal(t, "checks run --report", r, cmdtest.Result{Stdout: "TAP version 13\n1..1\nok 1 - ok\n  ---\n  command: [\"true\"]\n  status: OK\n  ...\n",
		Stderr: "      info delivered 1 spooled check reports\n      info reported 1 check results for host " + host + "\n"})
	cmdtest.Equal(t, "spooled after checks run --report", len(e.Spooled()), 0)
	var got []string
	for _, a := range e.Alerts(false) {
		got = append(got, a.Status+" "+a.Message)
	}
	cmdtest.Equal(t, "alerts", got, []string{"CRITICAL backup failed"})
}
