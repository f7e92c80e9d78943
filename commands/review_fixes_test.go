package commands

// Regression tests for defects found in review; each failed before its fix.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/wrap"
)

// `mkr help <unknown>` exits 3 like `mkr <unknown>` (upstream's code).
func TestHelpUnknownTopicExits3(t *testing.T) {
	e := twNewEnv(t)
	r := e.run("help", "nosuch")
	if r.code != 3 || !strings.Contains(r.stderr, "No help topic for 'nosuch'") {
		t.Fatalf("mkr help nosuch:\n%s", r)
	}
}

// A bad --jq is refused before the command's side effect, not after it.
func TestBadJQRefusedBeforeSideEffect(t *testing.T) {
	e := twNewEnv(t)
	e.mustRun("services", "create", "web")
	r := e.run("services", "delete", "web", "--force", "--jq", ".[")
	if r.code != 1 || !strings.Contains(r.stderr, "invalid --jq query") {
		t.Fatalf("delete with a bad --jq:\n%s", r)
	}
	if r := e.mustRun("services", "--jq", ".[].name"); r.stdout != "web\n" {
		t.Fatalf("the service was deleted anyway:\n%s", r)
	}
	r = e.run("hosts", "--format", "{{.Name")
	if r.code != 1 || !strings.Contains(r.stderr, "invalid --format template") {
		t.Fatalf("hosts with a bad --format:\n%s", r)
	}
}

// When the OK that would close an alert cannot be delivered, the auto-close
// state is forgotten so that the next success sends OK again.
func TestWrapForgetsStateWhenOKIsLost(t *testing.T) {
	e := twNewEnv(t)
	state := wrap.StatePath(e.stateDir(), "job")
	// Reports for an unknown host are refused (404) and dropped.
	e.run("wrap", "-a", "-H", "nohost", "-n", "job", "--", "false")
	e.clock.Advance(time.Minute)
	r := e.run("wrap", "-a", "-H", "nohost", "-n", "job", "--", "true")
	if r.code != 0 || !strings.Contains(r.stderr, "failed to post following report") {
		t.Fatalf("second run:\n%s", r)
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Fatalf("auto-close state %s survived a lost OK report (err %v)", state, err)
	}
}

// A report is spooled, not lost, when the backend cannot even be opened.
func TestWrapSpoolsWhenClientFails(t *testing.T) {
	e := twNewEnv(t)
	blocker := e.writeFile("not-a-dir", "x")
	r := e.runWith(twOpts{env: map[string]string{"MKR_DB": filepath.Join(blocker, "mkr.db")}},
		"wrap", "-H", "h1", "-n", "job", "--", "false")
	if r.code != 1 || !strings.Contains(r.stderr, "spooled for a later retry") {
		t.Fatalf("wrap with an unopenable database:\n%s", r)
	}
	files, _ := filepath.Glob(filepath.Join(e.stateDir(), "backends", "*", "spool", "*.json"))
	if len(files) != 1 {
		t.Fatalf("spooled files = %v, want one", files)
	}
}

// A plugin that leaves a process running in the background (holding its
// output) is judged by its own exit, within about a second.
func TestChecksRunBackgroundProcess(t *testing.T) {
	e := twNewEnv(t)
	conf := e.writeFile("agent-bg.conf", "[plugin.checks.daemon]\ncommand = \"sleep 30 & echo started\"\ntimeout_seconds = 10\n")
	start := time.Now()
	r := e.runWith(twOpts{conf: conf}, "checks", "run")
	if r.code != 0 || !strings.Contains(r.stdout, "ok 1 - daemon") || time.Since(start) > 5*time.Second {
		t.Fatalf("checks run with a background process (%v):\n%s", time.Since(start), r)
	}
}

// SIGTERM ends mkr with 128+15, saying so.
func TestSignalExitCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	e := twNewEnv(t)
	host := e.createHost("web")
	cmd, out, errOut := e.command("throw", "-H", host)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	twWaitOpened(t, cmd.Process.Pid, e.vars["MKR_DB"])
	cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(100 * time.Millisecond)
	stdin.Write([]byte("a.b 1 1700000000\n"))
	stdin.Close()
	r := twFinish(t, cmd, out, errOut, time.Minute)
	if r.code != 143 || !strings.Contains(r.stderr, "interrupted by terminated") {
		t.Fatalf("mkr throw after SIGTERM:\n%s", r)
	}
}

// twWaitOpened waits until process pid holds the file path open. mkr
// opens the database only after main installed its signal handlers, so
// this is a reliable sign that a signal will be caught. (The SigCgt mask of
// /proc/<pid>/status is not: the Go runtime sets it for every signal
// before any package init, long before signal.Notify.)
func twWaitOpened(t *testing.T, pid int, path string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
		for _, fd := range fds {
			if target, err := os.Readlink(fd); err == nil && target == path {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d never opened %s", pid, path)
}
