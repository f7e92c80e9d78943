package cmdtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

var bin struct {
	once sync.Once
	path string
	err  error
}

// Binary builds cmd/mkr once per test process (without -race, whatever the
// test's flags: the binary is what users run) and returns its path.
func Binary(tb testing.TB) string {
	tb.Helper()
	bin.once.Do(func() {
		sweepBinaries()
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		dir, err := os.MkdirTemp("", fmt.Sprintf("mkr-test-bin-%d-", os.Getpid()))
		if err != nil {
			bin.err = err
			return
		}
		bin.path = filepath.Join(dir, "mkr")
		cmd := exec.Command(goTool, "build", "-o", bin.path, "github.com/mkr-dev/mkr/cmd/mkr")
		if out, err := cmd.CombinedOutput(); err != nil {
			bin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if bin.err != nil {
		tb.Fatal(bin.err)
	}
	return bin.path
}

// sweepBinaries removes binaries left by test processes that are gone
// (a test binary cannot remove its own on exit).
func sweepBinaries() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "mkr-test-bin-*"))
	for _, d := range dirs {
		var pid int
		if _, err := fmt.Sscanf(filepath.Base(d), "mkr-test-bin-%d-", &pid); err != nil || pid == os.Getpid() {
			continue
		}
		p, err := os.FindProcess(pid)
		if err == nil {
			err = p.Signal(syscall.Signal(0))
		}
		if err != nil && (errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)) {
			os.RemoveAll(d)
		}
	}
}

// ProcEnv is the environment of an mkr process on the Env: nothing from the
// test's environment but PATH, so no API key leaks in.
func (e *Env) ProcEnv(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range e.Vars {
		env = append(env, k+"="+v)
	}
	return append(env, extra...)
}

// Command prepares `mkr --conf <conf> args...` as the real binary in the
// Env's directory; it is killed when the test ends if still running.
func (e *Env) Command(args ...string) (*exec.Cmd, *Buffer, *Buffer) {
	e.T.Helper()
	cmd := exec.Command(Binary(e.T), append([]string{"--conf", e.Conf}, args...)...)
	cmd.Env = e.ProcEnv()
	cmd.Dir = e.Dir
	out, errOut := &Buffer{}, &Buffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	e.T.Cleanup(func() {
		if cmd.Process != nil && cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	return cmd, out, errOut
}

// Exec runs the real binary with args and waits (a minute at most).
func (e *Env) Exec(args ...string) Result {
	e.T.Helper()
	cmd, out, errOut := e.Command(args...)
	return Finish(e.T, cmd, out, errOut, time.Minute)
}

// Finish starts cmd if needed, waits for it (killing it after limit) and
// returns its result.
func Finish(tb testing.TB, cmd *exec.Cmd, out, errOut *Buffer, limit time.Duration) Result {
	tb.Helper()
	if cmd.Process == nil {
		if err := cmd.Start(); err != nil {
			tb.Fatalf("starting %s: %v", cmd, err)
		}
	}
	timer := time.AfterFunc(limit, func() { cmd.Process.Kill() })
	defer timer.Stop()
	err := cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		tb.Fatalf("running %s: %v", cmd, err)
	}
	return Result{Code: cmd.ProcessState.ExitCode(), Stdout: out.String(), Stderr: errOut.String()}
}

// WaitFile waits until path exists.
func WaitFile(tb testing.TB, path string, within time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(within)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s did not appear within %s", path, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// WaitOpened waits until process pid holds the file path open. mkr opens
// the database only after main installed its signal handlers, so this is a
// reliable sign that a signal will be caught. (The SigCgt mask of
// /proc/<pid>/status is not: the Go runtime sets it for every signal before
// any package init, long before signal.Notify.)
func WaitOpened(tb testing.TB, pid int, path string) {
	tb.Helper()
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
	tb.Fatalf("process %d never opened %s", pid, path)
}

// ModuleRoot is the directory of go.mod above the working directory.
func ModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}
