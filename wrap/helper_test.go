package wrap

// The wrapped jobs in these tests are this test binary itself, re-executed
// with helperEnv set: TestMain then behaves as the fake job (or as a whole
// wrapper, for the tests that must signal the wrapper from outside) instead
// of running tests. That is much faster than `go run` per case and needs no
// shell.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

const (
	helperEnv       = "MKR_WRAP_TEST_HELPER" // "job" or "wrapper"
	helperReportEnv = "MKR_WRAP_TEST_REPORT" // where the fake wrapper's reporter writes
	helperStateEnv  = "MKR_WRAP_TEST_STATE"  // the fake wrapper's state dir
)

// testExe is this binary, the program every fake job runs.
var testExe string

func TestMain(m *testing.M) {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	testExe = exe
	switch os.Getenv(helperEnv) {
	case "job":
		os.Exit(fakeJob(os.Args[1:]))
	case "wrapper":
		os.Exit(fakeWrapper(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// jobOptions returns Options running the fake job with the given mode.
func jobOptions(mode ...string) Options {
	return Options{Args: jobArgs(mode...), Env: jobEnv()}
}

func jobArgs(mode ...string) []string { return append([]string{testExe}, mode...) }

// jobEnv marks the process as a fake job. Under -race it also drops the
// race runtime's 1 s sleep at exit, which would otherwise dominate every
// test's run time.
func jobEnv() []string {
	return append(os.Environ(), helperEnv+"=job", "GORACE=atexit_sleep_ms=0 "+os.Getenv("GORACE"))
}

// fakeJob behaves as the job named by args[0] and returns its exit code.
func fakeJob(args []string) int {
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	dur := func(i int) time.Duration { d, _ := time.ParseDuration(arg(i)); return d }
	num := func(i int) int { n, _ := strconv.Atoi(arg(i)); return n }
	switch arg(0) {
	case "exit": // exit N
		return num(1)
	case "out-err": // N lines alternately on stdout and stderr
		for i := range num(1) {
			fmt.Fprintf(os.Stdout, "out %d\n", i)
			fmt.Fprintf(os.Stderr, "err %d\n", i)
		}
		return 0
	case "lines": // N numbered lines on stdout
		for i := range num(1) {
			fmt.Printf("line %d\n", i)
		}
		return 0
	case "flood": // N bytes of "x" on stdout
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for left := num(1); left > 0; left -= len(chunk) {
			os.Stdout.Write(chunk[:min(left, len(chunk))])
		}
		return 0
	case "ready-sleep": // print "ready <pid>", sleep D
		fmt.Printf("ready %d\n", os.Getpid())
		time.Sleep(dur(1))
		return 0
	case "ignore-term": // ignore SIGTERM, print ready, sleep D
		signal.Ignore(syscall.SIGTERM)
		fmt.Println("ready")
		time.Sleep(dur(1))
		return 0
	case "kill-self": // die from signal N
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Signal(syscall.Signal(num(1)))
		}
		time.Sleep(10 * time.Second)
		return 1
	case "live": // "first", wait for file args[1], "second"
		fmt.Println("first")
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
			if _, err := os.Stat(arg(1)); err == nil {
				fmt.Println("second")
				return 0
			}
			time.Sleep(5 * time.Millisecond)
		}
		return 3
	case "trap-int": // wait for SIGINT, then say so and exit 7
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT)
		fmt.Println("ready")
		select {
		case <-ch:
			fmt.Println("got interrupt")
			return 7
		case <-time.After(10 * time.Second):
			return 2
		}
	case "spawn": // start a grandchild sleeping args[2], write its pid to args[1], sleep args[3]
		gc := exec.Command(testExe, "sleep", arg(2))
		if err := gc.Start(); err != nil {
			return 4
		}
		if err := os.WriteFile(arg(1), []byte(strconv.Itoa(gc.Process.Pid)), 0o600); err != nil {
			return 5
		}
		fmt.Println("ready")
		time.Sleep(dur(3))
		return 0
	case "sleep":
		time.Sleep(dur(1))
		return 0
	}
	fmt.Fprintf(os.Stderr, "fake job: unknown mode %q\n", args)
	return 99
}

// fakeWrapper is mkr wrap in miniature: run the fake job given by args with
// the wrapper's signals forwarded, decide, deliver to a file, exit with the
// job's code.
func fakeWrapper(args []string) int {
	sigs, stop := NotifySignals()
	defer stop()
	opts := jobOptions(args...)
	opts.Stdout, opts.Stderr, opts.Signals = os.Stdout, os.Stderr, sigs
	opts.KillAfter = 5 * time.Second
	res, err := Run(context.Background(), opts)
	if err != nil {
		return 98
	}
	state := os.Getenv(helperStateEnv)
	report, _ := Decide(res, Check{HostID: "host-1", StateDir: state}, time.Now())
	if report != nil {
		sp := NewSpool(state, nil)
		if _, err := sp.Deliver(context.Background(), fileReporter(os.Getenv(helperReportEnv)), *report); err != nil {
			return 97
		}
	}
	return res.ExitCode
}

// fileReporter "posts" reports by writing them to a file as JSON.
type fileReporter string

func (f fileReporter) PostCheckReports(_ context.Context, reports []client.CheckReport) error {
	data, err := json.Marshal(reports)
	if err != nil {
		return err
	}
	return os.WriteFile(string(f), data, 0o600)
}

// syncBuffer is a writer the test can read while the job writes to it.
type syncBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls until the buffer contains sub.
func (s *syncBuffer) waitFor(t *testing.T, sub string) {
	t.Helper()
	waitUntil(t, "output "+strconv.Quote(sub), func() bool { return strings.Contains(s.String(), sub) })
}

// waitUntil polls cond for up to 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// runAsync runs opts in the background; the channel yields the result.
func runAsync(t *testing.T, opts Options) <-chan *Result {
	t.Helper()
	ch := make(chan *Result, 1)
	go func() {
		res, err := Run(context.Background(), opts)
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		ch <- res
	}()
	return ch
}

// processGone reports whether pid no longer runs (gone or a zombie).
func processGone(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the parenthesised command name.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && (s[i+2] == 'Z' || s[i+2] == 'X')
}

// readPid reads a pid file written by the "spawn" job.
func readPid(t *testing.T, path string) int {
	t.Helper()
	var pid int
	waitUntil(t, "pid file", func() bool {
		data, err := os.ReadFile(path)
		if err != nil {
			return false
		}
		pid, err = strconv.Atoi(string(data))
		return err == nil
	})
	t.Cleanup(func() {
		if p, err := os.FindProcess(pid); err == nil {
			p.Kill()
		}
	})
	return pid
}
