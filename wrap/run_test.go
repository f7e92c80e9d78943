package wrap

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	noExec := filepath.Join(dir, "no-exec")
	if err := os.WriteFile(noExec, []byte("#!/bin/sh\nexit 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badFormat := filepath.Join(dir, "bad-format")
	if err := os.WriteFile(badFormat, []byte{0, 1, 2, 3, 0xff}, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		opts     Options
		code     int
		signal   syscall.Signal
		message  string
		startErr bool
	}{
		{"success", jobOptions("exit", "0"), 0, 0, "command exited with code: 0", false},
		{"failure", jobOptions("exit", "1"), 1, 0, "command exited with code: 1", false},
		{"code 3", jobOptions("exit", "3"), 3, 0, "command exited with code: 3", false},
		{"SIGTERM", jobOptions("kill-self", "15"), 143, syscall.SIGTERM, "command died with signal: 15", false},
		{"SIGKILL", jobOptions("kill-self", "9"), 128 + 9, syscall.SIGKILL, "command died with signal: 9", false},
		{"not in PATH", Options{Args: []string{"mkr-wrap-no-such-command"}}, 127, 0,
			`command invocation failed with follwing error: exec: "mkr-wrap-no-such-command": executable file not found in $PATH`, true},
		{"no such path", Options{Args: []string{filepath.Join(dir, "missing")}}, 127, 0,
			"command invocation failed with follwing error: fork/exec " + filepath.Join(dir, "missing") + ": no such file or directory", true},
		{"not executable", Options{Args: []string{noExec}}, 126, 0,
			"command invocation failed with follwing error: fork/exec " + noExec + ": permission denied", true},
		{"exec format", Options{Args: []string{badFormat}}, 126, 0,
			"command invocation failed with follwing error: fork/exec " + badFormat + ": exec format error", true},
		{"directory", Options{Args: []string{dir}}, 126, 0,
			"command invocation failed with follwing error: fork/exec " + dir + ": permission denied", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Run(context.Background(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != tc.code || res.Signal != tc.signal || res.Message != tc.message {
				t.Errorf("got code %d signal %d message %q; want %d %d %q",
					res.ExitCode, res.Signal, res.Message, tc.code, tc.signal, tc.message)
			}
			if (res.StartErr != nil) != tc.startErr || res.Ran() == tc.startErr {
				t.Errorf("StartErr = %v, Ran = %v", res.StartErr, res.Ran())
			}
			if res.Success() != (tc.code == 0) {
				t.Errorf("Success() = %v", res.Success())
			}
		})
	}
}

func TestRunNoCommand(t *testing.T) {
	t.Parallel()
	if _, err := Run(context.Background(), Options{}); !errors.Is(err, ErrNoCommand) {
		t.Fatalf("err = %v, want ErrNoCommand", err)
	}
}

func TestRunStdinIsDevNull(t *testing.T) {
	t.Parallel()
	// cat would block forever on an inherited terminal or pipe.
	res, err := Run(context.Background(), Options{Args: []string{"cat"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 || len(res.Output) != 0 {
		t.Fatalf("cat: code %d output %q", res.ExitCode, res.Output)
	}
}

func TestRunPassesStreamsSeparately(t *testing.T) {
	t.Parallel()
	var stdout, stderr syncBuffer
	opts := jobOptions("out-err", "50")
	opts.Stdout, opts.Stderr = &stdout, &stderr
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var wantOut, wantErr strings.Builder
	for i := range 50 {
		wantOut.WriteString("out " + itoa(i) + "\n")
		wantErr.WriteString("err " + itoa(i) + "\n")
	}
	if stdout.String() != wantOut.String() {
		t.Errorf("stdout = %q", stdout.String())
	}
	if stderr.String() != wantErr.String() {
		t.Errorf("stderr = %q", stderr.String())
	}
	// The capture merges both, each line whole, in arrival order per stream.
	merged := string(res.Output)
	if len(merged) != wantOut.Len()+wantErr.Len() || res.OutputOmitted != 0 {
		t.Fatalf("merged output has %d bytes (omitted %d)", len(merged), res.OutputOmitted)
	}
	lines := strings.Split(strings.TrimSuffix(merged, "\n"), "\n")
	next := map[string]int{"out": 0, "err": 0}
	for _, l := range lines {
		stream, n, _ := strings.Cut(l, " ")
		if n != itoa(next[stream]) {
			t.Fatalf("line %q out of order in merged output", l)
		}
		next[stream]++
	}
}

// One plain writer for both streams (as in tests, or `2>&1` done in Go)
// must be safe: -race catches concurrent writes.
func TestRunSharedWriter(t *testing.T) {
	t.Parallel()
	var both bytes.Buffer
	opts := jobOptions("out-err", "200")
	opts.Stdout, opts.Stderr = &both, &both
	if _, err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(both.String(), "\n"); n != 400 {
		t.Fatalf("%d lines", n)
	}
}

func TestRunPassesOutputLive(t *testing.T) {
	t.Parallel()
	var stdout syncBuffer
	gate := filepath.Join(t.TempDir(), "go")
	opts := jobOptions("live", gate)
	opts.Stdout = &stdout
	done := runAsync(t, opts)
	stdout.waitFor(t, "first\n")
	select {
	case <-done:
		t.Fatal("job finished before it was let go")
	default:
	}
	if err := os.WriteFile(gate, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if res.ExitCode != 0 || stdout.String() != "first\nsecond\n" {
		t.Fatalf("code %d, stdout %q", res.ExitCode, stdout.String())
	}
}

// A background process that keeps the job's stdout open must not keep the
// wrapper waiting (upstream would hang until it exits).
func TestRunDoesNotWaitForLeftoverPipes(t *testing.T) {
	t.Parallel()
	start := time.Now()
	res, err := Run(context.Background(), Options{
		Args:      []string{"/bin/sh", "-c", "sleep 3 & echo started"},
		WaitDelay: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	if res.ExitCode != 0 || string(res.Output) != "started\n" {
		t.Fatalf("code %d output %q message %q", res.ExitCode, res.Output, res.Message)
	}
}

// A writer that fails (a closed stdout) must not stop the job or the capture.
func TestRunSurvivesFailingWriter(t *testing.T) {
	t.Parallel()
	opts := jobOptions("out-err", "1000")
	opts.Stdout = failingWriter{}
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 || !bytes.Contains(res.Output, []byte("out 999\n")) {
		t.Fatalf("code %d, output tail %q", res.ExitCode, res.Output[max(0, len(res.Output)-20):])
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.EPIPE }

func TestRunOutputStaysBounded(t *testing.T) {
	const total = 100 << 20
	opts := jobOptions("flood", itoa(total))
	opts.Stdout = io.Discard
	opts.OutputCapacity = 32 << 10

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	peak := base
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	res, err := Run(context.Background(), opts)
	close(stop)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("code %d", res.ExitCode)
	}
	if len(res.Output) != opts.OutputCapacity {
		t.Errorf("captured %d bytes, want the capacity %d", len(res.Output), opts.OutputCapacity)
	}
	if got := res.OutputOmitted + int64(len(res.Output)); got != total {
		t.Errorf("captured+omitted = %d, want %d", got, total)
	}
	if growth := int64(peak) - int64(base); growth > 16<<20 {
		t.Errorf("heap in use grew by %d MiB while the job printed 100 MiB", growth>>20)
	}
	t.Logf("heap growth %d KiB", (int64(peak)-int64(base))>>10)
}

func TestRunClock(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	ticks := []time.Time{t0, t0.Add(90 * time.Second)}
	opts := jobOptions("exit", "0")
	opts.Now = func() time.Time { now := ticks[0]; ticks = ticks[1:]; return now }
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !res.StartedAt.Equal(t0) || res.Duration != 90*time.Second {
		t.Fatalf("StartedAt %v Duration %v", res.StartedAt, res.Duration)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
