package wrap

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// runTimedOut runs opts with growing timeouts until the job got far enough
// (its output contains ready) before the timeout hit it: on a loaded
// machine a short timeout may fire while the job is still starting.
func runTimedOut(t *testing.T, opts Options, ready string) (*Result, time.Duration) {
	t.Helper()
	for _, timeout := range []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second} {
		opts.Timeout = timeout
		res, err := Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(res.Output), ready) {
			return res, timeout
		}
	}
	t.Fatal("the job never got ready before its timeout")
	return nil, 0
}

func TestRunTimeout(t *testing.T) {
	t.Parallel()
	start := time.Now()
	res, timeout := runTimedOut(t, jobOptions("ready-sleep", "30s"), "ready")
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	want := "command timed out after " + timeout.String()
	if res.ExitCode != ExitTimeout || !res.TimedOut || res.Signal != syscall.SIGTERM || res.Message != want {
		t.Fatalf("got code %d timedOut %v signal %v message %q", res.ExitCode, res.TimedOut, res.Signal, res.Message)
	}
	if res.Success() {
		t.Error("a timeout is no success")
	}
}

// A job that ignores SIGTERM is killed KillAfter later.
func TestRunTimeoutKillAfter(t *testing.T) {
	t.Parallel()
	opts := jobOptions("ignore-term", "30s")
	opts.KillAfter = 300 * time.Millisecond
	res, timeout := runTimedOut(t, opts, "ready")
	if res.ExitCode != ExitTimeout || res.Signal != syscall.SIGKILL {
		t.Fatalf("got code %d signal %v; want 124 after SIGKILL", res.ExitCode, res.Signal)
	}
	if res.Duration < timeout+opts.KillAfter {
		t.Errorf("killed after %v; want at least Timeout+KillAfter", res.Duration)
	}
}

// The timeout reaches every process of the job, not only the one started.
func TestRunTimeoutKillsProcessGroup(t *testing.T) {
	t.Parallel()
	pidFile := filepath.Join(t.TempDir(), "pid")
	res, _ := runTimedOut(t, jobOptions("spawn", pidFile, "30s", "30s"), "ready")
	if res.ExitCode != ExitTimeout {
		t.Fatalf("code %d, message %q", res.ExitCode, res.Message)
	}
	pid := readPid(t, pidFile)
	waitUntil(t, "grandchild to die", func() bool { return processGone(pid) })
}

func TestRunContextCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	opts := jobOptions("ready-sleep", "30s")
	opts.Stdout = &stdout
	done := make(chan *Result, 1)
	go func() {
		res, _ := Run(ctx, opts)
		done <- res
	}()
	stdout.waitFor(t, "ready")
	cancel()
	res := <-done
	if !res.Canceled || res.ExitCode != 143 || res.Message != "command died with signal: 15" {
		t.Fatalf("got canceled %v code %d message %q", res.Canceled, res.ExitCode, res.Message)
	}
}

// Signals on Options.Signals reach the job as they are.
func TestRunForwardsSignals(t *testing.T) {
	t.Parallel()
	sigs := make(chan os.Signal, 1)
	var stdout syncBuffer
	opts := jobOptions("trap-int")
	opts.Stdout, opts.Signals = &stdout, sigs
	done := runAsync(t, opts)
	stdout.waitFor(t, "ready\n")
	sigs <- syscall.SIGINT
	res := <-done
	if res.ExitCode != 7 || !strings.Contains(string(res.Output), "got interrupt") {
		t.Fatalf("got code %d output %q", res.ExitCode, res.Output)
	}
}

// After a forwarded SIGTERM, a job that ignores it is killed KillAfter
// later, so the wrapper can still exit and report.
func TestRunForwardedTermEscalates(t *testing.T) {
	t.Parallel()
	sigs := make(chan os.Signal, 1)
	var stdout syncBuffer
	opts := jobOptions("ignore-term", "30s")
	opts.Stdout, opts.Signals, opts.KillAfter = &stdout, sigs, 300*time.Millisecond
	done := runAsync(t, opts)
	stdout.waitFor(t, "ready\n")
	sigs <- syscall.SIGTERM
	select {
	case res := <-done:
		if res.ExitCode != 128+9 || res.Message != "command died with signal: 9" {
			t.Fatalf("got code %d message %q", res.ExitCode, res.Message)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("job not killed")
	}
}

// The real thing: a wrapper process gets SIGTERM from outside. The job
// (in its own process group, so only forwarding can reach it) dies of it,
// the wrapper exits 143 and still reports.
func TestWrapperForwardsSIGTERMAndReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	reportFile := filepath.Join(dir, "report.json")
	cmd := exec.Command(testExe, "ready-sleep", "30s")
	cmd.Env = append(jobEnv(), helperEnv+"=wrapper", helperReportEnv+"="+reportFile,
		helperStateEnv+"="+filepath.Join(dir, "state"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the job's ready line: %v", err)
	}
	jobPid, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "ready ")))
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 143 {
		t.Fatalf("wrapper exited %d (%v); want 143", code, err)
	}
	if jobPid == 0 || !processGone(jobPid) {
		t.Errorf("job %d still running", jobPid)
	}
	data, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatalf("no report: %v", err)
	}
	var reports []client.CheckReport
	if err := json.Unmarshal(data, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("report file %s: %v", data, err)
	}
	r := reports[0]
	if r.Status != client.CheckStatusCritical || !strings.HasPrefix(r.Message, "command died with signal: 15\n% ") ||
		r.Source.HostID != "host-1" {
		t.Errorf("report = %+v", r)
	}
}
