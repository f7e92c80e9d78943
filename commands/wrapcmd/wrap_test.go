package wrapcmd_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/wrap"
)

// TestWrapReports runs failing and succeeding jobs through `mkr wrap` on
// the local backend and checks the streams, the exit code and the alert
// that `mkr alerts` then shows.
func TestWrapReports(t *testing.T) {
	tests := []struct {
		name       string
		args       []string // after `wrap -H <host>`
		code       int
		stdout     string
		stderr     string
		status     string // of the one open alert; "" for none
		message    string
		check      string // the check monitor's name; "" for none
		noMonitors bool
	}{
		{
			name: "failure opens a CRITICAL alert",
			args: []string{"--", "sh", "-c", "echo out; echo err >&2; exit 3"},
			code: 3, stdout: "out\n", stderr: "err\ncommand exited with code: 3\n",
			status: "CRITICAL", message: "command exited with code: 3\n% sh -c echo out; echo err >&2; exit 3",
			check: "mkrwrap-sh-13dd77",
		},
		{
			name: "--warning reports WARNING",
			args: []string{"--warning", "-n", "flaky", "--", "false"},
			code: 1, stderr: "command exited with code: 1\n",
			status: "WARNING", message: "command exited with code: 1\n% false", check: "flaky",
		},
		{
			name: "--note and --detail shape the message",
			args: []string{"-N", "nightly backup", "-d", "-n", "backup", "--", "sh", "-c", "echo copying; echo disk full; exit 2"},
			code: 2, stdout: "copying\ndisk full\n", stderr: "command exited with code: 2\n",
			status:  "CRITICAL",
			message: "command exited with code: 2\nNote: nightly backup\n% sh -c echo copying; echo disk full; exit 2\ncopying\ndisk full\n",
			check:   "backup",
		},
		{
			name: "success without --auto-close reports nothing",
			args: []string{"--", "sh", "-c", "echo fine"},
			code: 0, stdout: "fine\n", noMonitors: true,
		},
		{
			name: "--auto-close reports a first success as OK without an alert",
			args: []string{"--auto-close", "-n", "first", "--", "true"},
			code: 0, check: "first",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t)
			host := e.CreateHost("web01")
			r := e.Run(append([]string{"wrap", "-H", host}, tt.args...)...)
			cmdtest.Equal(t, "exit code", r.Code, tt.code)
			cmdtest.Equal(t, "stdout", r.Stdout, tt.stdout)
			cmdtest.Equal(t, "stderr", r.Stderr, tt.stderr)

			alerts := e.Alerts(false)
			switch {
			case tt.status == "" && len(alerts) != 0:
				t.Fatalf("want no alert, got %+v", alerts[0])
			case tt.status != "" && len(alerts) != 1:
				t.Fatalf("want one open alert, got %d", len(alerts))
			case tt.status != "":
				a := alerts[0]
				cmdtest.Equal(t, "alert", fmt.Sprintf("%s %s %s %d", a.Type, a.Status, a.HostID, a.OpenedAt),
					fmt.Sprintf("check %s %s %d", tt.status, host, cmdtest.Epoch.Unix()))
				cmdtest.Equal(t, "message", a.Message, tt.message)
			}
			monitors, err := e.API().FindCheckMonitors(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, m := range monitors {
				names = append(names, m.Name)
			}
			want := []string{tt.check}
			if tt.noMonitors {
				want = nil
			}
			cmdtest.Equal(t, "check monitors", names, want)
		})
	}
}

// TestWrapAlertsJSON checks the exact `mkr alerts` output for a wrapped
// failure: upstream's field order and 4-space indent.
func TestWrapAlertsJSON(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	r := e.Run("wrap", "-H", host, "-n", "nightly", "--", "sh", "-c", "exit 7")
	cmdtest.Equal(t, "wrap", r, cmdtest.Result{Code: 7, Stderr: "command exited with code: 7\n"})

	r = e.Run("alerts")
	alerts := e.Alerts(false)
	if len(alerts) != 1 {
		t.Fatalf("want one alert, got %d", len(alerts))
	}
	ids := map[string]string{"{alert}": alerts[0].ID, "{monitor}": alerts[0].MonitorID, "{host}": host}
	want := `[
    {
        "id": "{alert}",
        "status": "CRITICAL",
        "monitorId": "{monitor}",
        "type": "check",
        "hostId": "{host}",
        "message": "command exited with code: 7\n% sh -c exit 7",
        "openedAt": 1714979289
    }
]
`
	cmdtest.Equal(t, "mkr alerts", cmdtest.Result{Code: r.Code, Stdout: cmdtest.Unexpand(r.Stdout, ids), Stderr: r.Stderr}, cmdtest.Result{Code: 0, Stdout: want, Stderr: ""})
}

// TestWrapAutoClose walks a job through failure, failure, recovery and
// success with --auto-close. The clock moves a minute between runs: the API
// ignores a second report with the same host, name and occurredAt.
func TestWrapAutoClose(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	steps := []struct {
		job        string
		code       int
		open       int    // open alerts afterwards
		closedWith string // reason of the closed alert, once closed
	}{
		{job: "false", code: 1, open: 1},
		{job: "false", code: 1, open: 1},
		{job: "true", code: 0, open: 0, closedWith: "Check recovered: command exited with code: 0"},
		{job: "true", code: 0, open: 0, closedWith: "Check recovered: command exited with code: 0"},
	}
	for i, s := range steps {
		r := e.Run("wrap", "--auto-close", "-H", host, "-n", "backup", "--", s.job)
		if r.Code != s.code || errorLine.MatchString(r.Stderr) {
			t.Fatalf("step %d (%s): %s", i, s.job, r)
		}
		if got := len(e.Alerts(false)); got != s.open {
			t.Fatalf("step %d (%s): %d open alerts, want %d", i, s.job, got, s.open)
		}
		all := e.Alerts(true)
		if len(all) != 1 {
			t.Fatalf("step %d (%s): %d alerts in all, want 1 (one incident)", i, s.job, len(all))
		}
		cmdtest.Equal(t, fmt.Sprintf("step %d reason", i), all[0].Reason, s.closedWith)
		e.Clock.Advance(time.Minute)
	}

	// The alert's history: opened once, closed once by the recovery.
	id := e.Alerts(true)[0].ID
	r := e.Run("alerts", "logs", id, "--jq", `.[] | [.status, .trigger, .statusDetail.detail.message] | join(" | ")`)
	cmdtest.Equal(t, "alerts logs", r, cmdtest.Result{Stdout: "OK | monitoring | command exited with code: 0\n% true\n" +
		"CRITICAL | monitoring | command exited with code: 1\n% false\n"})

	// A new failure after the recovery is a new incident.
	r = e.Run("wrap", "--auto-close", "-H", host, "-n", "backup", "--", "false")
	cmdtest.Equal(t, "exit code", r.Code, 1)
	if got := len(e.Alerts(true)); got != 2 {
		t.Fatalf("%d alerts after a new failure, want 2", got)
	}
}

// TestWrapExitCodes checks that mkr exits with its job's code, prints
// upstream's result line and reports each failure.
func TestWrapExitCodes(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	notExec := e.WriteFile("not-executable.sh", "#!/bin/sh\nexit 0\n")
	missing := filepath.Join(e.Dir, "missing")
	tests := []struct {
		name string
		args []string
		code int
		line string // last stderr line, also the alert's first line; "" for none
	}{
		{"success", []string{"true"}, 0, ""},
		{"failure", []string{"false"}, 1, "command exited with code: 1"},
		{"own code", []string{"sh", "-c", "exit 42"}, 42, "command exited with code: 42"},
		{"--timeout", []string{"--timeout", "200ms", "--", "sleep", "10"}, 124, "command timed out after 200ms"},
		{"not executable", []string{notExec}, 126, "command invocation failed with follwing error: fork/exec " + notExec + ": permission denied"},
		{"missing file", []string{missing}, 127, "command invocation failed with follwing error: fork/exec " + missing + ": no such file or directory"},
		{"missing command", []string{"mkr-w-no-such-command"}, 127, `command invocation failed with follwing error: exec: "mkr-w-no-such-command": executable file not found in $PATH`},
		{"killed by SIGTERM", []string{"sh", "-c", "kill -TERM $$"}, 143, "command died with signal: 15"},
		{"killed by SIGKILL", []string{"sh", "-c", "kill -KILL $$"}, 137, "command died with signal: 9"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := fmt.Sprintf("case-%d", i)
			start := time.Now()
			r := e.Run(append([]string{"wrap", "-H", host, "-n", name}, tt.args...)...)
			cmdtest.Equal(t, "exit code", r.Code, tt.code)
			want := ""
			if tt.line != "" {
				want = tt.line + "\n"
			}
			cmdtest.Equal(t, "stderr", r.Stderr, want)
			if tt.code == 124 && time.Since(start) > 5*time.Second {
				t.Errorf("--timeout 200ms took %s", time.Since(start))
			}
			var found *client.Alert
			for _, a := range e.Alerts(false) {
				if m, err := e.API().FindCheckMonitor(context.Background(), a.MonitorID); err == nil && m.Name == name {
					found = a
				}
			}
			switch {
			case tt.line == "" && found != nil:
				t.Errorf("success opened an alert: %+v", found)
			case tt.line != "" && found == nil:
				t.Errorf("no alert for %s", name)
			case tt.line != "":
				cmdtest.Equal(t, "alert message", found.Message, tt.line+"\n% "+strings.Join(jobArgs(tt.args), " "))
			}
		})
	}
}

// jobArgs returns the job's argv from wrap arguments (after a "--", if any).
func jobArgs(args []string) []string {
	for i, a := range args {
		if a == "--" {
			return args[i+1:]
		}
	}
	return args
}

// TestWrapCommandLine: everything after the job's name belongs to the
// job, so `mkr wrap echo -n hi` runs `echo -n hi` (upstream took -n as
// --name), and derived check names match upstream's.
func TestWrapCommandLine(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")

	r := e.Run("wrap", "echo", "-n", "hi")
	cmdtest.Equal(t, "mkr wrap echo -n hi", r, cmdtest.Result{Stdout: "hi"})

	// With --auto-close and no previous result a success is reported, which
	// shows the name derived from the command line.
	r = e.Run("wrap", "-a", "-H", host, "echo", "-n", "hi")
	cmdtest.Equal(t, "mkr wrap -a -H <host> echo -n hi", r, cmdtest.Result{Stdout: "hi"})
	r = e.Run("wrap", "-H", host, "sh", "-c", "kill -TERM $$")
	cmdtest.Equal(t, "mkr wrap sh -c 'kill -TERM $$'", r, cmdtest.Result{Code: 143, Stderr: "command died with signal: 15\n"})

	monitors, err := e.API().FindCheckMonitors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, m := range monitors {
		names[m.Name] = true
	}
	for _, want := range []string{"mkrwrap-echo-cd4ff3", "mkrwrap-sh-c9eeae"} {
		if !names[want] {
			t.Errorf("no check monitor %q in %v", want, names)
		}
	}
}

// TestWrapHostID: --host, the agent's id file, or — with no host id
// anywhere in local mode — this machine, registered once and reused. A
// --conf that does not exist is only an info line for wrap, as upstream.
func TestWrapHostID(t *testing.T) {
	hostname, err := os.Hostname()
	if err != nil || hostname == "" {
		hostname = "localhost"
	}

	t.Run("agent id file", func(t *testing.T) {
		e := cmdtest.New(t)
		host := e.CreateHost("agent-host")
		e.WriteFile("agent/id", host+"\n")
		for i := range 2 {
			r := e.Run("wrap", "-n", fmt.Sprint("job", i), "--", "false")
			cmdtest.Equal(t, "wrap", r, cmdtest.Result{Code: 1, Stderr: "command exited with code: 1\n"})
		}
		hosts := e.Hosts()
		if len(hosts) != 1 {
			t.Fatalf("%d hosts, want only the agent's", len(hosts))
		}
		for _, a := range e.Alerts(false) {
			cmdtest.Equal(t, "alert host", a.HostID, host)
		}
	})

	for _, conf := range []string{"", "missing"} {
		t.Run("no host id, conf "+map[string]string{"": "without root id", "missing": "missing"}[conf], func(t *testing.T) {
			if _, err := os.Stat("/var/lib/mackerel-agent/id"); err == nil && conf == "missing" {
				t.Skip("this machine has a mackerel-agent host id, which the default root finds")
			}
			e := cmdtest.New(t)
			o := cmdtest.RunOpts{}
			for i := range 2 {
				// The second run is on a terminal: only the log prefix changes.
				o.TTY = i == 1
				wantErr := "command exited with code: 1\n"
				if conf == "missing" {
					o.Conf = filepath.Join(e.Dir, "no-such.conf")
					prefix := "      info"
					if o.TTY {
						prefix = "\x1b[1m\x1b[32m" + prefix + "\x1b[0m"
					}
					wantErr = fmt.Sprintf("%s [mkr wrap] configuration file %q not found\n", prefix, o.Conf) + wantErr
				}
				r := e.RunWith(o, "wrap", "-n", fmt.Sprint("job", i), "--", "false")
				cmdtest.Equal(t, fmt.Sprint("run ", i), r, cmdtest.Result{Code: 1, Stderr: wantErr})
				e.Clock.Advance(time.Minute)
			}
			hosts := e.Hosts()
			if len(hosts) != 1 {
				t.Fatalf("%d hosts, want this machine once", len(hosts))
			}
			h := hosts[0]
			cmdtest.Equal(t, "host", h.Name+" "+h.CustomIdentifier, hostname+" mkr-local:"+hostname)
			alerts := e.Alerts(false)
			if len(alerts) != 2 {
				t.Fatalf("%d alerts, want 2", len(alerts))
			}
			for _, a := range alerts {
				cmdtest.Equal(t, "alert host", a.HostID, h.ID)
			}
		})
	}

	t.Run("a broken config is logged and the report still made", func(t *testing.T) {
		e := cmdtest.New(t)
		host := e.CreateHost("web01")
		bad := e.WriteFile("broken.conf", "apikey = [\n")
		r := e.RunWith(cmdtest.RunOpts{Conf: bad}, "wrap", "-H", host, "--", "false")
		if r.Code != 1 || !strings.Contains(r.Stderr, "error [mkr wrap] failed to load the config") {
			t.Fatalf("want exit 1 and the config error:\n%s", r)
		}
		if got := len(e.Alerts(false)); got != 1 {
			t.Fatalf("%d alerts, want 1", got)
		}
	})
}

// TestWrapReportDuration posts the job's run time as a host metric (and,
// with --service, as a service metric). The real binary is used so that
// the duration is measured with the real clock.
func TestWrapReportDuration(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	e.MustRun("services", "create", "batch")

	r := e.Exec("wrap", "--report-duration", "-n", "nightly", "-H", host, "--", "sleep", "0.3")
	cmdtest.Equal(t, "wrap", r, cmdtest.Result{})
	r = e.Exec("wrap", "--report-duration", "-s", "batch", "-n", "hourly", "-H", host, "--", "false")
	cmdtest.Equal(t, "wrap --service", r, cmdtest.Result{Code: 1, Stderr: "command exited with code: 1\n"})

	r = e.Run("metric-names", "-H", host)
	cmdtest.Equal(t, "host metric names", r, cmdtest.Result{Stdout: "[\n    \"custom.mkrwrap.nightly.duration\"\n]\n"})
	r = e.Run("metric-names", "-s", "batch")
	cmdtest.Equal(t, "service metric names", r, cmdtest.Result{Stdout: "[\n    \"custom.mkrwrap.hourly.duration\"\n]\n"})

	now := time.Now().Unix()
	vals, err := e.API().FetchHostMetricValues(context.Background(), host, "custom.mkrwrap.nightly.duration", now-600, now+60)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 1 || vals[0].Value < 0.3 || vals[0].Value > 30 {
		t.Fatalf("duration values %+v, want one of at least 0.3 s", vals)
	}
}

// TestWrapLock: two overlapping runs with the same --lock never run the
// job twice; the second is skipped (exit 0) or, with --on-overlap fail,
// exits 75.
func TestWrapLock(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	started, release := filepath.Join(e.Dir, "started"), filepath.Join(e.Dir, "release")
	job := fmt.Sprintf("touch %s; while [ ! -e %s ]; do sleep 0.02; done; echo ran", started, release)

	first, firstOut, firstErr := e.Command("wrap", "--lock", "-H", host, "-n", "sync", "--", "sh", "-c", job)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	cmdtest.WaitFile(t, started, 30*time.Second)
	lockPath := filepath.Join(e.StateDir(), "locks", "sync.lock")

	tests := []struct {
		name string
		args []string
		want cmdtest.Result
	}{
		{"skip (default)", []string{"--lock"}, cmdtest.Result{Stderr: "      info skipped: a previous run of sync still holds " + lockPath + "\n"}},
		{"--on-overlap fail", []string{"--lock", "--on-overlap", "fail"}, cmdtest.Result{Code: 75, Stderr: "not started: previous run still running\n"}},
		{"--lock=PATH held by another path is no overlap", []string{"--lock=" + filepath.Join(e.Dir, "other.lock")}, cmdtest.Result{Stdout: "ran\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want.Stdout != "" {
				// This one must not wait for the first: let the job through.
				os.WriteFile(release, nil, 0o644)
			}
			args := append(append([]string{"wrap"}, tt.args...), "-H", host, "-n", "sync", "--", "sh", "-c", job)
			cmdtest.Equal(t, "second run", e.Exec(args...), tt.want)
		})
	}
	os.WriteFile(release, nil, 0o644)
	cmdtest.Equal(t, "first run", cmdtest.Finish(t, first, firstOut, firstErr, time.Minute), cmdtest.Result{Stdout: "ran\n"})

	// The failed overlap is reported; the skip is not (no --report-skipped).
	alerts := e.Alerts(false)
	if len(alerts) != 1 || !strings.HasPrefix(alerts[0].Message, "not started: previous run still running\n") {
		t.Fatalf("want one alert for the refused run, got %d: %+v", len(alerts), alerts)
	}
}

// TestWrapSIGTERM: SIGTERM to mkr reaches the job, mkr exits 143 like the
// job, and the report is still made.
func TestWrapSIGTERM(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	started := filepath.Join(e.Dir, "started")
	cmd, out, errOut := e.Command("wrap", "-H", host, "-n", "long", "--", "sh", "-c", "touch "+started+"; sleep 30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmdtest.WaitFile(t, started, 30*time.Second)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := cmdtest.Finish(t, cmd, out, errOut, time.Minute)
	cmdtest.Equal(t, "mkr wrap after SIGTERM", r, cmdtest.Result{Code: 143, Stderr: "command died with signal: 15\n"})
	alerts := e.Alerts(false)
	if len(alerts) != 1 || alerts[0].Message != "command died with signal: 15\n% sh -c touch "+started+"; sleep 30" {
		t.Fatalf("want one alert for the killed job, got %+v", alerts)
	}
}

// byteCounter counts bytes written to it.
type byteCounter struct{ n atomic.Int64 }

func (c *byteCounter) Write(p []byte) (int, error) { c.n.Add(int64(len(p))); return len(p), nil }

// TestWrapBigOutput: a job printing 100 MB passes every byte through while
// mkr's own memory stays flat (the capture keeps a bounded head and tail).
//
// The peak RSS is mkr's VmHWM, read by the job itself from /proc once all
// of its output has gone through mkr. The wait4 rusage (ru_maxrss) cannot
// be used from here: Go starts children with vfork (CLONE_VM), and Linux
// carries the parent's high-water mark over into the child at exec, so
// ru_maxrss reports the (race-instrumented) test process's peak instead.
func TestWrapBigOutput(t *testing.T) {
	const size = 100_000_000
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	hwm := filepath.Join(e.Dir, "hwm")
	cmd, _, errOut := e.Command("wrap", "-d", "-H", host, "-n", "big", "--", "sh", "-c",
		fmt.Sprintf("yes 0123456789abcdef | head -c %d; grep VmHWM /proc/$PPID/status > %s; exit 1", size, hwm))
	var stdout byteCounter
	cmd.Stdout = &stdout
	r := cmdtest.Finish(t, cmd, nil, errOut, 2*time.Minute)
	cmdtest.Equal(t, "exit code and stderr", r, cmdtest.Result{Code: 1, Stderr: "command exited with code: 1\n"})
	cmdtest.Equal(t, "bytes passed through", stdout.n.Load(), int64(size))

	data, err := os.ReadFile(hwm)
	if err != nil {
		t.Fatal(err)
	}
	var kB int
	if _, err := fmt.Sscanf(string(data), "VmHWM: %d kB", &kB); err != nil {
		t.Fatalf("reading %q: %v", data, err)
	}
	rssMB := float64(kB) / 1024
	t.Logf("peak RSS of mkr wrap passing 100 MB through: %.1f MB", rssMB)
	if rssMB >= 60 {
		t.Errorf("peak RSS %.1f MB, want < 60 MB", rssMB)
	}

	alerts := e.Alerts(false)
	if len(alerts) != 1 {
		t.Fatalf("%d alerts, want 1", len(alerts))
	}
	msg := alerts[0].Message
	if n := utf8.RuneCountInString(msg); n != 1024 || !strings.Contains(msg, "\n...\n") ||
		!strings.HasPrefix(msg, "command exited with code: 1\n% sh -c yes") || !strings.HasSuffix(msg, "0123456789abcdef\n0123456789abcdef") {
		t.Errorf("message of %d runes, want 1024 with head, \"\\n...\\n\" and tail:\n%.200q", n, msg)
	}
}

// When the OK that would close an alert cannot be delivered, the auto-close
// state forgets the success so that the next success sends OK again; it
// keeps when the last report was sent, so that the next one is still later.
func TestWrapForgetsStateWhenOKIsLost(t *testing.T) {
	e := cmdtest.New(t)
	state := wrap.StatePath(e.StateDir(), "job")
	// Reports for an unknown host are refused (404) and dropped.
	e.Run("wrap", "-a", "-H", "nohost", "-n", "job", "--", "false")
	e.Clock.Advance(time.Minute)
	r := e.Run("wrap", "-a", "-H", "nohost", "-n", "job", "--", "true")
	if r.Code != 0 || !strings.Contains(r.Stderr, "failed to post following report") {
		t.Fatalf("second run:\n%s", r)
	}
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Success        bool
		LastOccurredAt int64
	}
	if err := json.Unmarshal(data, &st); err != nil || st.Success || st.LastOccurredAt != e.Clock.Now().Unix() {
		t.Fatalf("auto-close state after a lost OK report: %s (%v); want Success false and LastOccurredAt %d", data, err, e.Clock.Now().Unix())
	}
}

// TestWrapAutoCloseSameSecond: a failure and its recovery within one clock
// second (the clock never moves here) still close the alert, and a new
// failure in that second is a new incident. wrap never sends an occurredAt
// at or before the last one it sent for the check (the hosted API ignores a
// second report at the same second), so the reports go out one second
// apart; and the backend would apply a different result at the same second
// anyway.
func TestWrapAutoCloseSameSecond(t *testing.T) {
	for _, mode := range []string{"local", "remote"} {
		t.Run(mode, func(t *testing.T) {
			e := cmdtest.New(t)
			host := e.CreateHost("web01")
			run := func(args ...string) cmdtest.Result { return e.Run(args...) }
			var api *cmdtest.RecordingAPI
			if mode == "remote" {
				api = e.StartAPI()
				run = func(args ...string) cmdtest.Result { return e.RunRemote(api.URL, "key", cmdtest.RunOpts{}, args...) }
			}
			epoch := e.Clock.Now().Unix()
			steps := []struct {
				job        string
				open, all  int   // open alerts and alerts in all afterwards
				occurredAt int64 // of the report sent, 0 for none
			}{
				{"false", 1, 1, epoch},
				{"true", 0, 1, epoch + 1},
				{"true", 0, 1, 0},
				{"false", 1, 2, epoch + 2},
				{"true", 0, 2, epoch + 3},
			}
			for i, s := range steps {
				r := run("wrap", "--auto-close", "-H", host, "-n", "backup", "--", s.job)
				if (r.Code != 0) != (s.job == "false") || errorLine.MatchString(r.Stderr) {
					t.Fatalf("step %d (%s): %s", i, s.job, r)
				}
				if open, all := len(e.Alerts(false)), len(e.Alerts(true)); open != s.open || all != s.all {
					t.Fatalf("step %d (%s): %d open alerts and %d in all, want %d and %d", i, s.job, open, all, s.open, s.all)
				}
				if api == nil {
					continue
				}
				var sent []int64
				for _, req := range api.Requests() {
					var body struct{ Reports []client.CheckReport }
					if req.Path == "/api/v0/monitoring/checks/report" && json.Unmarshal([]byte(req.Body), &body) == nil {
						for _, rep := range body.Reports {
							sent = append(sent, rep.OccurredAt)
						}
					}
				}
				want := []int64{}
				if s.occurredAt != 0 {
					want = []int64{s.occurredAt}
				}
				cmdtest.Equal(t, fmt.Sprintf("step %d (%s): occurredAt sent", i, s.job), fmt.Sprint(sent), fmt.Sprint(want))
			}
			if now := e.Clock.Now().Unix(); now != epoch {
				t.Fatalf("the clock moved to %d", now)
			}
			// The first incident: opened by the failure, closed by the
			// recovery of the same second.
			alerts := e.Alerts(true)
			first := alerts[len(alerts)-1]
			cmdtest.Equal(t, "reason", first.Reason, "Check recovered: command exited with code: 0")
			r := e.Run("alerts", "logs", first.ID, "--jq", `.[] | [.status, .trigger] | join(" | ")`)
			cmdtest.Equal(t, "alerts logs", r, cmdtest.Result{Stdout: "OK | monitoring\nCRITICAL | monitoring\n"})
		})
	}
}
