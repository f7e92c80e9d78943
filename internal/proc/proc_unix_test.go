//go:build unix

package proc_test

import (
	"bufio"
	"errors"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/proc"
)

func start(t *testing.T, script string) (*exec.Cmd, chan error) {
	t.Helper()
	cmd, _ := startPiped(t, script)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return cmd, done
}

// startPiped starts script with its stdout readable, so that a test can
// wait for the child to say it is ready instead of sleeping and hoping.
func startPiped(t *testing.T, script string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = proc.SysProcAttr()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewReader(out)
}

func signalOf(t *testing.T, err error) syscall.Signal {
	t.Helper()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("Wait error = %v, want an exit status", err)
	}
	ws := ee.Sys().(syscall.WaitStatus)
	if !ws.Signaled() {
		t.Fatalf("child exited with %d, want a signal", ws.ExitStatus())
	}
	return ws.Signal()
}

// A child that honours SIGTERM ends with it, well before killAfter.
func TestStopTerminates(t *testing.T) {
	cmd, done := start(t, "sleep 30")
	err := proc.Stop(proc.NewGroup(cmd.Process), done, time.Minute)
	if sig := signalOf(t, err); sig != syscall.SIGTERM {
		t.Errorf("ended by %v, want SIGTERM", sig)
	}
}

// A child that ignores SIGTERM is killed once killAfter has passed, and so
// is the process it spawned (the whole group).
func TestStopKillsAfterGrace(t *testing.T) {
	// The shell says "ready" once its trap is installed: on a loaded
	// machine a fixed sleep was sometimes too short, and SIGTERM ended it.
	cmd, out := startPiped(t, `trap "" TERM; sleep 30 & echo ready; wait`)
	if line, err := out.ReadString('\n'); line != "ready\n" {
		t.Fatalf("child said %q (%v), want ready", line, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	pgid := cmd.Process.Pid
	err := proc.Stop(proc.NewGroup(cmd.Process), done, 200*time.Millisecond)
	if sig := signalOf(t, err); sig != syscall.SIGKILL {
		t.Errorf("ended by %v, want SIGKILL", sig)
	}
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(-pgid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatal("processes of the group outlived Stop")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
