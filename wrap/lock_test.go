package wrap

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// holdLock starts a run that holds lock until the returned channel yields
// its result; it returns once the job is running.
func holdLock(t *testing.T, lock string, hold time.Duration) <-chan *Result {
	t.Helper()
	var stdout syncBuffer
	opts := jobOptions("ready-sleep", hold.String())
	opts.Lock, opts.Stdout = lock, &stdout
	done := runAsync(t, opts)
	stdout.waitFor(t, "ready")
	return done
}

func TestLockOverlap(t *testing.T) {
	t.Parallel()
	cases := []struct {
		policy   OverlapPolicy
		code     int
		skipped  bool
		message  string
		lockWait time.Duration
	}{
		{OverlapSkip, 0, true, "skipped: previous run still running", 0},
		{"", 0, true, "skipped: previous run still running", 0},
		{OverlapFail, ExitOverlap, false, "not started: previous run still running", 0},
		{OverlapWait, ExitOverlap, false, "not started: previous run still running after waiting 100ms", 100 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(string(tc.policy)+"/"+tc.lockWait.String(), func(t *testing.T) {
			t.Parallel()
			lock := filepath.Join(t.TempDir(), "job.lock")
			first := holdLock(t, lock, 1500*time.Millisecond)
			opts := jobOptions("exit", "3")
			opts.Lock, opts.OnOverlap, opts.LockWait = lock, tc.policy, tc.lockWait
			res, err := Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != tc.code || res.Skipped != tc.skipped || !res.Overlapped ||
				res.Message != tc.message || res.Ran() || res.Success() {
				t.Errorf("got %+v", res)
			}
			if r := <-first; r.ExitCode != 0 {
				t.Errorf("first run: %d %s", r.ExitCode, r.Message)
			}
		})
	}
}

func TestLockWait(t *testing.T) {
	t.Parallel()
	lock := filepath.Join(t.TempDir(), "job.lock")
	first := holdLock(t, lock, 300*time.Millisecond)
	opts := jobOptions("exit", "0")
	opts.Lock, opts.OnOverlap = lock, OverlapWait
	second, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	r1 := <-first
	if second.ExitCode != 0 || !second.Ran() || second.Overlapped {
		t.Fatalf("second run: %+v", second)
	}
	if second.StartedAt.Before(r1.FinishedAt) {
		t.Errorf("runs overlapped: second started %v, first finished %v", second.StartedAt, r1.FinishedAt)
	}
}

func TestLockWaitInterrupted(t *testing.T) {
	t.Parallel()
	lock := filepath.Join(t.TempDir(), "job.lock")
	first := holdLock(t, lock, 1500*time.Millisecond)
	defer func() { <-first }()

	sigs := make(chan os.Signal, 1)
	sigs <- syscall.SIGTERM
	opts := jobOptions("exit", "0")
	opts.Lock, opts.OnOverlap, opts.Signals = lock, OverlapWait, sigs
	res, _ := Run(context.Background(), opts)
	if res.ExitCode != 143 || res.Ran() ||
		res.Message != "not started: interrupted by signal: 15 while waiting for the lock" {
		t.Errorf("signal: %+v", res)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	opts.Signals = nil
	res, _ = Run(ctx, opts)
	if res.ExitCode != ExitOverlap || res.Ran() ||
		res.Message != "not started: previous run still running: context deadline exceeded" {
		t.Errorf("context: %+v", res)
	}
}

// The job's descendants must not inherit the lock: a daemon it leaves
// behind would otherwise block every later run.
func TestLockNotInherited(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lock := filepath.Join(dir, "job.lock")
	pidFile := filepath.Join(dir, "pid")
	opts := jobOptions("spawn", pidFile, "30s", "0s")
	opts.Lock = lock
	res, err := Run(context.Background(), opts)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("first run: %v %+v", err, res)
	}
	pid := readPid(t, pidFile)
	if processGone(pid) {
		t.Fatal("the grandchild should outlive the job")
	}
	fds, err := os.ReadDir("/proc/" + itoa(pid) + "/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		if target, _ := os.Readlink("/proc/" + itoa(pid) + "/fd/" + fd.Name()); target == lock {
			t.Fatalf("grandchild holds the lock file as fd %s", fd.Name())
		}
	}
	opts = jobOptions("exit", "0")
	opts.Lock, opts.OnOverlap = lock, OverlapFail
	if res, _ := Run(context.Background(), opts); res.ExitCode != 0 || !res.Ran() {
		t.Fatalf("second run blocked by the grandchild: %+v", res)
	}
}

func TestLockUnusable(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	opts := jobOptions("exit", "0")
	opts.Lock = filepath.Join(file, "job.lock")
	res, _ := Run(context.Background(), opts)
	if res.ExitCode != ExitWrapperError || res.Ran() || !strings.HasPrefix(res.Message, "not started: cannot lock: ") {
		t.Fatalf("got %+v", res)
	}
}

func TestParseOverlapPolicy(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"skip", "wait", "fail"} {
		if p, err := ParseOverlapPolicy(s); err != nil || string(p) != s {
			t.Errorf("%s: %v %v", s, p, err)
		}
	}
	if _, err := ParseOverlapPolicy("queue"); err == nil {
		t.Error("queue accepted")
	}
}
